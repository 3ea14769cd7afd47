import { describe, expect, it } from "vitest";
import { mean, variance } from "../../src/stats/moments.js";
import { Rng } from "../../src/stats/rng.js";
import { relErr } from "./helpers.js";

/** The textbook definitions, one obvious loop each. */
function naiveMean(x: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  return s / n;
}
function naiveVariance(x: ArrayLike<number>, n: number, ddof: number): number {
  const m = naiveMean(x, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i]! - m) ** 2;
  return s / (n - ddof);
}

function randomArray(rng: Rng, n: number, scale: number, offset: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = offset + scale * (rng.random() - 0.5);
  return x;
}

describe("mean", () => {
  it("matches the naive sum on random arrays of many sizes", () => {
    const rng = new Rng("test-moments-mean");
    for (const n of [1, 2, 3, 7, 100, 1001, 100_000]) {
      const x = randomArray(rng, n, 10, 3);
      // Both sums carry rounding error ≈ n·2⁻⁵³ relative in the worst case; 1e-12 is generous.
      expect(relErr(mean(x), naiveMean(x, n))).toBeLessThan(1e-12);
    }
  });

  it("reads only the first n elements", () => {
    const x = Float64Array.of(1, 2, 3, 1000);
    expect(mean(x, 3)).toBe(2);
    expect(mean(x)).toBe(251.5);
  });

  it("throws on an empty or out-of-range n", () => {
    expect(() => mean(new Float64Array(0))).toThrow(RangeError);
    expect(() => mean(Float64Array.of(1, 2), 3)).toThrow(RangeError);
    expect(() => mean(Float64Array.of(1, 2), 1.5)).toThrow(RangeError);
  });
});

describe("variance", () => {
  it("matches the naive two-pass formula for ddof 0 and 1", () => {
    const rng = new Rng("test-moments-variance");
    for (const n of [2, 3, 10, 999, 50_000]) {
      const x = randomArray(rng, n, 4, -7);
      const mu = mean(x);
      for (const ddof of [0, 1] as const) {
        expect(relErr(variance(x, mu, ddof), naiveVariance(x, n, ddof))).toBeLessThan(1e-12);
      }
    }
  });

  it("is accurate with a large offset (where the one-pass formula fails)", () => {
    // 1e8 + {4, 7, 13, 16}: exact mean 1e8 + 10, exact unbiased variance 30. All values and the
    // mean are exact doubles, so only the deviations' rounding remains: tolerance 1e-12.
    const x = Float64Array.of(1e8 + 4, 1e8 + 7, 1e8 + 13, 1e8 + 16);
    expect(relErr(variance(x, mean(x), 1), 30)).toBeLessThan(1e-12);
    expect(relErr(variance(x, mean(x), 0), 22.5)).toBeLessThan(1e-12);
    // Offset 1e9 with a spread of 1e-3: the compensation term removes the mean's rounding error.
    const rng = new Rng("test-moments-offset");
    const y = randomArray(rng, 10_001, 1e-3, 1e9);
    const shifted = y.map((v) => v - 1e9); // exact: the values share the exponent range of 1e9
    expect(relErr(variance(y, mean(y), 1), naiveVariance(shifted, y.length, 1))).toBeLessThan(1e-6);
  });

  it("equals the variance about the sample mean for any nearby mu (compensation)", () => {
    const x = Float64Array.of(1, 2, 3, 4);
    // Σ(x − μ)² − (Σ(x − μ))²/n = Σ(x − x̄)² algebraically.
    expect(variance(x, 2.5, 1)).toBeCloseTo(5 / 3, 14);
    expect(variance(x, 2.4, 1)).toBeCloseTo(5 / 3, 14);
  });

  it("gives 0 for constant data and reads only the first n elements", () => {
    expect(variance(new Float64Array(10).fill(0.1), 0.1, 1)).toBe(0);
    const x = Float64Array.of(1, 2, 3, 1e6);
    expect(variance(x, 2, 1, 3)).toBe(1);
  });

  it("throws when n ≤ ddof, n out of range, or ddof invalid", () => {
    expect(() => variance(Float64Array.of(1), 1, 1)).toThrow(RangeError);
    expect(variance(Float64Array.of(1), 1, 0)).toBe(0);
    expect(() => variance(Float64Array.of(1, 2), 1, 0, 5)).toThrow(RangeError);
    expect(() => variance(Float64Array.of(1, 2), 1, 2 as 0)).toThrow(RangeError);
  });
});
