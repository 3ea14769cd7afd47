/**
 * Exact order statistics of a large array in two linear passes, by bucketing values:
 *
 * 1. a strided sample of 1024 values gives a centre and a scale; 8192 equal-width buckets cover
 *    centre ± 8 scale, with everything beyond falling into the two end buckets;
 * 2. pass one counts the values of each bucket; cumulative counts tell which bucket holds each
 *    wanted rank;
 * 3. pass two moves the values of those few buckets to the front of the array, and the wanted
 *    ranks are selected among them only (about n/1000 values each for well-spread data).
 *
 * The bucket index floor((x − lo)/width) is monotone in x even in floating point, so every value
 * of a bucket is ≥ every value of the buckets below it, and the result is exact whatever the data;
 * skewed or heavy-tailed data only make the selected set larger, never the answer wrong. Both
 * passes are nearly branch-free, which is what makes this faster than comparison-based
 * multi-selection on the whole array (≈ 3× on 10⁶ normal values and nine quantiles).
 */
import { selectRanks } from "./select.js";

/** Below this size whole-array selection is as fast. */
export const BUCKET_SELECTION_MIN = 100_000;

const BUCKETS = 8192;
const PROBE = 1024;
const SPAN_SCALES = 8;

/**
 * Values of the order statistics `ranks` (sorted, distinct, 0-based, all < n) of a[0..n).
 * Works in `into` (at least n long; by default a itself, which is then reordered): the values of
 * the wanted buckets are compacted there, so a caller that must keep `a` intact passes a scratch
 * buffer instead of copying `a` into it first. NaN is not expected.
 */
export function orderStatisticsByBuckets(a: Float64Array, ranks: readonly number[], n: number, into: Float64Array = a): Float64Array {
  // Centre and scale from a strided probe; they only need to be roughly right.
  let sum = 0;
  let sumSq = 0;
  const step = Math.max(1, Math.floor(n / PROBE));
  let count = 0;
  for (let i = 0; i < n; i += step) {
    const x = a[i]!;
    sum += x;
    sumSq += x * x;
    count++;
  }
  const centre = sum / count;
  const scale = Math.sqrt(Math.max(0, sumSq / count - centre * centre));
  if (!(scale > 0) || !Number.isFinite(scale)) {
    if (into !== a) into.set(a.subarray(0, n));
    return selectRanks(into, ranks, n);
  }

  const lo = centre - SPAN_SCALES * scale;
  const inverseWidth = (BUCKETS - 2) / (2 * SPAN_SCALES * scale);
  const last = BUCKETS - 1;
  const counts = new Int32Array(BUCKETS);
  // Bucket 0 holds x < lo, bucket BUCKETS−1 holds x beyond the span; the others are equal widths.
  for (let i = 0; i < n; i++) {
    const t = (a[i]! - lo) * inverseWidth + 1;
    const b = t < 1 ? 0 : t >= last ? last : t | 0;
    counts[b]!++;
  }

  // Which bucket holds each wanted rank, and how many values of unwanted buckets lie below it.
  const wanted = new Uint8Array(BUCKETS);
  const bucketOf = new Int32Array(ranks.length);
  let cumulative = 0;
  let r = 0;
  for (let b = 0; b < BUCKETS && r < ranks.length; b++) {
    const end = cumulative + counts[b]!;
    while (r < ranks.length && ranks[r]! < end) {
      bucketOf[r] = b;
      wanted[b] = 1;
      r++;
    }
    cumulative = end;
  }
  const unwantedBelow = new Float64Array(ranks.length);
  let skipped = 0;
  r = 0;
  for (let b = 0; b < BUCKETS && r < ranks.length; b++) {
    while (r < ranks.length && bucketOf[r] === b) unwantedBelow[r++] = skipped;
    if (!wanted[b]) skipped += counts[b]!;
  }

  // Compact the wanted buckets' values to the front of `into` (in place, writing never overtakes reading).
  let w = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const t = (x - lo) * inverseWidth + 1;
    const b = t < 1 ? 0 : t >= last ? last : t | 0;
    if (wanted[b]) into[w++] = x;
  }
  const local = Array.from(ranks, (k, j) => k - unwantedBelow[j]!);
  return selectRanks(into, local, w);
}
