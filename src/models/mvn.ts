/**
 * The multivariate Gaussian N(μ, Σ) on d numeric columns: fit the mean vector and covariance
 * (mle or unbiased), sample by Cholesky factor × standard normals. Every metric is a closed form
 * of θg against θ0, except the tail masses, which are exact per direction and averaged over a
 * fixed direction set (see gaussianBallTail).
 *
 * Seed data: --data with --column a,b,c (all numeric columns when none is named), or a built-in
 * --source with --dims D, whose D columns are independent draws (rows of a mixture source share
 * their component: src/core/seed.ts). Independent columns lose nothing: fitting mean and
 * covariance and sampling by Cholesky are affine-equivariant, so var_ratio's and w2's scale aside,
 * every metric (gen_var_ratio, mean_drift, kl, tails) has the same distribution for any Σ0.
 */
import type { ResolvedConfig, SimConfig } from "../config/config.js";
import { InputError, UsageError } from "../errors.js";
import { MIN_NORMAL, short } from "../stats/limits.js";
import {
  cholesky,
  choleskyFailure,
  frobeniusSquared,
  gaussianBallTail,
  logDetCholesky,
  solveLower,
  solveLowerMatrix,
  symmetricEigen,
  trace,
} from "../stats/linalg.js";
import { normalQuantile } from "../stats/normal.js";
import { deriveSeed, Rng } from "../stats/rng.js";
import { digamma } from "../stats/special.js";
import { fillNormal, normal } from "../stats/ziggurat.js";
import { expectedVarRatio, mahalanobisRadius, type TailNames, tailMetricNames, tailNames, truncationFactorDims } from "./continuous.js";
import type { DataOps, Metrics, Model, SeedInput } from "./model.js";
import { rowOps } from "./rows.js";

/** Numeric rows: `values` is row-major with `dims` numbers a row. */
export interface Rows {
  readonly dims: number;
  readonly values: Float64Array;
  /** Column names, on seed data only (for error messages). */
  readonly names?: readonly string[];
}

const opsByDims: DataOps<Float64Array>[] = [];
const opsFor = (d: number) => (opsByDims[d] ??= rowOps(d));

/** The regimes' data operations on Rows: rowOps for the rows' width. */
export const rowsOps: DataOps<Rows> = {
  size: (r) => r.values.length / r.dims,
  thin: (r, keep, rng) => ({ dims: r.dims, values: opsFor(r.dims).thin(r.values, keep, rng) }),
  subset: (r, n, rng) => ({ dims: r.dims, values: opsFor(r.dims).subset(r.values, n, rng) }),
  resample: (r, n, rng) => ({ dims: r.dims, values: opsFor(r.dims).resample(r.values, n, rng) }),
  concat(parts) {
    const d = parts[0]!.dims;
    return { dims: d, values: opsFor(d).concat(parts.map((p) => p.values)) };
  },
  pool(initial) {
    const d = initial.dims;
    const pool = opsFor(d).pool(initial.values);
    return { add: (r: Rows) => pool.add(r.values), view: () => ({ dims: d, values: pool.view() }) };
  },
};

/** Seed columns (a table input) as row-major Rows. */
export function tableRows(input: SeedInput, model: string): Rows {
  if (input.kind !== "table") throw new Error(`${model} reads a table of numeric columns`);
  const d = input.columns.length;
  const n = d === 0 ? 0 : input.columns[0]!.length;
  const values = new Float64Array(n * d);
  input.columns.forEach((col, j) => {
    for (let i = 0; i < n; i++) values[i * d + j] = col[i]!;
  });
  return { dims: d, values, names: input.names };
}

/** Mean vector of the rows. */
export function rowMean(r: Rows, out: Float64Array): Float64Array {
  const d = r.dims;
  const n = r.values.length / d;
  out.fill(0, 0, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j]! += r.values[i * d + j]!;
  for (let j = 0; j < d; j++) out[j]! /= n;
  return out;
}

/** Σ_i (x_i − μ)(x_i − μ)ᵀ / divisor, both triangles filled. */
export function rowCovariance(r: Rows, mu: Float64Array, divisor: number, out: Float64Array): Float64Array {
  const d = r.dims;
  const x = r.values;
  const n = x.length / d;
  out.fill(0, 0, d * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const da = x[o + a]! - mu[a]!;
      for (let b = 0; b <= a; b++) out[a * d + b]! += da * (x[o + b]! - mu[b]!);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) out[b * d + a] = out[a * d + b] = out[a * d + b]! / divisor;
  }
  return out;
}

/** Where the seed data came from, for error messages: the file, or the source. */
export function seedLabel(config: SimConfig): string {
  return config.data !== null ? config.data : `--source ${config.source}`;
}

/**
 * Each column's variance must be a normal finite double for a covariance (and its Cholesky
 * factor, its determinant) to mean anything: deviations beyond ≈1e154 square to Infinity,
 * deviations below ≈1e-154 square to (sub)normal dust. Either is named here, before generation 0
 * is fitted, as what it is — not as equal values, collinear columns or a hang.
 */
export function checkColumnRange(r: Rows, model: string, where: string): void {
  const d = r.dims;
  const x = r.values;
  const n = x.length / d;
  if (n === 0) return;
  const mu = rowMean(r, new Float64Array(d));
  for (let j = 0; j < d; j++) {
    let ss = 0;
    let top = 0;
    for (let i = 0; i < n; i++) {
      const dev = x[i * d + j]! - mu[j]!;
      ss += dev * dev;
      top = Math.max(top, Math.abs(dev));
    }
    const column = `${where}: column ${JSON.stringify(r.names?.[j] ?? String(j + 1))}`;
    if (!Number.isFinite(ss / n)) {
      throw new InputError(
        `${column}: its variance overflows a double (values up to ${short(top)} from the mean; --model ${model} needs deviations below 1e154); rescale the column (divide it by a power of 10)`,
      );
    }
    if (top > 0 && ss / n < MIN_NORMAL) {
      throw new InputError(
        `${column}: its variance underflows a double (values only ${short(top)} from the mean; --model ${model} needs deviations above 1e-154); rescale the column (multiply it by a power of 10)`,
      );
    }
  }
}

/** Relative size of the first ridge added to a covariance that is not numerically positive definite. */
const RIDGE = 1e-12;

/**
 * Cholesky factor of a covariance during the chain, never failing: when `cov` is not numerically
 * positive definite (fewer rows than d + 1 after --filter-recall, or a collapsed chain), δ·I is
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

/** Columns are collinear when R² of one on the others exceeds 1 − COLLINEAR. */
const COLLINEAR = 1e-10;

/**
 * The generation-0 checks of a covariance: named columns that are constant or collinear are an
 * InputError. A column counts as constant when its standard deviation is below 1e-12 of its mean's
 * magnitude: the rounding of the mean alone leaves a variance of that order in an equal column.
 */
export function checkCovariance(cov: Float64Array, mean: Float64Array, d: number, names: readonly string[], model: string, where: string): void {
  const name = (j: number) => `${where}: column ${JSON.stringify(names[j] ?? String(j + 1))}`;
  for (let j = 0; j < d; j++) {
    if (!(cov[j * d + j]! > (1e-12 * mean[j]!) ** 2))
      throw new InputError(
        `${name(j)}: all values are equal (${+mean[j]!.toPrecision(12)}); --model ${model} needs spread in every column — pick other columns with --column, or other data`,
      );
  }
  // (√ each variance separately: their product under- or overflows for variances of 1e-200 or 1e200.)
  // Cholesky of the correlation matrix: pivot_j² = 1 − R²_j, the share of column j's variance not
  // explained linearly by the columns before it.
  const corr = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) corr[a * d + b] = cov[a * d + b]! / (Math.sqrt(cov[a * d + a]!) * Math.sqrt(cov[b * d + b]!));
  }
  const j = choleskyFailure(corr, d, new Float64Array(d * d), COLLINEAR);
  if (j >= 0) {
    const before = names
      .slice(0, j)
      .map((n) => JSON.stringify(n))
      .join(", ");
    throw new InputError(
      `${name(j)} is (almost) a linear combination of ${before} (R² > 1 − ${COLLINEAR}); the covariance is singular — drop one of these columns with --column`,
    );
  }
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

const radiusMemo = new Map<string, number>();
/** ρ_k(d) of mahalanobisRadius, memoised (a bisection; sample() needs it every generation). */
export function radiusFor(k: number, d: number): number {
  const key = `${k}/${d}`;
  let r = radiusMemo.get(key);
  if (r === undefined) radiusMemo.set(key, (r = mahalanobisRadius(k, d)));
  return r;
}

/**
 * n draws of N(μ, L·Lᵀ), appended row-major into out[at·d …]: x = μ + L·z, z standard normal.
 * With `radius` finite, z is redrawn until ‖z‖ ≤ radius (--truncate: a Mahalanobis ball under θ).
 */
export function fillGaussianRows(out: Float64Array, at: number, n: number, mu: Float64Array, l: Float64Array, d: number, radius: number, rng: Rng): void {
  const start = at * d;
  fillNormal(out.subarray(start, start + n * d), rng);
  const r2 = radius * radius;
  for (let i = 0; i < n; i++) {
    const o = start + i * d;
    if (radius !== Infinity) {
      for (;;) {
        let s = 0;
        for (let j = 0; j < d; j++) s += out[o + j]! * out[o + j]!;
        if (s <= r2) break;
        for (let j = 0; j < d; j++) out[o + j] = normal(rng);
      }
    }
    // x_a = μ_a + Σ_{b ≤ a} L_ab z_b, from the last coordinate down so z_b is still unread.
    for (let a = d - 1; a >= 0; a--) {
      let s = mu[a]!;
      for (let b = 0; b <= a; b++) s += l[a * d + b]! * out[o + b]!;
      out[o + a] = s;
    }
  }
}

export interface MvnParams {
  readonly dims: number;
  readonly mu: Float64Array;
  readonly cov: Float64Array;
  /** Cholesky factor of cov (lower triangular). */
  readonly chol: Float64Array;
  readonly logDet: number;
}

export interface MvnReference extends MvnParams {
  /** Rows of D0 (the accumulate pool starts with them). */
  readonly n0: number;
  readonly trace: number;
  readonly tails: readonly TailNames[];
  /** ρ_k² for each --tail-k. */
  readonly radius2: Float64Array;
  /** tail_mass_centered_k of generation 0. */
  readonly centered0: Float64Array;
  readonly directions: Float64Array;
  readonly scratch: MvnScratch;
}

interface MvnScratch {
  readonly c: Float64Array;
  readonly zero: Float64Array;
  readonly v: Float64Array;
  readonly white: Float64Array;
  readonly prod: Float64Array;
  readonly gram: Float64Array;
  readonly eig: Float64Array;
}

function fitMvn(data: Rows, config: ResolvedConfig): MvnParams {
  const d = data.dims;
  const n = data.values.length / d;
  const mu = rowMean(data, new Float64Array(d));
  const divisor = config.estimator === "unbiased" && n > 1 ? n - 1 : n;
  const cov = rowCovariance(data, mu, divisor, new Float64Array(d * d));
  const chol = regularizedCholesky(cov, d, new Float64Array(d * d));
  return { dims: d, mu, cov, chol, logDet: logDetCholesky(chol, d) };
}

/**
 * The tail masses of N(μ, L·Lᵀ) beyond ρ_k of generation 0, measured in generation 0's whitened
 * coordinates y = L0⁻¹(x − μ0): `white` = L0⁻¹·L, `c` = L0⁻¹(μ − μ0) (or 0, centred).
 */
function tailMass(ref: MvnReference, c: Float64Array, white: Float64Array, i: number): number {
  return gaussianBallTail(c, white, ref.dims, ref.radius2[i]!, ref.directions, ref.scratch.v);
}

/**
 * 2-Wasserstein distance between N(μ1, Σ1) and N(μ0, Σ0) (Bures):
 *   W2² = ‖μ1 − μ0‖² + tr Σ1 + tr Σ0 − 2·tr (Σ0^{½} Σ1 Σ0^{½})^{½},
 * the last trace being Σ √λ_i over the eigenvalues of L0ᵀ·Σ1·L0 (similar to Σ0^{½}Σ1Σ0^{½}).
 */
function buresW2(p: MvnParams, ref: MvnReference, diff2: number): number {
  const d = p.dims;
  const { prod, gram, eig } = ref.scratch;
  // prod = L0ᵀ·L1, gram = prod·prodᵀ = L0ᵀ Σ1 L0.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < d; k++) s += ref.chol[k * d + i]! * p.chol[k * d + j]!;
      prod[i * d + j] = s;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += prod[i * d + k]! * prod[j * d + k]!;
      gram[i * d + j] = gram[j * d + i] = s;
    }
  }
  symmetricEigen(gram, d, eig);
  let root = 0;
  for (let i = 0; i < d; i++) root += Math.sqrt(Math.max(0, eig[i]!));
  const traces = trace(p.cov, d) + ref.trace;
  const bures = traces - 2 * root;
  // The covariance term is a difference of O(tr Σ) numbers: below 1e-12 of them it is rounding
  // (generation 0 would show ≈1e-8 instead of 0).
  return Math.sqrt(diff2 + (bures > 1e-12 * traces ? bures : 0));
}

export const mvn: Model<Rows, MvnParams, MvnReference> = {
  name: "mvn",
  defaultSource: "normal(0,1)",
  input: "table",

  seed(input, config, purpose = "generation0") {
    // Most checks of the data wait for reference(): seed() also shapes the fresh regime's small draws.
    // The range check cannot wait: generation 0 is fitted before reference() runs.
    const data = tableRows(input, "mvn");
    if (purpose === "generation0") checkColumnRange(data, "mvn", seedLabel(config));
    return { data };
  },

  metricNames(config) {
    return ["var_ratio", "log_var_ratio", "gen_var_ratio", "log_gen_var_ratio", "mean_drift", "w2", "kl", ...tailMetricNames(config.tailK)];
  },

  fit: fitMvn,

  sample(p, n, rng, config) {
    const d = p.dims;
    const out = new Float64Array(n * d);
    const radius = config.truncate === null ? Infinity : radiusFor(config.truncate, d);
    fillGaussianRows(out, 0, n, p.mu, p.chol, d, radius, rng);
    return { dims: d, values: out };
  },

  reference(data0, p0, config) {
    const d = data0.dims;
    const n0 = data0.values.length / d;
    const names = data0.names ?? [];
    if (n0 < d + 1) {
      throw new InputError(
        `${seedLabel(config)}: ${n0} row(s) of ${d} column(s); --model mvn needs at least ${d + 1} (d + 1) rows — give more data or fewer columns`,
      );
    }
    const raw = rowCovariance(data0, p0.mu, n0, new Float64Array(d * d));
    checkCovariance(raw, p0.mu, d, names, "mvn", seedLabel(config));
    if (config.sampleSize < d + 1) {
      throw new UsageError(`--sample-size ${config.sampleSize} is below d + 1 = ${d + 1}: every fitted covariance would be singular; raise --sample-size`);
    }
    const scratch: MvnScratch = {
      c: new Float64Array(d),
      zero: new Float64Array(d),
      v: new Float64Array(d),
      white: new Float64Array(d * d),
      prod: new Float64Array(d * d),
      gram: new Float64Array(d * d),
      eig: new Float64Array(d),
    };
    const radius2 = Float64Array.from(config.tailK, (k) => radiusFor(k, d) ** 2);
    const ref: MvnReference = {
      ...p0,
      n0,
      trace: trace(p0.cov, d),
      tails: tailNames(config.tailK),
      radius2,
      centered0: new Float64Array(config.tailK.length),
      directions: sphereDirections(d),
      scratch,
    };
    solveLowerMatrix(p0.chol, d, p0.chol, scratch.white);
    config.tailK.forEach((_, i) => (ref.centered0[i] = tailMass(ref, scratch.zero, scratch.white, i)));
    return ref;
  },

  measure(p, _train, ref, config): Metrics {
    const d = p.dims;
    const { c, zero, white } = ref.scratch;
    let diff2 = 0;
    for (let i = 0; i < d; i++) {
      c[i] = p.mu[i]! - ref.mu[i]!;
      diff2 += c[i]! * c[i]!;
    }
    solveLower(ref.chol, d, c, c);
    let mahal2 = 0;
    for (let i = 0; i < d; i++) mahal2 += c[i]! * c[i]!;
    solveLowerMatrix(ref.chol, d, p.chol, white);
    const logRatio = (p.logDet - ref.logDet) / d;
    const varRatio = trace(p.cov, d) / ref.trace;
    const m: Metrics = {
      var_ratio: varRatio,
      log_var_ratio: Math.log(varRatio),
      gen_var_ratio: Math.exp(logRatio),
      log_gen_var_ratio: logRatio,
      mean_drift: Math.sqrt(mahal2),
      w2: buresW2(p, ref, diff2),
      // KL(N_g ‖ N_0) = ½[tr(Σ0⁻¹Σg) + (μg−μ0)ᵀΣ0⁻¹(μg−μ0) − d + ln det Σ0 − ln det Σg].
      kl: Math.max(0, 0.5 * (frobeniusSquared(white, d) + mahal2 - d - d * logRatio)),
    };
    config.tailK.forEach((_, i) => {
      const names = ref.tails[i]!;
      const centered = tailMass(ref, zero, white, i);
      m[names.mass] = tailMass(ref, c, white, i);
      m[names.centered] = centered;
      m[names.loss] = 1 - centered / ref.centered0[i]!;
    });
    return m;
  },

  theory(config, g, ref) {
    const d = ref.dims;
    const M = config.sampleSize;
    const v = config.truncate === null ? 1 : truncationFactorDims(config.truncate, d);
    const out: Metrics = {};
    const varRatio = expectedVarRatio(config.regime, config.estimator, config.filterRecall, M, ref.n0, g, v);
    if (varRatio !== undefined) out.var_ratio = varRatio;
    if (config.regime === "replace" && config.filterRecall === 0 && config.truncate === null && M > d) {
      // Bartlett: Σg = Σ(g−1)^{½}·W·Σ(g−1)^{½}/c with W ~ Wishart_d(M − 1, I), and
      // E ln det W = Σ_{i=1..d} ψ((M − i)/2) + d·ln 2; c = M (mle) or M − 1 (unbiased).
      const c = config.estimator === "mle" ? M : M - 1;
      let s = 0;
      for (let i = 1; i <= d; i++) s += digamma((M - i) / 2);
      out.log_gen_var_ratio = (g / d) * (s + d * Math.log(2 / c));
    }
    return Object.keys(out).length > 0 ? out : undefined;
  },

  ops: rowsOps,
};
