/**
 * --regime accumulate-subsample (ARCHITECTURE §1, §4): every real and synthetic row stays in a pool,
 * and each generation trains on M rows drawn uniformly without replacement from it. Statistical
 * checks use the suite's z convention (test/helpers.ts: Z ≈ 4.89 standard errors), the SE of a
 * replicate mean being SD/√R (seOfMean); where two estimates are compared, √(se₁² + se₂²).
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { runReplicates } from "../../src/core/loop.js";
import { accumulateVarianceRatio, subsampleVarianceRatio } from "../../src/models/continuous.js";
import { hypergeometric } from "../../src/stats/hypergeometric.js";
import { Rng } from "../../src/stats/rng.js";
import { expectMeanWithin, expectWithin, flags, meanOf, replicateValues, seOfMean } from "../helpers.js";
import { prepare, simulate } from "../run.js";
import { varRatioChainTests } from "./var-ratio-chains.js";

describe("accumulate-subsample: E[var_ratio_g] = (e_g/e_0)·Π a_j (derived in continuous.ts)", () => {
  it("with the whole pool as the training set the factor is accumulate's (the algebra's check)", () => {
    // e_j = 1, d_j = 0 (fit to the whole pool, mle): a_j = (N_{j−1} + (M − 1) + N_{j−1}/N_j)/N_j.
    for (const [n0, M] of [
      [20, 10],
      [100, 100],
    ] as const) {
      let prod = 1;
      for (let g = 1; g <= 30; g++) {
        const prev = n0 + (g - 1) * M;
        const N = prev + M;
        prod *= (prev + (M - 1) + prev / N) / N;
        expect(prod / accumulateVarianceRatio(n0, M, g, "mle", 1)).toBeCloseTo(1, 12);
      }
    }
  });

  it("is 1 at generation 0, below 1 for mle, and between replace's and accumulate's", () => {
    expect(subsampleVarianceRatio(20, 10, 0, "mle", 1)).toBe(1);
    for (let g = 1; g <= 20; g++) {
      const sub = subsampleVarianceRatio(20, 20, g, "mle", 1);
      expect(sub).toBeLessThan(accumulateVarianceRatio(20, 20, g, "mle", 1));
      expect(sub).toBeGreaterThan((19 / 20) ** g);
    }
  });

  varRatioChainTests("accumulate-subsample", subsampleVarianceRatio, "sub", 4000);

  it("--theory reports it; with a filter there is none", () => {
    const { result } = simulate(
      resolveSimConfig(flags({ regime: "accumulate-subsample", seedSize: 20, sampleSize: 10, generations: 3, replicates: 2, theory: true })),
    );
    expect(result.generations.map((g) => g.theory?.var_ratio)).toEqual(
      [0, 1, 2, 3].map((g) => expect.closeTo(subsampleVarianceRatio(20, 10, g, "mle", 1), 12)),
    );
    const filtered = simulate(resolveSimConfig(flags({ regime: "accumulate-subsample", filterRecall: 0.5, generations: 2, replicates: 2, theory: true })));
    expect(filtered.result.generations.every((g) => g.theory === undefined)).toBe(true);
  });
});

describe("accumulate-subsample for a discrete model: the same product, for categorical's gini_simpson", () => {
  // Categorical counts are one-hot rows: 1 − Σp² is the trace of their divisor-N covariance, the
  // fit is the training set's frequencies (mle, no smoothing) and M draws from it have that mean
  // and covariance. The derivation of subsampleVarianceRatio uses nothing else (its union and
  // subsample steps hold for vectors), so E[gini_simpson_g] = gini_simpson_0 · the mle product
  // with v = 1. This checks the count path of the regime (multivariate hypergeometric subsets of
  // a pool of counts), which the Gaussian chains do not reach. At 2000 replicates, subsets drawn
  // with replacement instead fail at g = 1 (6 SE); accumulate's product (the whole pool) is about
  // 30 SE away, and a factor off by (n0 − 1)/n0 about 20.
  it("the replicate mean of gini_simpson is gini_simpson_0 · subsampleVarianceRatio(n0, M, g, mle, 1)", () => {
    const G = 10;
    const run = replicateValues({
      model: "categorical",
      source: "zipf(1.1,10)",
      regime: "accumulate-subsample",
      seedSize: 20,
      sampleSize: 10,
      generations: G,
      replicates: 2000,
      seed: "sub-categorical",
    });
    const gini0 = run.values("gini_simpson", 0)[0]!;
    expect(gini0).toBeGreaterThan(0.5);
    for (let g = 1; g <= G; g++) expectMeanWithin(run.values("gini_simpson", g), gini0 * subsampleVarianceRatio(20, 10, g, "mle", 1), `g=${g}`);
  });
});

/**
 * An independent simulation of the regime with the filter, where no closed form is claimed: plain
 * arrays, Box–Muller normals, a whole-pool Fisher–Yates subset — nothing shared with src/ but the
 * uniform generator. Gaussian, mle.
 */
function independentChains(n0: number, M: number, recall: number, G: number, R: number, seed: string): Float64Array[] {
  const rng = new Rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
  const fit = (x: number[]) => {
    const mu = x.reduce((s, v) => s + v, 0) / x.length;
    return { mu, s2: x.reduce((s, v) => s + (v - mu) ** 2, 0) / x.length };
  };
  const d0 = Array.from({ length: n0 }, normal);
  const theta0 = fit(d0);
  const out = Array.from({ length: G + 1 }, () => new Float64Array(R));
  for (let r = 0; r < R; r++) {
    const pool = [...d0];
    let theta = theta0;
    out[0]![r] = 1;
    for (let g = 1; g <= G; g++) {
      for (let i = 0; i < M; i++) {
        const x = theta.mu + Math.sqrt(theta.s2) * normal();
        if (rng.random() >= recall) pool.push(x);
      }
      const take = Math.min(M, pool.length);
      const copy = [...pool];
      for (let i = 0; i < take; i++) {
        const j = i + Math.floor(rng.random() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      theta = fit(copy.slice(0, take));
      out[g]![r] = theta.s2 / theta0.s2;
    }
  }
  return out;
}

describe("accumulate-subsample with the filter, against an independent simulation", () => {
  it("var_ratio's replicate mean agrees at every generation (the two runs' seed data differ: compared from the ratio to θ0)", () => {
    // Both runs condition on their own seed draw; var_ratio is scale-free, and with n0 = 200 the
    // seed's shape matters little, but to compare like with like the SE combines both runs.
    const G = 6;
    const ours = replicateValues({
      regime: "accumulate-subsample",
      filterRecall: 0.6,
      seedSize: 200,
      sampleSize: 40,
      generations: G,
      replicates: 3000,
      // One tail multiple, not the default two: the test reads var_ratio only (the draws are the same).
      tailK: 2,
      seed: "sub-filter",
    });
    const theirs = independentChains(200, 40, 0.6, G, 3000, "independent");
    for (let g = 1; g <= G; g++) {
      const a = ours.values("var_ratio", g);
      const b = theirs[g]!;
      expectWithin(meanOf(a), meanOf(b), Math.hypot(seOfMean(a), seOfMean(b)), `g=${g}`);
    }
  });
});

describe("the training sets", () => {
  it("hold min(M, pool) rows, of which the real ones are hypergeometric: E = M·n0/N_g", () => {
    const { prepared } = prepare(
      resolveSimConfig(flags({ regime: "accumulate-subsample", seedSize: 30, sampleSize: 20, generations: 5, replicates: 2000, tailK: 2, seed: "mix" })),
    );
    const block = runReplicates(prepared, 0, 2000);
    for (let g = 1; g <= 5; g++) {
      const real = block.real.slice(g * 2000, (g + 1) * 2000);
      const synthetic = block.synthetic.slice(g * 2000, (g + 1) * 2000);
      expect(real.findIndex((r, i) => r + synthetic[i]! !== 20)).toBe(-1);
      expectMeanWithin(real, (20 * 30) / (30 + g * 20), `real rows at g=${g}`);
    }
  });

  it("hypergeometric() has the hypergeometric mean and variance", () => {
    const rng = new Rng("hyper");
    for (const [N, K, n] of [
      [50, 10, 20],
      [50, 40, 45],
      [7, 7, 3],
    ] as const) {
      const x = Float64Array.from({ length: 20000 }, () => hypergeometric(rng, N, K, n));
      const mean = (n * K) / N;
      const variance = (n * (K / N) * (1 - K / N) * (N - n)) / (N - 1);
      expectWithin(meanOf(x), mean, Math.sqrt(variance / x.length) || 1e-12, `mean ${N},${K},${n}`);
      expect(Math.min(...x)).toBeGreaterThanOrEqual(Math.max(0, n - (N - K)));
      expect(Math.max(...x)).toBeLessThanOrEqual(Math.min(n, K));
    }
  });

  for (const model of ["gaussian", "kde", "mvn", "gmm", "linreg", "categorical", "ngram"] as const) {
    it(`works for ${model}, with and without the filter, the same for any split of replicates`, () => {
      for (const filterRecall of [0, 0.5]) {
        const opts: Record<string, unknown> = { model, regime: "accumulate-subsample", filterRecall, generations: 3, replicates: 4, seed: `every-${model}` };
        if (model === "ngram") opts.sampleSize = 2000;
        if (model === "gmm") opts.replicates = 2;
        const { prepared } = prepare(resolveSimConfig(flags(opts)));
        const R = prepared.config.replicates;
        const whole = runReplicates(prepared, 0, R);
        const parts = [runReplicates(prepared, 0, 1), runReplicates(prepared, 1, R)];
        expect(Array.from(parts[1]!.values[0]!.slice((R - 1) * 3, (R - 1) * 4))).toEqual(Array.from(whole.values[0]!.slice(3 * R + 1, 4 * R)));
        const M = prepared.config.sampleSize;
        for (let g = 1; g <= 3; g++) {
          for (let r = 0; r < R; r++) {
            const real = whole.real[g * R + r]!;
            const synthetic = whole.synthetic[g * R + r]!;
            expect(real).toBeGreaterThanOrEqual(0);
            expect(real + synthetic).toBeLessThanOrEqual(M);
            // Without the filter the pool always holds more than M rows.
            if (filterRecall === 0) expect(real + synthetic).toBe(M);
          }
        }
      }
    });
  }
});
