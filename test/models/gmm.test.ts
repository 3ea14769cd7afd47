/**
 * The Gaussian mixture: EM recovery on generated data, BIC's choice of k, the metrics against slow
 * references, modes dying out, and the data checks. Statistical tolerances are Z ≈ 4.89 standard
 * errors (test/helpers.ts), each SE derived in place.
 */
import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/config.js";
import { resolveSimConfig } from "../../src/config/resolve.js";

import type { SeedResult } from "../../src/core/seed.js";
import { InputError, UsageError } from "../../src/errors.js";
import { gaussianKl, gaussianW2 } from "../../src/models/continuous.js";
import { fitMixture, type Mixture, selectMixture } from "../../src/models/em.js";
import { type GmmParams, type GmmReference, gmm, mixtureW2 } from "../../src/models/gmm.js";
import type { RunContext, SeedInput } from "../../src/models/model.js";
import type { Rows } from "../../src/models/rows.js";
import { cholesky } from "../../src/stats/cholesky.js";
import { normalCdf, normalPdf, normalTwoSidedTail } from "../../src/stats/normal.js";
import { Rng } from "../../src/stats/rng.js";
import { fillNormal } from "../../src/stats/ziggurat.js";
import { expectAbove, expectWithin, flags, meanOf, replicateValues, seOfMean, varianceOf, withRunContext } from "../helpers.js";
import { prepare } from "../run.js";

interface Truth {
  weights: number[];
  means: number[][];
  /** Cholesky factors, row-major d×d. */
  chols: number[][];
}

/** n labelled draws of a mixture: the rows and each row's component. */
function draw(t: Truth, n: number, seed: string): { x: Float64Array; labels: Int32Array } {
  const rng = new Rng(seed);
  const d = t.means[0]!.length;
  const x = new Float64Array(n * d);
  const labels = new Int32Array(n);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let u = rng.random();
    let c = 0;
    while (c < t.weights.length - 1 && (u -= t.weights[c]!) >= 0) c++;
    labels[i] = c;
    fillNormal(z, rng);
    for (let a = 0; a < d; a++) {
      let s = t.means[c]![a]!;
      for (let b = 0; b <= a; b++) s += t.chols[c]![a * d + b]! * z[b]!;
      x[i * d + a] = s;
    }
  }
  return { x, labels };
}

/** The oracle: per-component weight, mean and (mle) covariance from the true labels. */
function labelled(x: Float64Array, d: number, labels: Int32Array, k: number) {
  const n = labels.length;
  return Array.from({ length: k }, (_, c) => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === c) rows.push(i);
    const mean = Array.from({ length: d }, (_, a) => rows.reduce((s, i) => s + x[i * d + a]!, 0) / rows.length);
    const cov = Array.from({ length: d * d }, (_, ab) => {
      const a = Math.floor(ab / d);
      const b = ab % d;
      return rows.reduce((s, i) => s + (x[i * d + a]! - mean[a]!) * (x[i * d + b]! - mean[b]!), 0) / rows.length;
    });
    return { weight: rows.length / n, mean, cov };
  });
}

/** Components of a fitted mixture in the order of their first coordinate's mean. */
function sorted(m: Mixture) {
  const d = m.dims;
  return Array.from({ length: m.k }, (_, c) => ({
    weight: m.weights[c]!,
    mean: Array.from(m.means.subarray(c * d, c * d + d)),
    cov: Array.from(m.covs.subarray(c * d * d, (c + 1) * d * d)),
  })).sort((a, b) => a.mean[0]! - b.mean[0]!);
}

function config(o: Record<string, unknown> = {}): ResolvedConfig & RunContext {
  return withRunContext({ ...resolveSimConfig(flags({ model: "gmm", ...o })), sampleSize: (o.sampleSize as number) ?? 100 } as ResolvedConfig);
}

describe("EM recovers well-separated components", () => {
  const cases: [string, Truth][] = [
    ["1-D, three components", { weights: [0.2, 0.5, 0.3], means: [[-8], [0], [8]], chols: [[1], [0.5], [1.5]] }],
    [
      "2-D, three components with full covariances",
      {
        weights: [0.3, 0.3, 0.4],
        means: [
          [-6, 0],
          [0, 6],
          [6, -2],
        ],
        chols: [
          [1, 0, 0.5, 0.8],
          [0.6, 0, -0.3, 1],
          [1.2, 0, 0, 0.4],
        ],
      },
    ],
  ];
  for (const [name, truth] of cases) {
    it(`${name}: equal to the labelled (oracle) estimates, and the truth within Z SE`, () => {
      const d = truth.means[0]!.length;
      const n = 12_000;
      const { x, labels } = draw(truth, n, `em-${name}`);
      const fit = sorted(fitMixture(x, d, 3, new Rng("em-start")));
      const oracle = labelled(x, d, labels, 3);
      expect(fit).toHaveLength(3);
      fit.forEach((f, c) => {
        const o = oracle[c]!;
        // Separations ≥ 5σ: a point's responsibility for a wrong component is < 1e-5, so EM and the
        // labelled estimates agree far below their sampling error.
        expect(Math.abs(f.weight - o.weight)).toBeLessThan(1e-4);
        for (let a = 0; a < d; a++) expect(Math.abs(f.mean[a]! - o.mean[a]!)).toBeLessThan(1e-3);
        for (let i = 0; i < d * d; i++) expect(Math.abs(f.cov[i]! - o.cov[i]!)).toBeLessThan(2e-3 * Math.max(1, Math.abs(o.cov[i]!)));
        // Against the truth: weight SE √(w(1−w)/n) (multinomial labels); mean SE √(Σ_aa/(n·w)).
        const w = truth.weights[c]!;
        expectWithin(f.weight, w, Math.sqrt((w * (1 - w)) / n), `weight ${c}`);
        const l = truth.chols[c]!;
        for (let a = 0; a < d; a++) {
          let sigma2 = 0;
          for (let b = 0; b <= a; b++) sigma2 += l[a * d + b]! ** 2;
          expectWithin(f.mean[a]!, truth.means[c]![a]!, Math.sqrt(sigma2 / (n * w)), `mean ${c}, coordinate ${a}`);
        }
      });
    });
  }

  it("is deterministic: the same data give the same fit (the k-means++ stream is derived from the data)", () => {
    const { x } = draw({ weights: [0.5, 0.5], means: [[-2], [2]], chols: [[1], [1]] }, 300, "det");
    const c = config();
    const a = gmm.fit({ dims: 1, values: x }, c);
    const b = gmm.fit({ dims: 1, values: Float64Array.from(x) }, c);
    expect(Array.from(a.means)).toEqual(Array.from(b.means));
    expect(Array.from(a.covs)).toEqual(Array.from(b.covs));
  });

  it("BIC keeps one component for a single Gaussian and two for two separated bumps", () => {
    const one = draw({ weights: [1], means: [[0]], chols: [[1]] }, 2000, "bic-one").x;
    expect(selectMixture(one, 1, 3, new Rng("bic")).k).toBe(1);
    const two = draw({ weights: [0.5, 0.5], means: [[-3], [3]], chols: [[1], [1]] }, 2000, "bic-two").x;
    expect(selectMixture(two, 1, 3, new Rng("bic")).k).toBe(2);
  });

  it("never throws on degenerate data inside the chain: duplicates or a single distinct point give fewer components", () => {
    const same = new Float64Array(50).fill(3);
    const m = fitMixture(same, 1, 3, new Rng("deg"));
    expect(m.k).toBe(1);
    expect(Number.isFinite(m.logDets[0]!)).toBe(true);
    const pair = Float64Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : 5));
    expect(fitMixture(pair, 1, 4, new Rng("deg")).k).toBeLessThanOrEqual(2);
  });
});

/** θ0 and its reference from a seed sample of a source, as prepare() builds them. */
function prepared(o: Record<string, unknown>): { p0: GmmParams; ref: GmmReference; c: ResolvedConfig & RunContext } {
  const { prepared: p } = prepare(resolveSimConfig(flags({ model: "gmm", replicates: 1, generations: 1, ...o })));
  return { p0: p.params0 as GmmParams, ref: p.reference as GmmReference, c: withRunContext(p.config) };
}

describe("gmm metrics", () => {
  it("with one component they are the Gaussian closed forms", () => {
    const { p0, ref, c } = prepared({ components: 1, source: "normal(1,2)", seedSize: 400 });
    const x = gmm.sample(p0, 50, new Rng("one-comp"), c);
    const p = gmm.fit(x, c);
    const m = gmm.measure(p, x, ref, c);
    const [mu, s, mu0, s0] = [p.means[0]!, Math.sqrt(p.covs[0]!), p0.means[0]!, Math.sqrt(p0.covs[0]!)];
    expect(m.mean).toBeCloseTo(mu, 13);
    expect(m.std).toBeCloseTo(s, 13);
    expect(m.var_ratio).toBeCloseTo((s * s) / (s0 * s0), 13);
    expect(m.mean_drift).toBeCloseTo((mu - mu0) / s0, 13);
    expect(m.kl).toBeCloseTo(gaussianKl(mu, s, mu0, s0), 12);
    // w2 comes from 1024-cell CDF tables (error O(h²), h ≈ 20σ/1024): ≈1e-5 relative.
    expect(m.w2! / gaussianW2(mu, s, mu0, s0)).toBeCloseTo(1, 4);
    expect(m.tail_mass_2).toBeCloseTo(normalTwoSidedTail(mu0, 2 * s0, mu, s), 13);
    expect(m.tail_mass_centered_3).toBeCloseTo(normalTwoSidedTail(mu, 3 * s0, mu, s), 13);
  });

  it("1-D mixtures: kl, w2 and tails against brute-force numerical integration", () => {
    const { p0, ref, c } = prepared({ seedSize: 500 });
    expect(p0.k).toBe(2);
    const x = gmm.sample(p0, 60, new Rng("brute"), c);
    const p = gmm.fit(x, c);
    const m = gmm.measure(p, x, ref, c);
    const pdf = (q: Mixture, v: number) => {
      let s = 0;
      for (let k = 0; k < q.k; k++) s += (q.weights[k]! * normalPdf((v - q.means[k]!) / Math.sqrt(q.covs[k]!))) / Math.sqrt(q.covs[k]!);
      return s;
    };
    const cdf = (q: Mixture, v: number) => {
      let s = 0;
      for (let k = 0; k < q.k; k++) s += q.weights[k]! * normalCdf((v - q.means[k]!) / Math.sqrt(q.covs[k]!));
      return s;
    };
    // KL by the trapezoid rule on a fine grid over ±25.
    let kl = 0;
    const h = 1e-3;
    for (let v = -25; v <= 25; v += h) {
      const a = pdf(p, v);
      if (a > 0) kl += h * a * Math.log(a / pdf(p0, v));
    }
    // 64-node Gauss–Hermite per component: ≈1e-5 relative here (the trapezoid sum is exact to ~1e-9).
    expect(m.kl! / kl).toBeCloseTo(1, 4);
    // W2 by the midpoint rule in u with bisection quantiles.
    const quantile = (q: Mixture, u: number) => {
      let lo = -60;
      let hi = 60;
      for (let i = 0; i < 80; i++) {
        const mid = (lo + hi) / 2;
        if (cdf(q, mid) < u) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    };
    let w2 = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      const u = (i + 0.5) / N;
      w2 += (quantile(p, u) - quantile(p0, u)) ** 2 / N;
    }
    // The midpoint rule misses part of the outermost cells' tails: ≈1e-4 relative.
    expect(m.w2! / Math.sqrt(w2)).toBeCloseTo(1, 3);
    const mu0 = p0.mean[0]!;
    const s0 = Math.sqrt(p0.cov[0]!);
    let tail = 0;
    for (let k = 0; k < p.k; k++) tail += p.weights[k]! * normalTwoSidedTail(mu0, 2 * s0, p.means[k]!, Math.sqrt(p.covs[k]!));
    expect(m.tail_mass_2).toBeCloseTo(tail, 12);
  });

  it("l2 is √∫(p_g − p_0)²: against the trapezoid rule in 1-D and a 2-D grid; 0 at generation 0", () => {
    const one = prepared({ seedSize: 500 });
    const x1 = gmm.sample(one.p0, 60, new Rng("l2-1d"), one.c);
    const p1 = gmm.fit(x1, one.c);
    const pdf1 = (q: Mixture, v: number) => {
      let s = 0;
      for (let k = 0; k < q.k; k++) s += (q.weights[k]! * normalPdf((v - q.means[k]!) / Math.sqrt(q.covs[k]!))) / Math.sqrt(q.covs[k]!);
      return s;
    };
    let sq = 0;
    const h = 1e-3;
    for (let v = -30; v <= 30; v += h) sq += h * (pdf1(p1, v) - pdf1(one.p0, v)) ** 2;
    const l2 = gmm.measure(p1, x1, one.ref, one.c).l2!;
    expect(l2).toBeGreaterThan(0.01);
    expect(l2 / Math.sqrt(sq)).toBeCloseTo(1, 8);
    expect(gmm.measure(one.p0, x1, one.ref, one.c).l2).toBe(0);

    // 2-D, full covariances: the density from each component's Cholesky factor, on a 0.02 grid.
    const two = prepared({ dims: 2, seedSize: 600, source: "mixture(0.4*normal(-2,1),0.6*normal(2,1))" });
    const x2 = gmm.sample(two.p0, 80, new Rng("l2-2d"), two.c);
    const p2 = gmm.fit(x2, two.c);
    const pdf2 = (q: Mixture, u: number, v: number) => {
      let s = 0;
      for (let k = 0; k < q.k; k++) {
        const l00 = q.chols[4 * k]!;
        const l10 = q.chols[4 * k + 2]!;
        const l11 = q.chols[4 * k + 3]!;
        const a = (u - q.means[2 * k]!) / l00;
        const b = (v - q.means[2 * k + 1]! - l10 * a) / l11;
        s += (q.weights[k]! * Math.exp(-0.5 * (a * a + b * b))) / (2 * Math.PI * l00 * l11);
      }
      return s;
    };
    // The midpoint rule on a 0.05 grid over ±8 (smooth integrand: error far below the 1e-4 asked).
    let sq2 = 0;
    const g = 0.05;
    for (let u = -8 + g / 2; u < 8; u += g) for (let v = -8 + g / 2; v < 8; v += g) sq2 += g * g * (pdf2(p2, u, v) - pdf2(two.p0, u, v)) ** 2;
    expect(gmm.measure(p2, x2, two.ref, two.c).l2! / Math.sqrt(sq2)).toBeCloseTo(1, 4);
  });

  it("1-D w2 where the quantile function jumps (modes separated by an empty gap), against bisection quantiles", () => {
    const mix = (w: number): Mixture => ({
      dims: 1,
      k: 2,
      weights: Float64Array.of(w, 1 - w),
      means: Float64Array.of(-6, 6),
      covs: Float64Array.of(0.25, 0.25),
      chols: Float64Array.of(0.5, 0.5),
      logDets: Float64Array.of(Math.log(0.25), Math.log(0.25)),
      iterations: 0,
      converged: true,
      logLikelihood: 0,
    });
    const scratch = { fg: new Float64Array(1025), f0: new Float64Array(1025) };
    const cdf = (m: Mixture, v: number) => m.weights[0]! * normalCdf((v + 6) / 0.5) + m.weights[1]! * normalCdf((v - 6) / 0.5);
    const quantile = (m: Mixture, u: number) => {
      let lo = -20;
      let hi = 20;
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (cdf(m, mid) < u) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    };
    // Midpoint rule in u on 20 000 cells: the jumps sit exactly at the cell edges u = 0.3 and 0.5,
    // so the rule is as accurate as on smooth parts (≈1e-6 relative, checked against 200 000 cells);
    // the table's O(h²) error is ≈2e-5.
    let w2 = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) w2 += (quantile(mix(0.3), (i + 0.5) / N) - quantile(mix(0.5), (i + 0.5) / N)) ** 2 / N;
    expect(mixtureW2(mix(0.3), mix(0.5), scratch) / Math.sqrt(w2)).toBeCloseTo(1, 4);
    // …and it is below the cost of moving the extra 0.2 of mass bump to bump, √(0.2·12²).
    expect(mixtureW2(mix(0.3), mix(0.5), scratch)).toBeLessThan(Math.sqrt(0.2 * 144));
    expect(mixtureW2(mix(0.5), mix(0.5), scratch)).toBe(0);
  });

  it("2-D mixtures: tail masses at generation 0 and kl against Monte Carlo (Z SE)", () => {
    const { p0, ref, c } = prepared({ dims: 2, seedSize: 600, source: "mixture(0.4*normal(-2,1),0.6*normal(2,1))" });
    expect(p0.k).toBe(2);
    const n = 200_000;
    const x = gmm.sample(p0, n, new Rng("mc-tails"), c);
    const l0 = new Float64Array(4);
    cholesky(p0.cov, 2, l0);
    const rho2 = ref.radius2[0]!;
    let out = 0;
    for (let i = 0; i < n; i++) {
      const y0 = (x.values[2 * i]! - p0.mean[0]!) / l0[0]!;
      const y1 = (x.values[2 * i + 1]! - p0.mean[1]! - l0[2]! * y0) / l0[3]!;
      if (y0 * y0 + y1 * y1 > rho2) out++;
    }
    const m0 = gmm.measure(p0, x, ref, c);
    const q = m0.tail_mass_2!;
    expectWithin(out / n, q, Math.sqrt((q * (1 - q)) / n), "tail_mass_2 (binomial SE of the Monte Carlo share)");
    // KL(θg‖θ0) = E_θg[ln p_g − ln p_0]: a Monte Carlo mean over draws of θg.
    const p = gmm.fit(gmm.sample(p0, 80, new Rng("kl-2d"), c), c);
    const m = gmm.measure(p, x, ref, c);
    const draws = gmm.sample(p, 100_000, new Rng("kl-mc"), c);
    const logpdf = (mix: Mixture, r: Rows, i: number) => {
      let s = 0;
      for (let k = 0; k < mix.k; k++) {
        const [a, b, cc] = [mix.covs[k * 4]!, mix.covs[k * 4 + 1]!, mix.covs[k * 4 + 3]!];
        const det = a * cc - b * b;
        const dx = r.values[2 * i]! - mix.means[2 * k]!;
        const dy = r.values[2 * i + 1]! - mix.means[2 * k + 1]!;
        s += (mix.weights[k]! * Math.exp((-0.5 * (cc * dx * dx - 2 * b * dx * dy + a * dy * dy)) / det)) / (2 * Math.PI * Math.sqrt(det));
      }
      return Math.log(s);
    };
    const terms = Float64Array.from({ length: 100_000 }, (_, i) => logpdf(p, draws, i) - logpdf(p0, draws, i));
    expectWithin(m.kl!, meanOf(terms), seOfMean(terms), "kl (SE: the terms' SD/√n)");
  });
});

describe("modes die out", () => {
  it("a rare mode (10% of the mass) dies out: fewer modes after 30 generations of M = 100 than after 1, chain by chain", () => {
    const run = replicateValues({
      model: "gmm",
      source: "mixture(0.9*normal(-3,1),0.1*normal(3,1))",
      seedSize: 300,
      sampleSize: 100,
      generations: 30,
      replicates: 40,
      // One tail multiple, not the default two: this test reads only the modes.
      tailK: 2,
      seed: "modes",
    });
    expect(Array.from(run.values("modes", 0))).toEqual(new Array(40).fill(2));
    const early = run.values("modes", 1);
    const late = run.values("modes", 30);
    // The mean of the paired differences, its SE the differences' SD/√R (one-sided). With 40
    // chains the fall (≈0.7 modes, the rare mode gone from about 70% of chains) is ≈9.5 SE.
    const diff = early.map((v, i) => v - late[i]!);
    expectAbove(meanOf(diff), 0, Math.sqrt(varianceOf(diff) / diff.length), "modes at generation 1 − modes at generation 30");
  });
});

describe("gmm seed data checks (InputError / UsageError: exit 2 in the CLI)", () => {
  const load = (columns: number[][], o: Record<string, unknown> = {}) => {
    const input: SeedInput = { kind: "table", columns: columns.map((c) => Float64Array.from(c)), names: columns.map((_, i) => `x${i + 1}`) };
    const seed: SeedResult = { input, source: null, notes: [] };
    return () => prepare(resolveSimConfig(flags({ model: "gmm", data: "inline.csv", ...o })), seed);
  };

  it("all points equal", () => {
    expect(load([new Array(20).fill(4)])).toThrow(InputError);
    expect(load([new Array(20).fill(4)])).toThrow(/"x1": all values are equal/);
  });

  it("fewer points than components", () => {
    expect(load([[1, 2, 3]], { components: 5 })).toThrow(/3 row\(s\) but --components is 5: fewer points than components/);
    expect(load([[1, 2, 3, 4, 5]], { components: 3 })).toThrow(/needs at least 6 \(K·\(d\+1\)\)/);
  });

  it("--sample-size too small to refit K components", () => {
    expect(load([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], { sampleSize: 3 })).toThrow(UsageError);
  });
});
