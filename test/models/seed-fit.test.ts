/**
 * The seed-fit diagnostic (ARCHITECTURE §3): each model's seedFit hook against hand computations,
 * its p-value's behaviour with fitted parameters (conservative: Lilliefors), heavy-tailed seed data
 * flagged, and the hook called once per run. Tolerances are Z binomial standard errors.
 */
import { describe, expect, it, vi } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import type { Prepared } from "../../src/core/loop.js";
import { discreteSeedFit } from "../../src/models/discrete.js";
import { gaussian } from "../../src/models/gaussian.js";
import type { SeedFit } from "../../src/models/model.js";
import { rowMahalanobis2 } from "../../src/models/rows.js";
import { chiSquareSf } from "../../src/stats/chi-square.js";
import { ksPValue, ksStatistic } from "../../src/stats/ks.js";
import { normalCdf, normalSf } from "../../src/stats/normal.js";
import { flags, Z } from "../helpers.js";
import { prepare, simulate } from "../run.js";

function prepared(options: Record<string, unknown>): Prepared {
  return prepare(resolveSimConfig(flags(options))).prepared;
}

function seedFitOf(p: Prepared): SeedFit {
  return p.model.seedFit!(p.data0, p.params0, p.reference, p.options);
}

describe("gaussian seed fit", () => {
  it("matches a hand computation on three values", () => {
    // x = −1, 0, 1: μ0 = 0, σ0 (mle) = √(2/3), F = Φ(x/σ0); D = 1/3 − Φ(−1.2247) = 0.222998.
    // No value lies beyond 2σ0 = 1.633; the model holds 2·Q(2) = 4.55% there.
    const x = Float64Array.of(-1, 0, 1);
    const o = { ...prepared({ generations: 1, replicates: 2 }).options, tailK: [2, 0.5] } as never;
    const p0 = gaussian.fit(x, o);
    const fit = gaussian.seedFit!(x, p0, gaussian.reference(x, p0, o, undefined), o);
    const sigma = Math.sqrt(2 / 3);
    const d = 1 / 3 - normalCdf(-1 / sigma);
    expect(fit.ks_test).toBe("values vs the fitted normal CDF");
    expect(fit.ks).toBeCloseTo(d, 15);
    expect(fit.ks).toBeCloseTo(0.222998, 6);
    expect(fit.ks_p).toBe(ksPValue(d, 3));
    expect(fit.tail_mass_data_2).toBe(0);
    expect(fit.tail_mass_model_2).toBeCloseTo(2 * normalSf(2), 15);
    // Beyond 0.5σ0 = 0.408: the two outer values.
    expect(fit.tail_mass_data_0p5).toBeCloseTo(2 / 3, 15);
    expect(Object.keys(fit)).toEqual(["ks_test", "ks", "ks_p", "tail_mass_data_2", "tail_mass_model_2", "tail_mass_data_0p5", "tail_mass_model_0p5"]);
  });

  it("with fitted parameters the p-value is conservative (Lilliefors): P(p < a) ≤ a", () => {
    // 1000 normal seeds of 50, each tested against its own fit. Had the parameters been known, a
    // share a of the p-values would fall below a; fitting them shrinks D, so fewer do (about
    // none at a = 0.05: the Lilliefors 5% point is 0.886/√n, Kolmogorov's 1.36/√n).
    const N = 1000;
    for (const a of [0.05, 0.2]) {
      let below = 0;
      for (let i = 0; i < N; i++) {
        const fit = seedFitOf(prepared({ seed: `lilliefors-${i}`, seedSize: 50, generations: 1, replicates: 2 }));
        if ((fit.ks_p as number) < a) below++;
      }
      // Below a by more than sampling error: a share ≥ a would mean the p-value is not conservative.
      expect(below / N).toBeLessThan(a - Z * Math.sqrt((a * (1 - a)) / N));
    }
  });

  it("flags heavy-tailed seed data: Student-t with 3 df (fixtures/returns-t3.csv)", () => {
    const fit = simulate(resolveSimConfig(flags({ data: "fixtures/returns-t3.csv", generations: 1, replicates: 2 }))).result.seed_fit!;
    expect(fit.ks_p).toBeLessThan(0.01);
    // The seed holds four times the fitted normal's mass beyond 3σ0: the first fit lost it.
    expect(fit.tail_mass_data_3).toBeGreaterThan(3 * (fit.tail_mass_model_3 as number));
  });

  it("does not flag normal seed data of the same size", () => {
    const fit = simulate(resolveSimConfig(flags({ seedSize: 1000, generations: 1, replicates: 2 }))).result.seed_fit!;
    expect(fit.ks_p).toBeGreaterThan(0.01);
  });

  it("is computed once per run, not per generation or replicate", () => {
    const spy = vi.spyOn(gaussian, "seedFit");
    try {
      simulate(resolveSimConfig(flags({ generations: 5, replicates: 7 })));
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("mvn seed fit: squared Mahalanobis distances against χ²_d", () => {
  it("is the KS test of 1 − Q_χ²(d)(r²) over the seed rows, and counts rows beyond ρ_k", () => {
    const p = prepared({ model: "mvn", dims: 3, seedSize: 200, generations: 1, replicates: 2 });
    const fit = seedFitOf(p);
    const { mu, chol } = p.params0 as { mu: Float64Array; chol: Float64Array };
    const r2 = rowMahalanobis2(p.data0 as never, mu, chol);
    const d = ksStatistic(r2.map((y) => 1 - chiSquareSf(y, 3)));
    expect(fit.ks_test).toBe("squared Mahalanobis distances vs chi-square(3)");
    expect(fit.ks).toBe(d);
    expect(fit.ks_p).toBe(ksPValue(d, 200));
    const rho2 = (p.reference as { radius2: Float64Array }).radius2[0]!;
    expect(fit.tail_mass_data_2).toBe(r2.filter((y) => y > rho2).length / 200);
    // The model's own mass beyond ρ_2 is generation 0's tail_mass_2 (the same mass as ±2σ in 1-D).
    expect(fit.tail_mass_model_2).toBe(p.metrics0.tail_mass_2);
    expect(fit.tail_mass_model_2 as number).toBeCloseTo(2 * normalSf(2), 3);
  });

  it("flags independent Student-t columns and passes normal ones", () => {
    const heavy = seedFitOf(prepared({ model: "mvn", dims: 3, source: "t(3)", seedSize: 1000, generations: 1, replicates: 2 }));
    expect(heavy.ks_p).toBeLessThan(0.01);
    const normal = seedFitOf(prepared({ model: "mvn", dims: 3, seedSize: 1000, generations: 1, replicates: 2 }));
    expect(normal.ks_p).toBeGreaterThan(0.01);
  });
});

describe("gmm seed fit", () => {
  it("1-D: KS against the fitted mixture's CDF", () => {
    const p = prepared({ model: "gmm", generations: 1, replicates: 2 });
    const fit = seedFitOf(p);
    const m = p.params0 as { k: number; weights: Float64Array; means: Float64Array; covs: Float64Array };
    const x = (p.data0 as { values: Float64Array }).values;
    const u = x.map((v) => {
      let f = 0;
      for (let c = 0; c < m.k; c++) f += m.weights[c]! * normalCdf((v - m.means[c]!) / Math.sqrt(m.covs[c]!));
      return Math.min(1, f);
    });
    expect(fit.ks_test).toBe("values vs the fitted mixture CDF");
    expect(fit.ks).toBe(ksStatistic(u));
    expect(fit.ks_p).toBeGreaterThan(0.01);
    expect(fit.tail_mass_model_3).toBe(p.metrics0.tail_mass_3);
  });

  it("d-D: the largest D over the columns' marginals, with a Bonferroni p-value", () => {
    const p = prepared({ model: "gmm", data: "fixtures/clusters-2d.csv", components: 3, generations: 1, replicates: 2 });
    const fit = seedFitOf(p);
    const m = p.params0 as { k: number; weights: Float64Array; means: Float64Array; covs: Float64Array };
    const x = (p.data0 as { values: Float64Array }).values;
    const n = x.length / 2;
    const column = (a: number) =>
      Float64Array.from({ length: n }, (_, i) => {
        let f = 0;
        for (let c = 0; c < m.k; c++) f += m.weights[c]! * normalCdf((x[2 * i + a]! - m.means[2 * c + a]!) / Math.sqrt(m.covs[4 * c + 3 * a]!));
        return Math.min(1, f);
      });
    const d = Math.max(ksStatistic(column(0)), ksStatistic(column(1)));
    expect(fit.ks).toBe(d);
    expect(fit.ks_p).toBe(Math.min(1, 2 * ksPValue(d, n)));
  });
});

describe("discrete seed fit", () => {
  it("counts the seed's categories and the share its rarest fraction of them holds", () => {
    // Seen: 1, 1, 3, 5, 10 (the 0 is a listed category never seen), 20 in all.
    const counts = Float64Array.of(5, 1, 0, 3, 1, 10);
    expect(discreteSeedFit(counts, 0.4)).toEqual({ categories: 5, rare_categories: 2, rare_share: 2 / 20 });
    expect(discreteSeedFit(counts, 0.1)).toEqual({ categories: 5, rare_categories: 1, rare_share: 1 / 20 });
    expect(discreteSeedFit(counts, 0.5)).toEqual({ categories: 5, rare_categories: 3, rare_share: 5 / 20 });
  });

  it("categorical: dog breeds, the rarest 10% of 190 breeds (19)", () => {
    const fit = simulate(resolveSimConfig(flags({ model: "categorical", data: "fixtures/dog-breeds.csv", generations: 1, replicates: 2 }))).result.seed_fit!;
    expect(fit.categories).toBe(190);
    expect(fit.rare_categories).toBe(19);
    expect(fit.rare_share).toBeGreaterThan(0);
    expect(fit.rare_share).toBeLessThan(0.001);
  });

  it("ngram: the training text's word types", () => {
    const p = prepared({ model: "ngram", generations: 1, replicates: 1 });
    const fit = seedFitOf(p);
    expect(fit.categories).toBe(p.metrics0.vocab);
  });
});
