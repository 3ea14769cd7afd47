import { describe, expect, it } from "vitest";
import { binomial, multinomialCounts } from "../../src/stats/binomial.js";
import { Rng } from "../../src/stats/rng.js";
import { logChoose } from "../../src/stats/special.js";
import { expectWithin } from "../helpers.js";
import { chiSquareCritical, chiSquareStat, poolCells } from "./helpers.js";

/** Binomial(n, p) pmf at x, in log space (reference; logChoose is tested on its own). */
function binomialPmf(n: number, p: number, x: number): number {
  return Math.exp(logChoose(n, x) + x * Math.log(p) + (n - x) * Math.log1p(-p));
}

describe("binomial", () => {
  // (n, p) covering inversion (n·min(p, 1−p) < 10), BTPE, both sides of p = ½, and n up to 2³¹.
  const cases: [number, number][] = [
    [10, 0.3],
    [1000, 0.005],
    [50, 0.9],
    [2 ** 31, 1e-9],
    [20, 0.5],
    [100, 0.5],
    [1000, 0.99],
    [1_000_000, 0.3],
    [2 ** 31, 0.5],
  ];
  for (const [n, p] of cases) {
    it(`n = ${n}, p = ${p}: mean np and variance np(1 − p) within Z standard errors`, () => {
      const rng = new Rng(`test-binomial-moments-${n}-${p}`);
      const draws = 100_000;
      let s = 0;
      let s2 = 0;
      let inRange = true;
      const shift = Math.round(n * p); // moments about a nearby constant keep sums exact-ish
      for (let i = 0; i < draws; i++) {
        const x = binomial(rng, n, p);
        if (!(Number.isInteger(x) && x >= 0 && x <= n)) inRange = false;
        s += x - shift;
        s2 += (x - shift) ** 2;
      }
      expect(inRange).toBe(true);
      const mean = s / draws + shift;
      const variance = (s2 - (s * s) / draws) / (draws - 1);
      const q = 1 - p;
      const v = n * p * q;
      // SE of the mean √(v/N); SE of the sample variance √((μ₄ − v²)/N) with the binomial
      // fourth central moment μ₄ = v·(1 + 3(n − 2)pq).
      const mu4 = v * (1 + 3 * (n - 2) * p * q);
      expectWithin(mean, n * p, Math.sqrt(v / draws), "mean");
      expectWithin(variance, v, Math.sqrt((mu4 - v * v) / draws), "variance");
    });
  }

  // Exact pmf: inversion (n·p = 6), BTPE at its threshold (n·p = 10 with q = ½ and q ≈ 1), and
  // n·p·q = 100 and 2500, where draws with 20 < |y − m| < npq/2 − 1 go through BTPE's squeeze
  // and Stirling steps (at npq = 100 the squeeze band is wide, so many reach the final test).
  const pmfCases: [number, number, number][] = [
    [30, 0.2, 200_000],
    [20, 0.5, 200_000],
    [1000, 0.01, 200_000],
    [100, 0.85, 200_000],
    [400, 0.5, 1_000_000],
    [10_000, 0.5, 200_000],
  ];
  for (const [n, p, draws] of pmfCases) {
    it(`n = ${n}, p = ${p}: χ² against the exact pmf (${draws} draws, cells pooled to E ≥ 5)`, () => {
      const rng = new Rng(`test-binomial-pmf-${n}-${p}`);
      const counts = new Float64Array(n + 1);
      for (let i = 0; i < draws; i++) counts[binomial(rng, n, p)]! += 1;
      const expected = new Float64Array(n + 1).map((_, x) => draws * binomialPmf(n, p, x));
      const pooled = poolCells(counts, expected);
      expect(chiSquareStat(pooled.observed, pooled.expected)).toBeLessThan(chiSquareCritical(pooled.observed.length - 1));
    });
  }

  it("handles n = 0, p = 0 and p = 1 without drawing, and is reproducible", () => {
    const rng = new Rng("test-binomial-edge");
    const before = new Rng("test-binomial-edge").nextUint32();
    expect(binomial(rng, 0, 0.5)).toBe(0);
    expect(binomial(rng, 100, 0)).toBe(0);
    expect(binomial(rng, 100, 1)).toBe(100);
    expect(binomial(rng, 2 ** 31, 1)).toBe(2 ** 31);
    expect(rng.nextUint32()).toBe(before);
    const a = new Rng("test-binomial-repro");
    const b = new Rng("test-binomial-repro");
    for (let i = 0; i < 100; i++) expect(binomial(a, 5000, 0.37)).toBe(binomial(b, 5000, 0.37));
  });

  it("rejects invalid n and p", () => {
    const rng = new Rng("test-binomial-args");
    for (const n of [-1, 1.5, 2 ** 31 + 1, Number.NaN, Infinity]) {
      expect(() => binomial(rng, n, 0.5)).toThrow(RangeError);
    }
    for (const p of [-0.1, 1.1, Number.NaN]) expect(() => binomial(rng, 10, p)).toThrow(RangeError);
  });
});

describe("multinomialCounts", () => {
  it("sums to n, gives zero-weight categories 0, and has marginal means nπᵢ", () => {
    const rng = new Rng("test-multinomial-means");
    const probs = Float64Array.of(5, 0, 3, 1.5, 0.5, 0, 0.01); // unnormalised, Σ = 10.01
    const total = probs.reduce((a, b) => a + b, 0);
    const n = 1000;
    const reps = 20_000;
    const sums = new Float64Array(probs.length);
    const out = new Float64Array(probs.length);
    for (let r = 0; r < reps; r++) {
      multinomialCounts(rng, n, probs, out);
      let s = 0;
      for (let i = 0; i < out.length; i++) {
        if (!Number.isInteger(out[i]!) || out[i]! < 0) throw new Error(`non-count ${out[i]}`);
        if (probs[i] === 0 && out[i] !== 0) throw new Error(`zero-weight category ${i} got ${out[i]}`);
        s += out[i]!;
        sums[i]! += out[i]!;
      }
      if (s !== n) throw new Error(`counts sum to ${s}`);
    }
    for (let i = 0; i < probs.length; i++) {
      const pi = probs[i]! / total;
      // Xᵢ ~ Binomial(n, πᵢ): SE of its mean over reps is √(nπᵢ(1 − πᵢ)/reps).
      const se = Math.sqrt((n * pi * (1 - pi)) / reps);
      expectWithin(sums[i]! / reps, n * pi, se, `category ${i}`);
    }
  });

  it("matches the exact joint pmf for n = 4 over 3 categories (χ², 15 outcomes)", () => {
    const rng = new Rng("test-multinomial-joint");
    const pi = [0.5, 0.3, 0.2];
    const n = 4;
    const reps = 100_000;
    const counts = new Map<string, number>();
    const out = new Float64Array(3);
    for (let r = 0; r < reps; r++) {
      multinomialCounts(rng, n, Float64Array.from(pi), out);
      const key = `${out[0]},${out[1]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
    const obs: number[] = [];
    const exp: number[] = [];
    for (let a = 0; a <= n; a++) {
      for (let b = 0; a + b <= n; b++) {
        const c = n - a - b;
        const p = (fact(n) / (fact(a) * fact(b) * fact(c))) * pi[0]! ** a * pi[1]! ** b * pi[2]! ** c;
        obs.push(counts.get(`${a},${b}`) ?? 0);
        exp.push(reps * p);
      }
    }
    expect(obs.reduce((s, x) => s + x, 0)).toBe(reps);
    const pooled = poolCells(obs, exp);
    expect(chiSquareStat(pooled.observed, pooled.expected)).toBeLessThan(chiSquareCritical(pooled.observed.length - 1));
  });

  it("handles n = 0, n = 2³¹, a single positive category, and leaves out[K…] alone", () => {
    const rng = new Rng("test-multinomial-edge");
    expect(Array.from(multinomialCounts(rng, 0, Float64Array.of(1, 2), new Float64Array(2)))).toEqual([0, 0]);
    const big = multinomialCounts(rng, 2 ** 31, Float64Array.of(1, 1e-12, 3, 0), new Float64Array(4));
    expect(big.reduce((a, b) => a + b, 0)).toBe(2 ** 31);
    expect(big[3]).toBe(0);
    expect(Array.from(multinomialCounts(rng, 7, Float64Array.of(0, 4, 0), new Float64Array(3)))).toEqual([0, 7, 0]);
    const out = new Float64Array(4).fill(-1);
    multinomialCounts(rng, 5, Float64Array.of(1, 1, 1), out);
    expect(out[3]).toBe(-1);
  });

  it("rejects invalid n, probs and out", () => {
    const rng = new Rng("test-multinomial-args");
    const out = new Float64Array(3);
    expect(() => multinomialCounts(rng, -1, Float64Array.of(1, 1), out)).toThrow(RangeError);
    expect(() => multinomialCounts(rng, 2.5, Float64Array.of(1, 1), out)).toThrow(RangeError);
    expect(() => multinomialCounts(rng, 5, Float64Array.of(0, 0), out)).toThrow(RangeError);
    expect(() => multinomialCounts(rng, 5, Float64Array.of(1, -1), out)).toThrow(RangeError);
    expect(() => multinomialCounts(rng, 5, Float64Array.of(1, Number.NaN), out)).toThrow(RangeError);
    expect(() => multinomialCounts(rng, 5, Float64Array.of(1, 1, 1, 1), out)).toThrow(RangeError);
    expect(() => multinomialCounts(rng, 5, new Float64Array(0), out)).toThrow(RangeError);
  });
});
