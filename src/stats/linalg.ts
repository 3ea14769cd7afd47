/**
 * Small dense linear algebra for the multivariate models, and the Gaussian quadratic forms their
 * metrics need. Matrices are d×d, row-major in a Float64Array (a[i·d + j] = a_ij); d is small
 * (≤ 100), so everything is a plain O(d³) loop — faster per call than any general library at these
 * sizes, and free of allocation where a caller passes its own output buffers.
 */
import { normalSf } from "./normal.js";

/** Σ_ij a_ij², the squared Frobenius norm of a d×d matrix. */
export function frobeniusSquared(a: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d * d; i++) s += a[i]! * a[i]!;
  return s;
}

/** tr A = Σ a_ii. */
export function trace(a: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i * d + i]!;
  return s;
}

/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric matrix by the cyclic Jacobi method
 * (Golub & Van Loan, Matrix Computations, §8.5): rotations zero one off-diagonal pair at a time
 * until the off-diagonal mass is below 1e-30 of the total (quadratic convergence: ≈ 6–10 sweeps).
 * Accurate to a few ulps of the largest eigenvalue, small ones included, which is what matrix
 * square roots of covariance matrices need.
 *
 * `values` receives the d eigenvalues (unsorted); `vectors`, when given, the eigenvectors as
 * columns (vectors[i·d + k] = component i of eigenvector k). Reads the whole of `a`, which must be
 * symmetric; does not modify it.
 */
export function symmetricEigen(a: Float64Array, d: number, values: Float64Array, vectors: Float64Array | null = null): Float64Array {
  const m = Float64Array.from(a.subarray(0, d * d));
  if (vectors) {
    vectors.fill(0, 0, d * d);
    for (let i = 0; i < d; i++) vectors[i * d + i] = 1;
  }
  let total = 0;
  for (let i = 0; i < d * d; i++) total += m[i]! * m[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! * m[p * d + q]!;
    if (!(off > 1e-30 * total)) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (apq === 0) continue;
        const app = m[p * d + p]!;
        const aqq = m[q * d + q]!;
        // The rotation angle θ with tan 2θ = 2a_pq/(a_qq − a_pp), via the smaller root t = tan θ
        // (Rutishauser's formulas), which keeps the update stable.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p]!;
          const mkq = m[k * d + q]!;
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k]!;
          const mqk = m[q * d + k]!;
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        m[p * d + q] = 0;
        m[q * d + p] = 0;
        if (vectors) {
          for (let k = 0; k < d; k++) {
            const vkp = vectors[k * d + p]!;
            const vkq = vectors[k * d + q]!;
            vectors[k * d + p] = c * vkp - s * vkq;
            vectors[k * d + q] = s * vkp + c * vkq;
          }
        }
      }
    }
  }
  for (let i = 0; i < d; i++) values[i] = m[i * d + i]!;
  return values;
}

/**
 * Gauss–Hermite rule for the standard normal measure: nodes z_i and weights w_i (Σ w_i = 1) with
 * Σ w_i f(z_i) = E f(Z), Z ~ N(0, 1), exact for polynomials of degree ≤ 2n − 1. By Golub–Welsch:
 * the nodes are the eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials
 * (zero diagonal, off-diagonal √1, √2, …, √(n−1)); w_i is the squared first component of the
 * i-th normalised eigenvector. Sorted by node.
 */
export function gaussHermite(n: number): { nodes: Float64Array; weights: Float64Array } {
  const j = new Float64Array(n * n);
  for (let i = 1; i < n; i++) j[i * n + i - 1] = j[(i - 1) * n + i] = Math.sqrt(i);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  symmetricEigen(j, n, values, vectors);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const nodes = Float64Array.from(order, (k) => values[k]!);
  const weights = Float64Array.from(order, (k) => vectors[k]! * vectors[k]!);
  const total = weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < n; i++) weights[i]! /= total;
  return { nodes, weights };
}

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
 * in higher dimensions a fixed spread-out set. `v` is scratch of length d.
 */
export function gaussianBallTail(c: Float64Array, b: Float64Array, d: number, x: number, dirs: Float64Array, v: Float64Array): number {
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
      v[i] = s;
      a += s * s;
      cv += c[i]! * s;
    }
    if (!(a > 0)) {
      sum += gap > 0 ? 1 : 0;
      continue;
    }
    const disc = cv * cv - a * gap;
    if (gap < 0) {
      // The centre lies inside the ball: one positive root r₊, outside for R > r₊. The root is
      // taken in whichever form avoids cancellation.
      const root = Math.sqrt(disc);
      const r = cv > 0 ? -gap / (cv + root) : (root - cv) / a;
      sum += chiSquareSf(r * r, d);
    } else if (cv >= 0 || disc <= 0) {
      sum += 1;
    } else {
      // The ray enters the ball at r₋ and leaves at r₊ (r₋·r₊ = gap/a).
      const root = Math.sqrt(disc);
      const hi = (root - cv) / a;
      const lo = gap / (a * hi);
      sum += 1 - (chiSquareSf(lo * lo, d) - chiSquareSf(hi * hi, d));
    }
  }
  const p = sum / n;
  return p < 0 ? 0 : Math.min(p, 1);
}
