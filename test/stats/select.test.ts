import { describe, expect, it, vi } from "vitest";
import { quantileRanks, quantileSorted, quantiles, quantilesAtRanks, quantilesInPlace, SORT_MAX } from "../../src/stats/quantiles.js";
import { Rng } from "../../src/stats/rng.js";
import { selectInPlace, selectRanks } from "../../src/stats/select.js";

/** Inputs that break naive quickselects: random, sorted, reversed, constant, few values, organ pipe. */
type ShapeName = "random" | "sorted" | "reversed" | "constant" | "twoValues" | "organPipe" | "fewDistinct";

function shapes(rng: Rng, n: number): Record<ShapeName, Float64Array> {
  const random = new Float64Array(n).map(() => rng.random() * 100 - 50);
  const sorted = Float64Array.from(random).sort();
  const reversed = Float64Array.from(sorted).reverse();
  const constant = new Float64Array(n).fill(3.25);
  const twoValues = new Float64Array(n).map(() => (rng.random() < 0.5 ? 0 : 1));
  const organPipe = new Float64Array(n).map((_, i) => Math.min(i, n - 1 - i));
  const fewDistinct = new Float64Array(n).map(() => Math.floor(rng.random() * 5));
  return { random, sorted, reversed, constant, twoValues, organPipe, fewDistinct };
}

/** Sorted copy: the slow, obvious reference. */
function sortedCopy(x: Float64Array): Float64Array {
  return Float64Array.from(x).sort();
}

/** Whether a is a permutation of the values in sortedRef (a plain loop: toEqual is slow on big arrays). */
function isPermutationOf(a: Float64Array, sortedRef: Float64Array): boolean {
  const s = sortedCopy(a);
  if (s.length !== sortedRef.length) return false;
  for (let i = 0; i < s.length; i++) if (s[i] !== sortedRef[i]) return false;
  return true;
}

describe("selectInPlace", () => {
  it("returns the k-th smallest and partitions around it, on every input shape", () => {
    const rng = new Rng("test-select-k");
    for (const n of [1, 2, 3, 5, 17, 100, 601, 2000, 8000]) {
      for (const [name, x] of Object.entries(shapes(rng, n))) {
        const ref = sortedCopy(x);
        for (const k of [0, n - 1, n >> 1, Math.floor(rng.random() * n), Math.floor(rng.random() * n)]) {
          const a = Float64Array.from(x);
          const v = selectInPlace(a, k);
          expect(v, `${name} n=${n} k=${k}`).toBe(ref[k]);
          expect(a[k]).toBe(v);
          for (let i = 0; i < k; i++) if (!(a[i]! <= v)) throw new Error(`${name} n=${n} k=${k}: a[${i}] > a[k]`);
          for (let i = k + 1; i < n; i++) if (!(a[i]! >= v)) throw new Error(`${name} n=${n} k=${k}: a[${i}] < a[k]`);
          expect(isPermutationOf(a, ref)).toBe(true);
        }
      }
    }
  });

  it("selects within [lo, hi] and leaves the rest alone", () => {
    const a = Float64Array.of(9, 8, 5, 1, 4, 2, 0, -1);
    const v = selectInPlace(a, 3, 2, 5); // ranks within a[2..5] = {5, 1, 4, 2}: index 3 is the 2nd smallest
    expect(v).toBe(2);
    expect([a[0], a[1], a[6], a[7]]).toEqual([9, 8, 0, -1]);
  });

  /** The four ordered shapes of n values that defeat naive pivots. */
  const ordered = (n: number) => [
    new Float64Array(n).map((_, i) => i),
    new Float64Array(n).map((_, i) => n - i),
    new Float64Array(n).fill(1),
    new Float64Array(n).map((_, i) => Math.min(i, n - 1 - i)),
  ];

  it("never falls back to sorting on sorted, reversed, constant and organ-pipe values of 10³ to 4·10⁵", () => {
    // The introspective fallback sorts; on these shapes it must never be needed. Sizes on a
    // geometric grid, and three at which a rank next to the end of a reversed range once
    // exhausted the budget (it did at most sizes from 4,766 to 44,492 values, never at 300k).
    const sizes = [4766, 10037, 44492];
    for (let n = 1000; n <= 400_000; n = Math.ceil(n * 1.25)) sizes.push(n);
    const sorted: string[] = [];
    const sortSpy = vi.spyOn(Float64Array.prototype, "sort");
    try {
      for (const n of sizes) {
        for (const [shape, x] of ordered(n).entries()) {
          for (const k of [1, 2, n >> 2, n >> 1, n - 3, n - 2]) {
            sortSpy.mockClear();
            selectInPlace(Float64Array.from(x), k);
            if (sortSpy.mock.calls.length > 0) sorted.push(`shape ${shape}, n = ${n}, k = ${k}`);
          }
        }
      }
    } finally {
      // Read before this: restoring a spy forgets its calls (which once made this test unable to fail).
      sortSpy.mockRestore();
    }
    expect(sorted).toEqual([]);
  });

  it("stays linear: at most 6 element reads per value on 100k values of those shapes (counted, not timed)", () => {
    // Floyd–Rivest makes about n + min(k, n − k) ≤ 1.5n comparisons, each reading one element, and
    // at most as many swaps, each reading two: ≤ 4.5n reads plus lower-order terms (measured: ≤ 4.2n,
    // for constant input at an extreme rank). Sorting would read ≈ log₂ n ≈ 17 times per value, a
    // quadratic selection ≈ n/4. A Proxy counts the reads; the values and the algorithm are fixed,
    // so the count is exact and the same on every machine.
    const n = 100_000;
    for (const [shape, x] of ordered(n).entries()) {
      for (const k of [1, n >> 2, n >> 1, n - 2]) {
        let reads = 0;
        const counted = new Proxy(Float64Array.from(x), {
          get: (target, key) => {
            // An index is a string of digits; the array's methods and length are not reads.
            if (typeof key === "string" && key.charCodeAt(0) <= 57) reads++;
            return Reflect.get(target, key);
          },
          set: (target, key, value) => Reflect.set(target, key, value),
        });
        selectInPlace(counted, k);
        expect(reads / n, `shape ${shape}, k = ${k}`).toBeLessThanOrEqual(6);
      }
    }
  });

  it("throws on out-of-range k, lo or hi", () => {
    const a = Float64Array.of(1, 2, 3);
    expect(() => selectInPlace(a, 3)).toThrow(RangeError);
    expect(() => selectInPlace(a, -1)).toThrow(RangeError);
    expect(() => selectInPlace(a, 0, 1, 2)).toThrow(RangeError);
    expect(() => selectInPlace(a, 1, 0, 3)).toThrow(RangeError);
    expect(() => selectInPlace(a, 0.5)).toThrow(RangeError);
    expect(() => selectInPlace(new Float64Array(0), 0)).toThrow(RangeError);
  });
});

describe("quantileSorted", () => {
  it("matches numpy's default (type 7) on known values", () => {
    // numpy.quantile([1, 2, 3, 4], [0, .25, .5, .75, 1]) → [1, 1.75, 2.5, 3.25, 4]
    const x = [1, 2, 3, 4];
    expect([0, 0.25, 0.5, 0.75, 1].map((p) => quantileSorted(x, p))).toEqual([1, 1.75, 2.5, 3.25, 4]);
    // numpy.quantile([10, 20, 40], 0.9) → 36.0
    expect(quantileSorted([10, 20, 40], 0.9)).toBeCloseTo(36, 12);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });

  it("throws on empty data or p outside [0, 1]", () => {
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
    expect(() => quantileSorted([1], 1.5)).toThrow(RangeError);
    expect(() => quantileSorted([1], Number.NaN)).toThrow(RangeError);
  });
});

describe("quantilesInPlace / quantiles", () => {
  it("agree exactly with sort + quantileSorted for many p on every input shape", () => {
    const rng = new Rng("test-select-quantiles");
    // Up to SORT_MAX values the order statistics come from a sort, above it from the selection.
    for (const n of [1, 2, 3, 4, 10, 99, SORT_MAX, SORT_MAX + 1, 1000, 30_001]) {
      for (const [name, x] of Object.entries(shapes(rng, n))) {
        const ps = [0, 1, 0.5, 0.025, 0.975, 1 / 3];
        for (let i = 0; i < 20; i++) ps.push(rng.random());
        const ref = sortedCopy(x);
        const expected = ps.map((p) => quantileSorted(ref, p));
        const a = Float64Array.from(x);
        // Same order statistics and the same interpolation formula: equal to the last bit.
        expect(Array.from(quantilesInPlace(a, ps)), `${name} n=${n}`).toEqual(expected);
        expect(isPermutationOf(a, ref)).toBe(true);
      }
    }
  });

  it("agree with the sort-based reference on 150k values of many shapes (the large-array path)", () => {
    const rng = new Rng("test-select-large");
    const n = 150_000;
    const { random, sorted, constant, twoValues } = shapes(rng, n);
    const inputs: Record<string, Float64Array> = {
      random,
      sorted,
      constant,
      twoValues,
      cauchy: new Float64Array(n).map(() => Math.tan(Math.PI * (rng.random() - 0.5))),
      outliers: new Float64Array(n).map((_, i) => (i % 1000 === 0 ? 1e300 : rng.random())),
      tiny: new Float64Array(n).map(() => rng.random() * 1e-300),
    };
    const ps = [0, 0.001, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 0.999, 1];
    for (let i = 0; i < 10; i++) ps.push(rng.random());
    for (const [name, x] of Object.entries(inputs)) {
      const ref = sortedCopy(x);
      const expected = ps.map((p) => quantileSorted(ref, p));
      expect(Array.from(quantilesInPlace(Float64Array.from(x), ps)), name).toEqual(expected);
      expect(Array.from(quantiles(x, ps)), name).toEqual(expected);
    }
  });

  it("give a NaN's values as the selection does, not sorted to the end, at any size", () => {
    const rng = new Rng("test-select-nan");
    const ps = [0.5, 0.025, 0.975];
    for (const n of [5, SORT_MAX, 1000]) {
      const x = new Float64Array(n).map(() => rng.random());
      x[Math.floor(n / 3)] = Number.NaN;
      const ranks = quantileRanks(ps, n);
      const selected = quantilesAtRanks(ps, n, selectRanks(Float64Array.from(x), [...ranks], n));
      expect(Array.from(quantiles(x, ps)), `n=${n}`).toEqual(Array.from(selected));
    }
  });

  it("handles a single p, duplicate p's, and the first n elements only", () => {
    const x = Float64Array.of(5, 3, 1, 4, 2, 100, -100);
    expect(Array.from(quantilesInPlace(Float64Array.from(x), [0.5, 0.5, 0, 1], 5))).toEqual([3, 3, 1, 5]);
    expect(Array.from(quantilesInPlace(Float64Array.from(x), [0.25]))).toEqual([1.5]);
  });

  it("quantiles leaves x untouched and reuses a large enough scratch buffer", () => {
    const rng = new Rng("test-select-scratch");
    const x = new Float64Array(500).map(() => rng.random());
    const copy = Float64Array.from(x);
    const scratch = new Float64Array(1000);
    const q = quantiles(x, [0.1, 0.9], scratch);
    expect(x).toEqual(copy);
    const ref = sortedCopy(x);
    expect(Array.from(q)).toEqual([quantileSorted(ref, 0.1), quantileSorted(ref, 0.9)]);
    expect(scratch.subarray(0, 500)).not.toEqual(new Float64Array(500)); // it was used
    // Too small a scratch is replaced, not overrun.
    expect(Array.from(quantiles(x, [0.5], new Float64Array(3)))).toEqual([quantileSorted(ref, 0.5)]);
  });

  // The positions of the last (ps, n) are kept between calls (quantiles.ts positionsFor): a changed
  // probability in the same array, another n, or a bad p after a good call must not reuse them.
  it("gives fresh answers when the same ps array changes, or n changes, between calls", () => {
    const rng = new Rng("test-quantiles-positions");
    const x = new Float64Array(300).map(() => rng.random());
    const ps = [0.5, 0.025, 0.975];
    const check = (data: Float64Array) => expect(Array.from(quantiles(data, ps))).toEqual(ps.map((p) => quantileSorted(sortedCopy(data), p)));
    check(x);
    ps[1] = 0.3;
    check(x);
    check(x.subarray(0, 7));
    check(x.subarray(0, 1));
    check(x);
    ps.push(0.99);
    check(x);
    ps[0] = 1.5;
    expect(() => quantiles(x, ps)).toThrow(RangeError);
  });

  it("throws on empty input or p outside [0, 1]", () => {
    expect(() => quantiles(new Float64Array(0), [0.5])).toThrow(RangeError);
    expect(() => quantilesInPlace(Float64Array.of(1, 2), [0.5], 0)).toThrow(RangeError);
    expect(() => quantilesInPlace(Float64Array.of(1, 2), [-0.1])).toThrow(RangeError);
    expect(() => quantiles(Float64Array.of(1, 2), [Number.NaN])).toThrow(RangeError);
  });
});
