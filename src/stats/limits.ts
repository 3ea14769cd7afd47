/**
 * The edges of a double that the models must respect, and helpers that stay finite near them.
 * Checks that name an overflow or an underflow (instead of letting it turn into NaN, a "constant"
 * sample or a crash) share these numbers, so every message quotes the same limits.
 */

/** The largest finite double, ≈ 1.8e308. */
export const MAX_DOUBLE = Number.MAX_VALUE;

/** The smallest positive normal double, ≈ 2.2e-308; below it a double keeps fewer than 53 bits. */
export const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * How many scale units a draw may reach: the ziggurat's largest normal variate is ≈ 14 (its tail
 * takes −ln of a uniform ≥ 2^-53), a Laplace draw −ln(2^-53) ≈ 37. A distribution whose centre
 * plus HEADROOM scale units overflows a double could draw ±Infinity.
 */
export const HEADROOM = 40;

/**
 * A spread below this fraction of the centre's magnitude is below 16 units in the last place: the
 * draws would be (nearly) all the same double.
 */
export const RESOLUTION = 2 ** -48;

/** A number as messages show it: at most 6 significant digits ("1.8e308", "0.5"). */
export function short(x: number): string {
  return String(+x.toPrecision(6)).replace("e+", "e");
}

/**
 * (a/b)² computed as a²/b² when both squares are normal finite doubles (the exact same bits as
 * before), else as (a/b)², which stays finite for spreads of 1e200 or 1e-200.
 */
export function ratioOfSquares(a: number, b: number): number {
  const a2 = a * a;
  const b2 = b * b;
  if (a2 < MAX_DOUBLE && b2 < MAX_DOUBLE && b2 >= MIN_NORMAL && (a2 >= MIN_NORMAL || a === 0)) return a2 / b2;
  const r = a / b;
  return r * r;
}
