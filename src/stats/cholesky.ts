/**
 * Cholesky factorisation of a symmetric positive definite d×d matrix (row-major in a Float64Array,
 * a[i·d + j] = a_ij) and what the factor gives: triangular solves and the log-determinant; and
 * regularizedCholesky, which never fails on a fitted covariance.
 */
import { InputError } from "../errors.js";
import { trace } from "./linalg.js";

/**
 * The Cholesky factor L (lower triangular, L·Lᵀ = A) of a symmetric matrix A, written into `out`
 * (upper triangle zeroed; `out` may be `a` itself). Reads the lower triangle of A only.
 * Returns false, leaving `out` partly written, when A is not positive definite: a pivot
 * A_jj − Σ_k L_jk² is ≤ 0 or not finite.
 *
 * @example cholesky(Float64Array.of(4, 2, 2, 3), 2, out) // out = [2, 0, 1, √2]
 */
export function cholesky(a: Float64Array, d: number, out: Float64Array): boolean {
  return choleskyFailure(a, d, out, 0) < 0;
}

/**
 * `cholesky`, telling where it fails: the first column j whose pivot A_jj − Σ_k L_jk² is not above
 * `minPivot` (or not finite), or −1 when the factor is complete. On a correlation matrix the
 * pivot² of column j is 1 − R²_j, the share of its variance the columns before it do not explain,
 * so minPivot > 0 detects near-collinear columns.
 */
export function choleskyFailure(a: Float64Array, d: number, out: Float64Array, minPivot: number): number {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j]!;
    for (let k = 0; k < j; k++) s -= out[j * d + k]! * out[j * d + k]!;
    if (!(s > minPivot) || s === Infinity) return j;
    const ljj = Math.sqrt(s);
    out[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j]!;
      for (let k = 0; k < j; k++) t -= out[i * d + k]! * out[j * d + k]!;
      out[i * d + j] = t / ljj;
    }
    for (let i = 0; i < j; i++) out[i * d + j] = 0;
  }
  return -1;
}

/**
 * ln det A = 2·Σ ln L_ii for A = L·Lᵀ, from its Cholesky factor.
 *
 * @example logDetCholesky(Float64Array.of(2, 0, 1, 3), 2) // ln 36
 */
export function logDetCholesky(l: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]!);
  return 2 * s;
}

/**
 * out = L⁻¹·b by forward substitution, L lower triangular with a non-zero diagonal.
 * `out` may be `b` itself.
 */
export function solveLower(l: Float64Array, d: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * out[k]!;
    out[i] = s / l[i * d + i]!;
  }
  return out;
}

/**
 * out = L⁻¹·B for a d×d matrix B, column by column by forward substitution. When B is lower
 * triangular so is the result (L⁻¹ is), which is how the models whiten one Cholesky factor by
 * another. `out` must not be `b`.
 */
export function solveLowerMatrix(l: Float64Array, d: number, b: Float64Array, out: Float64Array): Float64Array {
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) {
      let s = b[i * d + j]!;
      for (let k = 0; k < i; k++) s -= l[i * d + k]! * out[k * d + j]!;
      out[i * d + j] = s / l[i * d + i]!;
    }
  }
  return out;
}

/** Relative size of the first ridge added to a covariance that is not numerically positive definite. */
const RIDGE = 1e-12;

/**
 * Cholesky factor of a covariance fitted in generation g ≥ 1 of a replicate, never failing: when `cov` is not numerically
 * positive definite (fewer rows than d + 1 after --filter-recall, or a collapsed replicate), δ·I is
 * added to it, in place, with δ = 1e-12·(tr Σ/d) (1e-300 when the trace is 0), ×100 until the
 * factorisation succeeds. Gives finite metrics (a tiny gen_var_ratio, a large kl), never NaN.
 */
export function regularizedCholesky(cov: Float64Array, d: number, out: Float64Array): Float64Array {
  if (cholesky(cov, d, out)) return out;
  const scale = trace(cov, d) / d;
  let delta = scale > 0 && Number.isFinite(scale) ? RIDGE * scale : 1e-300;
  for (;;) {
    // A covariance with ±Infinity or NaN in it never factorises, whatever the ridge: stop, say why.
    if (!Number.isFinite(delta))
      throw new InputError("a fitted covariance is not finite (its values overflow a double); rescale the data (divide it by a power of 10)");
    for (let i = 0; i < d; i++) cov[i * d + i]! += delta;
    if (cholesky(cov, d, out)) return out;
    delta *= 100;
  }
}
