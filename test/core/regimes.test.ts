/**
 * The regimes (ARCHITECTURE §1) against closed forms, through the core API (resolveSimConfig → prepare →
 * runReplicates). Every statistical tolerance is Z ≈ 4.89 standard errors (two-sided false alarm
 * 1e-6 per check, test/helpers.ts), the SE estimated from the replicates themselves:
 * for a mean over R independent chains, SE = sd/√R. Chains of one run share generation 0 but are
 * otherwise independent, so this is the SE of the replicate mean conditional on D0 — which is
 * what the theory conditions on too (every ratio is taken against θ0).
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { runReplicates } from "../../src/core/loop.js";
import type { SeedResult } from "../../src/core/seed.js";
import { accumulateVarianceRatio, truncationFactor, truncationFactorDims } from "../../src/models/continuous.js";
import { formatters } from "../../src/output/format.js";
import { digamma, logChoose } from "../../src/stats/special.js";
import { expectAbove, expectMeanWithin, expectWithin, flags, meanOf, replicateValues, seOfMean } from "../helpers.js";
import { prepare, simulate } from "../run.js";
import { varRatioChainTests } from "./var-ratio-chains.js";

describe("accumulate: E[var_ratio_g] = Π_j f_j (ARCHITECTURE §4, derived in continuous.ts)", () => {
  it("the closed form (gamma-function ratio) equals the direct product Π(1 − M/N_j²) for mle", () => {
    for (const [n0, M] of [
      [20, 10],
      [100, 100],
      [2, 3],
      [500, 7],
    ] as const) {
      let prod = 1;
      for (let g = 1; g <= 200; g++) {
        const N = n0 + g * M;
        prod *= 1 - M / (N * N);
        expect(accumulateVarianceRatio(n0, M, g, "mle", 1) / prod).toBeCloseTo(1, 11);
      }
    }
  });

  it("and the general factor f_j = (c(N_{j−1}) + v(M − 1 + N_{j−1}/N_j))/c(N_j) for unbiased and truncation", () => {
    for (const estimator of ["mle", "unbiased"] as const) {
      for (const v of [1, 0.77, 0.29]) {
        const c = (N: number) => (estimator === "mle" ? N : N - 1);
        let prod = 1;
        for (let g = 1; g <= 60; g++) {
          const prev = 30 + (g - 1) * 12;
          const N = prev + 12;
          prod *= (c(prev) + v * (12 - 1 + prev / N)) / c(N);
          expect(accumulateVarianceRatio(30, 12, g, estimator, v) / prod).toBeCloseTo(1, 11);
        }
      }
    }
  });

  varRatioChainTests("accumulate", accumulateVarianceRatio, "acc", 2000);

  it("--theory reports it, and the pool is append-only (views of one growing buffer, not copies)", () => {
    const { result } = simulate(resolveSimConfig(flags({ regime: "accumulate", seedSize: 20, sampleSize: 10, generations: 3, replicates: 2, theory: true })));
    expect(result.generations.map((g) => g.theory?.var_ratio)).toEqual(
      [0, 1, 2, 3].map((g) => expect.closeTo(accumulateVarianceRatio(20, 10, g, "mle", 1), 12)),
    );
    const { prepared } = prepare(resolveSimConfig(flags({ regime: "accumulate", seedSize: 20, sampleSize: 10, generations: 1, replicates: 1 })));
    const pool = prepared.model.ops.pool(prepared.data0 as Float64Array);
    const buffers = new Set<ArrayBufferLike>();
    for (let g = 0; g < 40; g++) {
      pool.add(new Float64Array(10).fill(g));
      const view = pool.view() as Float64Array;
      expect(view.length).toBe(20 + 10 * (g + 1));
      expect(view[view.length - 1]).toBe(g);
      buffers.add(view.buffer);
    }
    // Doubling capacity from 40: 40 → 80 → 160 → 320 → 640 holds 420 values in 5 buffers, not 40.
    expect(buffers.size).toBeLessThanOrEqual(5);
  });
});

describe("--truncate k multiplies the expected variance by v_k each generation (replace)", () => {
  const M = 50;
  const G = 3;
  for (const k of [1, 2, 3]) {
    it(`k = ${k}: E[var_ratio_g] = ((M−1)/M · v_k)^g, v_k = ${truncationFactor(k).toFixed(4)}`, () => {
      const run = replicateValues({ sampleSize: M, generations: G, replicates: 4000, truncate: k, tailK: 2, seed: `trunc-${k}` });
      const v = truncationFactor(k);
      for (let g = 1; g <= G; g++) expectMeanWithin(run.values("var_ratio", g), (((M - 1) / M) * v) ** g, `g=${g}`);
    });
  }

  it("v_k is the variance of the truncated normal: 1 − 2kφ(k)/(2Φ(k) − 1), by quadrature", () => {
    for (const k of [0.3, 1, 2, 3]) {
      // ∫_{−k}^{k} z²φ(z)dz / ∫_{−k}^{k} φ(z)dz by Simpson's rule on 2000 panels.
      let num = 0;
      let den = 0;
      const n = 2000;
      for (let i = 0; i <= n; i++) {
        const z = -k + (2 * k * i) / n;
        const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
        const phi = Math.exp((-z * z) / 2);
        num += w * z * z * phi;
        den += w * phi;
      }
      expect(truncationFactor(k)).toBeCloseTo(num / den, 9);
    }
  });

  it("mvn truncates at the Mahalanobis radius with the same mass, with factor v_k(d) = F_{d+2}(ρ²)/F_d(ρ²)", () => {
    const d = 3;
    const k = 1;
    // One tail multiple (see the accumulate test above): this test reads var_ratio only.
    // 1500 replicates: the trace ratio off by (M − 1)/M, a generation too many or too few, is 8.6 SE
    // or more away at generation 1.
    const run = replicateValues({ model: "mvn", dims: d, sampleSize: M, generations: 2, replicates: 1500, truncate: k, tailK: 2, seed: "trunc-mvn" });
    const v = truncationFactorDims(k, d);
    expect(v).toBeLessThan(1);
    expect(truncationFactorDims(2, 1)).toBeCloseTo(truncationFactor(2), 14);
    for (const g of [1, 2]) expectMeanWithin(run.values("var_ratio", g), (((M - 1) / M) * v) ** g, `g=${g}`);
  });
});

describe("mix keeps the variance bounded where replace collapses", () => {
  // M = 10 for 200 generations. Replace: log var_ratio is a sum of 200 iid log(χ²₉/10), so its
  // mean is 200·(ψ(4.5) + ln(2/10)) ≈ −44 (ARCHITECTURE §4). Mix with A = 0.5: 5 of the 10 training
  // points are a fixed subset of D0, so the fitted variance is at least half their sample variance
  // and each chain, given its subset, settles into a stationary law (the synthetic half's memory
  // halves every generation): log var_ratio stops falling, at about −0.6.
  const M = 10;
  const G = 200;
  // --tail-k 2 here and below: one tail multiple, not the default two, where a test reads no tail
  // mass (the draws are the same either way; the tail masses are a fifth of a Gaussian chain's cost).
  const replace = replicateValues({ sampleSize: M, generations: G, replicates: 300, tailK: 2, seed: "mix-vs-replace" });
  const mix = replicateValues({ sampleSize: M, generations: G, replicates: 300, regime: "mix", realFraction: 0.5, tailK: 2, seed: "mix-vs-replace" });

  it("replace: the mean of log var_ratio follows g·(ψ((M−1)/2) + ln(2/M)) down to ≈ −44", () => {
    for (const g of [50, 200]) expectMeanWithin(replace.values("log_var_ratio", g), g * (digamma((M - 1) / 2) + Math.log(2 / M)), `g=${g}`);
  });

  it("mix: log var_ratio stops falling (the same mean at generations 25 to 200, chain by chain), far above replace's", () => {
    // Paired differences within each chain: SE = SD of the differences/√R (≈0.026). Stationarity makes
    // their mean 0; chains still falling, even at a hundredth of replace's 0.22 per generation, would
    // be ≈0.4 lower at 200 than at 25 — 15 SE (generation 1 against 200 already differs by ≈9 SE).
    const last = mix.values("log_var_ratio", G);
    for (const g of [25, 50, 100, 150]) {
      const diff = mix.values("log_var_ratio", g).map((v, i) => v - last[i]!);
      expectWithin(meanOf(diff), 0, seOfMean(diff), `mean log var_ratio at generation ${g} − at ${G}`);
    }
    const collapsed = replace.values("log_var_ratio", G);
    expectAbove(meanOf(last), meanOf(collapsed), Math.hypot(seOfMean(last), seOfMean(collapsed)), `mix above replace at generation ${G}`);
  });
});

describe("--filter-recall", () => {
  it("0 is exactly no filter: same seed, same bytes of the JSON output, for every regime and model", () => {
    const cases: Record<string, unknown>[] = [
      { regime: "replace" },
      { regime: "accumulate" },
      { regime: "mix", realFraction: 0.3 },
      { regime: "fresh", realFraction: 0.3 },
      { model: "mvn", regime: "mix", realFraction: 0.2 },
      { model: "gmm", regime: "accumulate", seedSize: 60, replicates: 3 },
    ];
    for (const c of cases) {
      const base = { generations: 4, replicates: 20, sampleSize: 30, ...c };
      const json = (o: Record<string, unknown>) =>
        formatters.json.render(simulate(resolveSimConfig(flags(o))).result, { color: false, width: 80, showSamples: false });
      const plain = json(base);
      expect(json({ ...base, filterRecall: 0 })).toBe(plain);
      expect(json({ ...base, filterRecall: "0.0" })).toBe(plain);
      // …and a positive recall does change the run.
      expect(json({ ...base, filterRecall: 0.2 })).not.toBe(plain);
    }
  });

  it("r > 0 thins the synthetic sample: E[var_ratio_1] = E[(N−1)/N] with N ~ Binomial(M, 1 − r)", () => {
    const M = 20;
    const r = 0.5;
    const run = replicateValues({ sampleSize: M, generations: 1, replicates: 20_000, filterRecall: r, tailK: 2, seed: "filter" });
    // Exact expectation over the binomial size (N ≥ 2 is required by the loop; P(N < 2) ≈ 2e-5).
    let e = 0;
    let mass = 0;
    for (let n = 2; n <= M; n++) {
      const p = Math.exp(logChoose(M, n) + M * Math.log(0.5));
      e += (p * (n - 1)) / n;
      mass += p;
    }
    expectMeanWithin(run.values("var_ratio", 1), e / mass, "g=1");
  });
});

describe("fresh with real fraction 1 never drifts", () => {
  // Every training set is M fresh real points: var_ratio_g = s²_g/σ0², with E[s²_g] = (M−1)/M·σ² for
  // a source of variance σ², at every generation — the chain has no memory.
  it("from a --source: E[var_ratio_g] = (M−1)/M · σ²/σ0² and E[mean_g] = μ at every g", () => {
    const M = 40;
    const G = 12;
    const options = {
      regime: "fresh",
      realFraction: 1,
      source: "normal(3,2)",
      seedSize: 50,
      sampleSize: M,
      generations: G,
      replicates: 3000,
      tailK: 2,
      seed: "fresh-source",
    };
    const { prepared } = prepare(resolveSimConfig(flags(options)));
    const sigma0 = (prepared.params0 as { sigma: number }).sigma;
    const run = replicateValues(options);
    for (let g = 1; g <= G; g++) {
      expectMeanWithin(run.values("var_ratio", g), (((M - 1) / M) * 4) / sigma0 ** 2, `var_ratio g=${g}`);
      expectMeanWithin(run.values("mean", g), 3, `mean g=${g}`);
    }
  });

  it("from a file: D0 is resampled with replacement, so E[var_ratio_g] = (M−1)/M and E[mean_drift_g] = 0 at every g", () => {
    const values = Float64Array.from({ length: 30 }, (_, i) => Math.sin(i * 1.7) * 5 + i / 10);
    const loaded: SeedResult = { input: { kind: "numbers", values, name: "inline" }, source: null, notes: [] };
    const config = resolveSimConfig(
      flags({ data: "inline.csv", regime: "fresh", realFraction: 1, generations: 10, replicates: 1500, tailK: 2, seed: "fresh-file" }),
    );
    const { prepared } = prepare(config, loaded);
    const M = prepared.config.sampleSize;
    expect(M).toBe(30);
    // 1500 replicates: drawing D0's rows without replacement (var_ratio 1, not (M − 1)/M) is 11.6 SE away.
    const R = 1500;
    const block = runReplicates(prepared, 0, R);
    const metric = (name: string, g: number) => block.values[prepared.metricNames.indexOf(name)]!.slice(g * R, (g + 1) * R);
    for (let g = 1; g <= 10; g++) {
      expectMeanWithin(metric("var_ratio", g), (M - 1) / M, `var_ratio g=${g}`);
      expectMeanWithin(metric("mean_drift", g), 0, `mean_drift g=${g}`);
    }
  });

  it("a real fraction that rounds to zero real points trains on the synthetic part alone", () => {
    const { result } = simulate(resolveSimConfig(flags({ regime: "fresh", realFraction: 0.001, sampleSize: 50, generations: 2, replicates: 3 })));
    expect(result.generations).toHaveLength(3);
  });
});

describe("mvn with d = 1 behaves like gaussian", () => {
  // Different seeds, so different D0 and chains: equality in distribution, not in bytes. Every
  // compared metric is scale-free (ratios to θ0), so the D0 difference does not matter; mvn's
  // mean_drift is the Mahalanobis norm, |gaussian's signed drift|.
  const common = { sampleSize: 30, generations: 6, replicates: 3000 };
  const g1 = replicateValues({ ...common, seed: "g-one" });
  const m1 = replicateValues({ ...common, model: "mvn", dims: 1, seed: "m-one" });
  const pairs: [string, string][] = [
    ["var_ratio", "var_ratio"],
    ["log_var_ratio", "log_var_ratio"],
    ["log_var_ratio", "log_gen_var_ratio"],
    ["kl", "kl"],
    ["tail_mass_2", "tail_mass_2"],
    ["tail_mass_centered_3", "tail_mass_centered_3"],
  ];
  it("the same means within the combined SE, metric by metric and generation by generation", () => {
    for (const g of [1, 3, 6]) {
      for (const [a, b] of pairs) {
        const x = g1.values(a, g);
        const y = m1.values(b, g);
        // Independent runs: the SE of the difference is √(se_x² + se_y²).
        expectWithin(meanOf(x), meanOf(y), Math.hypot(seOfMean(x), seOfMean(y)), `${a} vs ${b} at g=${g}`);
      }
      const drift = g1.values("mean_drift", g).map(Math.abs);
      const maha = m1.values("mean_drift", g);
      expectWithin(meanOf(drift), meanOf(maha), Math.hypot(seOfMean(drift), seOfMean(maha)), `|mean_drift| vs mvn's at g=${g}`);
    }
  });

  it("and the same theory", () => {
    const t = (o: Record<string, unknown>) =>
      simulate(resolveSimConfig(flags({ ...common, replicates: 2, theory: true, ...o }))).result.generations[4]!.theory!;
    const a = t({});
    const b = t({ model: "mvn", dims: 1 });
    expect(b.var_ratio).toBeCloseTo(a.var_ratio!, 14);
    expect(b.log_gen_var_ratio).toBeCloseTo(a.log_var_ratio!, 12);
  });
});
