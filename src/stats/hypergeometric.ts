/**
 * Exact hypergeometric variates, univariate and multivariate: a subset of a pool drawn without
 * replacement costs O(√draws) steps (O(K·√draws) for K categories) instead of a step per item
 * drawn — a 200,000-row seed subsampled to half costed 100,000 steps a generation.
 */
import type { Rng } from "./rng.js";
import { logChoose } from "./special.js";

/**
 * When the smaller of the sample and the marked set (each the smaller of itself and its
 * complement) is below this, its items are drawn one by one.
 */
const SEQUENTIAL_LIMIT = 16;

/** The marked items among `n` drawn one at a time from `total`, `marked` of them marked: n steps. */
function oneByOne(src: Rng, total: number, marked: number, n: number): number {
  let left = marked;
  let remaining = total;
  let k = 0;
  for (let i = 0; i < n && left > 0; i++) {
    // Marked with probability left/remaining: exactly, by an integer below 2³², else by a double.
    if (remaining <= 0x100000000 ? src.below(remaining) < left : src.random() * remaining < left) {
      k++;
      left--;
    }
    remaining--;
  }
  return k;
}

/**
 * Inversion by a search outward from the mode, alternately down and up (a "chop-down" search):
 * expected steps about the standard deviation. The pmf at the mode is exp of log-binomials; the
 * neighbours follow by the ratio recurrences
 *   p(k−1)/p(k) = k·(N − m − n + k) / ((m − k + 1)·(n − k + 1)),
 *   p(k+1)/p(k) = (m − k)·(n − k) / ((k + 1)·(N − m − n + k + 1)).
 * If rounding leaves the uniform beyond the whole computed mass, the draw is repeated, so nothing
 * is truncated.
 */
function fromMode(src: Rng, N: number, m: number, n: number): number {
  const lo = Math.max(0, n - (N - m));
  const hi = Math.min(n, m);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (m + 1)) / (N + 2))));
  const pMode = Math.exp(logChoose(m, mode) + logChoose(N - m, n - mode) - logChoose(N, n));
  for (;;) {
    let u = src.random() - pMode;
    if (u < 0) return mode;
    let down = mode;
    let up = mode;
    let pDown = pMode;
    let pUp = pMode;
    while (down > lo || up < hi) {
      if (down > lo) {
        pDown *= (down * (N - m - n + down)) / ((m - down + 1) * (n - down + 1));
        down--;
        u -= pDown;
        if (u < 0) return down;
      }
      if (up < hi) {
        pUp *= ((m - up) * (n - up)) / ((up + 1) * (N - m - n + up + 1));
        up++;
        u -= pUp;
        if (u < 0) return up;
      }
    }
  }
}

/**
 * k ~ Hypergeometric(total, marked, draws): how many of `draws` items drawn without replacement
 * from `total`, of which `marked` are marked, are marked. Exact. The work is done on the smaller
 * of the sample and its complement, counting the smaller of the marked and unmarked items: one
 * draw at a time when either is below 16, otherwise inversion from the mode (O(standard deviation)).
 *
 * Preconditions: integers with 0 ≤ marked ≤ total, 0 ≤ draws ≤ total, total < 2^53.
 * Throws RangeError otherwise.
 *
 * @example hypergeometric(rng, 100, 30, 10) // 3 on average
 */
export function hypergeometric(src: Rng, total: number, marked: number, draws: number): number {
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(marked) || !Number.isSafeInteger(draws)) {
    throw new RangeError(`hypergeometric: total, marked and draws must be integers, got ${total}, ${marked}, ${draws}`);
  }
  if (!(marked >= 0 && marked <= total && draws >= 0 && draws <= total)) {
    throw new RangeError(`hypergeometric: needs 0 ≤ marked, draws ≤ total, got ${marked}, ${draws} of ${total}`);
  }
  const flipDraws = draws > total - draws;
  const n = flipDraws ? total - draws : draws;
  const flipMarked = marked > total - marked;
  const m = flipMarked ? total - marked : marked;
  // x counts the smaller set's items (marked, or unmarked when flipped) among the smaller sample.
  // Its law is symmetric in m and n (the pmf C(m, k)·C(N − m, n − k)/C(N, n) is), so one by one
  // takes min(m, n) steps: a rare category of a multivariate draw costs a few steps, not a search.
  const small = Math.min(m, n);
  const x = small === 0 ? 0 : small < SEQUENTIAL_LIMIT ? oneByOne(src, total, Math.max(m, n), small) : fromMode(src, total, m, n);
  const markedInSample = flipMarked ? n - x : x;
  return flipDraws ? marked - markedInSample : markedInSample;
}

/**
 * A multivariate hypergeometric draw: the counts per category of `n` items drawn without
 * replacement from a pool with `counts[i]` items of category i. Category by category, each given
 * the ones before it: x_i ~ Hypergeometric(items left, counts[i], draws left).
 *
 * Preconditions: counts are non-negative integers; 0 ≤ n ≤ their sum. Throws RangeError otherwise.
 */
export function multivariateHypergeometric(src: Rng, counts: Float64Array, n: number, out: Float64Array = new Float64Array(counts.length)): Float64Array {
  let left = 0;
  for (let i = 0; i < counts.length; i++) left += counts[i]!;
  if (!(Number.isSafeInteger(n) && n >= 0 && n <= left)) throw new RangeError(`multivariateHypergeometric: n must be an integer in [0, ${left}], got ${n}`);
  let draws = n;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    // The last category with items takes what is left: no draw needed.
    const x = draws === 0 || c === 0 ? 0 : c === left ? draws : hypergeometric(src, left, c, draws);
    out[i] = x;
    left -= c;
    draws -= x;
  }
  return out;
}
