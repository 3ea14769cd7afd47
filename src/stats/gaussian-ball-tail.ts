/** The mass a multivariate Gaussian puts outside a ball around the origin. */
import { chiSquareSf } from "./chi-square.js";

/**
 * P(‖c + B·W‖² > x) for W ~ N(0, I_d): the mass a Gaussian N(c, B·Bᵀ) puts outside the ball of
 * radius √x around the origin (B any square root of the covariance, e.g. a Cholesky factor).
 *
 * Spherical–radial decomposition (Deák, "Three digit accurate multiple normal probabilities",
 * Numer. Math. 35, 1980): W = R·U with R ~ χ_d independent of U, uniform on the sphere. For a
 * fixed direction U, with v = B·U, ‖c + R·v‖² = ‖c‖² + 2R(c·v) + R²‖v‖² is a quadratic in R,
 * so P(outside | U) is a difference of χ²_d tails at its roots — exact. The average over U is
 * taken with the caller's direction set `dirs` (n rows of d unit vectors, equal weights): for
 * d = 1, {+1, −1} makes the result exact; for d = 2 equally spaced angles converge geometrically;
 * in higher dimensions a fixed spread-out set.
 */
export function gaussianBallTail(c: Float64Array, b: Float64Array, d: number, x: number, dirs: Float64Array): number {
  let cc = 0;
  for (let i = 0; i < d; i++) cc += c[i]! * c[i]!;
  const gap = cc - x;
  const n = dirs.length / d;
  let sum = 0;
  for (let u = 0; u < n; u++) {
    const off = u * d;
    let a = 0;
    let cv = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += b[i * d + k]! * dirs[off + k]!;
      a += s * s;
      cv += c[i]! * s;
    }
    sum += outsideAlong(a, cv, gap, d);
  }
  const p = sum / n;
  return p < 0 ? 0 : Math.min(p, 1);
}

/**
 * The directions of `dirs` mapped by B, for several gaussianBallTail's of one B (other centres,
 * other radii): v_u = B·u into rows of `projected` (n × d), ‖v_u‖² into `norms` (n). Each tail is
 * then O(n·d) instead of O(n·d²); `ballTailProjected` gives gaussianBallTail's result to the bit
 * (the same sums in the same order).
 */
export function projectDirections(b: Float64Array, d: number, dirs: Float64Array, projected: Float64Array, norms: Float64Array): void {
  const n = dirs.length / d;
  for (let u = 0; u < n; u++) {
    const off = u * d;
    let a = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += b[i * d + k]! * dirs[off + k]!;
      projected[off + i] = s;
      a += s * s;
    }
    norms[u] = a;
  }
}

/** gaussianBallTail(c, B, d, x, dirs) from the directions projected by B (projectDirections). */
export function ballTailProjected(c: Float64Array, d: number, x: number, projected: Float64Array, norms: Float64Array): number {
  let cc = 0;
  for (let i = 0; i < d; i++) cc += c[i]! * c[i]!;
  const gap = cc - x;
  const n = norms.length;
  let sum = 0;
  for (let u = 0; u < n; u++) {
    const off = u * d;
    let cv = 0;
    for (let i = 0; i < d; i++) cv += c[i]! * projected[off + i]!;
    sum += outsideAlong(norms[u]!, cv, gap, d);
  }
  const p = sum / n;
  return p < 0 ? 0 : Math.min(p, 1);
}

/**
 * P(outside | U) for one direction: ‖c + R·v‖² > x with a = ‖v‖², cv = c·v, gap = ‖c‖² − x,
 * a difference of χ²_d tails at the quadratic's roots.
 */
function outsideAlong(a: number, cv: number, gap: number, d: number): number {
  if (!(a > 0)) return gap > 0 ? 1 : 0;
  const disc = cv * cv - a * gap;
  if (gap < 0) {
    // The centre lies inside the ball: one positive root r₊, outside for R > r₊. The root is
    // taken in whichever form avoids cancellation.
    const root = Math.sqrt(disc);
    const r = cv > 0 ? -gap / (cv + root) : (root - cv) / a;
    return chiSquareSf(r * r, d);
  }
  if (cv >= 0 || disc <= 0) return 1;
  // The ray enters the ball at r₋ and leaves at r₊ (r₋·r₊ = gap/a).
  const root = Math.sqrt(disc);
  const hi = (root - cv) / a;
  const lo = gap / (a * hi);
  return 1 - (chiSquareSf(lo * lo, d) - chiSquareSf(hi * hi, d));
}
