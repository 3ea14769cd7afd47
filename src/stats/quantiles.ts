/**
 * Sample quantiles (Hyndman & Fan type 7, numpy's and R's default) in linear time, without sorting
 * the data: selectRanks (select.ts) for arrays below BUCKET_SELECTION_MIN, bucketed order
 * statistics (select-buckets.ts) above — except the smallest arrays (SORT_MAX), which a native sort
 * orders faster than any selection written in JavaScript. NaN is not expected anywhere in this
 * module: callers validate their data (see select.ts). Values are assumed finite.
 */
import { selectRanks } from "./select.js";
import { BUCKET_SELECTION_MIN, orderStatisticsByBuckets } from "./select-buckets.js";

/**
 * a + t·(b − a), written as numpy's `_lerp` does: from the nearer end, so t = 1 gives b
 * exactly and the result is monotone in t.
 */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

function checkP(fn: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${fn}: probabilities must be in [0, 1], got ${p}`);
}

/**
 * Sample quantiles of a[0..n) for several probabilities at once, Hyndman & Fan type 7
 * (numpy's and R's default): with the order statistics x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎,
 *
 *   h = (n − 1)·p,  j = ⌊h⌋,  Q(p) = x₍ⱼ₎ + (h − j)·(x₍ⱼ₊₁₎ − x₍ⱼ₎).
 *
 * All the needed order statistics are found by one multi-selection (partition around the
 * middle needed rank, recurse on each side), which costs about one selection, not one per p.
 * Uses a[0..n) as scratch: afterwards it holds a permutation of its values for n < 100 000, and
 * unspecified values above (the bucketed path compacts values in place). Returns a new array with
 * the quantiles in the order of `ps`; use `quantiles` to keep the input intact.
 * NaN is not expected (see module doc).
 *
 * Preconditions: 1 ≤ n ≤ a.length (integer); every p in [0, 1]. Throws RangeError otherwise.
 *
 * @example quantilesInPlace(Float64Array.of(4, 1, 3, 2), [0.5, 0.25]) // [2.5, 1.75]
 */
export function quantilesInPlace(a: Float64Array, ps: readonly number[], n: number = a.length): Float64Array {
  if (!Number.isInteger(n) || n < 1 || n > a.length) {
    throw new RangeError(`quantilesInPlace: n must be an integer in [1, ${a.length}], got ${n}`);
  }
  return selectQuantiles(a, ps, n, a, "quantilesInPlace");
}

/** Where each type-7 quantile of n values lies: between order statistics lower and lower + 1, at frac. */
interface TypeSevenPositions {
  readonly lower: Int32Array;
  readonly frac: Float64Array;
  /** The order statistics needed, sorted and distinct. */
  readonly ranks: number[];
}

function checkCount(fn: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${fn}: n must be a positive integer, got ${n}`);
}

function typeSevenPositions(ps: readonly number[], n: number, fn: string): TypeSevenPositions {
  const m = ps.length;
  const lower = new Int32Array(m);
  const frac = new Float64Array(m);
  const ranks: number[] = [];
  for (let q = 0; q < m; q++) {
    const p = ps[q]!;
    checkP(fn, p);
    const h = (n - 1) * p;
    let j = Math.floor(h);
    let g = h - j;
    if (j >= n - 1) {
      j = n - 1;
      g = 0;
    }
    lower[q] = j;
    frac[q] = g;
    ranks.push(j);
    if (g > 0) ranks.push(j + 1);
  }
  // Sorting the handful of ranks (not the data) so the multi-selection can split them.
  ranks.sort((x, y) => x - y);
  let u = 0;
  for (let r = 0; r < ranks.length; r++) if (r === 0 || ranks[r] !== ranks[u - 1]) ranks[u++] = ranks[r]!;
  ranks.length = u;
  return { lower, frac, ranks };
}

/** The quantiles at `at`, from the values of its order statistics (values[k] is that of at.ranks[k]). */
function interpolate(at: TypeSevenPositions, values: Float64Array): Float64Array {
  const { lower, frac, ranks } = at;
  const out = new Float64Array(lower.length);
  for (let q = 0; q < lower.length; q++) {
    const j = lower[q]!;
    const g = frac[q]!;
    const low = values[binarySearch(ranks, j)]!;
    out[q] = g === 0 ? low : lerp(low, values[binarySearch(ranks, j + 1)]!, g);
  }
  return out;
}

/**
 * typeSevenPositions for the last (ps, n) seen by selectQuantiles, which a run's summaries ask for
 * thousands of times with the same probabilities and replicate count: finding them (three arrays
 * and a sort of the ranks) was a third of a small summary's time. Keyed by a copy of the values of
 * ps, not the array, which a caller may change between calls.
 */
let lastPositions: { ps: number[]; n: number; at: TypeSevenPositions } | null = null;

function positionsFor(ps: readonly number[], n: number, fn: string): TypeSevenPositions {
  const last = lastPositions;
  if (last !== null && last.n === n && sameValues(last.ps, ps)) return last.at;
  const at = typeSevenPositions(ps, n, fn);
  lastPositions = { ps: ps.slice(), n, at };
  return at;
}

function sameValues(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The order statistics (0-based ranks, sorted and distinct) that the type-7 quantiles `ps` of n
 * values are made of, for a caller that finds their values itself (quantilesAtRanks).
 *
 * Preconditions: n ≥ 1 (integer); every p in [0, 1]. Throws RangeError otherwise.
 */
export function quantileRanks(ps: readonly number[], n: number): number[] {
  checkCount("quantileRanks", n);
  return typeSevenPositions(ps, n, "quantileRanks").ranks;
}

/**
 * The type-7 quantiles `ps` of n values from the values of their order statistics: values[k] is
 * that of rank quantileRanks(ps, n)[k]. The same numbers `quantiles` gives.
 *
 * Preconditions: as quantileRanks. Throws RangeError otherwise.
 */
export function quantilesAtRanks(ps: readonly number[], n: number, values: Float64Array): Float64Array {
  checkCount("quantilesAtRanks", n);
  return interpolate(typeSevenPositions(ps, n, "quantilesAtRanks"), values);
}

/**
 * Up to this many values, the order statistics are read off a sorted copy: the typed array's own
 * sort is compiled into V8, while the selection runs as bytecode until it is hot, and a run's
 * summaries (14 metrics × 10 generations of 200 replicates for the default `sim`) end before it
 * is. 140 selections of 3 quantiles of 200 values in a fresh process: 12–16 ms, sorted 1.6–1.9 ms;
 * warm (3,000 of them) 41 ms against 35 ms. At 1,000 values a warm sort is already 1.6× slower.
 * The same order statistics, so the same quantiles (a −0 and a 0 may trade places: equal values).
 */
export const SORT_MAX = 256;

/** Whether a[0..n) holds a NaN, which a sort would move to the end (the selection's results stay as they were). */
function hasNaN(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== a[i]) return true;
  return false;
}

/**
 * The type-7 quantiles `ps` of x[0..n), selected in `work` (x itself, or a buffer of at least n
 * values that x is not copied into first: large arrays are compacted there by the bucketed path,
 * small ones copied and selected).
 */
function selectQuantiles(x: Float64Array, ps: readonly number[], n: number, work: Float64Array, fn: string): Float64Array {
  const at = positionsFor(ps, n, fn);
  let values: Float64Array;
  if (n >= BUCKET_SELECTION_MIN) {
    // Large arrays: two bucketing passes narrow the selection to a few thousand values.
    values = orderStatisticsByBuckets(x, at.ranks, n, work);
  } else {
    if (work !== x) work.set(x.subarray(0, n));
    if (n <= SORT_MAX && !hasNaN(work, n)) {
      const sorted = work.subarray(0, n).sort();
      values = new Float64Array(at.ranks.length);
      for (let k = 0; k < at.ranks.length; k++) values[k] = sorted[at.ranks[k]!]!;
    } else values = selectRanks(work, at.ranks, n);
  }
  return interpolate(at, values);
}

function binarySearch(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Type-7 sample quantiles of x (see `quantilesInPlace`), leaving x untouched: the selection works
 * in `scratch` (allocated when absent or shorter than x), so a caller looping over generations can
 * pass one buffer and allocate nothing per call but the result. Large arrays are not copied whole
 * into it: their bucketing pass writes only the few values it keeps.
 *
 * Preconditions: x.length ≥ 1; every p in [0, 1]. Throws RangeError otherwise.
 *
 * @example quantiles(Float64Array.of(3, 1, 2), [0, 0.5, 1]) // [1, 2, 3]
 */
export function quantiles(x: Float64Array, ps: readonly number[], scratch?: Float64Array): Float64Array {
  const n = x.length;
  if (n < 1) throw new RangeError("quantiles: needs at least one value");
  const buf = scratch !== undefined && scratch.length >= n ? scratch : new Float64Array(n);
  return selectQuantiles(x, ps, n, buf, "quantiles");
}

/**
 * Type-7 quantile of already sorted (ascending) data: h = (n − 1)·p, j = ⌊h⌋,
 * Q(p) = x[j] + (h − j)·(x[j+1] − x[j]). O(1); the obvious reference for the selection-based
 * functions, which interpolate identically and so agree with it exactly.
 *
 * Preconditions: sorted.length ≥ 1, ascending (unchecked); p in [0, 1]. Throws RangeError
 * otherwise. NaN is not expected.
 *
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n < 1) throw new RangeError("quantileSorted: needs at least one value");
  checkP("quantileSorted", p);
  const h = (n - 1) * p;
  const j = Math.floor(h);
  const g = h - j;
  if (j >= n - 1) return sorted[n - 1]!;
  return g === 0 ? sorted[j]! : lerp(sorted[j]!, sorted[j + 1]!, g);
}
