// Types of scripts/reproduce/lib.mjs, for the tests that import it (test/examples/).

export declare const Z: number;

export interface Check {
  label: string;
  run: string;
  point?: Record<string, unknown>;
  estimate: {
    kind: string;
    metric?: string;
    generation?: number | "last";
    from?: number;
    to?: number | "last";
    threshold?: number;
    K?: number;
    count?: number;
  };
  published: { text: string; value?: number };
  expected?: { value?: number; theory?: boolean; wrightFisher?: { K: number; median?: boolean } };
  verdict: "equal" | "below" | "above" | "info";
  z?: number;
}

export interface Run {
  id: string;
  command: "sim" | "sweep";
  config: string;
  args?: string[];
  format?: "json" | "markdown";
  title?: string;
}

export interface Example {
  name: string;
  dir: string;
  order: number;
  title: string;
  paper: string;
  figure: string;
  description: string;
  needs: string[];
  runs: Run[];
  plot?: { run: string; args?: string[] };
  checks: Check[];
}

export interface Estimate {
  value: number | null;
  se: number | null;
  theory: number | null;
  text?: string;
}

export interface Expected {
  value: number | null;
  se: number;
  diffusion?: number;
}

export interface Verdict {
  verdict: "agrees" | "differs" | "—";
  z: number;
  inSe?: number;
}

export interface FixationLaw {
  mean: number;
  sd: number;
  median: number | null;
  pmf(g: number): number;
  diffusion: number;
}

export declare function validateManifest(m: unknown, name: string): Omit<Example, "dir">;
export declare function listExamples(examplesDir: string): Example[];
export declare function pointOf(doc: any, where?: Record<string, unknown>): any;
export declare function wrightFisherFixation(n: number, K: number, generations: number): FixationLaw;
export declare function fixationMoments(F: readonly number[], K: number): { mean: number; sd: number };
export declare function estimate(check: Check, docs: Record<string, any>): Estimate;
export declare function expectedOf(check: Check, est: Estimate, docs: Record<string, any>): Expected;
export declare function judge(check: Check, est: Estimate, exp: Expected): Verdict;
export declare function fmt(x: number | null | undefined): string;
export declare function renderSection(example: Example, outcome: any): string;
export declare function renderDocument(examples: readonly Example[], sections: Map<string, string>, previous?: string): string;
