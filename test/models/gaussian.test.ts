/**
 * The Gaussian model against the closed forms of ARCHITECTURE §4 (replace regime, σ0 = 1 by construction
 * of the ratios). Every tolerance is 4 standard errors of the simulated quantity, estimated from the
 * replicates themselves: a correct implementation fails a single check with probability ≈ 6e-5.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { digamma } from "../../src/stats/special.js";
import { flags, meanOf, replicateValues, seOfMean, seOfVariance, varianceOf } from "../helpers.js";
import { simulate } from "../run.js";

const Z = 4;

describe("gaussian, replace regime, against ARCHITECTURE §4", () => {
  const M = 20;
  const G = 8;
  const R = 20_000;
  for (const estimator of ["mle", "unbiased"] as const) {
    const c = estimator === "mle" ? M : M - 1;
    const shrink = estimator === "mle" ? (M - 1) / M : 1;
    const run = replicateValues({ sampleSize: M, generations: G, replicates: R, estimator, seed: `theory-${estimator}` });

    it(`${estimator}: E[var_ratio_g] = ${estimator === "mle" ? "((M−1)/M)^g" : "1"}`, () => {
      for (const g of [1, 4, G]) {
        const x = run.values("var_ratio", g);
        expect(Math.abs(meanOf(x) - shrink ** g)).toBeLessThan(Z * seOfMean(x));
      }
    });

    it(`${estimator}: E[log σg²] = g·(ψ((M−1)/2) + log(2/c))`, () => {
      for (const g of [1, 4, G]) {
        const x = run.values("log_var_ratio", g);
        const expected = g * (digamma((M - 1) / 2) + Math.log(2 / c));
        expect(Math.abs(meanOf(x) - expected)).toBeLessThan(Z * seOfMean(x));
      }
    });

    it(`${estimator}: Var(μg − μ0) = ${estimator === "mle" ? "1 − ((M−1)/M)^g" : "g/M"}`, () => {
      for (const g of [1, 4, G]) {
        const x = run.values("mean_drift", g);
        const expected = estimator === "mle" ? 1 - ((M - 1) / M) ** g : g / M;
        expect(Math.abs(varianceOf(x) - expected)).toBeLessThan(Z * seOfVariance(x));
        // The drift is symmetric: its mean is 0 within 4 SE.
        expect(Math.abs(meanOf(x))).toBeLessThan(Z * seOfMean(x));
      }
    });
  }

  it("the variance collapses: the median var_ratio after 200 generations of M = 20 is far below 1", () => {
    // E[log var_ratio] = 200·(ψ(9.5) + log(2/20)) ≈ −10.7; the median sits near exp(−10.7).
    const x = replicateValues({ sampleSize: 20, generations: 200, replicates: 200, seed: "long" }).values("var_ratio", 200);
    const sorted = Array.from(x).sort((a, b) => a - b);
    expect(sorted[100]!).toBeLessThan(1e-3);
  });

  it("--theory fills the expectations the simulation is compared with", () => {
    const { result } = simulate({ ...resolveSimConfig(flags({ sampleSize: 50, generations: 3, replicates: 2, theory: true })) });
    const t = result.generations.map((g) => g.theory?.var_ratio);
    expect(t).toEqual([1, 0.98, 0.98 ** 2, 0.98 ** 3].map((v) => expect.closeTo(v, 12)));
    const log3 = result.generations[3]!.theory!.log_var_ratio!;
    expect(log3).toBeCloseTo(3 * (digamma(49 / 2) + Math.log(2 / 50)), 12);
  });

  it("no theory is claimed where no closed form holds (a filter makes M random)", () => {
    const { result } = simulate(resolveSimConfig(flags({ generations: 2, replicates: 2, theory: true, filterRecall: 0.5 })));
    expect(result.generations.every((g) => g.theory === undefined)).toBe(true);
  });
});

describe("gaussian metrics of generation 0 and their definitions", () => {
  const { result } = simulate(resolveSimConfig(flags({ generations: 1, replicates: 50, quantiles: "0.5,0.975", seed: "defs" })));
  const g0 = result.generations[0]!.metrics;
  const g1 = result.generations[1]!.metrics;

  it("generation 0 is the reference: ratios 1, drifts and distances 0", () => {
    for (const [name, value] of Object.entries({ var_ratio: 1, log_var_ratio: 0, mean_drift: 0, w2: 0, kl: 0, tail_loss_2: 0, tail_loss_3: 0 })) {
      expect(g0[name]!.mean).toBeCloseTo(value, 12);
      expect(g0[name]!.sd).toBe(0);
    }
    // Both tail masses equal P(|Z| > k) = 2Φ(−k) at generation 0.
    expect(g0.tail_mass_2!.mean).toBeCloseTo(0.0455002638963584, 12);
    expect(g0.tail_mass_centered_3!.mean).toBeCloseTo(0.00269979606326019, 12);
  });

  it("reports every metric of the contract, and requested sample quantiles", () => {
    expect(Object.keys(g1)).toEqual([
      "mean",
      "std",
      "var_ratio",
      "log_var_ratio",
      "mean_drift",
      "w2",
      "kl",
      "tail_mass_2",
      "tail_mass_centered_2",
      "tail_loss_2",
      "tail_mass_3",
      "tail_mass_centered_3",
      "tail_loss_3",
      "quantile_0p5",
      "quantile_0p975",
    ]);
    // Standardised sample quantiles of N(0,1) data: the median near 0, the 97.5% point near 1.96.
    expect(Math.abs(g0.quantile_0p5!.mean)).toBeLessThan(0.4);
    expect(Math.abs(g0.quantile_0p975!.mean - 1.96)).toBeLessThan(0.6);
  });

  it("aggregates are ordered: p025 ≤ median ≤ p975 and se = sd/√R", () => {
    for (const s of Object.values(g1)) {
      expect(s.p025).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.p975);
      expect(s.se).toBeCloseTo(s.sd / Math.sqrt(50), 12);
    }
  });
});
