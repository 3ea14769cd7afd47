/**
 * examples/: every folder's manifest is valid and every config runs (one generation, two
 * replicates), and the pure parts of the reproduce script (scripts/reproduce/lib.mjs): the exact
 * Wright–Fisher law, the verdicts and the document's sections.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Check, judge, listExamples, renderDocument, renderSection, validateManifest, wrightFisherFixation, Z } from "../../scripts/reproduce/lib.mjs";
import { ROOT } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { Z as SUITE_Z } from "../helpers.js";

const EXAMPLES = join(ROOT, "examples");
const examples = listExamples(EXAMPLES);

describe("examples/ manifests", () => {
  it("every folder of examples/ has a manifest, a README, and the configs its runs name", () => {
    // engines/ (job-engine recipes) and web-fills-up/ (a scenario, not a published result) have no manifest.
    const folders = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== "engines" && d.name !== "web-fills-up");
    expect(examples.map((e) => e.name).sort()).toEqual(folders.map((d) => d.name).sort());
    const orders = examples.map((e) => e.order);
    expect(new Set(orders).size, "each example has its own place").toBe(orders.length);
    for (const e of examples) {
      expect(existsSync(join(e.dir, "README.md")), `${e.name}/README.md`).toBe(true);
      for (const run of e.runs) expect(existsSync(join(e.dir, run.config)), `${e.name}/${run.config}`).toBe(true);
      // Examples 1–3 need --reference source; every example runs.
      if (e.order <= 3) expect(e.needs).toEqual(["--reference"]);
      expect(e.runs.length).toBeGreaterThan(0);
    }
  });

  it("examples/README.md links every folder of examples/", () => {
    const index = readFileSync(join(EXAMPLES, "README.md"), "utf8");
    for (const d of readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory())) expect(index, d.name).toContain(`](${d.name}/)`);
  });

  it("docs/reproductions.md has a section per example, and the figures it shows exist", () => {
    const doc = readFileSync(join(ROOT, "docs", "reproductions.md"), "utf8");
    for (const e of examples) expect(doc, e.name).toContain(`<!-- example:${e.name} -->\n## ${e.order}. ${e.title}\n`);
    for (const m of doc.matchAll(/!\[[^\]]*\]\((reproductions\/[^)]+\.svg)\)/g)) expect(existsSync(join(ROOT, "docs", m[1]!)), m[1]).toBe(true);
  });

  it("docs/reproductions.md's tables are the manifests' checks, every verdict agrees, and the READMEs say how many", () => {
    const doc = readFileSync(join(ROOT, "docs", "reproductions.md"), "utf8");
    const cell = (text: string) => text.replaceAll("|", "\\|");
    let judged = 0;
    const status = new Map<string, string>();
    for (const e of examples) {
      const section = doc.slice(doc.indexOf(`<!-- example:${e.name} -->`), doc.indexOf(`<!-- /example:${e.name} -->`));
      const reproduced = !section.includes("**Not reproduced yet:**");
      status.set(e.name, reproduced ? "reproduced" : "not reproduced");
      if (!reproduced) continue;
      const lines = section.split("\n");
      const head = lines.indexOf("| quantity | published | ours ± se | expected here | verdict |");
      const rows = lines.slice(head + 2, lines.indexOf("", head));
      expect(rows, e.name).toHaveLength(e.checks.length);
      e.checks.forEach((check, i) => {
        const row = rows[i]!;
        expect(row.startsWith(`| ${cell(check.label)} | ${cell(check.published.text)} |`), `${e.name}: ${check.label}`).toBe(true);
        const verdict = /\| ([^|]*) \|$/.exec(row)![1]!;
        if (check.verdict === "info") expect(verdict, check.label).toBe("—");
        else {
          expect(verdict, check.label).toMatch(/^agrees /);
          judged++;
        }
      });
    }
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(/Reproduced, all (\d+)\s+verdicts agreeing/.exec(readme)?.[1], "README: Reproductions").toBe(String(judged));
    // examples/README.md's table: | # | [name](name/) | paper | status |
    const index = readFileSync(join(EXAMPLES, "README.md"), "utf8");
    for (const [name, state] of status) {
      const row = index.split("\n").find((l) => l.includes(`| [${name}](${name}/) |`));
      expect(row, `examples/README.md: ${name}`).toBeDefined();
      expect(/\| ([^|]*) \|$/.exec(row!)![1], `examples/README.md: ${name}`).toBe(state);
    }
  });

  it("names the manifest and the field of a bad manifest", () => {
    const good = {
      order: 9,
      title: "t",
      paper: "p",
      figure: "f",
      description: "d",
      runs: [{ id: "a", command: "sim", config: "a.json" }],
      checks: [{ label: "l", run: "a", estimate: { kind: "mean", metric: "var_ratio", generation: 1 }, published: { text: "1" }, verdict: "equal" }],
    };
    expect(validateManifest(good, "x").needs).toEqual([]);
    expect(() => validateManifest({ title: "t" }, "x")).toThrow(/examples\/x\/example.json: "paper" must be a non-empty string/);
    expect(() => validateManifest({ ...good, runs: [{ id: "a", command: "plot", config: "x.json" }] }, "y")).toThrow(
      /runs\[0\]: "command" must be "sim" or "sweep"/,
    );
    expect(() => validateManifest({ ...good, checks: [{ ...good.checks[0], verdict: "close" }] }, "y")).toThrow(/checks\[0\]: "verdict" must be one of/);
    expect(() => validateManifest({ ...good, checks: [{ ...good.checks[0], run: "b" }] }, "y")).toThrow(/checks\[0\]: "run" must name one of the runs/);
  });

  it("judges with the suite's Z", () => {
    expect(Z).toBeCloseTo(SUITE_Z, 9);
    const check = (verdict: Check["verdict"]): Check => ({ label: "c", run: "r", estimate: { kind: "mean" }, published: { text: "p" }, verdict });
    const est = (value: number, se: number) => ({ value, se, theory: null });
    expect(judge(check("equal"), est(1.1, 0.05), { value: 1, se: 0 }).verdict).toBe("agrees");
    expect(judge(check("equal"), est(1.3, 0.05), { value: 1, se: 0 }).verdict).toBe("differs");
    expect(judge(check("below"), est(1.2, 0.05), { value: 1, se: 0 }).verdict).toBe("agrees");
    expect(judge(check("below"), est(1.3, 0.05), { value: 1, se: 0 }).verdict).toBe("differs");
    expect(judge(check("above"), est(1.3, 0.05), { value: 1, se: 0 }).verdict).toBe("agrees");
    expect(judge(check("above"), est(1.2, 0.05), { value: 1, se: 0 }).verdict).toBe("differs");
    expect(judge(check("info"), est(1.2, 0.05), { value: 1, se: 0 }).verdict).toBe("—");
  });

  it("re-renders only the sections it is given and keeps the others", () => {
    const skipped = (e: (typeof examples)[number]) => renderSection(e, { status: "skipped", reason: "needs `--reference`" });
    const first = renderDocument(examples, new Map(examples.map((e) => [e.name, skipped(e)])));
    for (const e of examples) expect(first).toContain(`## ${e.order}. ${e.title}`);
    const one = examples[examples.length - 1]!;
    const again = renderDocument(examples, new Map([[one.name, `<!-- example:${one.name} -->\nnew\n<!-- /example:${one.name} -->`]]), first);
    expect(again).toContain("\nnew\n");
    expect(again).toContain(`## ${examples[0]!.order}. ${examples[0]!.title}`);
    expect(again.match(/<!-- example:/g)).toHaveLength(examples.length);
  });
});

describe("the exact Wright–Fisher fixation law", () => {
  it("is geometric for n = K = 2: each generation keeps both types with probability 1/2", () => {
    const law = wrightFisherFixation(2, 2, 200);
    expect(law.mean).toBeCloseTo(2, 10);
    // The lumped run's replicate contributes X = K·τ_A·1{A fixes}: E[X²] = K·E[T²] = 2·(2 + 4), so Var X = 8.
    expect(law.sd).toBeCloseTo(Math.sqrt(8), 10);
    expect(law.median).toBe(1);
    expect(law.pmf(1)).toBeCloseTo(0.5, 12);
    expect(law.pmf(3)).toBeCloseTo(0.125, 12);
  });

  it("rises towards the diffusion limit −2n(K − 1)ln(1 − 1/K) = 1.8965·n for K = 10", () => {
    // n = 100, not 200: the law costs n²·G, and 200 took a quarter of a second for one more digit.
    const perN = [10, 50, 100].map((n) => wrightFisherFixation(n, 10, 16 * n).mean / n);
    expect(perN[0]).toBeCloseTo(1.74956, 4);
    expect(perN[0]!).toBeLessThan(perN[1]!);
    expect(perN[1]!).toBeLessThan(perN[2]!);
    expect(perN[2]!).toBeLessThan(1.8965);
    expect(perN[2]!).toBeGreaterThan(1.87);
    expect(wrightFisherFixation(10, 10, 10).diffusion / 10).toBeCloseTo(-2 * 9 * Math.log(0.9), 12);
  });

  it("refuses an n that is not a multiple of K", () => {
    expect(() => wrightFisherFixation(15, 10, 10)).toThrow(/multiple of K/);
  });
});

describe("every config of examples/ runs", () => {
  for (const e of examples) {
    const configs = readdirSync(e.dir).filter((f) => f.endsWith(".json") && f !== "example.json");
    for (const file of configs) {
      it(`${e.name}/${file} runs with --generations 1 --replicates 2`, async () => {
        const config = JSON.parse(readFileSync(join(e.dir, file), "utf8"));
        const command = config.grid !== undefined ? "sweep" : "sim";
        const r = await cli([command, "--config", file, "--generations", "1", "--replicates", "2", "--format", "json", "--quiet"], { cwd: e.dir });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const doc = JSON.parse(r.stdout);
        expect(doc.generations ?? doc.points).toBeDefined();
      });
    }
  }
});
