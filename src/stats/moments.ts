/**
 * First and second sample moments of the leading elements of a typed array.
 *
 * Both functions read `x[0..n)` only, so callers can reuse one large buffer for samples of
 * varying size. NaN is not expected (callers validate data); it propagates if present.
 */

function checkLength(fn: string, x: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > x.length) {
    throw new RangeError(`${fn}: n must be an integer in [1, ${x.length}], got ${n}`);
  }
}

/**
 * Arithmetic mean of the first `n` elements: μ̂ = (1/n) Σ_{i<n} x_i.
 *
 * Precondition: 1 ≤ n ≤ x.length (integer). Throws RangeError otherwise.
 *
 * @example mean(Float64Array.of(1, 2, 3, 10), 3) // 2
 */
export function mean(x: Float64Array, n: number = x.length): number {
  checkLength("mean", x, n);
  // Two accumulators halve the dependency chain of the floating-point adds (≈1.6× on long arrays);
  // the rounding error is no worse than one running sum.
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += x[i]!;
    s1 += x[i + 1]!;
  }
  if (i < n) s0 += x[i]!;
  const m = (s0 + s1) / n;
  if (Number.isFinite(m)) return m;
  // The sum overflowed (values near 1e308): sum x_i / n instead, slower but finite. NaN or ±Infinity
  // in the data still propagates.
  let t = 0;
  for (let j = 0; j < n; j++) t += x[j]! / n;
  return t;
}

/**
 * Sample variance of the first `n` elements about `mu`, divided by n − ddof:
 *
 *   s² = ( Σ (x_i − μ)² − (Σ (x_i − μ))² / n ) / (n − ddof)
 *
 * Two-pass with the compensating term (Chan, Golub & LeVeque's "corrected two-pass
 * algorithm"): when `mu` is the sample mean computed in floating point, Σ(x_i − μ) is the
 * rounding error of that mean, and subtracting its square removes the first-order error it
 * causes. Algebraically the bracket equals Σ(x_i − x̄)² for every μ, so the result is always
 * the variance about the sample mean x̄; `mu` only has to be close to x̄ (pass `mean(x, n)`), as
 * the cancellation in the bracket grows with |μ − x̄| relative to the spread.
 *
 * `ddof` = 0 is the maximum-likelihood estimate, 1 the unbiased one (Bessel's correction).
 *
 * Preconditions: 1 ≤ n ≤ x.length, n − ddof ≥ 1. Throws RangeError otherwise.
 *
 * @example variance(Float64Array.of(1, 2, 3, 4), 2.5, 1) // 1.6666…
 */
export function variance(x: Float64Array, mu: number, ddof: 0 | 1, n: number = x.length): number {
  checkLength("variance", x, n);
  if (ddof !== 0 && ddof !== 1) throw new RangeError(`variance: ddof must be 0 or 1, got ${ddof}`);
  if (n - ddof < 1) throw new RangeError(`variance: needs n > ddof, got n = ${n}, ddof = ${ddof}`);
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mu;
    s += d;
    ss += d * d;
  }
  return correctedVariance(ss, s, n, ddof);
}

/**
 * The variance from the two sums of n deviations about any centre c, ss = Σ(x − c)² and
 * s = Σ(x − c): (ss − s²/n) / (n − ddof), the corrected two-pass formula `variance` ends with (and
 * the passes that compute the same sums alongside other work: select-buckets.ts, the Gaussian's
 * fit of its draws).
 */
export function correctedVariance(ss: number, s: number, n: number, ddof: 0 | 1): number {
  const m2 = ss - (s * s) / n;
  // Rounding can push a (near-)constant sample a hair below zero; a variance is never negative.
  return m2 > 0 ? m2 / (n - ddof) : 0;
}

/** Below this sum of squares, squares of deviations may have underflowed (|d| < 1.5e-154). */
const TINY_SS = 1e-280;

/**
 * Whether a variance computed from plain squares of deviations is the true one: neither squares
 * that overflowed nor squares that may have underflowed (nor 0). Its square root is then the
 * standard deviation `standardDeviation` gives.
 */
export function isOrdinaryVariance(v: number): boolean {
  return v < Number.MAX_VALUE && v >= TINY_SS;
}

/**
 * Sample standard deviation about `mu` (as `variance`, then √), finite and accurate whatever the
 * scale of the data: when the squares overflow (deviations beyond 1e154) or underflow (below
 * 1e-154) the deviations are divided by the largest of them first and the result scaled back,
 * so data of ±1e300 or of 1e-300 get their true spread instead of Infinity or 0. Ordinary data
 * take the plain path and get exactly √variance. 0 only when every deviation is 0.
 *
 * @example standardDeviation(Float64Array.of(1e300, -1e300), 0, 0) // 1e300
 */
export function standardDeviation(x: Float64Array, mu: number, ddof: 0 | 1, n: number = x.length): number {
  return standardDeviationOfVariance(variance(x, mu, ddof, n), x, mu, ddof, n);
}

/**
 * standardDeviation(x, mu, ddof, n) for a caller that has computed `v` = variance(x, mu, ddof, n)
 * already (in a pass that did more: select-buckets.ts varianceKeeping): √v for ordinary data, the
 * scaled path otherwise.
 */
export function standardDeviationOfVariance(v: number, x: Float64Array, mu: number, ddof: 0 | 1, n: number = x.length): number {
  if (isOrdinaryVariance(v) || v === 0) {
    if (v > 0 || !anyDeviation(x, mu, n)) return Math.sqrt(v);
  }
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(x[i]! - mu));
  if (!(scale > 0)) return scale === 0 ? 0 : Number.NaN;
  if (!Number.isFinite(scale)) {
    // x − mu itself overflowed (mu ≈ −x ≈ 1e308): halve everything first.
    return (
      2 *
      standardDeviation(
        x.map((v) => v / 2),
        mu / 2,
        ddof,
        n,
      )
    );
  }
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i]! - mu) / scale;
    s += d;
    ss += d * d;
  }
  const m2 = ss - (s * s) / n;
  return m2 > 0 ? scale * Math.sqrt(m2 / (n - ddof)) : 0;
}

function anyDeviation(x: Float64Array, mu: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (x[i]! !== mu) return true;
  return false;
}
