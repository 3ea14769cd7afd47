/** Sweep baselines: recognised, validated strictly (one line naming the first bad field), points named by their grid values. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gridParams, isSweepDocument, readCheckBaseline, sweepBaselineConfig, sweepPointLabel, validateSweep } from "../../src/check/sweep-baseline.js";
import { InputError } from "../../src/errors.js";
import { pointSeed } from "../../src/sweep/plan.js";
import { tempDir } from "../cli/cli.js";
import { fakeResult } from "./fake.js";

const dir = tempDir();

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content, null, 2));
  return path;
}

/** A sweep document over sampleSize × regime (2 × 2 points) of hand-made results. */
function sweepDoc(): Record<string, any> {
  const grid = { sampleSize: [10, 100], regime: ["replace", "mix"] };
  const points = [];
  for (const sampleSize of grid.sampleSize) {
    for (const regime of grid.regime) {
      const params = { sampleSize, regime };
      const result = fakeResult({ var_ratio: [1, 0.9], w2: [0, 0.1] });
      points.push({ params, config: { ...result.config, sampleSize, regime, seed: pointSeed("7", params) }, generations: result.generations });
    }
  }
  return JSON.parse(
    JSON.stringify({
      tool: { name: "collapse", version: "0.1.0" },
      config: { model: "gaussian", seed: "7", grid },
      seed: "7",
      grid: ["sampleSize", "regime"],
      points,
    }),
  );
}

function refusal(doc: unknown): string {
  try {
    validateSweep(doc, "s.json");
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("sweep baselines", () => {
  it("are recognised by their points or grid, and read with nulls as NaN", async () => {
    expect(isSweepDocument(sweepDoc())).toBe(true);
    expect(isSweepDocument(fakeResult({ var_ratio: [1] }))).toBe(false);
    expect(isSweepDocument({ grid: [] })).toBe(true);
    const doc = sweepDoc();
    doc.points[3].generations[1].metrics.w2.se = null;
    const baseline = await readCheckBaseline(file("sweep.json", doc));
    expect(baseline.kind).toBe("sweep");
    if (baseline.kind !== "sweep") return;
    expect(baseline.sweep.points[3]!.generations[1]!.metrics.w2!.se).toBeNaN();
    expect((await readCheckBaseline(file("sim.json", fakeResult({ var_ratio: [1, 0.9] })))).kind).toBe("sim");
  });

  it("name their points by grid values, in grid order (the first axis slowest)", () => {
    const sweep = validateSweep(sweepDoc(), "s.json");
    expect(gridParams(sweep, 2)).toEqual({ sampleSize: 100, regime: "replace" });
    expect(sweepPointLabel(sweep, 2)).toBe("point 3 of 4 (sample-size=100, regime=replace)");
  });

  it("under config.commonSeed every point has the sweep's own seed", () => {
    const doc = sweepDoc();
    doc.config.commonSeed = true;
    expect(refusal(doc)).toMatch(/"points\[0\]\.config\.seed" must be the sweep's seed \(config\.commonSeed: every point shares it\)/);
    for (const p of doc.points) p.config.seed = "7";
    expect(validateSweep(doc, "s.json").points).toHaveLength(4);
    doc.config.commonSeed = "yes";
    expect(refusal(doc)).toMatch(/"config\.commonSeed" must be true or false/);
  });

  it("refuse a shard, and name the first bad field of anything else", () => {
    const cases: [string, (d: Record<string, any>) => unknown, RegExp][] = [
      ["shard", (d) => ({ ...d, shard: { index: 1, count: 2 } }), /s\.json is one shard of a sweep, not the whole sweep; merge every shard/],
      ["extra key", (d) => ({ ...d, extra: 1 }), /the keys of the document must be only tool, config, seed, grid, points \(a sweep document\), got "extra"/],
      ["tool", (d) => ({ ...d, tool: { name: "x" } }), /"tool" must be/],
      ["seed", (d) => ({ ...d, seed: "8" }), /"seed" must be the sweep's seed, as in config\.seed/],
      ["grid key", (d) => ((d.grid[1] = "bogus"), d), /"grid\[1\]" must be an option key/],
      ["grid order", (d) => ((d.grid = ["regime", "sampleSize"]), d), /"config\.grid" must be an object of the values of regime, sampleSize, in that order/],
      ["axis", (d) => ((d.config.grid.regime = []), d), /"config\.grid\.regime" must be a non-empty list of values/],
      ["count", (d) => (d.points.pop(), d), /"points" must be 4 points \(every point of the grid\), got "3 points"/],
      ["order", (d) => (d.points.reverse(), d), /"points\[0\]\.params" must be the grid values of point 1 in grid order/],
      ["point key", (d) => ((d.points[1].shard = 1), d), /the keys of "points\[1\]" must be only params, config, generations, extinctions, got "shard"/],
      ["point seed", (d) => ((d.points[2].config.seed = "x"), d), /"points\[2\]\.config\.seed" must be the seed the sweep derives/],
      [
        "point metric",
        (d) => ((d.points[1].generations[1].metrics.w2.mean = "x"), d),
        /"points\[1\]\.generations\[1\]"\.metrics\.w2\.mean must be a number or null/,
      ],
      ["point model", (d) => (delete d.points[0].config.model, d), /"points\[0\]\.config\.model" must be a model name/],
      ["point data", (d) => ((d.points[3].config.data = "x.csv"), d), /"points\[3\]\.config\.dataSha256" must be the SHA-256 of the point's data file/],
      ["hashes", (d) => ((d.config.dataSha256 = { "x.csv": "nope" }), d), /"config\.dataSha256" must be an object mapping each data file to its SHA-256/],
    ];
    for (const [name, edit, message] of cases) {
      const msg = refusal(edit(sweepDoc()));
      expect(msg, name).toMatch(message);
      if (name !== "shard") expect(msg, name).toMatch(/regenerate it with collapse sweep … --save-baseline FILE$/);
    }
  });

  it("--save-baseline: data paths move relative to the baseline's folder; grid values stay as given", () => {
    const config = { data: "ci/data/a.csv", dataSha256: { "ci/data/a.csv": "0".repeat(64) }, grid: { data: ["ci/data/a.csv"] } };
    expect(sweepBaselineConfig(config, "ci/sweep.json")).toEqual({
      data: "data/a.csv",
      dataSha256: { "data/a.csv": "0".repeat(64) },
      grid: { data: ["ci/data/a.csv"] },
    });
  });
});
