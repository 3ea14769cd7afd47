/**
 * The library (src/index.ts): simulate gives the CLI's JSON document, sweep yields points in grid
 * order whatever the jobs, check returns the comparison, and bad options reject as the CLI fails.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as Library from "../../src/index.js";
import type { SimResult, SweepPointResult } from "../../src/index.js";
import { tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";

// The built package (the global setup builds dist/): its worker threads run from dist/ as a user's would.
const { CollapseError, check, passed, simulate, sweep }: typeof Library = await import(new URL("../../dist/index.js", import.meta.url).href);

async function all(points: AsyncIterable<SweepPointResult>): Promise<SweepPointResult[]> {
  const out: SweepPointResult[] = [];
  for await (const p of points) out.push(p);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<Library.CollapseError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof CollapseError) return e;
    throw e;
  }
  throw new Error("expected a rejection");
}

describe("simulate", () => {
  it.each([
    [
      "a built-in source",
      { generations: 4, sampleSize: 30, replicates: 40, seed: "lib", theory: true },
      ["-g", "4", "-m", "30", "-r", "40", "--seed", "lib", "--theory"],
    ],
    [
      "a data file",
      { model: "mvn", data: "fixtures/heights.csv", generations: 2, replicates: 8 },
      ["--model", "mvn", "--data", "fixtures/heights.csv", "-g", "2", "-r", "8"],
    ],
    ["the ngram corpus", { model: "ngram", generations: 2, replicates: 2, sampleSize: 2000 }, ["--model", "ngram", "-g", "2", "-r", "2", "-m", "2000"]],
  ])("with %s resolves to the document collapse sim --format json prints", async (_what, options, args) => {
    const printed = await cli(["sim", ...args, "--format", "json", "--quiet"]);
    expect(printed.stderr).toBe("");
    const doc = await simulate(options as Parameters<typeof simulate>[0], { jobs: 2 });
    expect(JSON.stringify(doc)).toBe(JSON.stringify(JSON.parse(printed.stdout)));
  });

  it("reports progress up to replicates × generations, and the same numbers for any jobs", async () => {
    const seen: number[] = [];
    const options = { model: "gmm", generations: 2, replicates: 6, sampleSize: 200 } as const;
    const one = await simulate(options, { jobs: 1, onProgress: (done, total) => seen.push(done / total) });
    const two = await simulate(options, { jobs: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(seen.at(-1)).toBe(1);
  });

  it("rejects bad options with the CLI's exit code and one-line message", async () => {
    const bad = await rejection(simulate({ sampleSize: 1 }));
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toBe('options: "sampleSize" must be a whole number >= 2 and <= 100000000, got 1');
    const unknown = await rejection(simulate({ sampleSise: 10 } as never));
    expect(unknown.message).toMatch(/unknown option "sampleSise"/);
    const data = await rejection(simulate({ data: "no/such/file.csv" }));
    expect(data.exitCode).toBe(2);
    expect(data.message).toMatch(/no\/such\/file\.csv/);
  });
});

describe("sweep", () => {
  const options = { generations: 3, replicates: 20, grid: { sampleSize: [10, 100], regime: "replace,accumulate" } };

  it("yields every point, in grid order when asked, each the document simulate gives for the point's config", async () => {
    const points = await all(sweep(options, { jobs: 2, order: "grid" }));
    expect(points.map((p) => p.index)).toEqual([0, 1, 2, 3]);
    expect(points.map((p) => [p.params.sampleSize, p.params.regime])).toEqual([
      [10, "replace"],
      [10, "accumulate"],
      [100, "replace"],
      [100, "accumulate"],
    ]);
    // The point's own values and its derived seed, recorded in its config, give the same document.
    const again = await simulate({ generations: 3, replicates: 20, sampleSize: 100, regime: "accumulate", seed: points[3]!.result.config.seed });
    expect(JSON.stringify(again)).toBe(JSON.stringify(points[3]!.result));
  });

  it("gives the same points for one job as for two, as they finish or in grid order", async () => {
    const one = await all(sweep(options, { jobs: 1 }));
    const two = await all(sweep(options, { jobs: 2 }));
    const byIndex = (points: SweepPointResult[]) => JSON.stringify([...points].sort((a, b) => a.index - b.index));
    expect(byIndex(two)).toBe(byIndex(one));
    expect(JSON.stringify(await all(sweep(options, { jobs: 2, order: "grid" })))).toBe(byIndex(one));
  });

  it("can be left early, and rejects a bad grid before running anything", async () => {
    for await (const p of sweep(options, { jobs: 1 })) {
      expect(p.index).toBe(0);
      break;
    }
    const bad = await rejection(all(sweep({ grid: { sampleSize: [1, 10] } })));
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toMatch(/sampleSize/);
  });
});

describe("check", () => {
  it("passes against its own run and reports regressions against a tampered baseline, without throwing", async () => {
    const dir = tempDir();
    const run = await simulate({ generations: 3, replicates: 30, seed: "check" });
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(run));
    const report = await check(good, { jobs: 1 });
    expect(passed(report)).toBe(true);
    expect(report.comparison.failures).toEqual([]);

    const tampered: SimResult = JSON.parse(JSON.stringify(run));
    tampered.generations[3]!.metrics.var_ratio!.mean += 1;
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(tampered));
    const verdict = await check(bad, { jobs: 1 });
    expect(passed(verdict)).toBe(false);
    expect(verdict.comparison.failures.map((f) => [f.generation, f.metric])).toEqual([[3, "var_ratio"]]);
  });
});
