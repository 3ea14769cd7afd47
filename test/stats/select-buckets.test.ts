import { describe, expect, it } from "vitest";
import { mean, variance } from "../../src/stats/moments.js";
import { quantileRanks, quantileSorted, quantiles, quantilesAtRanks } from "../../src/stats/quantiles.js";
import { Rng } from "../../src/stats/rng.js";
import { selectRanks } from "../../src/stats/select.js";
import { bucketLayout, meanCountingBuckets, orderStatisticsByBuckets, planBuckets, varianceKeeping } from "../../src/stats/select-buckets.js";
import { fillNormal } from "../../src/stats/ziggurat.js";

/** Whether two arrays hold the same bits (toEqual on 150,000-value typed arrays takes about a third of a second). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** The obvious reference: sort a copy. */
function sortedCopy(x: Float64Array): Float64Array {
  return Float64Array.from(x).sort();
}

const n = 150_000;
const rng = new Rng("buckets");
const datasets: Record<string, Float64Array> = {
  normal: fillNormal(new Float64Array(n), rng, 3, 2),
  "cauchy (heavy tails)": Float64Array.from({ length: n }, () => Math.tan(Math.PI * (rng.random() - 0.5))),
  "few distinct values (ties)": Float64Array.from({ length: n }, () => rng.below(7)),
  "sorted ascending": Float64Array.from({ length: n }, (_, i) => i * 0.5),
  "sorted descending": Float64Array.from({ length: n }, (_, i) => -i),
  constant: new Float64Array(n).fill(4.2),
  "mostly constant, one outlier": Float64Array.from({ length: n }, (_, i) => (i === 77 ? 1e300 : 1)),
  "lognormal (skewed)": fillNormal(new Float64Array(n), rng, 0, 3).map(Math.exp),
};

describe("orderStatisticsByBuckets is exact whatever the data", () => {
  const ranks = [0, 1, 149, 1500, 37_499, 37_500, 74_999, 75_000, 112_500, 148_500, n - 2, n - 1];
  for (const [name, data] of Object.entries(datasets)) {
    it(name, () => {
      const sorted = sortedCopy(data);
      const got = orderStatisticsByBuckets(Float64Array.from(data), ranks, n);
      expect(Array.from(got)).toEqual(ranks.map((r) => sorted[r]!));
      // Working in another buffer: the same values, and the input left as it was.
      const input = Float64Array.from(data);
      const elsewhere = orderStatisticsByBuckets(input, ranks, n, new Float64Array(n));
      expect(Array.from(elsewhere)).toEqual(ranks.map((r) => sorted[r]!));
      expect(sameBits(input, data)).toBe(true);
    });
  }
});

describe("quantiles on large arrays (the bucketed path) equal type-7 quantiles of the sorted data", () => {
  const ps = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];
  for (const [name, data] of Object.entries(datasets)) {
    it(name, () => {
      const sorted = sortedCopy(data);
      const input = Float64Array.from(data);
      expect(Array.from(quantiles(input, ps, new Float64Array(n)))).toEqual(ps.map((p) => quantileSorted(sorted, p)));
      expect(sameBits(input, data)).toBe(true);
    });
  }
});

describe("the fit's passes (meanCountingBuckets, varianceKeeping) in place of the selection's own", () => {
  const ranks = [0, 149, 37_500, 75_000, 148_500, n - 1];
  for (const [name, data] of Object.entries(datasets)) {
    it(`${name}: mean() and variance() bit for bit, and the order statistics among the values kept`, () => {
      // The probe's layout, and a fixed one that fits no dataset (exactness never rests on the
      // layout, only the work does). Even and odd lengths: the last value has a path of its own.
      const layouts = [bucketLayout(data, n), { lo: 0, inverseWidth: 1 }].filter((l) => l !== null);
      for (const layout of layouts) {
        for (const length of [n, n - 1]) {
          const { mean: m, counted } = meanCountingBuckets(data, length, layout);
          expect(Object.is(m, mean(data, length)), `length ${length}`).toBe(true);
          const sorted = sortedCopy(data.subarray(0, length));
          const wanted = ranks.map((r) => Math.min(r, length - 1));
          const plan = planBuckets(counted, wanted);
          for (const ddof of [0, 1] as const) {
            const { variance: v, kept } = varianceKeeping(data, m, ddof, length, plan);
            expect(Object.is(v, variance(data, m, ddof, length)), `length ${length}, ddof ${ddof}`).toBe(true);
            expect(kept.length).toBe(plan.keep);
            const got = selectRanks(kept, plan.localRanks, kept.length);
            expect(Array.from(got), `length ${length}, lo ${layout.lo}`).toEqual(wanted.map((r) => sorted[r]!));
          }
        }
      }
    });
  }

  it("hands an overflowing sum to mean()'s own path, as mean() does", () => {
    const big = Float64Array.from({ length: 1001 }, (_, i) => 1e308 - i * 1e292);
    const { mean: m } = meanCountingBuckets(big, big.length, bucketLayout(big, big.length) ?? { lo: 0, inverseWidth: 1 });
    expect(Number.isFinite(m)).toBe(true);
    expect(Object.is(m, mean(big))).toBe(true);
  });
});

describe("quantileRanks and quantilesAtRanks: quantiles from order statistics found elsewhere", () => {
  const ps = [0, 0.001, 0.3, 0.5, 0.999, 1];
  for (const [name, data] of Object.entries(datasets)) {
    it(name, () => {
      const sorted = sortedCopy(data);
      const values = Float64Array.from(quantileRanks(ps, n), (r) => sorted[r]!);
      expect(Array.from(quantilesAtRanks(ps, n, values))).toEqual(Array.from(quantiles(data, ps)));
    });
  }
});
