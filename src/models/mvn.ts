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
import { InputError, UsageError } from "../errors.js";
import { chiSquareSf } from "../stats/chi-square.js";
import { logDetCholesky, regularizedCholesky, solveLower, solveLowerMatrix } from "../stats/cholesky.js";
import { ballTailProjected, projectDirections } from "../stats/gaussian-ball-tail.js";
import { fillGaussianRows } from "../stats/gaussian-rows.js";
import { frobeniusSquared, symmetricEigen, trace } from "../stats/linalg.js";
import { sphereDirections } from "../stats/quadrature.js";
import type { Rng } from "../stats/rng.js";
import { digamma } from "../stats/special.js";
import { checkColumnRange, checkCovariance } from "./column-checks.js";
import {
  beyondShares,
  CONTINUOUS_OPTIONS,
  type ContinuousOptions,
  continuousSeedFit,
  DESCRIBE_DRAWS,
  DIMS_OPTION,
  describeDraws,
  ESTIMATOR_OPTION,
  type Estimator,
  expectedVarRatio,
  radiusFor,
  type TailNames,
  tailMetricNames,
  tailNames,
  truncationFactorDims,
} from "./continuous.js";
import type { Metrics, Model, RunContext } from "./model.js";
import { type Rows, rowCovariance, rowMahalanobis2, rowMatrixOps, rowMean, tableRows } from "./rows.js";
import { type FirstFit, fittedVarianceFactor, NORMAL_OF_SOURCE, sourceRowMoments } from "./truth.js";
import { drawInto } from "./typed.js";

export interface MvnOptions extends ContinuousOptions {
  readonly estimator: Estimator;
  readonly dims: number;
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
  /** Set under --reference source, where μ0 and Σ0 are the source's true mean and covariance. */
  readonly firstFit?: FirstFit;
}

interface MvnScratch {
  readonly c: Float64Array;
  readonly zero: Float64Array;
  /** The directions mapped by `white` (projectDirections), shared by a generation's tail masses. */
  readonly projected: Float64Array;
  readonly norms: Float64Array;
  readonly white: Float64Array;
  readonly prod: Float64Array;
  readonly gram: Float64Array;
  readonly eig: Float64Array;
}

function fitMvn(data: Rows, o: MvnOptions): MvnParams {
  const d = data.dims;
  const n = data.values.length / d;
  const mu = rowMean(data, new Float64Array(d));
  return withFactor(d, mu, rowCovariance(data, mu, covarianceDivisor(n, o), new Float64Array(d * d)));
}

/** n − 1 for the unbiased estimator (n for a single row), n for the MLE. */
function covarianceDivisor(n: number, o: MvnOptions): number {
  return o.estimator === "unbiased" && n > 1 ? n - 1 : n;
}

/** The parameters of a fitted mean and covariance: with the covariance's (regularised) Cholesky factor and log-determinant. */
function withFactor(d: number, mu: Float64Array, cov: Float64Array): MvnParams {
  const chol = regularizedCholesky(cov, d, new Float64Array(d * d));
  return { dims: d, mu, cov, chol, logDet: logDetCholesky(chol, d) };
}

/** Rows drawn at a time by fitDraws: about 128 kB of values, which stay in a core's cache. */
const DRAW_CHUNK_VALUES = 1 << 14;
let drawChunk: Float64Array | null = null;

/**
 * Model.fitDraws: the fit of n rows drawn from N(μ, L·Lᵀ), made a chunk at a time and each used at
 * once (untruncated only: a truncated draw redraws refused rows after its chunk's other draws, so
 * its stream depends on the chunks). The mean is rowMean's, bit for bit: the same running sums of
 * the same values in the same order. The covariance is rowCovariance's sum of products taken about
 * the drawing mean c instead of the sample mean x̄, which no single pass knows, less the
 * correction n·(x̄ − c)(x̄ − c)ᵀ that makes it the sum about x̄ exactly in algebra; with c within
 * about σ/√n of x̄ the correction is tiny, and the result agrees to rounding, not always to the
 * last bit. A sum that is not finite rewinds the stream, and the sample is drawn whole and fitted
 * as `fit` would.
 */
function fitDraws(params: MvnParams, n: number, rng: Rng, o: MvnOptions & RunContext): MvnParams | null {
  if (o.truncate !== null) return null;
  const d = params.dims;
  const rows = Math.max(1, Math.floor(DRAW_CHUNK_VALUES / d));
  if (drawChunk === null || drawChunk.length < rows * d) drawChunk = new Float64Array(rows * d);
  const chunk = drawChunk;
  const start = rng.snapshot();
  const c = params.mu;
  const sum = new Float64Array(d);
  const deviation = new Float64Array(d);
  const products = new Float64Array(d * d);
  for (let done = 0; done < n; done += rows) {
    const k = Math.min(rows, n - done);
    fillGaussianRows(chunk, 0, k, params.mu, params.chol, d, Infinity, rng);
    for (let i = 0; i < k; i++) {
      const at = i * d;
      for (let a = 0; a < d; a++) {
        const x = chunk[at + a]!;
        sum[a]! += x;
        const da = x - c[a]!;
        deviation[a]! += da;
        for (let b = 0; b <= a; b++) products[a * d + b]! += da * (chunk[at + b]! - c[b]!);
      }
    }
  }
  const mu = new Float64Array(d);
  for (let a = 0; a < d; a++) mu[a] = sum[a]! / n;
  const divisor = covarianceDivisor(n, o);
  const cov = new Float64Array(d * d);
  let finite = true;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = (products[a * d + b]! - (deviation[a]! * deviation[b]!) / n) / divisor;
      cov[a * d + b] = cov[b * d + a] = v;
      finite &&= Number.isFinite(v);
    }
    finite &&= Number.isFinite(mu[a]!);
  }
  if (!finite) {
    rng.rewind(start);
    return fitMvn(mvn.sample(params, n, rng, o), o);
  }
  return withFactor(d, mu, cov);
}

/**
 * The tail masses of N(μ, L·Lᵀ) beyond ρ_k of generation 0, measured in generation 0's whitened
 * coordinates y = L0⁻¹(x − μ0): `white` = L0⁻¹·L, `c` = L0⁻¹(μ − μ0) (or 0, centred). The
 * directions must have been projected by `white` (projectWhite): every tail mass of a generation
 * shares that product, most of the cost in d = 10.
 */
function tailMass(ref: MvnReference, c: Float64Array, i: number): number {
  return ballTailProjected(c, ref.dims, ref.radius2[i]!, ref.scratch.projected, ref.scratch.norms);
}

function projectWhite(ref: MvnReference): void {
  projectDirections(ref.scratch.white, ref.dims, ref.directions, ref.scratch.projected, ref.scratch.norms);
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

export const mvn: Model<Rows, MvnParams, MvnReference, MvnOptions> = {
  name: "mvn",
  family: "continuous",
  summary: "multivariate Gaussian on d columns: mean vector and covariance, sampled by Cholesky",
  defaultSource: "normal(0,1)",
  input: "table",
  options: [ESTIMATOR_OPTION, DIMS_OPTION, ...CONTINUOUS_OPTIONS],
  headline: ["var_ratio", "mean_drift", "tail_loss_", "kl", "w2"],
  // Measured at d = 2: 13 µs a generation, 83 ns a row; a row costs O(d²), the Cholesky O(d³).
  work: (o) => ({ perGeneration: 30_000 + 100 * o.dims ** 3, perRow: 40 * o.dims ** 2 }),
  footprint: (o, d) => ({ perRow: 8 * d, perSeedRow: 8 * d, perCategory: 0, countsOnly: false, onHeap: false, fitsDraws: o.truncate === null }),

  seed(input, o, purpose = "generation0") {
    // Most checks of the data wait for reference(): seed() also shapes the fresh regime's small draws.
    // The range check cannot wait: generation 0 is fitted before reference() runs.
    const data = tableRows(input, "mvn");
    if (purpose === "generation0") checkColumnRange(data, "mvn", o.seedName);
    return { data };
  },

  metricNames(o) {
    return ["var_ratio", "log_var_ratio", "gen_var_ratio", "log_gen_var_ratio", "mean_drift", "w2", "kl", ...tailMetricNames(o.tailK)];
  },

  fit: fitMvn,

  fitDraws,

  sample(p, n, rng, o, spare) {
    const d = p.dims;
    // Into the previous sample when the loop offers it: every row is drawn anew.
    const out = drawInto(spare?.values, n * d, (k) => new Float64Array(k));
    const radius = o.truncate === null ? Infinity : radiusFor(o.truncate, d);
    fillGaussianRows(out, 0, n, p.mu, p.chol, d, radius, rng);
    return { dims: d, values: out };
  },

  reference(data0, p0, o) {
    const d = data0.dims;
    const n0 = data0.values.length / d;
    const names = data0.names ?? [];
    if (n0 < d + 1) {
      throw new InputError(`${o.seedName}: ${n0} row(s) of ${d} column(s); --model mvn needs at least ${d + 1} (d + 1) rows — give more data or fewer columns`);
    }
    const raw = rowCovariance(data0, p0.mu, n0, new Float64Array(d * d));
    checkCovariance(raw, p0.mu, d, names, "mvn", o.seedName);
    if (o.sampleSize < d + 1) {
      throw new UsageError(`--sample-size ${o.sampleSize} is below d + 1 = ${d + 1}: every fitted covariance would be singular; raise --sample-size`);
    }
    const directions = sphereDirections(d);
    const scratch: MvnScratch = {
      c: new Float64Array(d),
      zero: new Float64Array(d),
      projected: new Float64Array(directions.length),
      norms: new Float64Array(directions.length / d),
      white: new Float64Array(d * d),
      prod: new Float64Array(d * d),
      gram: new Float64Array(d * d),
      eig: new Float64Array(d),
    };
    const radius2 = Float64Array.from(o.tailK, (k) => radiusFor(k, d) ** 2);
    const ref: MvnReference = {
      ...p0,
      n0,
      trace: trace(p0.cov, d),
      tails: tailNames(o.tailK),
      radius2,
      centered0: new Float64Array(o.tailK.length),
      directions,
      scratch,
    };
    solveLowerMatrix(p0.chol, d, p0.chol, scratch.white);
    if (o.tailK.length > 0) projectWhite(ref);
    o.tailK.forEach((_, i) => (ref.centered0[i] = tailMass(ref, scratch.zero, i)));
    return ref;
  },

  sourceComparison: NORMAL_OF_SOURCE,

  sourceReference(source, data0, _p0, o) {
    // The normal with the source's own mean vector and covariance (src/core/seed.ts draws the columns).
    const d = data0.dims;
    const { mean, cov } = sourceRowMoments(source, d);
    const chol = regularizedCholesky(cov, d, new Float64Array(d * d));
    const ref = mvn.reference(data0, { dims: d, mu: mean, cov, chol, logDet: logDetCholesky(chol, d) }, o, undefined);
    const n0 = ref.n0;
    // Normal rows: Σ̂0 = Σ^½·W·Σ^½/c with W ~ Wishart_d(n0 − 1, I), so E ln det(Σ̂0Σ⁻¹)/d is Bartlett's.
    let logOffset: number | null = null;
    // Normal rows: a normal source's independent columns, or linear(d,σ)'s jointly normal ones.
    if (source.kind === "normal" || source.kind === "linear") {
      const c = o.estimator === "mle" ? n0 : n0 - 1;
      let s = 0;
      for (let i = 1; i <= d; i++) s += digamma((n0 - i) / 2);
      logOffset = s / d + Math.log(2 / c);
    }
    return { ...ref, firstFit: { varianceFactor: fittedVarianceFactor(n0, 1, o.estimator), logVarianceOffset: logOffset } };
  },

  measure(p, _train, ref, o): Metrics {
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
    if (o.tailK.length > 0) projectWhite(ref);
    o.tailK.forEach((_, i) => {
      const names = ref.tails[i]!;
      const centered = tailMass(ref, zero, i);
      m[names.mass] = tailMass(ref, c, i);
      m[names.centered] = centered;
      m[names.loss] = 1 - centered / ref.centered0[i]!;
    });
    return m;
  },

  seedFit(data0, p0, ref, o) {
    // One dimension from d: under θ0 the squared Mahalanobis distance of a row is χ²_d, so the
    // seed rows' distances are tested against that CDF (exact for known μ, Σ; for fitted ones
    // close when n ≫ d). Tails: rows beyond ρ_k, as the tail metrics count them.
    const d = p0.dims;
    const r2 = rowMahalanobis2(data0, p0.mu, p0.chol);
    const dataMass = beyondShares(r2, ref.radius2);
    // The distances become their CDF values in place.
    for (let i = 0; i < r2.length; i++) r2[i] = 1 - chiSquareSf(r2[i]!, d);
    return continuousSeedFit(`squared Mahalanobis distances vs chi-square(${d})`, r2, o.tailK, dataMass, ref.centered0);
  },

  describe(params, rng, _ref, o) {
    return describeDraws(mvn.sample(params, DESCRIBE_DRAWS, rng, o).values, params.dims);
  },

  theory(o, loop, g, ref) {
    const d = ref.dims;
    const M = loop.sampleSize;
    const v = o.truncate === null ? 1 : truncationFactorDims(o.truncate, d);
    const out: Metrics = {};
    const varRatio = expectedVarRatio(loop.regime, o.estimator, loop.filterRecall, M, ref.n0, g, v);
    // Against the source the ratios given generation 0 scale by what generation 0 is expected to be.
    const first = ref.firstFit;
    if (varRatio !== undefined) out.var_ratio = first ? first.varianceFactor * varRatio : varRatio;
    if (loop.regime === "replace" && loop.filterRecall === 0 && o.truncate === null && M > d && (!first || first.logVarianceOffset !== null)) {
      // Bartlett: Σg = Σ(g−1)^{½}·W·Σ(g−1)^{½}/c with W ~ Wishart_d(M − 1, I), and
      // E ln det W = Σ_{i=1..d} ψ((M − i)/2) + d·ln 2; c = M (mle) or M − 1 (unbiased).
      const c = o.estimator === "mle" ? M : M - 1;
      let s = 0;
      for (let i = 1; i <= d; i++) s += digamma((M - i) / 2);
      out.log_gen_var_ratio = (g / d) * (s + d * Math.log(2 / c)) + (first?.logVarianceOffset ?? 0);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  },

  ops: rowMatrixOps,
};
