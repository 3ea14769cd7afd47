import { describe, expect, it } from "vitest";
import { hypergeometric, multivariateHypergeometric } from "../../src/stats/hypergeometric.js";
import { Rng } from "../../src/stats/rng.js";
import { logChoose } from "../../src/stats/special.js";
import { expectWithin } from "../helpers.js";
import { chiSquareCritical, chiSquareStat, poolCells } from "./helpers.js";

/** The exact pmf, by log-binomials: P(X = k) = C(m, k)·C(N − m, n − k)/C(N, n). */
function pmf(N: number, m: number, n: number, k: number): number {
  if (k < Math.max(0, n - (N - m)) || k > Math.min(n, m)) return 0;
  return Math.exp(logChoose(m, k) + logChoose(N - m, n - k) - logChoose(N, n));
}

describe("hypergeometric", () => {
  // One draw at a time (the smaller of the sample and the marked set below 16 after the flips,
  // with their roles swapped when the marked set is the smaller) and inversion from the mode, each
  // with the sample and the marked set flipped or not, up to a standard deviation of 70. 60,000
  // variates each: a downward ratio with m − k + 2 for m − k + 1 fails two of these cases.
  const cases: [number, number, number, number][] = [
    [50, 10, 8, 60_000],
    [200, 9, 80, 60_000],
    [200, 191, 120, 60_000],
    [50, 40, 45, 60_000],
    [60, 25, 30, 60_000],
    [1000, 900, 300, 60_000],
    [200_000, 37_000, 100_000, 60_000],
    [200_000, 150_000, 190_000, 60_000],
  ];
  for (const [N, m, n, draws] of cases) {
    it(`N = ${N}, marked ${m}, draws ${n}: χ² against the exact pmf (${draws} variates, cells pooled to E ≥ 5)`, () => {
      const rng = new Rng(`test-hypergeometric-${N}-${m}-${n}`);
      const counts = new Float64Array(n + 1);
      for (let i = 0; i < draws; i++) counts[hypergeometric(rng, N, m, n)]! += 1;
      const expected = new Float64Array(n + 1).map((_, k) => draws * pmf(N, m, n, k));
      const pooled = poolCells(counts, expected);
      expect(pooled.observed.length).toBeGreaterThan(3);
      expect(chiSquareStat(pooled.observed, pooled.expected)).toBeLessThan(chiSquareCritical(pooled.observed.length - 1));
    });
  }

  it("has the hypergeometric mean n·m/N within Z standard errors where the χ² cells are coarse", () => {
    const rng = new Rng("test-hypergeometric-mean");
    const [N, m, n, T] = [1_000_000, 300_000, 400_000, 20_000];
    let s = 0;
    for (let t = 0; t < T; t++) s += hypergeometric(rng, N, m, n);
    const variance = (n * (m / N) * (1 - m / N) * (N - n)) / (N - 1);
    expectWithin(s / T, (n * m) / N, Math.sqrt(variance / T), "mean");
  });

  it("is certain where the support is a point, and rejects what is not a hypergeometric", () => {
    const rng = new Rng("test-hypergeometric-edges");
    expect(hypergeometric(rng, 10, 0, 5)).toBe(0);
    expect(hypergeometric(rng, 10, 10, 5)).toBe(5);
    expect(hypergeometric(rng, 10, 4, 0)).toBe(0);
    expect(hypergeometric(rng, 10, 4, 10)).toBe(4);
    expect(hypergeometric(rng, 0, 0, 0)).toBe(0);
    expect(() => hypergeometric(rng, 10, 11, 5)).toThrow(RangeError);
    expect(() => hypergeometric(rng, 10, 4, 11)).toThrow(RangeError);
    expect(() => hypergeometric(rng, 10, 4.5, 2)).toThrow(RangeError);
    expect(() => hypergeometric(rng, 10, -1, 2)).toThrow(RangeError);
  });

  it("draws from pools larger than 2³² (one by one and from the mode) within Z standard errors of the mean", () => {
    const rng = new Rng("test-hypergeometric-huge");
    const N = 3 * 2 ** 32;
    for (const [m, n] of [
      [5, N / 3],
      [N / 4, 2 ** 20],
    ] as const) {
      const T = 4000;
      let s = 0;
      for (let t = 0; t < T; t++) s += hypergeometric(rng, N, m, n);
      const variance = (n * (m / N) * (1 - m / N) * (N - n)) / (N - 1);
      expectWithin(s / T, (n * m) / N, Math.sqrt(variance / T), `mean, marked ${m} of 3·2³², ${n} drawn`);
    }
  });

  it("is reproducible from the same stream", () => {
    const a = new Rng("same");
    const b = new Rng("same");
    for (let i = 0; i < 100; i++) expect(hypergeometric(a, 5000, 1200, 2000)).toBe(hypergeometric(b, 5000, 1200, 2000));
  });
});

describe("multivariateHypergeometric", () => {
  it("matches the exact joint pmf for 5 drawn from 2 + 3 + 4 (χ² over every outcome)", () => {
    // P(x) = Π C(cᵢ, xᵢ)/C(N, n): 11 outcomes with x₀ + x₁ + x₂ = 5.
    const counts = Float64Array.of(2, 3, 4);
    const rng = new Rng("test-mvhyper-joint");
    const T = 200_000;
    const seen = new Map<string, number>();
    for (let t = 0; t < T; t++) {
      const key = Array.from(multivariateHypergeometric(rng, counts, 5)).join(",");
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const choose = (a: number, b: number) => (b < 0 || b > a ? 0 : Math.round(Math.exp(logChoose(a, b))));
    const observed: number[] = [];
    const expected: number[] = [];
    for (let x0 = 0; x0 <= 2; x0++) {
      for (let x1 = 0; x1 <= 3; x1++) {
        const x2 = 5 - x0 - x1;
        if (x2 < 0 || x2 > 4) continue;
        observed.push(seen.get(`${x0},${x1},${x2}`) ?? 0);
        expected.push((T * choose(2, x0) * choose(3, x1) * choose(4, x2)) / choose(9, 5));
      }
    }
    expect(observed.length).toBe(11);
    expect(observed.reduce((a, b) => a + b, 0)).toBe(T);
    const pooled = poolCells(observed, expected);
    expect(chiSquareStat(pooled.observed, pooled.expected)).toBeLessThan(chiSquareCritical(pooled.observed.length - 1));
  });

  it("sums to n, never exceeds a category, leaves empty ones at 0, and takes everything at n = N", () => {
    const counts = Float64Array.of(36_993, 0, 27_412, 1, 5, 135_582);
    const N = counts.reduce((a, b) => a + b, 0);
    const rng = new Rng("test-mvhyper-sums");
    for (const n of [0, 1, 17, 100_000, N - 3, N]) {
      const x = multivariateHypergeometric(rng, counts, n);
      expect(x.reduce((a, b) => a + b, 0)).toBe(n);
      for (let i = 0; i < counts.length; i++) expect(x[i]).toBeLessThanOrEqual(counts[i]!);
      expect(x[1]).toBe(0);
    }
    expect(Array.from(multivariateHypergeometric(rng, counts, N))).toEqual(Array.from(counts));
    expect(() => multivariateHypergeometric(rng, counts, N + 1)).toThrow(RangeError);
  });
});
