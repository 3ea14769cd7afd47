import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf, normalSf } from "../../src/stats/normal.js";
import { Rng } from "../../src/stats/rng.js";
import { fillNormal, fillTruncatedNormal, normal, zigguratTables } from "../../src/stats/ziggurat.js";
import { expectWithin } from "../helpers.js";
import { chiSquareCritical, chiSquareStat } from "./helpers.js";

/** r of the 128-layer ziggurat: beyond it, variates come from the exponential tail method. */
const R = 3.442619855899;

/** Central moments of x: mean, variance, skewness, excess kurtosis (plain loops). */
function moments(x: Float64Array): { mean: number; variance: number; skewness: number; kurtosis: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const m = s / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean: m, variance: m2, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

/** Share of |x| > t. */
function tailFreq(x: Float64Array, t: number): number {
  let c = 0;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) > t) c++;
  return c / x.length;
}

/** Counts of x over `bins` cells equiprobable under the distribution with CDF `cdf`. */
function equiprobableCounts(x: Float64Array, bins: number, cdf: (z: number) => number): Float64Array {
  const counts = new Float64Array(bins);
  for (let i = 0; i < x.length; i++) {
    const b = Math.min(bins - 1, Math.floor(cdf(x[i]!) * bins));
    counts[b]! += 1;
  }
  return counts;
}

const N = 2_000_000;
const draws = fillNormal(new Float64Array(N), new Rng("test-ziggurat-main"));
/** Φ of every draw, computed once: uniform on [0, 1) under H0, binned by several tests. */
const cdfs = draws.map(normalCdf);

/** Counts of uniform values u ∈ [0, 1) in `bins` equal cells. */
function uniformCounts(u: Float64Array, bins: number): Float64Array {
  const counts = new Float64Array(bins);
  for (let i = 0; i < u.length; i++) counts[Math.min(bins - 1, Math.floor(u[i]! * bins))]! += 1;
  return counts;
}

describe("fillNormal (standard)", () => {
  it("has mean 0, variance 1, skewness 0 and excess kurtosis 0 within Z standard errors", () => {
    const m = moments(draws);
    // Standard errors for N normal draws (closed forms): mean 1/√N = 7.1e-4, variance √(2/N) =
    // 1.0e-3, skewness √(6/N) = 1.7e-3, excess kurtosis √(24/N) = 3.5e-3.
    expectWithin(m.mean, 0, 1 / Math.sqrt(N), "mean");
    expectWithin(m.variance, 1, Math.sqrt(2 / N), "variance");
    expectWithin(m.skewness, 0, Math.sqrt(6 / N), "skewness");
    expectWithin(m.kurtosis, 0, Math.sqrt(24 / N), "excess kurtosis");
  });

  it("puts the right mass beyond 2, 3, r ≈ 3.44 (the tail method) and 4", () => {
    for (const t of [1, 2, 3, R, 4, 4.5]) {
      const p = 2 * normalSf(t);
      // Binomial SE of a frequency: √(p(1 − p)/N); e.g. P(|Z| > 4) = 6.3e-5, SE 5.6e-6.
      const se = Math.sqrt((p * (1 - p)) / N);
      expectWithin(tailFreq(draws, t), p, se, `P(|Z| > ${t})`);
    }
  });

  it("passes χ² goodness of fit over 50 and over 1000 equiprobable bins", () => {
    // Under H0, Pearson's statistic is χ²(bins − 1); reject above its upper-ALPHA quantile.
    for (const bins of [50, 1000]) {
      const counts = uniformCounts(cdfs, bins);
      const stat = chiSquareStat(counts, new Float64Array(bins).fill(N / bins));
      expect(stat, `${bins} bins`).toBeLessThan(chiSquareCritical(bins - 1));
    }
  });

  it("has the right shape beyond r (tail method): mean excess and χ² over 20 equiprobable tail bins", () => {
    // Only 0.058% of variates exceed r, so draw 16M in chunks to get ≈9,200 of them.
    const rng = new Rng("test-ziggurat-tail");
    const chunk = new Float64Array(1 << 20);
    const tail: number[] = [];
    for (let c = 0; c < 16; c++) {
      fillNormal(chunk, rng);
      for (let i = 0; i < chunk.length; i++) if (Math.abs(chunk[i]!) > R) tail.push(Math.abs(chunk[i]!));
    }
    const t = Float64Array.from(tail);
    const qr = normalSf(R);
    // E[Z − r | Z > r] = φ(r)/Q(r) − r (≈ 0.266; an exponential tail without Marsaglia's
    // rejection would give 1/r ≈ 0.290). SE = sd/√n, sd estimated from the sample.
    const m = moments(t);
    expectWithin(m.mean - R, normalPdf(R) / qr - R, Math.sqrt(m.variance / t.length), "mean excess over r");
    // Conditional CDF of |Z| given |Z| > r: 1 − Q(z)/Q(r). Expected ≈ 460 per bin.
    const counts = equiprobableCounts(t, 20, (z) => 1 - normalSf(z) / qr);
    expect(chiSquareStat(counts, new Float64Array(20).fill(t.length / 20))).toBeLessThan(chiSquareCritical(19));
  });

  it("has independent sign and magnitude, and no lag-1 correlation", () => {
    // Sign is bit 7 of the draw, magnitude bits 8–31 and layer bits 0–6: within each of 20
    // magnitude bins, positives are Binomial(count, 1/2) — summed χ² with 20 df.
    const bins = 20;
    const pos = new Float64Array(bins);
    const all = new Float64Array(bins);
    for (let i = 0; i < N; i++) {
      const z = draws[i]!;
      // 2Φ(|z|) − 1 = |2Φ(z) − 1|: the CDF of |Z|, uniform under H0.
      const b = Math.min(bins - 1, Math.floor(Math.abs(2 * cdfs[i]! - 1) * bins));
      all[b]! += 1;
      if (z > 0) pos[b]! += 1;
    }
    let stat = 0;
    for (let b = 0; b < bins; b++) stat += (pos[b]! - all[b]! / 2) ** 2 / (all[b]! / 4);
    expect(stat).toBeLessThan(chiSquareCritical(bins));
    // Sample lag-1 autocorrelation of iid data has SE 1/√N.
    let c = 0;
    for (let i = 1; i < N; i++) c += draws[i]! * draws[i - 1]!;
    expectWithin(c / (N - 1), 0, 1 / Math.sqrt(N), "lag-1 autocorrelation");
  });
});

describe("normal / fillNormal", () => {
  it("normal() yields exactly the sequence fillNormal writes (same draws, same order)", () => {
    const a = new Rng("test-ziggurat-same");
    const b = new Rng("test-ziggurat-same");
    const filled = fillNormal(new Float64Array(100_000), a);
    for (let i = 0; i < filled.length; i++) if (normal(b) !== filled[i]) throw new Error(`differs at ${i}`);
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it("draws the same from an Rng (its state in locals) as from any other source of the same stream", () => {
    // fillNormal runs its own copy of the generator's step for an Rng; a source that is not an
    // Rng takes the generic loop. 100,000 variates pass through about 2,800 slow paths.
    const a = new Rng("test-ziggurat-generic");
    const inner = new Rng("test-ziggurat-generic");
    const wrapped = { nextUint32: () => inner.nextUint32(), random: () => inner.random() };
    const fast = fillNormal(new Float64Array(100_000), a, 2, 3);
    const generic = fillNormal(new Float64Array(100_000), wrapped, 2, 3);
    expect(Array.from(fast)).toEqual(Array.from(generic));
    expect(a.nextUint32()).toBe(inner.nextUint32());
  });

  it("applies mu and sigma, fills only the first n, and is reproducible", () => {
    const n = 400_000;
    const out = new Float64Array(n + 10).fill(7);
    fillNormal(out, new Rng("test-ziggurat-scale"), 10, 3, n);
    const m = moments(out.subarray(0, n));
    // SE of the mean σ/√n = 4.7e-3; SE of the variance σ²√(2/n) = 0.020 (normal closed forms).
    expectWithin(m.mean, 10, 3 / Math.sqrt(n), "mean");
    expectWithin(m.variance, 9, 9 * Math.sqrt(2 / n), "variance");
    expect(Array.from(out.subarray(n))).toEqual(new Array(10).fill(7));
    const again = fillNormal(new Float64Array(n), new Rng("test-ziggurat-scale"), 10, 3);
    expect(again.subarray(0, 100)).toEqual(out.subarray(0, 100));
    expect(Array.from(fillNormal(new Float64Array(3), new Rng("x"), 2, 0))).toEqual([2, 2, 2]);
  });

  it("rejects invalid arguments", () => {
    const rng = new Rng("test-ziggurat-args");
    expect(() => fillNormal(new Float64Array(3), rng, 0, -1)).toThrow(RangeError);
    expect(() => fillNormal(new Float64Array(3), rng, Number.NaN, 1)).toThrow(RangeError);
    expect(() => fillNormal(new Float64Array(3), rng, 0, 1, 4)).toThrow(RangeError);
  });
});

/**
 * The one-draw ziggurat with Marsaglia & Tsang's exact wedge test alone (no squeezes), on the
 * module's own tables: what fillNormal drew before the squeezes, draw for draw.
 */
function exactZiggurat(src: Rng, n: number): Float64Array {
  const { R: r, X, F, KN, WS } = zigguratTables;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let b = src.nextUint32();
    for (;;) {
      const i = b & 127;
      const z = (b >>> 8) * WS[b & 255]!;
      if (b >>> 8 < KN[i]!) break;
      const az = Math.abs(z);
      if (az < X[i + 1]!) break;
      if (i === 0) {
        let x: number;
        let y: number;
        do {
          x = -Math.log(1 - src.random()) / r;
          y = -Math.log(1 - src.random());
        } while (y + y <= x * x);
        out[j] = z < 0 ? -(r + x) : r + x;
        b = -1;
        break;
      }
      if (F[i]! + src.random() * (F[i + 1]! - F[i]!) < Math.exp(-0.5 * az * az)) break;
      b = src.nextUint32();
    }
    if (b !== -1) out[j] = (b >>> 8) * WS[b & 255]!;
  }
  return out;
}

describe("the wedge test's squeezes", () => {
  it("decide every point as the exact test does: 2·10⁷ variates equal the exact ziggurat's, bit for bit", () => {
    // About 540,000 wedge points over every layer, 92.5% of them decided by the squeezes; a point
    // they decided wrongly would change that variate and, through the stream, every later one.
    const n = 1_000_000;
    const fast = new Rng("squeeze");
    const exact = new Rng("squeeze");
    const out = new Float64Array(n);
    let differ = 0;
    for (let round = 0; round < 20; round++) {
      fillNormal(out, fast);
      const want = exactZiggurat(exact, n);
      // !== (not Object.is): fillNormal adds mu = 0, which turns a −0 variate into 0.
      for (let j = 0; j < n; j++) if (out[j] !== want[j]) differ++;
    }
    expect(differ).toBe(0);
    expect(fast.nextUint32()).toBe(exact.nextUint32());
  });
});

describe("fillTruncatedNormal", () => {
  /** Moments of N(0, 1) conditioned on |Z| ≤ k: variance v_k and fourth moment m4. */
  function truncatedMoments(k: number): { v: number; m4: number } {
    const z = 2 * normalCdf(k) - 1;
    const phi = normalPdf(k);
    // ∫_{−k}^{k} z²φ = Z − 2kφ(k);  ∫_{−k}^{k} z⁴φ = 3Z − 2(k³ + 3k)φ(k).
    return { v: 1 - (2 * k * phi) / z, m4: 3 - (2 * (k ** 3 + 3 * k) * phi) / z };
  }

  for (const k of [0.1, 0.3, 0.49, 0.5, 1, 2, 3]) {
    it(`k = ${k}: stays within ±kσ, variance σ²(1 − 2kφ(k)/(2Φ(k) − 1)), χ² over 20 equiprobable bins`, () => {
      const n = 200_000;
      const mu = -1;
      const sigma = 2;
      const out = fillTruncatedNormal(new Float64Array(n), new Rng(`test-ziggurat-trunc-${k}`), mu, sigma, k);
      let inside = true;
      const zs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const z = (out[i]! - mu) / sigma;
        zs[i] = z;
        if (!(Math.abs(z) <= k * (1 + 1e-15))) inside = false;
      }
      expect(inside).toBe(true);
      const m = moments(zs);
      const { v, m4 } = truncatedMoments(k);
      // SE of the mean √(v/n); SE of the sample variance √((m4 − v²)/n) (closed forms above).
      expectWithin(m.mean, 0, Math.sqrt(v / n), "mean");
      expectWithin(m.variance, v, Math.sqrt((m4 - v * v) / n), "variance");
      const lo = normalCdf(-k);
      const width = normalCdf(k) - lo;
      const counts = equiprobableCounts(zs, 20, (z) => (normalCdf(z) - lo) / width);
      expect(chiSquareStat(counts, new Float64Array(20).fill(n / 20))).toBeLessThan(chiSquareCritical(19));
    });
  }

  it("k = Infinity is plain fillNormal; invalid k throws", () => {
    const a = fillTruncatedNormal(new Float64Array(1000), new Rng("test-ziggurat-inf"), 0, 1, Infinity);
    const b = fillNormal(new Float64Array(1000), new Rng("test-ziggurat-inf"));
    expect(a).toEqual(b);
    const rng = new Rng("test-ziggurat-k");
    for (const k of [0, -1, Number.NaN]) {
      expect(() => fillTruncatedNormal(new Float64Array(2), rng, 0, 1, k)).toThrow(RangeError);
    }
  });
});
