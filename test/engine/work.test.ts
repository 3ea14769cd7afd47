/**
 * The work estimate (src/engine/work.ts): what it grows with, and which runs it keeps in the
 * calling thread. How close the estimates come to real times is a benchmark (`npm run bench --
 * work`), not a test: timings are not assertions here.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { loadSeedSync } from "../../src/data/seed-file.js";
import { estimateWork, fitsInThread, IN_THREAD_LIMIT_NS, seedSize } from "../../src/engine/work.js";
import { getModel } from "../../src/models/index.js";
import type { SeedInput } from "../../src/models/model.js";
import { flags } from "../helpers.js";

const config = (o: Record<string, unknown>) => resolveSimConfig(flags(o));
const total = (o: Record<string, unknown>, input: SeedInput | null = null) => estimateWork(config(o), input).total;

describe("estimateWork", () => {
  it("grows with replicates, generations and the sample size, and accumulate's growing pool costs more than replace", () => {
    const base = { generations: 10, replicates: 10, sampleSize: 1000 };
    const at = total(base);
    expect(total({ ...base, replicates: 20 })).toBeGreaterThan(at);
    expect(total({ ...base, generations: 20 })).toBeGreaterThan(at);
    expect(total({ ...base, sampleSize: 2000 })).toBeGreaterThan(at);
    expect(total({ ...base, regime: "accumulate" })).toBeGreaterThan(at);
    // accumulate-subsample fits M rows, from a pool that grows: 38 × 37 generations of M = 10⁴
    // took 1.07 s, estimated at 0.37 s as replace.
    expect(total({ ...base, regime: "accumulate-subsample" })).toBeGreaterThan(at);
    expect(fitsInThread(total({ sampleSize: 10_000, generations: 38, replicates: 37, regime: "accumulate-subsample" }))).toBe(false);
    // Twice the replicates is nearly twice the work (only generation 0's fit is shared).
    expect(total({ ...base, replicates: 20 }) / at).toBeCloseTo(2, 1);
  });

  it("counts a fit per replicate under --reference source", () => {
    const base = { generations: 1, replicates: 50, sampleSize: 10, seedSize: 100_000 };
    const fit = estimateWork(config(base), null).fit;
    expect(total({ ...base, reference: "source" }) - total(base)).toBeCloseTo(49 * fit, -3);
  });

  it("is priced by each model: a mixture or a wide Gaussian costs more per row than a Gaussian", () => {
    const run = { generations: 5, replicates: 5, sampleSize: 500, seedSize: 500 };
    const gaussian = total(run);
    expect(total({ ...run, model: "mvn", dims: 10 })).toBeGreaterThan(total({ ...run, model: "mvn", dims: 2 }));
    expect(total({ ...run, model: "gmm" })).toBeGreaterThan(10 * gaussian);
    expect(total({ ...run, model: "gmm", components: 4 })).toBeGreaterThan(total({ ...run, model: "gmm", components: 2 }));
  });

  it("takes the seed's size from the data when there is some: rows, columns, categories, characters", () => {
    const c = config({});
    expect(seedSize(c, null)).toEqual({ rows: c.seedSize, dims: 1 });
    expect(seedSize(c, { kind: "numbers", values: new Float64Array(7), name: "x" })).toEqual({ rows: 7, dims: 1 });
    expect(seedSize(c, { kind: "table", columns: [new Float64Array(4), new Float64Array(4), new Float64Array(4)], names: ["a", "b", "c"] })).toEqual({
      rows: 4,
      dims: 3,
    });
    expect(seedSize(c, { kind: "labels", labels: ["a", "b"], counts: new Float64Array([3, 9]) })).toEqual({ rows: 2, dims: 1, observations: 12 });
    expect(seedSize(c, { kind: "text", text: "the cat sat", name: "t" })).toEqual({ rows: 11, dims: 1 });
    // Without --sample-size, M is the seed's size: a longer text is a longer run.
    const text = (n: number): SeedInput => ({ kind: "text", text: "a ".repeat(n), name: "t" });
    expect(total({ model: "ngram", generations: 3 }, text(2000))).toBeGreaterThan(total({ model: "ngram", generations: 3 }, text(1000)));
  });
});

describe("estimateWork of a text (ngram)", () => {
  // Prose of 10,000 characters: about 1,700 word tokens (the estimate counts 2,000) or 10,000 characters.
  const prose: SeedInput = { kind: "text", text: "stone towers rose over the old town. ".repeat(300).slice(0, 10_000), name: "t" };
  const ngram = (o: Record<string, unknown>) => total({ model: "ngram", generations: 9, replicates: 5, ...o }, prose);

  it("counts a word token a fifth of the characters: the default sample size is that many tokens", () => {
    expect(ngram({ sampleSize: 2000 })).toBe(ngram({}));
    expect(ngram({ sampleSize: 4000 })).toBeGreaterThan(ngram({}));
    // Characters are tokens one for one: five times the tokens, each cheaper.
    expect(ngram({ tokens: "char" })).toBeGreaterThan(ngram({}));
    expect(ngram({ tokens: "char", sampleSize: 2000 })).toBeLessThan(ngram({}));
  });

  it("grows with the order", () => {
    for (const tokens of ["word", "char"]) {
      expect(ngram({ tokens, order: 3 })).toBeGreaterThan(ngram({ tokens, order: 2 }));
      expect(ngram({ tokens, order: 6 })).toBeGreaterThan(ngram({ tokens, order: 3 }));
    }
  });

  it("keeps the README's word bigram on the bundled corpus (-g 9) here, and its 6-gram on workers", () => {
    const onCorpus = (o: Record<string, unknown>) => {
      const c = config({ model: "ngram", generations: 9, ...o });
      return estimateWork(c, loadSeedSync(getModel("ngram"), c).input).total;
    };
    expect(fitsInThread(onCorpus({}))).toBe(true);
    expect(fitsInThread(onCorpus({ order: 6 }))).toBe(false);
  });
});

describe("estimateWork of a table not drawn yet", () => {
  it("counts its source's columns (linreg's linear(5,1): six), or --dims", () => {
    expect(seedSize(config({ model: "linreg", seedSize: 100 }), null)).toEqual({ rows: 100, dims: 6 });
    expect(seedSize(config({ model: "linreg", source: "linear(2,1)" }), null).dims).toBe(3);
    expect(seedSize(config({ model: "mvn", dims: 4 }), null).dims).toBe(4);
    // A sweep's points are estimated before their seeds are drawn: one of 10,000 rows, 59 × 29
    // generations, took 0.8 s on the main thread, estimated as one column at 0.19 s.
    expect(fitsInThread(total({ model: "linreg", sampleSize: 10_000, generations: 59, replicates: 29 }))).toBe(false);
  });
});

describe("estimateWork of a count vector drawn from zipf(s,K) (categorical)", () => {
  it("counts the source's K categories, drawn or not, and the draws as the sample size's default", () => {
    const c = config({ model: "categorical", source: "zipf(1.5,10000000)", seedSize: 100 });
    expect(seedSize(c, null)).toEqual({ rows: 10_000_000, dims: 1, observations: 100 });
    // Ten million categories cost every generation: 100 draws or not, this is no run for the main thread.
    expect(fitsInThread(total({ model: "categorical", source: "zipf(1.5,10000000)", seedSize: 100, sampleSize: 100, generations: 1, replicates: 1 }))).toBe(
      false,
    );
    // A million categories are a second of work once a run (labels, rare set, seed fit, extinctions).
    expect(
      fitsInThread(total({ model: "categorical", source: "zipf(0.2,1000000)", seedSize: 2_000_000, sampleSize: 1000, generations: 1, replicates: 1 })),
    ).toBe(false);
    // fresh draws real data over all K categories again each generation: 36 generations over 10⁵
    // categories took 1.1 s, estimated at 0.35 s as replace.
    const K5 = { model: "categorical", source: "zipf(0.5,100000)", seedSize: 100_000, sampleSize: 1_000_000, generations: 6, replicates: 6 };
    expect(fitsInThread(total({ ...K5, regime: "fresh" }))).toBe(false);
    expect(total({ ...K5, regime: "mix", realFraction: 0.5 })).toBeGreaterThan(total(K5));
    // The default sample size is the seed's draws: as -m 100000 on 100,000 draws.
    const drawn = { model: "categorical", source: "zipf(1.1,1000)", seedSize: 100_000, generations: 5, replicates: 5 };
    expect(total(drawn)).toBe(total({ ...drawn, sampleSize: 100_000 }));
    // A file's counts give the same: their sum is the draws.
    const counts: SeedInput = { kind: "labels", labels: ["a", "b"], counts: new Float64Array([40_000, 60_000]) };
    expect(total({ model: "categorical", generations: 5, replicates: 5 }, counts)).toBe(
      total({ model: "categorical", generations: 5, replicates: 5, sampleSize: 100_000 }, counts),
    );
  });
});

describe("fitsInThread", () => {
  it("keeps the default runs of the cheap models here and sends long ones to workers", () => {
    expect(fitsInThread(total({ generations: 9 }))).toBe(true);
    expect(fitsInThread(total({ model: "categorical", generations: 9 }))).toBe(true);
    expect(fitsInThread(total({ generations: 100, sampleSize: 1_000_000 }))).toBe(false);
    // A mixture of up to 50 components fits 50 models a generation: 2.2 s for one generation.
    expect(fitsInThread(total({ model: "gmm", components: 50, generations: 1, replicates: 1 }))).toBe(false);
    // A 20-dimensional mixture's generation 0 alone takes seconds.
    expect(fitsInThread(estimateWork(config({ model: "gmm", dims: 20, components: 3 }), null).fit)).toBe(false);
    // A large seed is fitted and summarised (a sort) however short the run.
    expect(fitsInThread(total({ generations: 1, replicates: 1, sampleSize: 10, seedSize: 5_000_000 }))).toBe(false);
  });

  it("is a strict limit", () => {
    expect(fitsInThread(IN_THREAD_LIMIT_NS - 1)).toBe(true);
    expect(fitsInThread(IN_THREAD_LIMIT_NS)).toBe(false);
  });
});
