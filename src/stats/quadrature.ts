/** Fixed quadrature rules: deterministic node sets with weights for averaging a function over a measure. */
import { NODES_64, WEIGHTS_64 } from "./gauss-hermite-64.js";
import { symmetricEigen } from "./linalg.js";
import { normalQuantile } from "./normal.js";
import { deriveSeed, Rng } from "./rng.js";
import { fillNormal } from "./ziggurat.js";

/**
 * Gauss–Hermite rule for the standard normal measure: nodes z_i and weights w_i (Σ w_i = 1) with
 * Σ w_i f(z_i) = E f(Z), Z ~ N(0, 1), exact for polynomials of degree ≤ 2n − 1. By Golub–Welsch:
 * the nodes are the eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials
 * (zero diagonal, off-diagonal √1, √2, …, √(n−1)); w_i is the squared first component of the
 * i-th normalised eigenvector. Sorted by node. The rule of 64 nodes, which every one-dimensional
 * mixture uses, is read from gauss-hermite-64.ts: solving for it takes 40 ms in a thread that has
 * not run the solver before. The table holds the solver's numbers (test/stats/quadrature.test.ts).
 */
export function gaussHermite(n: number): { nodes: Float64Array; weights: Float64Array } {
  if (n === 64) return { nodes: Float64Array.from(NODES_64), weights: Float64Array.from(WEIGHTS_64) };
  return solveGaussHermite(n);
}

/** The Gauss–Hermite rule of n nodes by Golub–Welsch (see gaussHermite), always solved. */
export function solveGaussHermite(n: number): { nodes: Float64Array; weights: Float64Array } {
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

/**
 * A fixed set of unit directions in R^d (rows), for averaging over the sphere with equal weights:
 * - d = 1: {+1, −1}, which makes the average exact;
 * - d = 2: 64 equally spaced angles (the periodic trapezoid rule: geometric convergence);
 * - d = 3: a 128-point Fibonacci lattice (relative error ≲ 1e-3 on the tail masses of
 *   anisotropic, off-centre Gaussians, against 200 000 points);
 * - 4 ≤ d ≤ 12: 256 antithetic pairs of normalised Halton points mapped to normals (a few 1e-3
 *   typically, up to ≈5% relative on strongly anisotropic cases with variance ratios near 10);
 * - d > 12: 256 antithetic pairs of fixed pseudo-random directions (Halton degrades there).
 * Deterministic: the same for every run, replicate and worker.
 */
export function sphereDirections(d: number): Float64Array {
  if (d === 1) return Float64Array.of(1, -1);
  if (d === 2) {
    const n = 64;
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const t = ((i + 0.5) * 2 * Math.PI) / n;
      out[2 * i] = Math.cos(t);
      out[2 * i + 1] = Math.sin(t);
    }
    return out;
  }
  if (d === 3) {
    const n = 128;
    const out = new Float64Array(3 * n);
    const golden = Math.PI * (3 - Math.sqrt(5));
    for (let i = 0; i < n; i++) {
      const z = 1 - (2 * i + 1) / n;
      const r = Math.sqrt(1 - z * z);
      out[3 * i] = r * Math.cos(golden * i);
      out[3 * i + 1] = r * Math.sin(golden * i);
      out[3 * i + 2] = z;
    }
    return out;
  }
  const pairs = 256;
  const out = new Float64Array(2 * pairs * d);
  const z = new Float64Array(d);
  const rng = new Rng(deriveSeed("collapse", "sphere-directions", d));
  const primes = firstPrimes(d);
  for (let i = 0; i < pairs; i++) {
    if (d <= 12) for (let j = 0; j < d; j++) z[j] = normalQuantile(radicalInverse(i + 1, primes[j]!));
    else fillNormal(z, rng);
    let norm = 0;
    for (let j = 0; j < d; j++) norm += z[j]! * z[j]!;
    norm = Math.sqrt(norm);
    for (let j = 0; j < d; j++) {
      out[2 * i * d + j] = z[j]! / norm;
      out[(2 * i + 1) * d + j] = -z[j]! / norm;
    }
  }
  return out;
}

/** The van der Corput radical inverse of i in base b (the Halton sequence's coordinate). */
function radicalInverse(i: number, b: number): number {
  let f = 1;
  let r = 0;
  while (i > 0) {
    f /= b;
    r += f * (i % b);
    i = Math.floor(i / b);
  }
  return r;
}

function firstPrimes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}
