/**
 * The training mix (ARCHITECTURE §5): every generation records the rows of real and synthetic data
 * it was trained on and the real share, as means over replicates — in the JSON document
 * (`training`), as columns of the CSV and NDJSON rows, and as the table's `real` column when the
 * regime mixes real and synthetic data. Where the mix is random (the filter, subsampling) the means
 * are checked against their expectations within Z·SE (test/helpers.ts), the SE of a replicate mean
 * being SD/√R, computed here from the replicate values the loop recorded.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { runReplicates } from "../../src/core/loop.js";
import { trainingMix } from "../../src/core/run.js";
import { formatShare } from "../../src/output/cells.js";
import { formatters } from "../../src/output/format.js";
import { loadPlotInput } from "../../src/plot/load.js";
import { expectWithin, flags, meanOf, seOfMean } from "../helpers.js";
import { prepare, simulate } from "../run.js";

const render = { color: false, width: 120, showSamples: false } as const;
const run = (o: Record<string, unknown>) => simulate(resolveSimConfig(flags({ generations: 3, replicates: 4, ...o }))).result;

describe("the training mix of each regime, no filter (exact)", () => {
  it("replace: no real rows, M synthetic; generation 0 is the seed data", () => {
    const r = run({ sampleSize: 50 });
    expect(r.generations.map((g) => g.training)).toEqual([
      { real: 100, synthetic: 0, real_share: 1 },
      ...[1, 2, 3].map(() => ({ real: 0, synthetic: 50, real_share: 0 })),
    ]);
  });

  it("accumulate: N0 real rows and g·M synthetic, share N0/(N0 + g·M)", () => {
    const r = run({ regime: "accumulate", sampleSize: 50 });
    expect(r.generations.map((g) => g.training)).toEqual([0, 1, 2, 3].map((g) => ({ real: 100, synthetic: 50 * g, real_share: 100 / (100 + 50 * g) })));
  });

  it("mix and fresh: round(A·M) real rows and the rest synthetic", () => {
    for (const regime of ["mix", "fresh"]) {
      const r = run({ regime, realFraction: 0.3, sampleSize: 50 });
      expect(r.generations.slice(1).map((g) => g.training)).toEqual([1, 2, 3].map(() => ({ real: 15, synthetic: 35, real_share: 0.3 })));
    }
  });

  it("mix with a ramp follows it", () => {
    const r = run({ regime: "mix", realFraction: "0.9..0.1", sampleSize: 50, generations: 5 });
    expect(r.generations.slice(1).map((g) => g.training!.real)).toEqual([45, 35, 25, 15, 5]);
  });

  it("categorical counts draws and ngram tokens", () => {
    const c = run({ model: "categorical", regime: "accumulate", sampleSize: 200 });
    expect(c.generations[2]!.training).toEqual({ real: 1000, synthetic: 400, real_share: 1000 / 1400 });
    const n = run({ model: "ngram", regime: "mix", realFraction: 0.5, sampleSize: 1000, generations: 1, replicates: 2 });
    expect(n.generations[1]!.training).toEqual({ real: 500, synthetic: 500, real_share: 0.5 });
  });
});

describe("where the mix is random, the recorded means are the replicate means", () => {
  it("trainingMix: means over replicates of the counts and of each replicate's share, from blocks in any order", () => {
    const block = (from: number, to: number, real: number[], synthetic: number[]) => ({
      from,
      to,
      values: [],
      deaths: null,
      samples: null,
      real: Float64Array.from(real),
      synthetic: Float64Array.from(synthetic),
    });
    // Generation 0 then 1, two replicates per block: [g0r0, g0r1, g1r0, g1r1].
    const a = block(0, 2, [10, 10, 2, 4], [0, 0, 8, 4]);
    const b = block(2, 4, [10, 10, 6, 0], [0, 0, 2, 10]);
    const mix = trainingMix([b, a], 1, 4);
    expect(mix[0]).toEqual({ real: 10, synthetic: 0, real_share: 1 });
    expect(mix[1]).toEqual({ real: 3, synthetic: 6, real_share: (0.2 + 0.5 + 0.75 + 0) / 4 });
  });

  it("accumulate with the filter: E[synthetic_g] = g·M·(1 − r)", () => {
    const R = 500;
    const { prepared } = prepare(
      resolveSimConfig(flags({ regime: "accumulate", filterRecall: 0.4, sampleSize: 50, generations: 3, replicates: R, seed: "mix-filter" })),
    );
    const block = runReplicates(prepared, 0, R);
    const mix = trainingMix([block], 3, R);
    for (let g = 1; g <= 3; g++) {
      const synthetic = block.synthetic.slice(g * R, (g + 1) * R);
      expect(mix[g]!.synthetic).toBeCloseTo(meanOf(synthetic), 10);
      expect(mix[g]!.real).toBe(100);
      expectWithin(meanOf(synthetic), g * 50 * 0.6, seOfMean(synthetic), `synthetic at g=${g}`);
    }
  });

  it("accumulate-subsample: M rows, E[real_g] = M·N0/(N0 + g·M), and the real share's mean", () => {
    const R = 800;
    const { prepared } = prepare(resolveSimConfig(flags({ regime: "accumulate-subsample", sampleSize: 100, generations: 4, replicates: R, seed: "mix-sub" })));
    const block = runReplicates(prepared, 0, R);
    const mix = trainingMix([block], 4, R);
    for (let g = 1; g <= 4; g++) {
      const real = block.real.slice(g * R, (g + 1) * R);
      expect(mix[g]!.real + mix[g]!.synthetic).toBeCloseTo(100, 10);
      expectWithin(meanOf(real), 100 / (g + 1), seOfMean(real), `real at g=${g}`);
      // Every training set has M = 100 rows, so the mean share is the mean real count over M.
      expect(mix[g]!.real_share).toBeCloseTo(mix[g]!.real / 100, 12);
    }
  });
});

describe("determinism", () => {
  it("the same bytes for any --jobs, the training mix included (worker threads carry it)", async () => {
    // Worker threads run the built package (dist/, rebuilt before every test run).
    const { simulate: simulateLib } = await import(new URL("../../dist/index.js", import.meta.url).href);
    for (const options of [
      { model: "ngram", regime: "accumulate-subsample", filterRecall: "0.8..0.2", sampleSize: 3000 },
      { model: "gmm", regime: "mix", realFraction: [0.9, 0.5], filterRecall: 0.3, replicates: 6 },
    ] as const) {
      const config = { generations: 3, replicates: 4, ...options };
      const one = await simulateLib(config, { jobs: 1 });
      const two = await simulateLib(config, { jobs: 2 });
      expect(JSON.stringify(two)).toBe(JSON.stringify(one));
      expect(one.generations[3]!.training!.real).toBeGreaterThan(0);
    }
  });
});

describe("the training mix in every format", () => {
  const mixed = run({ regime: "accumulate", sampleSize: 50, generations: 2, replicates: 2 });
  const replaced = run({ sampleSize: 50, generations: 2, replicates: 2 });

  it("JSON: a training object, the last key of each generation", () => {
    const text = formatters.json.render(mixed, render);
    const doc = JSON.parse(text);
    expect(Object.keys(doc.generations[1]).at(-1)).toBe("training");
    expect(doc.generations[1].training).toEqual({ real: 100, synthetic: 50, real_share: 100 / 150 });
  });

  it("CSV and NDJSON: real, synthetic and real_share columns after theory, the same on every row of a generation", () => {
    const csv = formatters.csv.render(mixed, render).split("\n");
    expect(csv[0]).toBe("generation,metric,mean,sd,se,median,p025,p975,theory,real,synthetic,real_share");
    const gen2 = csv.filter((l) => l.startsWith("2,"));
    expect(gen2.length).toBeGreaterThan(3);
    for (const line of gen2) expect(line.endsWith(`,,100,100,0.5`)).toBe(true);
    const rows = formatters.ndjson
      .render(mixed, render)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(Object.keys(rows[0]).slice(-4)).toEqual(["theory", "real", "synthetic", "real_share"]);
    expect(rows.find((r) => r.generation === 1)).toMatchObject({ real: 100, synthetic: 50, real_share: 100 / 150 });
  });

  it("the table: a real column (the mean real share) when the regime mixes real and synthetic data, none under replace", () => {
    const table = formatters.table.render(mixed, render).split("\n");
    const header = table.find((l) => l.startsWith("gen"))!;
    expect(header).toMatch(/^gen {2}real {3}\S/);
    expect(table.find((l) => /^ {2}2 {2}/.test(l))).toMatch(/^ {2}2 {2}50\.0% /);
    expect(table.find((l) => /^ {2}0 {2}/.test(l))).toMatch(/^ {2}0 {2}100% /);
    expect(formatters.table.render(replaced, render)).not.toMatch(/^gen +real/m);
  });

  it("Markdown: the same real column after generation, none under replace", () => {
    const md = formatters.markdown.render(mixed, render);
    expect(md).toMatch(/^\| generation \| real \| `/m);
    expect(md).toMatch(/^\| 1 \| 66\.7% \| /m);
    expect(formatters.markdown.render(replaced, render)).not.toMatch(/\| real \|/);
  });

  it("shares print as percentages with one decimal, exact ends as they are", () => {
    expect([1, 0, 2 / 3, 0.5, 0.0004, 0.00012].map(formatShare)).toEqual(["100%", "0%", "66.7%", "50.0%", "0.04%", "0.012%"]);
    expect(formatShare(Number.NaN)).toBe("–");
  });

  it("collapse plot reads the columns back as part of each generation, not as a parameter", () => {
    const csv = formatters.csv.render(mixed, render);
    const input = loadPlotInput({ name: "run.csv", text: csv });
    expect(input.grid).toEqual([]);
    expect(input.series).toHaveLength(1);
  });
});
