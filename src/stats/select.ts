/**
 * Order statistics in linear time, without sorting: Floyd–Rivest selection of one rank
 * (selectInPlace) or several at once (selectRanks). The quantiles built on them are in quantiles.ts.
 *
 * Sorting a Float64Array in V8 is ~17× slower than numpy's sort (ARCHITECTURE §7), and quantiles of
 * every generation's sample sit in the simulation's inner loop, so they are built on
 * Floyd–Rivest selection. NaN is not expected anywhere in this module: callers validate their
 * data. (A NaN compares false with everything, so it would land in an arbitrary position and
 * the results would be meaningless, though no loop runs forever.) Values are assumed finite.
 */
/** Above this range size, Floyd–Rivest picks its pivot by recursing on a sample. */
const SAMPLE_THRESHOLD = 600;

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Rearranges a[lo..hi] so that a[k] is its (k − lo)-th smallest value, everything in a[lo..k)
 * is ≤ a[k] and everything in (k..hi] is ≥ a[k]. Requires lo ≤ k ≤ hi (unchecked).
 */
function selectRange(a: Float64Array, k: number, lo: number, hi: number): void {
  // Introspection: a well-chosen pivot shrinks the range geometrically, so ~log n rounds
  // suffice. An adversarial input for median-of-3 could otherwise cost O(n²); past the budget
  // we sort the remaining range (O(n log n)). Random, sorted, reversed, constant and organ-pipe
  // inputs never get near it (test/stats/select.test.ts tries them at sizes from 10³ to 4·10⁵).
  let budget = 2 * Math.ceil(Math.log2(hi - lo + 2)) + 16;
  while (hi > lo) {
    // Ranks at or next to an end (the k+1 of an interpolated quantile right after selecting k,
    // say) are a few linear scans, cheaper than any partition: each scan moves the extreme of
    // what is left to its place. On a range the size of a median of three's, up to 8 of them:
    // there a rank next to the end of a reversed range, after the sample gathering's swaps, made
    // a median of three split off a few values a round until the budget ran out.
    const near = Math.min(k - lo, hi - k);
    if (near === 0 || (near < 8 && hi - lo < SAMPLE_THRESHOLD)) {
      if (k - lo === near) {
        for (let j = lo; j <= k; j++) {
          let best = j;
          let v = a[j]!;
          for (let i = j + 1; i <= hi; i++) if (a[i]! < v) v = a[(best = i)]!;
          swap(a, j, best);
        }
      } else {
        for (let j = hi; j >= k; j--) {
          let best = j;
          let v = a[j]!;
          for (let i = lo; i < j; i++) if (a[i]! > v) v = a[(best = i)]!;
          swap(a, j, best);
        }
      }
      return;
    }
    if (--budget < 0) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const size = hi - lo + 1;
    if (size > SAMPLE_THRESHOLD) {
      // Floyd & Rivest (1975), Algorithm 489: select within a sample of size ~n^(2/3) whose
      // bounds straddle rank k with high probability, so the pivot put at a[k] leaves only
      // O(n^(2/3)) elements on k's side — about n + min(k, n − k) comparisons in all.
      const m = k - lo + 1;
      const z = Math.log(size);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (size - s)) / size) * (m - size / 2 < 0 ? -1 : 1);
      const newLo = Math.max(lo, Math.floor(k - (m * s) / size + sd));
      const newHi = Math.min(hi, Math.floor(k + ((size - m) * s) / size + sd));
      // The analysis assumes the window holds a random sample; on ordered input (sorted,
      // reversed, organ pipe) the elements already next to k are anything but, and with k near
      // an end the pivot lands far off. So gather an evenly strided sample of the whole range
      // into the window first (skipping swaps that would evict an already gathered element).
      const w = newHi - newLo + 1;
      const stride = size / w;
      for (let t = 0; t < w; t++) {
        const d = newLo + t;
        const from = lo + Math.floor((t + 0.5) * stride);
        if (from < newLo || from >= d) swap(a, d, from);
      }
      selectRange(a, k, newLo, newHi);
    } else {
      // Median of three moved to k: sorted and reversed ranges are split in the middle.
      const mid = lo + ((hi - lo) >>> 1);
      const x = a[lo]!;
      const y = a[mid]!;
      const w = a[hi]!;
      const med = x < y ? (y < w ? mid : x < w ? hi : lo) : x < w ? lo : y < w ? hi : mid;
      swap(a, k, med);
    }
    // Hoare-style partition around t = a[k]. Elements equal to t stop both scans, so equal
    // keys are spread evenly over both sides and constant input splits in the middle.
    const t = a[k]!;
    let i = lo;
    let j = hi;
    swap(a, lo, k);
    if (a[hi]! > t) swap(a, lo, hi);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[lo] === t) swap(a, lo, j);
    else {
      j++;
      swap(a, j, hi);
    }
    if (j <= k) lo = j + 1;
    if (k <= j) hi = j - 1;
  }
}

function checkRange(fn: string, a: Float64Array, k: number, lo: number, hi: number): void {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi >= a.length || lo > hi) {
    throw new RangeError(`${fn}: needs integers 0 ≤ lo ≤ hi < ${a.length}, got lo = ${lo}, hi = ${hi}`);
  }
  if (!Number.isInteger(k) || k < lo || k > hi) {
    throw new RangeError(`${fn}: k must be an integer in [${lo}, ${hi}], got ${k}`);
  }
}

/**
 * The k-th smallest (0-based) value of a[lo..hi], by Floyd–Rivest selection: expected
 * n + min(k − lo, hi − k) + o(n) comparisons, O(n log n) at worst (introspective fallback).
 *
 * Reorders a[lo..hi] so that a[k] holds the result, a[lo..k) ≤ a[k] ≤ a(k..hi]; elements
 * outside [lo, hi] are untouched. NaN is not expected (see module doc).
 *
 * Preconditions: integers 0 ≤ lo ≤ k ≤ hi < a.length. Throws RangeError otherwise.
 *
 * @example selectInPlace(Float64Array.of(5, 1, 4, 2, 3), 1) // 2
 */
export function selectInPlace(a: Float64Array, k: number, lo = 0, hi: number = a.length - 1): number {
  checkRange("selectInPlace", a, k, lo, hi);
  selectRange(a, k, lo, hi);
  return a[k]!;
}

/** Selects every rank in ranks[rl..rh] (sorted, distinct, all within [lo, hi]). */
function multiSelect(a: Float64Array, ranks: readonly number[], rl: number, rh: number, lo: number, hi: number): void {
  while (rl <= rh) {
    // Splitting at the middle rank makes the recursion depth log₂(#ranks); each level costs
    // at most one pass over the data, and in practice the outer ranges are tiny.
    const mid = (rl + rh) >>> 1;
    const k = ranks[mid]!;
    selectRange(a, k, lo, hi);
    multiSelect(a, ranks, rl, mid - 1, lo, k - 1);
    rl = mid + 1;
    lo = k + 1;
  }
}

/**
 * The values of the order statistics `ranks` (sorted, distinct, 0-based, all < n) of a[0..n),
 * by one multi-selection. Reorders a[0..n).
 */
export function selectRanks(a: Float64Array, ranks: readonly number[], n: number): Float64Array {
  const rs = ranks as number[];
  multiSelect(a, rs, 0, rs.length - 1, 0, n - 1);
  return Float64Array.from(rs, (r) => a[r]!);
}
