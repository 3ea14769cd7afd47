/** The chi-square distribution with integer degrees of freedom: upper tail and its inverse. */
import { normalSf } from "./normal.js";

/** ln Γ(3/2) = ln(√π/2). */
const LN_GAMMA_3_2 = Math.log(Math.sqrt(Math.PI) / 2);

/**
 * Upper tail of the chi-square distribution with integer `df` degrees of freedom, P(χ²_df > y),
 * by the finite sums of the regularised gamma function at half-integer shape (Abramowitz &
 * Stegun 26.4.4–5), with h = y/2:
 *   df even: e^{−h} · Σ_{k=0}^{df/2−1} h^k/k!
 *   df odd:  2·Q(√y) + e^{−h} · Σ_{k=1}^{(df−1)/2} h^{k−½}/Γ(k+½)      (Q = normal upper tail)
 * All terms are positive, so the result has full relative precision, far into the tail.
 * y ≤ 0 gives 1. Throws RangeError for df not a positive integer.
 *
 * @example chiSquareSf(3.841458820694124, 1) // 0.05
 */
export function chiSquareSf(y: number, df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`chiSquareSf: df must be a positive integer, got ${df}`);
  if (!(y > 0)) return 1;
  if (y === Infinity) return 0;
  const h = y / 2;
  if (df % 2 === 0) {
    let term = Math.exp(-h);
    let s = term;
    for (let k = 1; k < df / 2; k++) s += term *= h / k;
    return Math.min(1, s);
  }
  let s = 2 * normalSf(Math.sqrt(y));
  if (df > 1) {
    // term_k = e^{−h}·h^{k−½}/Γ(k+½); term_1 = e^{−h}·√h/Γ(3/2), then term_{k+1} = term_k·h/(k+½).
    let term = Math.exp(-h + 0.5 * Math.log(h) - LN_GAMMA_3_2);
    s += term;
    for (let k = 1; k < (df - 1) / 2; k++) s += term *= h / (k + 0.5);
  }
  return Math.min(1, s);
}

/**
 * The y with P(χ²_df > y) = q, for 0 < q < 1 and integer df ≥ 1, by bisection on chiSquareSf to
 * full double precision (it runs once per simulation, not per generation).
 */
export function chiSquareSfInverse(q: number, df: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`chiSquareSfInverse: q must be in (0, 1), got ${q}`);
  let lo = 0;
  let hi = df + 10;
  while (chiSquareSf(hi, df) > q) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (chiSquareSf(mid, df) > q) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
