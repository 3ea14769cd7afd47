/**
 * Training sets fitted as they are drawn (ARCHITECTURE §2, Model.fitDraws): when the loop asks for
 * them, that their results are the sampled path's up to rounding, that they are the same bytes
 * with any --jobs, and that the memory estimate counts no sample for them.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { DRAWN_FIT_MIN } from "../../src/core/drawn-fit.js";
import { estimateMemory, formatBytes } from "../../src/core/memory.js";
import { modelOptions } from "../../src/core/run.js";
import { gaussian } from "../../src/models/gaussian.js";
import { collapse } from "../cli/cli.js";
import { flags } from "../helpers.js";
import { peakMemory } from "../peak-memory.js";
import { simulate } from "../run.js";

afterEach(() => vi.restoreAllMocks());

/** A one-replicate, two-generation run of `options`, with how often the loop asked for a drawn fit. */
function run(options: Record<string, unknown>) {
  const spy = vi.spyOn(gaussian, "fitDraws");
  spy.mockClear();
  const { result } = simulate(resolveSimConfig(flags({ replicates: 1, generations: 2, seed: "drawn", ...options })));
  return { result, asked: spy.mock.calls.length };
}

describe("the loop fits draws as they are drawn", () => {
  it("for a training set that is one unfiltered sample of at least DRAWN_FIT_MIN values, and only then", () => {
    expect(run({ sampleSize: DRAWN_FIT_MIN }).asked).toBe(2);
    expect(run({ sampleSize: DRAWN_FIT_MIN - 1 }).asked).toBe(0);
    expect(run({ sampleSize: DRAWN_FIT_MIN, filterRecall: 0.1 }).asked).toBe(0);
    // A filter in generation 1 only: generation 2 is drawn and fitted at once.
    expect(run({ sampleSize: DRAWN_FIT_MIN, filterRecall: "0.1,0" }).asked).toBe(1);
    for (const regime of ["accumulate", "accumulate-subsample", "mix", "fresh"]) {
      // Seed data enough for mix's real part (a tenth of M).
      expect(run({ sampleSize: DRAWN_FIT_MIN, seedSize: 200_000, regime }).asked, regime).toBe(0);
    }
  });

  it("reports what the sampled path reports: generation 1's mean bit for bit, the rest within rounding; --quantiles samples", () => {
    const drawn = run({ sampleSize: DRAWN_FIT_MIN, tailK: 2 }).result;
    vi.restoreAllMocks();
    vi.spyOn(gaussian, "fitDraws").mockReturnValue(null);
    const { result: sampled } = simulate(resolveSimConfig(flags({ replicates: 1, generations: 2, seed: "drawn", sampleSize: DRAWN_FIT_MIN, tailK: 2 })));
    // Generation 1 is drawn from the same θ0: the same values, so the same mean. Its σ may differ in
    // the last bits (√M·ε ≈ 1e-13 of rounding in either sum of squares), and generation 2 is drawn
    // from that σ: values, mean and σ within rounding. A wrong spread would be off by far more.
    expect(drawn.generations[1]!.metrics.mean!.median).toBe(sampled.generations[1]!.metrics.mean!.median);
    for (const g of [1, 2]) {
      const [a, b] = [drawn.generations[g]!.metrics, sampled.generations[g]!.metrics];
      expect(Math.abs(a.mean!.median - b.mean!.median), `generation ${g}`).toBeLessThan(1e-12);
      expect(Math.abs(a.std!.median / b.std!.median - 1), `generation ${g}`).toBeLessThan(1e-12);
    }
    // With --quantiles the model declines, and the loop samples (the quantiles are the sample's).
    const withQuantiles = run({ sampleSize: DRAWN_FIT_MIN, quantiles: "0.5" });
    expect(withQuantiles.asked).toBe(2);
    expect(withQuantiles.result.generations[2]!.metrics.quantile_0p5).toBeDefined();
  });

  it("gives the same bytes with --jobs 1, 2 and 3 (gaussian), 1 and 2 (mvn)", () => {
    const outputs = (model: string[], jobs: number[]) =>
      jobs.map((j) => {
        const r = collapse(["sim", ...model, "-m", String(DRAWN_FIT_MIN), "-g", "2", "-r", "4", "--format", "json", "--quiet", "--jobs", String(j)]);
        expect(r.status, r.stderr).toBe(0);
        return r.stdout;
      });
    const gaussian = outputs([], [1, 2, 3]);
    expect(gaussian[1]).toBe(gaussian[0]);
    expect(gaussian[2]).toBe(gaussian[0]);
    const mvn = outputs(["--model", "mvn", "--dims", "2"], [1, 2]);
    expect(mvn[1]).toBe(mvn[0]);
  });
});

describe("the memory estimate of a run whose draws are fitted as drawn", () => {
  it("counts no sample, and is within a factor 2 of the measured peak at M = 2^24 (a sample would be 134 MB)", () => {
    const M = 1 << 24;
    const config = { ...resolveSimConfig(flags({ sampleSize: M, replicates: 1, generations: 1 })), sampleSize: M };
    const o = modelOptions(gaussian, config) as Parameters<typeof gaussian.fit>[1];
    const total = estimateMemory(config, gaussian.footprint(o, 1), { rows: 100, dims: 1, categories: 0, metrics: 14 }).total;
    // The same run as the estimate, one thread besides the main one (a coordinator). Holding the
    // sample would put the peak 134 MB above the estimate.
    const r = peakMemory(["sim", "-m", String(M), "-g", "1", "-r", "1", "--format", "json", "--jobs", "1"]);
    expect(r.status, r.stderr).toBe(0);
    const peak = r.peak;
    const said = `estimate ${formatBytes(total)}, peak ${formatBytes(peak)}`;
    expect(total / peak, said).toBeGreaterThan(0.5);
    expect(total / peak, said).toBeLessThan(2);
    // The sampled path's estimate, for comparison: two samples of 134 MB.
    const sampled = estimateMemory(config, { ...gaussian.footprint(o, 1), fitsDraws: false }, { rows: 100, dims: 1, categories: 0, metrics: 14 }).total;
    expect(sampled - total).toBeGreaterThan(2 * 8 * M * 0.9);
  });
});
