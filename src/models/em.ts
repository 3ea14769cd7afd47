/**
 * Gaussian mixtures with full covariances: EM fitting from a k-means++ start, the choice of the
 * number of components by BIC, the mixture's log-density and moments. Dimension-agnostic (d = 1
 * is the same code with 1×1 matrices).
 *
 * Stated choices (they shape what a collapsing replicate can do):
 * - Start: k-means++ (Arthur & Vassilvitskii 2007) on columns scaled to unit variance, then one
 *   M-step from the hard assignment to the nearest centre. Duplicate points cannot become two
 *   centres: when every remaining point sits on a centre, fewer components are started.
 * - Convergence: the mean log-likelihood per point rises by less than TOLERANCE = 1e-5 nats, or
 *   MAX_ITERATIONS = 200 EM steps.
 * - Number of components: selectMixture fits k = 1…K and keeps the best by BIC, so --components K
 *   is an upper bound.
 * - Variance floor: each component's covariance, in columns scaled to the data's unit variance,
 *   has every eigenvalue ≥ FLOOR = 1e-4 (a component's spread along any direction ≥ 1% of the
 *   data's standard deviation), so no component collapses onto a point.
 * - A component whose responsibilities sum to less than d + 1 points cannot have a covariance of
 *   its own: it is dropped (the mixture keeps fewer components; its weight goes to the others).
 */

import { cholesky, logDetCholesky } from "../stats/cholesky.js";
import { symmetricEigen } from "../stats/linalg.js";
import type { Rng } from "../stats/rng.js";

export const TOLERANCE = 1e-5;
export const MAX_ITERATIONS = 200;
export const FLOOR = 1e-4;

const HALF_LN_2PI = 0.9189385332046728;

/** A fitted mixture: k components in d dimensions, arrays packed component after component. */
export interface Mixture {
  readonly dims: number;
  readonly k: number;
  readonly weights: Float64Array;
  /** k×d */
  readonly means: Float64Array;
  /** k×d×d, both triangles. */
  readonly covs: Float64Array;
  /** k×d×d Cholesky factors (lower triangular). */
  readonly chols: Float64Array;
  readonly logDets: Float64Array;
  /** EM steps taken, and whether the tolerance was met before the cap. */
  readonly iterations: number;
  readonly converged: boolean;
  /** Σ_i ln p(x_i) at the last E-step. */
  readonly logLikelihood: number;
}

/** Per-column variances (mle) of row-major data; 1 where a column is constant (nothing to scale). */
function columnScales(x: Float64Array, d: number): Float64Array {
  const n = x.length / d;
  const mean = new Float64Array(d);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const e = x[i * d + j]! - mean[j]!;
      v[j]! += e * e;
    }
  }
  for (let j = 0; j < d; j++) v[j] = v[j]! > 0 ? v[j]! / n : 1;
  return v;
}

/**
 * k-means++ centres (row indices), distances measured in columns scaled by `scale` (variances).
 * Fewer than k when the data has fewer than k distinct points.
 */
function kMeansPlusPlus(x: Float64Array, d: number, k: number, scale: Float64Array, rng: Rng): number[] {
  const n = x.length / d;
  const centres = [rng.below(n)];
  const dist = new Float64Array(n).fill(Infinity);
  while (centres.length < k) {
    const c = centres[centres.length - 1]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const e = x[i * d + j]! - x[c * d + j]!;
        s += (e * e) / scale[j]!;
      }
      if (s < dist[i]!) dist[i] = s;
      total += dist[i]!;
    }
    if (!(total > 0)) break;
    let u = rng.random() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= dist[i]!;
      if (u < 0 && dist[i]! > 0) {
        pick = i;
        break;
      }
    }
    if (!(dist[pick]! > 0)) break;
    centres.push(pick);
  }
  return centres;
}

/**
 * Clamps the eigenvalues of a covariance, in columns scaled to unit variance, at FLOOR. In place.
 * d = 1 is a max; otherwise a Jacobi eigendecomposition, rebuilt only when something was clamped.
 */
function floorCovariance(cov: Float64Array, off: number, d: number, scale: Float64Array, work: FloorWork): void {
  if (d === 1) {
    const f = FLOOR * scale[0]!;
    if (!(cov[off]! >= f)) cov[off] = f;
    return;
  }
  const { m, values, vectors } = work;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) m[a * d + b] = cov[off + a * d + b]! / Math.sqrt(scale[a]! * scale[b]!);
  }
  symmetricEigen(m, d, values, vectors);
  let clamped = false;
  for (let i = 0; i < d; i++) {
    if (!(values[i]! >= FLOOR)) {
      values[i] = FLOOR;
      clamped = true;
    }
  }
  if (!clamped) return;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += vectors[a * d + i]! * values[i]! * vectors[b * d + i]!;
      cov[off + a * d + b] = s * Math.sqrt(scale[a]! * scale[b]!);
    }
  }
}

interface FloorWork {
  readonly m: Float64Array;
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

/**
 * Cholesky factor and log-determinant of component `c`; the floor makes the covariance positive
 * definite, and should rounding still defeat the factorisation the floor is added to the diagonal.
 */
function factorComponent(covs: Float64Array, chols: Float64Array, logDets: Float64Array, c: number, d: number, scale: Float64Array): void {
  const off = c * d * d;
  const cov = covs.subarray(off, off + d * d);
  const chol = chols.subarray(off, off + d * d);
  while (!cholesky(cov, d, chol)) for (let j = 0; j < d; j++) cov[j * d + j]! += FLOOR * scale[j]!;
  logDets[c] = logDetCholesky(chol, d);
}

/**
 * log w_c + log N(x; μ_c, Σ_c) for every component c < k, into `out`; returns their log-sum-exp,
 * the mixture's log-density at x = xs[xOff … xOff + d). `z` is scratch of length d.
 * Plain typed-array arguments keep the E-step's hot loop monomorphic.
 */
function logDensities(
  d: number,
  k: number,
  weights: Float64Array,
  means: Float64Array,
  chols: Float64Array,
  logDets: Float64Array,
  xs: Float64Array,
  xOff: number,
  out: Float64Array,
  z: Float64Array,
): number {
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    const l = c * d * d;
    let q = 0;
    for (let a = 0; a < d; a++) {
      let s = xs[xOff + a]! - means[c * d + a]!;
      for (let b = 0; b < a; b++) s -= chols[l + a * d + b]! * z[b]!;
      const za = s / chols[l + a * d + a]!;
      z[a] = za;
      q += za * za;
    }
    const v = Math.log(weights[c]!) - 0.5 * logDets[c]! - 0.5 * q - d * HALF_LN_2PI;
    out[c] = v;
    if (v > max) max = v;
  }
  if (max === -Infinity) return max;
  let s = 0;
  for (let c = 0; c < k; c++) s += Math.exp(out[c]! - max);
  return max + Math.log(s);
}

/** The mixture's log-density at x (per-component terms into `out`, length ≥ k; `z` scratch of length d). */
export function componentLogDensities(mix: Mixture, x: Float64Array, xOff: number, out: Float64Array, z: Float64Array): number {
  return logDensities(mix.dims, mix.k, mix.weights, mix.means, mix.chols, mix.logDets, x, xOff, out, z);
}

/**
 * Fits a k-component Gaussian mixture to row-major `x` (d columns) by EM (see the module doc for
 * the start, stopping rule, floor and dropping rule). `rng` drives the k-means++ start only.
 * Preconditions: at least one row. Never throws on degenerate data: it returns fewer components.
 */
export function fitMixture(x: Float64Array, d: number, k: number, rng: Rng): Mixture {
  const n = x.length / d;
  const scale = columnScales(x, d);
  const starts = kMeansPlusPlus(x, d, Math.min(k, n), scale, rng);
  let kk = starts.length;
  // Responsibilities, n×K (stride K whatever the number of live components); first the hard
  // assignment to the nearest k-means++ centre.
  const K = kk;
  const resp = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < kk; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const e = x[i * d + j]! - x[starts[c]! * d + j]!;
        s += (e * e) / scale[j]!;
      }
      if (s < bestDist) {
        bestDist = s;
        best = c;
      }
    }
    resp[i * K + best] = 1;
  }

  const weights = new Float64Array(K);
  const means = new Float64Array(K * d);
  const covs = new Float64Array(K * d * d);
  const chols = new Float64Array(K * d * d);
  const logDets = new Float64Array(K);
  const mass = new Float64Array(K);
  const work: FloorWork = { m: new Float64Array(d * d), values: new Float64Array(d), vectors: new Float64Array(d * d) };
  const logp = new Float64Array(K);
  const z = new Float64Array(d);

  let previous = -Infinity;
  let iterations = 0;
  let converged = false;
  for (;;) {
    // M-step from `resp`. A component with less than d + 1 points' worth of responsibility is
    // dropped: its column of `resp` is overwritten by the next live one (compaction in place).
    mass.fill(0);
    for (let i = 0; i < n; i++) for (let c = 0; c < kk; c++) mass[c]! += resp[i * K + c]!;
    let heaviest = 0;
    for (let c = 1; c < kk; c++) if (mass[c]! > mass[heaviest]!) heaviest = c;
    let live = 0;
    for (let c = 0; c < kk; c++) {
      if (!(mass[c]! >= d + 1) && !(live === 0 && c === heaviest && noneHeavyEnough(mass, kk, d))) continue;
      if (live !== c) {
        for (let i = 0; i < n; i++) resp[i * K + live] = resp[i * K + c]!;
        mass[live] = mass[c]!;
      }
      live++;
    }
    kk = live;
    let total = 0;
    for (let c = 0; c < kk; c++) total += mass[c]!;
    for (let c = 0; c < kk; c++) {
      weights[c] = mass[c]! / total;
      componentMoments(x, d, n, resp, K, c, mass[c]!, means, covs);
      floorCovariance(covs, c * d * d, d, scale, work);
      factorComponent(covs, chols, logDets, c, d, scale);
    }
    if (converged || iterations >= MAX_ITERATIONS) {
      return {
        dims: d,
        k: kk,
        weights: weights.slice(0, kk),
        means: means.slice(0, kk * d),
        covs: covs.slice(0, kk * d * d),
        chols: chols.slice(0, kk * d * d),
        logDets: logDets.slice(0, kk),
        iterations,
        converged,
        logLikelihood: previous,
      };
    }

    // E-step: responsibilities and the mean log-likelihood.
    const ll = eStep(x, d, n, kk, weights, means, chols, logDets, resp, K, logp, z);
    iterations++;
    // One more M-step after convergence so the returned parameters match the last responsibilities.
    if (ll - previous < TOLERANCE * n) converged = true;
    previous = ll;
  }
}

/**
 * Weighted mean and covariance of component c (responsibilities resp[i·K + c], total `mass`),
 * written into means[c·d …] and covs[c·d² …]. Kept out of fitMixture so V8 optimises it early.
 */
function componentMoments(
  x: Float64Array,
  d: number,
  n: number,
  resp: Float64Array,
  K: number,
  c: number,
  mass: number,
  means: Float64Array,
  covs: Float64Array,
): void {
  const mo = c * d;
  const off = c * d * d;
  for (let j = 0; j < d; j++) means[mo + j] = 0;
  for (let j = 0; j < d * d; j++) covs[off + j] = 0;
  for (let i = 0; i < n; i++) {
    const r = resp[i * K + c]!;
    for (let j = 0; j < d; j++) means[mo + j]! += r * x[i * d + j]!;
  }
  for (let j = 0; j < d; j++) means[mo + j]! /= mass;
  for (let i = 0; i < n; i++) {
    const r = resp[i * K + c]!;
    if (r === 0) continue;
    for (let a = 0; a < d; a++) {
      const ea = x[i * d + a]! - means[mo + a]!;
      for (let b = 0; b <= a; b++) covs[off + a * d + b]! += r * ea * (x[i * d + b]! - means[mo + b]!);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) covs[off + b * d + a] = covs[off + a * d + b] = covs[off + a * d + b]! / mass;
  }
}

/** E-step: resp[i·K + c] = p(c | x_i); returns Σ_i ln p(x_i). `cst` is scratch of length ≥ k. */
function eStep(
  x: Float64Array,
  d: number,
  n: number,
  k: number,
  weights: Float64Array,
  means: Float64Array,
  chols: Float64Array,
  logDets: Float64Array,
  resp: Float64Array,
  K: number,
  cst: Float64Array,
  z: Float64Array,
): number {
  // The per-component constant ln w_c − ½ ln det Σ_c − (d/2) ln 2π once per step, not per point;
  // one exp per (point, component) serves both the log-sum-exp and the responsibility.
  for (let c = 0; c < k; c++) cst[c] = Math.log(weights[c]!) - 0.5 * logDets[c]! - d * HALF_LN_2PI;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const r = i * K;
    let max = -Infinity;
    let top = 0;
    for (let c = 0; c < k; c++) {
      const l = c * d * d;
      let q = 0;
      for (let a = 0; a < d; a++) {
        let s = x[i * d + a]! - means[c * d + a]!;
        for (let b = 0; b < a; b++) s -= chols[l + a * d + b]! * z[b]!;
        const za = s / chols[l + a * d + a]!;
        z[a] = za;
        q += za * za;
      }
      const v = cst[c]! - 0.5 * q;
      resp[r + c] = v;
      if (v > max) {
        max = v;
        top = c;
      }
    }
    // exp dominates this loop; the largest term is exp(0) = 1 and needs none.
    let sum = 1;
    for (let c = 0; c < k; c++) if (c !== top) sum += resp[r + c] = Math.exp(resp[r + c]! - max);
    resp[r + top] = 1;
    for (let c = 0; c < k; c++) resp[r + c]! /= sum;
    ll += max + Math.log(sum);
  }
  return ll;
}

/** True when no component has d + 1 points' worth of responsibility (then the heaviest is kept alone). */
function noneHeavyEnough(mass: Float64Array, k: number, d: number): boolean {
  for (let c = 0; c < k; c++) if (mass[c]! >= d + 1) return false;
  return true;
}

/**
 * Mean vector and covariance (both triangles) of a mixture: μ = Σ w_c μ_c and
 * Σ = Σ w_c (Σ_c + (μ_c − μ)(μ_c − μ)ᵀ) — the centred form: Σ w_c(Σ_c + μ_c μ_cᵀ) − μμᵀ cancels
 * catastrophically once a collapsed replicate's spread is far below its mean.
 */
export function mixtureMoments(mix: Mixture, mean: Float64Array, cov: Float64Array): void {
  const { dims: d, k } = mix;
  mean.fill(0, 0, d);
  cov.fill(0, 0, d * d);
  for (let c = 0; c < k; c++) for (let a = 0; a < d; a++) mean[a]! += mix.weights[c]! * mix.means[c * d + a]!;
  for (let c = 0; c < k; c++) {
    const w = mix.weights[c]!;
    for (let a = 0; a < d; a++) {
      const ea = mix.means[c * d + a]! - mean[a]!;
      for (let b = 0; b < d; b++) cov[a * d + b]! += w * (mix.covs[c * d * d + a * d + b]! + ea * (mix.means[c * d + b]! - mean[b]!));
    }
  }
}

/** Free parameters of a k-component, d-dimensional full-covariance mixture: (k − 1) + k·d + k·d(d+1)/2. */
export function mixtureParameters(k: number, d: number): number {
  return k - 1 + k * d + (k * d * (d + 1)) / 2;
}

/**
 * The mixture with k = 1…K components that minimises BIC = −2·ln L + p·ln n (Schwarz 1978),
 * ties to fewer components; each k fitted by fitMixture with the same stream, in order.
 * Selecting k stops EM from describing one bump with several components (on unimodal samples of
 * 20 points a 2-component fit is bimodal more often than not), so a mode that dies stays dead
 * instead of being re-split out of the surviving one.
 */
export function selectMixture(x: Float64Array, d: number, maxK: number, rng: Rng): Mixture {
  const n = x.length / d;
  let best: Mixture | null = null;
  let bestBic = Infinity;
  for (let k = 1; k <= maxK; k++) {
    const mix = fitMixture(x, d, k, rng);
    const bic = -2 * mix.logLikelihood + mixtureParameters(mix.k, d) * Math.log(n);
    if (bic < bestBic) {
      best = mix;
      bestBic = bic;
    }
  }
  return best!;
}
