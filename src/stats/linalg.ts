/**
 * Small dense linear algebra for the multivariate models (the Cholesky family is in cholesky.ts).
 * Matrices are d×d, row-major in a Float64Array (a[i·d + j] = a_ij); d is small
 * (≤ 100), so everything is a plain O(d³) loop — faster per call than any general library at these
 * sizes, and free of allocation where a caller passes its own output buffers.
 */

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
