/**
 * Student's t distribution's upper tail, for the source reference of a t(df) seed (a heavy-tailed
 * source's true tail mass). Through the regularized incomplete beta function:
 *   P(T > t) = ½·I_x(ν/2, ½), x = ν/(ν + t²), t ≥ 0,
 * with I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4), which converges fast for
 * x < (a + 1)/(a + b + 2) and otherwise by the symmetry I_x(a, b) = 1 − I_(1−x)(b, a).
 */
import { logGamma } from "./special.js";

const EPS = 1e-15;
const TINY = 1e-300;

/** The continued fraction of I_x(a, b) (without its prefactor). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * The regularized incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1.
 *
 * @example regularizedBeta(0.5, 2, 2) // 0.5
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta: need a, b > 0 and 0 ≤ x ≤ 1, got x ${x}, a ${a}, b ${b}`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/**
 * P(|T| > t) for T ~ t(ν), t ≥ 0: I_(ν/(ν+t²))(ν/2, ½), accurate in the far tail (no 1 − F).
 *
 * @example studentTwoSidedTail(3.182446305284263, 3) // 0.05
 */
export function studentTwoSidedTail(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTwoSidedTail: df must be > 0, got ${df}`);
  if (!(t >= 0)) throw new RangeError(`studentTwoSidedTail: t must be ≥ 0, got ${t}`);
  if (t === Infinity) return 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T > t) for any real t. */
export function studentSf(t: number, df: number): number {
  const half = studentTwoSidedTail(Math.abs(t), df) / 2;
  return t >= 0 ? half : 1 - half;
}
