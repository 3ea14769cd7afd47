/**
 * The Gaussian model against the closed forms of ARCHITECTURE §4 (replace regime, σ0 = 1 by construction
 * of the ratios). Every tolerance is Z ≈ 4.89 standard errors of the simulated quantity (test/helpers.ts):
 * replicate SD/√R for the replicate means, the sample's own fourth moment for variances, and the
 * asymptotic SE of a sample quantile for quantiles.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { modelOptions } from "../../src/core/run.js";
import { gaussian, quantileMetricName } from "../../src/models/gaussian.js";
import { mean, standardDeviation } from "../../src/stats/moments.js";
import { normalPdf, normalQuantile } from "../../src/stats/normal.js";
import { quantiles } from "../../src/stats/quantiles.js";
import { Rng } from "../../src/stats/rng.js";
import { digamma } from "../../src/stats/special.js";
import { fillNormal } from "../../src/stats/ziggurat.js";
import { expectWithin, flags, meanOf, replicateValues, seOfMean, seOfVariance, varianceOf } from "../helpers.js";
import { simulate } from "../run.js";

describe("gaussian, replace regime, against ARCHITECTURE §4", () => {
  const M = 20;
  const G = 8;
  const R = 20_000;
  for (const estimator of ["mle", "unbiased"] as const) {
    const c = estimator === "mle" ? M : M - 1;
    const shrink = estimator === "mle" ? (M - 1) / M : 1;
    // One tail multiple, not the default two: these tests read no tail mass (the draws are the same).
    const run = replicateValues({ sampleSize: M, generations: G, replicates: R, estimator, tailK: 2, seed: `theory-${estimator}` });

    it(`${estimator}: E[var_ratio_g] = ${estimator === "mle" ? "((M−1)/M)^g" : "1"}`, () => {
      for (const g of [1, 4, G]) {
        const x = run.values("var_ratio", g);
        expectWithin(meanOf(x), shrink ** g, seOfMean(x), `g = ${g}`);
      }
    });

    it(`${estimator}: E[log σg²] = g·(ψ((M−1)/2) + log(2/c))`, () => {
      for (const g of [1, 4, G]) {
        const x = run.values("log_var_ratio", g);
        expectWithin(meanOf(x), g * (digamma((M - 1) / 2) + Math.log(2 / c)), seOfMean(x), `g = ${g}`);
      }
    });

    it(`${estimator}: Var(μg − μ0) = ${estimator === "mle" ? "1 − ((M−1)/M)^g" : "g/M"}`, () => {
      for (const g of [1, 4, G]) {
        const x = run.values("mean_drift", g);
        const expected = estimator === "mle" ? 1 - ((M - 1) / M) ** g : g / M;
        expectWithin(varianceOf(x), expected, seOfVariance(x), `variance at g = ${g}`);
        // The drift is symmetric: its mean is 0.
        expectWithin(meanOf(x), 0, seOfMean(x), `mean at g = ${g}`);
      }
    });
  }

  it("the variance collapses: after 200 generations of M = 20, E[log var_ratio] = 200·(ψ(9.5) + log(2/20)) ≈ −10.7", () => {
    const expected = 200 * (digamma(19 / 2) + Math.log(2 / 20));
    // The closed form is a collapse: a typical variance ratio of e^−10.7 ≈ 2e-5 (below 1e-4 = e^−9.2).
    expect(expected).toBeLessThan(Math.log(1e-4));
    // …which the chains follow: SE = replicate SD/√R (SD ≈ √(200·ψ′(9.5)) ≈ 4.7, so SE ≈ 0.33).
    const x = replicateValues({ sampleSize: 20, generations: 200, replicates: 200, seed: "long" }).values("log_var_ratio", 200);
    expectWithin(meanOf(x), expected, seOfMean(x), "g = 200");
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
  // n0 = M = 10,000 draws, so that the sample quantiles' sampling error is small (see below).
  const n = 10_000;
  const R = 50;
  const { result } = simulate(resolveSimConfig(flags({ generations: 1, replicates: R, seedSize: n, quantiles: "0.5,0.975", seed: "defs" })));
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
      "mean_drift_sq",
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
    // Sample p-quantiles of N(0,1) data in σ units near z_p. The asymptotic SE of the sample
    // p-quantile of n draws is √(p(1−p)/n)/φ(z_p) in σ units (0.0125 and 0.0267 here). Generation 0
    // standardises the seed sample by its own fit, which only lowers that SE (delta method: n·Var
    // falls by 1 + z_p²/2), so the tolerance is conservative. Generation 1 standardises M fresh draws
    // from θ0 by θ0 itself — exactly a sample quantile of M standard normal draws — averaged over R
    // replicates: SE/√R. (The O(1/n) bias of the interpolated quantile, ≈1e-3 at p = 0.975, is far
    // below both.)
    for (const [p, name] of [
      [0.5, "quantile_0p5"],
      [0.975, "quantile_0p975"],
    ] as const) {
      const zp = normalQuantile(p);
      const se = Math.sqrt((p * (1 - p)) / n) / normalPdf(zp);
      expectWithin(g0[name]!.mean, zp, se, `${name} at generation 0`);
      expectWithin(g1[name]!.mean, zp, se / Math.sqrt(R), `${name} at generation 1, mean of ${R} replicates`);
    }
  });

  it("aggregates are ordered: p025 ≤ median ≤ p975 and se = sd/√R", () => {
    for (const s of Object.values(g1)) {
      expect(s.p025).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.p975);
      expect(s.se).toBeCloseTo(s.sd / Math.sqrt(R), 12);
    }
  });
});

describe("gaussian samples reuse a spare buffer", () => {
  it("draws into the spare of the right length, with the same numbers as a new array; ignores one of another length", async () => {
    const { gaussian } = await import("../../src/models/gaussian.js");
    const { Rng } = await import("../../src/stats/rng.js");
    const o = { estimator: "mle", quantiles: [], truncate: null, tailK: [2], sampleSize: 5, seed: "s", seedName: "x" } as never;
    const fresh = gaussian.sample({ mu: 1, sigma: 2 }, 5, new Rng("a"), o);
    const spare = new Float64Array(5).fill(Number.NaN);
    const reused = gaussian.sample({ mu: 1, sigma: 2 }, 5, new Rng("a"), o, spare);
    expect(reused).toBe(spare);
    expect(Array.from(reused)).toEqual(Array.from(fresh));
    const other = new Float64Array(4);
    expect(gaussian.sample({ mu: 1, sigma: 2 }, 5, new Rng("a"), o, other)).not.toBe(other);
    const truncated = { ...(o as object), truncate: 1 } as never;
    const cut = gaussian.sample({ mu: 1, sigma: 2 }, 5, new Rng("b"), truncated, spare);
    expect(Array.from(cut)).toEqual(Array.from(gaussian.sample({ mu: 1, sigma: 2 }, 5, new Rng("b"), truncated)));
  });
});

describe("gaussian --quantiles on large samples: the values the fit keeps", () => {
  // fit counts a large sample's values into buckets while it sums them, keeps those of the wanted
  // buckets while it takes the variance, and measure selects the quantiles among them: only for
  // the very sample that was fitted.
  const n = 150_000;
  const config = resolveSimConfig(flags({ sampleSize: n, quantiles: "0.001,0.5,0.999", tailK: 2 }));
  const o = modelOptions(gaussian, { ...config, sampleSize: n }) as Parameters<typeof gaussian.fit>[1];
  const rng = new Rng("fit-counts");
  const x = fillNormal(new Float64Array(n), rng, 1, 2);
  const y = fillNormal(new Float64Array(n), rng, -3, 5);
  const params0 = gaussian.fit(x, o);
  const ref = gaussian.reference(x, params0, o, undefined);
  const standardised = (data: Float64Array) => Array.from(quantiles(data, o.quantiles), (q) => (q - ref.mu) / ref.sigma);
  const reported = (m: Record<string, number>) => o.quantiles.map((p) => m[quantileMetricName(p)]);

  it("gives the fit the mean() and standard deviation of the sample, bit for bit", () => {
    const mu = mean(x);
    expect(params0).toEqual({ mu, sigma: standardDeviation(x, mu, 0) });
  });

  it("gives the quantiles of the sample measured: the fitted one, or another sample with the same parameters", () => {
    // Parameters fitted on x, measured on y first (the loop never does this, but nothing may
    // assume it): y's own quantiles, not those of the values the fit kept of x.
    const params = gaussian.fit(x, o);
    expect(reported(gaussian.measure(params, y, ref, o))).toEqual(standardised(y));
    expect(reported(gaussian.measure(params, x, ref, o))).toEqual(standardised(x));
    // Measured twice on x, the second time after the kept values were used.
    expect(reported(gaussian.measure(params, x, ref, o))).toEqual(standardised(x));
  });
});

describe("gaussian fitDraws: a large sample fitted as it is drawn (ARCHITECTURE §2)", () => {
  const options = (more: Record<string, unknown> = {}) =>
    ({ estimator: "mle", quantiles: [], truncate: null, tailK: [2], sampleSize: 5, seed: "s", seedName: "x", ...more }) as never;
  /** What the loop did before: the whole sample drawn, then fitted; and the stream's place after it. */
  const sampledThenFitted = (params: { mu: number; sigma: number }, n: number, seed: string, o: never) => {
    const rng = new Rng(seed);
    const fitted = gaussian.fit(gaussian.sample(params, n, rng, o), o);
    return { fitted, next: rng.nextUint32() };
  };

  // Three chunks and one more value (the pairs of the mean's two sums cross no chunk; an odd last one).
  const n = 3 * (1 << 14) + 1;
  for (const [label, o] of [
    ["mle", options()],
    ["unbiased", options({ estimator: "unbiased" })],
    ["truncated at 1.5σ", options({ truncate: 1.5 })],
    ["truncated at 0.3σ (inverse CDF)", options({ truncate: 0.3 })],
  ] as const) {
    it(`${label}: the same mean bit for bit, σ within rounding, and the same draws consumed`, () => {
      const params = { mu: 3, sigma: 0.5 };
      const before = sampledThenFitted(params, n, `drawn-${label}`, o);
      const rng = new Rng(`drawn-${label}`);
      const drawn = gaussian.fitDraws!(params, n, rng, o)!;
      expect(drawn.mu).toBe(before.fitted.mu);
      // Both sums of squares carry rounding of order √n·ε relative (n ≈ 5·10⁴: ~2.5e-14); 1e-12 is far above it
      // and far below any error a wrong centre or divisor would make (a divisor off by one: 2e-5).
      expect(Math.abs(drawn.sigma / before.fitted.sigma - 1)).toBeLessThan(1e-12);
      expect(rng.nextUint32()).toBe(before.next);
    });
  }

  it("gives mean()'s mean bit for bit whatever the rounding: many streams, odd and even sizes", () => {
    // A large mean against a small spread makes every addition round, so a sum taken in another
    // order or pairing (the last odd value added to the other running sum, say) shows in some of them.
    const params = { mu: 1000.1, sigma: 0.3 };
    for (const [size, streams] of [
      [101, 300],
      [102, 50],
      [(1 << 14) + 1, 20],
      [n, 5],
    ] as const) {
      for (let k = 0; k < streams; k++) {
        const x = gaussian.sample(params, size, new Rng(`drawn-mean-${size}-${k}`), options());
        expect(gaussian.fitDraws!(params, size, new Rng(`drawn-mean-${size}-${k}`), options())!.mu, `n = ${size}, stream ${k}`).toBe(mean(x));
      }
    }
  });

  it("falls back to the whole sample where squares underflow or the spread is zero: fit's own result, exactly", () => {
    for (const params of [
      { mu: 0, sigma: 1e-160 },
      { mu: 5, sigma: 0 },
    ]) {
      const before = sampledThenFitted(params, n, "drawn-edge", options());
      const rng = new Rng("drawn-edge");
      expect(gaussian.fitDraws!(params, n, rng, options())).toEqual(before.fitted);
      expect(rng.nextUint32()).toBe(before.next);
    }
  });

  it("declines when --quantiles needs the sample itself", () => {
    expect(gaussian.fitDraws!({ mu: 0, sigma: 1 }, n, new Rng("q"), options({ quantiles: [0.5] }))).toBeNull();
  });
});
