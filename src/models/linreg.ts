/**
 * Linear regression on a fixed design: the setting of Dohmatob et al., "Model Collapse
 * Demystified" (2024), and Gerstgrasser et al., "Is Model Collapse Inevitable?" (2024).
 *
 * Seed data: a table whose target is --target (default y) and whose features are --column
 * (default: every other numeric column), or --source linear(d,sigma): x1…xd i.i.d. N(0,1),
 * y = x1 + … + xd + N(0, sigma²). The data layer and the source put the target column last
 * (OptionSpec.seedColumn), so a row of the training data is [x1 … xd, y].
 *
 * Fit: ordinary least squares with an intercept (p = d + 1 coefficients), by Householder QR of the
 * centred features (backward stable: errors grow with the condition number κ of the design, not κ²
 * as through the normal equations), and the noise variance RSS/n (mle) or RSS/(n − p) (unbiased).
 *
 * Sample (the fixed design): generation g ≥ 1 keeps the seed design X and draws new labels
 * y = X·β̂(g−1) + N(0, σ̂²(g−1)). A sample of n rows takes the seed design's rows in order, cycling
 * when n exceeds n0 (row i is seed row i mod n0): with the default M = n0 every generation has
 * exactly the seed design. The design travels with the data (LinregData.design), so every
 * regime's training set knows it: replace trains on the M new rows, accumulate on the seed rows
 * and every generation's, mix and fresh on their real rows plus M − round(A·M) new rows.
 *
 * Metrics against generation 0, in units of its noise σ̂0²: excess_risk = (β̂g − β̂0)ᵀ Σ̂ (β̂g − β̂0)/σ̂0²
 * with Σ̂ = X̃ᵀX̃/n0 the seed design's second moments, intercept column included (the test error
 * that collapse adds, averaged over the seed's design points); noise_ratio = σ̂g²/σ̂0² and its log;
 * coef_drift = ‖β̂g − β̂0‖ (intercept included). Closed forms: linregTheory (ARCHITECTURE §4).
 */
import { formatSource } from "../data/source.js";
import { InputError, UsageError } from "../errors.js";
import { cholesky, solveLower, solveLowerMatrix } from "../stats/cholesky.js";
import { symmetricEigen } from "../stats/linalg.js";
import { digamma } from "../stats/special.js";
import { fillNormal } from "../stats/ziggurat.js";
import { checkColumnRange, checkCovariance } from "./column-checks.js";
import { ESTIMATOR_OPTION, type Estimator, showNumber } from "./continuous.js";
import { heldCount, holdoutOption, splitHoldout } from "./holdout.js";
import type { DataOps, Metrics, Model, Regime } from "./model.js";
import type { OptionSpec } from "./option.js";
import { type Rows, rowCovariance, rowMatrixOps, rowMean, tableRows } from "./rows.js";
import { type FirstFit, fittedLogVarianceOffset, fittedVarianceFactor } from "./truth.js";
import { drawInto } from "./typed.js";

export interface LinregOptions {
  readonly estimator: Estimator;
  readonly target: string;
  readonly holdout: number;
}

const HOLDOUT_OPTION = holdoutOption("a seeded random F of the seed rows, never trained on, for test_mse_ratio");

const TARGET_OPTION: OptionSpec<"target"> = {
  key: "target",
  flag: "target",
  type: "string",
  arg: "COL",
  group: "data",
  default: "y",
  description: "the target column, by header name or 1-based index; the features are --column, else every other numeric column",
  describe: (t: string) => `target ${t}`,
  seedColumn: true,
};

/** The seed design every synthetic sample reuses: the feature columns of the seed rows. */
export interface Design {
  /** The seed rows [x1 … xd, y], row-major (the features are read from them, never the labels). */
  readonly rows: Float64Array;
  readonly n0: number;
  /** Features per row. */
  readonly d: number;
}

/**
 * Rows [x1 … xd, y] (dims = d + 1) and the seed design. `design` is null only on the fresh
 * regime's new real rows, which are never sampled from; concat takes the first design it finds.
 */
export interface LinregData extends Rows {
  readonly design: Design | null;
  /**
   * Set on a sample as drawn (the data operations make new objects without it): row i's features
   * are the seed design's row i mod n0, so every such training set of n rows shares one
   * factorisation of its features (fitLinreg).
   */
  readonly onSeedDesign?: true;
}

export interface LinregParams {
  /** [intercept, β1 … βd]. */
  readonly beta: Float64Array;
  /** The noise variance, by --estimator. */
  readonly sigma2: number;
  readonly design: Design;
}

export interface LinregReference {
  readonly beta0: Float64Array;
  readonly sigma20: number;
  readonly n0: number;
  readonly d: number;
  /** M, the synthetic rows per generation the closed forms were prepared for. */
  readonly sampleSize: number;
  /** Cholesky factor L of X̃ᵀX̃ (p×p, the intercept column first): δᵀX̃ᵀX̃δ = ‖Lᵀδ‖². */
  readonly chol: Float64Array;
  /** The eigenvalues λ of (X̃ᵀX̃)⁻¹·ZᵀZ, Z the design of M synthetic rows (ARCHITECTURE §4). */
  readonly lambda: Float64Array;
  /** The held-out rows [x1 … xd, y], never trained on, and generation 0's mean squared error on them. */
  readonly heldOut: Float64Array;
  readonly mse0: number;
  /** What the closed form of test_mse_ratio needs of the held-out design (see linregTheory). */
  readonly held: HeldOutDesign;
  readonly features: readonly string[];
  readonly target: string;
  /** The accumulate closed forms, extended on demand: noise[j] = E[noise_ratio_j], excess[j]. */
  readonly accumulate: { readonly mle: TheorySequence; readonly unbiased: TheorySequence };
  readonly delta: Float64Array;
  /**
   * Set under --reference source, where β0 and σ0² are the true coefficients (0, 1, …, 1) and noise
   * variance of linear(d,σ), and each replicate draws its own labels on the seed design.
   */
  readonly firstFit?: FirstFit;
}

interface TheorySequence {
  readonly noise: number[];
  readonly excess: number[];
  /** Σ_{j≤g} s(j−1)·Σ_i q_i·λ_i/(1 + jλ_i)², the accumulate sum behind test_mse_ratio. */
  readonly test: number[];
}

/**
 * The held-out design in the eigenbasis of the closed forms: with G = X̃ᵀX̃ = L·Lᵀ and
 * L⁻¹·ZᵀZ·L⁻ᵀ = U·diag(λ)·Uᵀ, q_i = Σ_h (u_iᵀ·L⁻¹·x̃_h)² over the held-out rows x̃_h (intercept 1
 * first), so that tr(Q·L⁻ᵀ·U·D·Uᵀ·L⁻¹) = Σ_i q_i·D_ii for Q = Σ_h x̃_h·x̃_hᵀ and any diagonal D.
 * `scale` = σ̂0²/(n_h·mse0) turns E[δᵀQδ] into a change of test_mse_ratio.
 */
export interface HeldOutDesign {
  readonly q: Float64Array;
  readonly scale: number;
}

/** A centred column whose remaining norm after the columns before it is below √COLLINEAR of its own is collinear with them (R² > 1 − 1e-10, as column-checks). */
const COLLINEAR = 1e-10;
/** Residual variance below this share of the target's variance: the target is a linear function of the features. */
const EXACT = 1e-24;

/** One line for a design that least squares cannot solve. */
class SingularDesign extends Error {}

/**
 * Ordinary least squares with an intercept on rows [x1 … xd, y] (`w` = d + 1 numbers a row):
 * Householder QR of the centred features (factorFeatures), then the same reflections applied to
 * the centred target (solveLabels), so Qᵀy gives both the slopes (R·b = (Qᵀy)[0..d)) and the
 * residual sum of squares (‖(Qᵀy)[d..n)‖², free of the cancellation of yᵀy − bᵀXᵀy). The
 * intercept is ȳ − x̄ᵀb. Throws SingularDesign when a centred feature is constant, or (almost) a
 * linear combination of the features before it, or when there are too few rows (n ≤ d).
 *
 * @example leastSquares(Float64Array.of(0, 1, 1, 3, 2, 4, 3, 8), 2) // beta [0.7, 2.2], rss 1.8
 */
export function leastSquares(values: Float64Array, w: number): { beta: Float64Array; rss: number } {
  return solveLabels(factorFeatures(values, w), values);
}

/**
 * The Householder QR of a training set's centred features: all a fit needs of its design. A set
 * of labels on the same features is solved from it in O(n·d) (solveLabels), which is how every
 * generation on the fixed seed design reuses one factorisation (see fitLinreg).
 */
interface FeatureFactor {
  readonly n: number;
  readonly w: number;
  /** The feature columns' means. */
  readonly mean: Float64Array;
  /** Column-major: column k holds the reflection vector v_k in rows k…n − 1. */
  readonly v: Float64Array;
  /** h_k = v_kᵀv_k/2: reflection k is H_k = I − v_k·v_kᵀ/h_k. */
  readonly h: Float64Array;
  /** R, d × d, row-major (upper triangle). */
  readonly r: Float64Array;
}

function factorFeatures(values: Float64Array, w: number): FeatureFactor {
  const d = w - 1;
  const n = values.length / w;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += values[i * w + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  // Column-major, centred: a[j·n + i] = row i of feature j.
  const a = new Float64Array(d * n);
  const norm0 = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const m = mean[j]!;
    for (let i = 0; i < n; i++) a[j * n + i] = values[i * w + j]! - m;
  }
  for (let j = 0; j < d; j++) norm0[j] = columnNorm(a, j * n, 0, n);
  const r = new Float64Array(d * d);
  const hs = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const col = k * n;
    const norm = columnNorm(a, col, k, n);
    // A constant column keeps only the rounding of its mean (≈1e-16·|mean| a value) after centring.
    if (!(norm0[k]! > 1e-12 * Math.abs(mean[k]!) * Math.sqrt(n)) || !(norm > Math.sqrt(COLLINEAR) * norm0[k]!)) throw new SingularDesign(String(k));
    const akk = a[col + k]!;
    const alpha = akk > 0 ? -norm : norm;
    a[col + k] = akk - alpha;
    // The reflection H = I − v·vᵀ/h with v = a[k..n) − alpha·e_k and h = vᵀv/2 = norm·(norm + |a_kk|).
    const h = norm * (norm + Math.abs(akk));
    hs[k] = h;
    for (let j = k + 1; j < d; j++) reflect(a, col, a, j * n, k, n, h);
    r[k * d + k] = alpha;
    for (let j = k + 1; j < d; j++) r[k * d + j] = a[j * n + k]!;
  }
  return { n, w, mean, v: a, h: hs, r };
}

/** Applies reflection k, whose vector is v[vFrom + k … vFrom + n), to the column t[tFrom …]. */
function reflect(v: Float64Array, vFrom: number, t: Float64Array, tFrom: number, k: number, n: number, h: number): void {
  let s = 0;
  for (let i = k; i < n; i++) s += v[vFrom + i]! * t[tFrom + i]!;
  const f = s / h;
  for (let i = k; i < n; i++) t[tFrom + i]! -= f * v[vFrom + i]!;
}

/** The fit of the labels (the last value of each row) on features that `f` factorised. */
function solveLabels(f: FeatureFactor, values: Float64Array): { beta: Float64Array; rss: number } {
  const { n, w, mean, v, h, r } = f;
  const d = w - 1;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i * w + d]!;
  m /= n;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = values[i * w + d]! - m;
  for (let k = 0; k < d; k++) reflect(v, k * n, y, 0, k, n, h[k]!);
  const beta = new Float64Array(w);
  for (let k = d - 1; k >= 0; k--) {
    let s = y[k]!;
    for (let j = k + 1; j < d; j++) s -= r[k * d + j]! * beta[j + 1]!;
    beta[k + 1] = s / r[k * d + k]!;
  }
  let intercept = m;
  for (let j = 0; j < d; j++) intercept -= mean[j]! * beta[j + 1]!;
  beta[0] = intercept;
  let rss = 0;
  for (let i = d; i < n; i++) rss += y[i]! * y[i]!;
  return { beta, rss };
}

/** ‖a[from + k .. from + n)‖, scaled so that neither huge nor tiny entries over- or underflow. */
function columnNorm(a: Float64Array, from: number, k: number, n: number): number {
  let scale = 0;
  for (let i = k; i < n; i++) scale = Math.max(scale, Math.abs(a[from + i]!));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = k; i < n; i++) {
    const t = a[from + i]! / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/** The noise variance's divisor: n (mle) or n − p (unbiased; n when no degree of freedom is left). */
function divisor(n: number, p: number, estimator: Estimator): number {
  return estimator === "unbiased" && n > p ? n - p : n;
}

/**
 * The factorisation of the seed design's rows cycled to n rows, per design (one n at a time: a
 * run's sample size). Under replace every generation trains on new labels over these very features.
 */
const seedDesignFactors = new WeakMap<Design, FeatureFactor>();

function featureFactor(data: LinregData): FeatureFactor {
  const w = data.dims;
  if (!data.onSeedDesign || data.design === null) return factorFeatures(data.values, w);
  const n = data.values.length / w;
  let f = seedDesignFactors.get(data.design);
  if (f === undefined || f.n !== n) {
    f = factorFeatures(data.values, w);
    seedDesignFactors.set(data.design, f);
  }
  return f;
}

function fitLinreg(data: LinregData, o: LinregOptions): LinregParams {
  if (data.design === null) throw new Error("linreg: a training set without the seed design");
  const w = data.dims;
  const n = data.values.length / w;
  let fit: { beta: Float64Array; rss: number };
  try {
    fit = solveLabels(featureFactor(data), data.values);
  } catch (e) {
    if (!(e instanceof SingularDesign)) throw e;
    throw new InputError(
      `a training set of ${n} rows cannot fit ${w} coefficients: its design is singular (feature ${Number(e.message) + 1} is constant or a linear combination of the others); lower --filter-recall or raise --sample-size`,
    );
  }
  return { beta: fit.beta, sigma2: fit.rss / divisor(n, w, o.estimator), design: data.design };
}

/** X̃ᵀX̃ (p×p, p = d + 1, the intercept column first) over the first `m` rows of the design, cycling. */
function designGram(design: Design, m: number): Float64Array {
  const { rows, n0, d } = design;
  const p = d + 1;
  const w = d + 1;
  const once = (count: number) => {
    const g = new Float64Array(p * p);
    const x = new Float64Array(p);
    x[0] = 1;
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < d; j++) x[j + 1] = rows[i * w + j]!;
      for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) g[a * p + b]! += x[a]! * x[b]!;
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) g[b * p + a] = g[a * p + b]!;
    return g;
  };
  const whole = Math.floor(m / n0);
  const g = once(m % n0);
  if (whole > 0) {
    const full = once(n0);
    for (let i = 0; i < p * p; i++) g[i]! += whole * full[i]!;
  }
  return g;
}

/**
 * The eigenvalues of G⁻¹K = L⁻ᵀ(L⁻¹KL⁻ᵀ)Lᵀ, through the symmetric L⁻¹KL⁻ᵀ (G = L·Lᵀ), and that
 * matrix's eigenvectors U (column i of the row-major p×p `vectors` belongs to λ_i).
 */
function relativeEigen(chol: Float64Array, k: Float64Array, p: number): { lambda: Float64Array; vectors: Float64Array } {
  const left = solveLowerMatrix(chol, p, k, new Float64Array(p * p));
  const t = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) t[i * p + j] = left[j * p + i]!;
  const both = solveLowerMatrix(chol, p, t, new Float64Array(p * p));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) both[i * p + j] = both[j * p + i] = (both[i * p + j]! + both[j * p + i]!) / 2;
  }
  const vectors = new Float64Array(p * p);
  return { lambda: symmetricEigen(both, p, new Float64Array(p), vectors), vectors };
}

/** q of HeldOutDesign: each held-out row through L⁻¹, then onto the eigenvectors. */
function heldOutWeights(held: Float64Array, d: number, chol: Float64Array, vectors: Float64Array): Float64Array {
  const p = d + 1;
  const nh = held.length / p;
  const x = new Float64Array(p);
  const v = new Float64Array(p);
  const q = new Float64Array(p);
  for (let h = 0; h < nh; h++) {
    x[0] = 1;
    for (let j = 0; j < d; j++) x[j + 1] = held[h * p + j]!;
    solveLower(chol, p, x, v);
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += vectors[k * p + i]! * v[k]!;
      q[i]! += s * s;
    }
  }
  return q;
}

/** The mean squared error of the coefficients `beta` on rows [x1 … xd, y]. */
function meanSquaredError(rows: Float64Array, d: number, beta: Float64Array): number {
  const p = d + 1;
  const n = rows.length / p;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let r = rows[i * p + d]! - beta[0]!;
    for (let j = 0; j < d; j++) r -= beta[j + 1]! * rows[i * p + j]!;
    sum += r * r;
  }
  return sum / n;
}

/**
 * Closed-form expectations (ARCHITECTURE §4), with every generation's labels drawn on the same
 * design Z (M rows) and no filter; conditional on generation 0, so in units of σ̂0² exactly.
 * `lambda` holds the eigenvalues of G⁻¹K with G = X̃ᵀX̃ (seed design, n0 rows) and K = ZᵀZ
 * (λ = 1 when M = n0: Z = X̃). p = λ.length = d + 1; c(N) = N (mle) or N − p (unbiased).
 *
 * Generation j draws y_j = Zβ̂(j−1) + ε_j with ε_j ~ N(0, σ̂²(j−1)·I), and refits on a design whose
 * Gram matrix is A_j: by the normal equations (and X̃ᵀy0 = Gβ̂0), δ_j = β̂_j − β̂0 obeys
 * δ_j = δ(j−1) + A_j⁻¹Zᵀε_j — a martingale, so E[excess_risk_g] = Σ_j E[σ̂²(j−1)]/σ̂0² · w_j with
 * w_j = tr(G·A_j⁻¹·K·A_j⁻¹)/n0.
 *
 * - replace: A_j = K. The residuals of generation j are ε_j projected off Z's p columns, so
 *   σ̂_j² = σ̂²(j−1)·χ²(M−p)/c(M), independent of the coefficients' step. With ρ = (M − p)/c(M)
 *   (mle (M−p)/M, unbiased 1) and τ = tr(G·K⁻¹)/n0 = Σ 1/λ_i / n0 (p/n0 when M = n0):
 *     E[noise_ratio_g] = ρ^g,  E[log_noise_ratio_g] = g·(ψ((M−p)/2) + ln(2/c(M))),
 *     E[excess_risk_g] = τ·(1 + ρ + … + ρ^(g−1)): τ·g under unbiased — linear in g, σ²·p/n a
 *     generation (Dohmatob et al.) — and τ·(1 − ρ^g)/(1 − ρ) → τ·M/p under mle (the noise itself
 *     shrinks: at M = n0 the excess risk stays below 1).
 * - accumulate: A_j = G + j·K, the seed rows and j synthetic designs. Recursive least squares gives
 *   RSS_j = RSS(j−1) + ε_jᵀ(I + Z·A(j−1)⁻¹·Zᵀ)⁻¹ε_j (the innovation of y_j is ε_j itself), whose
 *   expectation adds σ̂²(j−1)·(M − t_j), t_j = tr(K·A_j⁻¹) = Σ λ_i/(1 + jλ_i). With N_j = n0 + jM:
 *     E[noise_ratio_j] = s_j = s(j−1)·(c(N(j−1)) + M − t_j)/c(N_j) (< 1 for both estimators),
 *     E[excess_risk_g] = Σ_{j=1..g} s(j−1)·w_j, w_j = Σ λ_i/(1 + jλ_i)² / n0.
 *   At M = n0 (λ = 1), w_j = p/(n0·(j + 1)²), so E[excess_risk_g] < (p/n0)·(π²/6 − 1) for every g:
 *   bounded (Gerstgrasser et al.). With d = 0 (an intercept only) s_j is the Gaussian's
 *   Π(1 − M/N_j²) of ARCHITECTURE §4 under mle.
 *
 * test_mse_ratio, on held-out rows x̃_h with targets y_h never trained on: the error of β̂g is
 * y_h − x̃_hᵀβ̂0 − x̃_hᵀδ_g, and E[δ_g] = 0 (a martingale from 0), so
 *   E[test_mse_ratio_g] = 1 + E[δ_gᵀQδ_g]/(n_h·mse0) = 1 + scale·Σ_j s(j−1)·tr(Q·A_j⁻¹·K·A_j⁻¹),
 * Q = Σ_h x̃_h·x̃_hᵀ. In the eigenbasis of HeldOutDesign, tr(Q·A_j⁻¹·K·A_j⁻¹) = Σ_i q_i·λ_i/(1 + jλ_i)²
 * (accumulate; A_j = G + jK = L·U·(I + jΛ)·Uᵀ·Lᵀ) and Σ_i q_i/λ_i (replace; A_j = K). With q_i = 1 these
 * are n0·w_j and n0·τ: the seed's own design points, which excess_risk averages over.
 */
export function linregTheory(
  lambda: ArrayLike<number>,
  n0: number,
  M: number,
  estimator: Estimator,
  regime: Regime,
  g: number,
  cache: TheorySequence = emptySequence(),
  held: HeldOutDesign | null = null,
): Metrics | undefined {
  const p = lambda.length;
  const c = (n: number) => divisor(n, p, estimator);
  if (regime === "replace") {
    let tau = 0;
    for (let i = 0; i < p; i++) tau += 1 / lambda[i]!;
    tau /= n0;
    const rho = (M - p) / c(M);
    // Σ_{j=1..g} E[σ̂²(j−1)]/σ̂0² = 1 + ρ + … + ρ^(g−1).
    const steps = rho === 1 ? g : (1 - rho ** g) / (1 - rho);
    const out: Metrics = { excess_risk: tau * steps, noise_ratio: rho ** g, log_noise_ratio: g * (digamma((M - p) / 2) + Math.log(2 / c(M))) };
    if (held) {
      let trace = 0;
      for (let i = 0; i < p; i++) trace += held.q[i]! / lambda[i]!;
      out.test_mse_ratio = 1 + held.scale * trace * steps;
    }
    return out;
  }
  if (regime === "accumulate") {
    const { noise, excess, test } = cache;
    for (let j = noise.length; j <= g; j++) {
      let t = 0;
      let w = 0;
      let wHeld = 0;
      for (let i = 0; i < p; i++) {
        const a = 1 + j * lambda[i]!;
        t += lambda[i]! / a;
        w += lambda[i]! / (a * a);
        if (held) wHeld += (held.q[i]! * lambda[i]!) / (a * a);
      }
      excess.push(excess[j - 1]! + (noise[j - 1]! * w) / n0);
      test.push(test[j - 1]! + noise[j - 1]! * wHeld);
      noise.push((noise[j - 1]! * (c(n0 + (j - 1) * M) + M - t)) / c(n0 + j * M));
    }
    const out: Metrics = { excess_risk: excess[g]!, noise_ratio: noise[g]! };
    if (held) out.test_mse_ratio = 1 + held.scale * test[g]!;
    return out;
  }
  return undefined;
}

function emptySequence(): TheorySequence {
  return { noise: [1], excess: [0], test: [0] };
}

/** The regimes' data operations: rowMatrixOps, keeping the seed design with the rows. */
const linregOps: DataOps<LinregData> = {
  size: (r) => rowMatrixOps.size(r),
  thin: (r, keep, rng) => ({ ...rowMatrixOps.thin(r, keep, rng), design: r.design }),
  subset: (r, n, rng) => ({ ...rowMatrixOps.subset(r, n, rng), design: r.design }),
  resample: (r, n, rng) => ({ ...rowMatrixOps.resample(r, n, rng), design: r.design }),
  concat: (parts) => ({ ...rowMatrixOps.concat(parts), design: parts.find((part) => part.design !== null)?.design ?? null }),
  pool(initial) {
    const pool = rowMatrixOps.pool(initial);
    return { add: (r) => pool.add(r), view: () => ({ ...pool.view(), design: initial.design }) };
  },
};

/** Features --show-samples writes out before "…". */
const SHOWN_FEATURES = 4;

export const linreg: Model<LinregData, LinregParams, LinregReference, LinregOptions> = {
  name: "linreg",
  family: "continuous",
  summary: "linear regression on a fixed design: OLS coefficients and noise, new labels each generation",
  defaultSource: "linear(5,1)",
  input: "table",
  options: [TARGET_OPTION, ESTIMATOR_OPTION, HOLDOUT_OPTION],
  headline: ["excess_risk", "test_mse_ratio", "noise_ratio", "coef_drift"],
  // p = dims coefficients: a row costs O(p²), the solve O(p³). Measured: 160 ns a row at p = 6.
  work: (_o, seed) => ({ perGeneration: 10_000 + 50 * seed.dims ** 3, perRow: 10 * seed.dims ** 2 }),
  // A row of d + 1 numbers (dims), the fit's centred column-major copy of it, and a noise draw.
  footprint: (_o, dims) => ({ perRow: 16 * dims + 8, perSeedRow: 8 * dims, perCategory: 0, countsOnly: false, onHeap: false }),

  seed(input, o, purpose = "generation0") {
    const table = tableRows(input, "linreg");
    const d = table.dims - 1;
    if (purpose === "fresh") return { data: { ...table, design: null } };
    const rowCount = table.values.length / Math.max(1, table.dims);
    if (d < 1) {
      throw new InputError(
        `${o.seedName}: no feature column besides the target ${JSON.stringify(input.kind === "table" ? input.names.at(-1) : o.target)}; --model linreg needs at least one — name them with --column`,
      );
    }
    const held = heldCount(o.holdout, rowCount);
    const n0 = rowCount - held;
    if (n0 < d + 2) {
      throw new InputError(
        `${o.seedName}: ${rowCount} row(s) leave ${n0} to train on after --holdout ${o.holdout} holds out ${held}, for ${d + 1} coefficients (an intercept and ${d} feature(s)); --model linreg needs at least ${d + 2} training rows to estimate the noise — give more rows, fewer features or a lower --holdout`,
      );
    }
    const { train, heldOut } = splitHoldout(table.values, table.dims, held, o.seed);
    const rows: Rows = { dims: table.dims, values: train, names: table.names };
    // Generation 0 is fitted before reference() runs: the checks of the seed design come here.
    checkColumnRange(rows, "linreg", o.seedName);
    const features: Rows = { dims: d, values: new Float64Array(n0 * d), names: rows.names?.slice(0, d) ?? [] };
    for (let i = 0; i < n0; i++) features.values.set(rows.values.subarray(i * (d + 1), i * (d + 1) + d), i * d);
    const mu = rowMean(features, new Float64Array(d));
    checkCovariance(rowCovariance(features, mu, n0, new Float64Array(d * d)), mu, d, features.names ?? [], "linreg", o.seedName);
    return { data: { ...rows, design: { rows: rows.values, n0, d } }, heldOut: { ...rows, values: heldOut, design: null } };
  },

  metricNames() {
    return ["excess_risk", "test_mse_ratio", "noise_ratio", "log_noise_ratio", "coef_drift"];
  },

  fit: fitLinreg,

  sample(params, n, rng, _o, spare) {
    const { design, beta } = params;
    const { rows, n0, d } = design;
    const w = d + 1;
    // Into the previous sample when the loop offers it: every value is written below.
    const out = drawInto(spare?.values, n * w, (k) => new Float64Array(k));
    fillNormal(out, rng, 0, Math.sqrt(params.sigma2), n);
    // The noise was drawn into out[0..n); each row's goes to its label, last to first so that
    // none is overwritten before it is read (row i's label sits at i·w + d ≥ i).
    for (let i = n - 1; i >= 0; i--) {
      const noise = out[i]!;
      const from = (i % n0) * w;
      let y = beta[0]!;
      for (let j = 0; j < d; j++) {
        const x = rows[from + j]!;
        out[i * w + j] = x;
        y += beta[j + 1]! * x;
      }
      out[i * w + d] = y + noise;
    }
    return { dims: w, values: out, design, onSeedDesign: true };
  },

  reference(data0, p0, o, heldOutData) {
    if (!heldOutData) throw new Error("linreg.reference: data0 did not come from linreg.seed");
    const design = p0.design;
    const { n0, d } = design;
    const p = d + 1;
    const names = data0.names ?? [];
    const target = names[d] ?? o.target;
    // The target's variance, to tell a residual of rounding from a real one.
    let ybar = 0;
    for (let i = 0; i < n0; i++) ybar += data0.values[i * p + d]!;
    ybar /= n0;
    let yss = 0;
    for (let i = 0; i < n0; i++) yss += (data0.values[i * p + d]! - ybar) ** 2;
    const rss = p0.sigma2 * divisor(n0, p, o.estimator);
    if (!(rss > EXACT * yss)) {
      throw new InputError(
        `${o.seedName}: the target ${JSON.stringify(target)} is an exact linear function of the features (residual variance 0): there is no noise to refit; check --target and --column`,
      );
    }
    const M = o.sampleSize;
    if (M <= p) {
      throw new UsageError(
        `--sample-size ${M} leaves no residual degree of freedom for ${p} coefficients (an intercept and ${d} feature(s)); raise --sample-size above ${p}`,
      );
    }
    const chol = new Float64Array(p * p);
    if (!cholesky(designGram(design, n0), p, chol)) throw new InputError(`${o.seedName}: the design is numerically singular; drop a feature with --column`);
    const { lambda, vectors } = relativeEigen(chol, designGram(design, M), p);
    let top = 0;
    for (const l of lambda) top = Math.max(top, l);
    if (lambda.some((l) => !(l > COLLINEAR * top))) {
      throw new UsageError(
        `--sample-size ${M}: the first ${M} rows of the seed design, which every synthetic sample reuses, are collinear; raise --sample-size (${n0} uses the whole design)`,
      );
    }
    const heldOut = heldOutData.values;
    const mse0 = meanSquaredError(heldOut, d, p0.beta);
    if (!(mse0 > 0)) {
      throw new InputError(
        `${o.seedName}: generation 0 predicts the ${heldOut.length / p} held-out row(s) exactly, so test_mse_ratio has nothing to compare with; raise --holdout`,
      );
    }
    const held: HeldOutDesign = { q: heldOutWeights(heldOut, d, chol, vectors), scale: p0.sigma2 / ((heldOut.length / p) * mse0) };
    return {
      beta0: p0.beta,
      sigma20: p0.sigma2,
      n0,
      d,
      sampleSize: M,
      chol,
      lambda,
      heldOut,
      mse0,
      held,
      features: names.slice(0, d),
      target,
      accumulate: { mle: emptySequence(), unbiased: emptySequence() },
      delta: new Float64Array(p),
    };
  },

  sourceReference(source, data0, p0, o, heldOut) {
    if (source.kind !== "linear") {
      throw new UsageError(
        `--reference source: --model linreg knows the true line of linear(d,sigma) only, and --source is ${formatSource(source)}; use a linear source or --reference gen0`,
      );
    }
    if (o.target !== "y") {
      throw new UsageError(
        `--reference source: linear(d,sigma) is a line for its target y, not for ${JSON.stringify(o.target)}; drop --target or use --reference gen0`,
      );
    }
    const p = source.d + 1;
    const beta = new Float64Array(p).fill(1);
    beta[0] = 0;
    const ref = linreg.reference(data0, { beta, sigma2: source.sigma ** 2, design: p0.design }, o, heldOut);
    const n0 = ref.n0;
    return { ...ref, firstFit: { varianceFactor: fittedVarianceFactor(n0, p, o.estimator), logVarianceOffset: fittedLogVarianceOffset(n0, p, o.estimator) } };
  },

  // The fixed design of both papers: a replicate's seed keeps the design and draws new labels from the true line.
  redrawSeed(ref, data0, rng, o) {
    return linreg.sample({ beta: ref.beta0, sigma2: ref.sigma20, design: data0.design! }, ref.n0, rng, o);
  },

  measure(params, _train, ref): Metrics {
    const p = ref.d + 1;
    const { delta, chol } = ref;
    let drift2 = 0;
    for (let i = 0; i < p; i++) {
      delta[i] = params.beta[i]! - ref.beta0[i]!;
      drift2 += delta[i]! * delta[i]!;
    }
    // δᵀX̃ᵀX̃δ = ‖Lᵀδ‖², never negative by rounding.
    let quad = 0;
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let k = i; k < p; k++) s += chol[k * p + i]! * delta[k]!;
      quad += s * s;
    }
    const noise = params.sigma2 / ref.sigma20;
    return {
      excess_risk: quad / (ref.n0 * ref.sigma20),
      test_mse_ratio: meanSquaredError(ref.heldOut, ref.d, params.beta) / ref.mse0,
      noise_ratio: noise,
      log_noise_ratio: Math.log(noise),
      coef_drift: Math.sqrt(drift2),
    };
  },

  describe(params, _rng, ref) {
    const terms = [showNumber(params.beta[0]!)];
    for (let j = 0; j < Math.min(ref.d, SHOWN_FEATURES); j++) {
      const b = params.beta[j + 1]!;
      terms.push(`${b < 0 ? "−" : "+"} ${showNumber(Math.abs(b))}·${ref.features[j] ?? `x${j + 1}`}`);
    }
    if (ref.d > SHOWN_FEATURES) terms.push("+ …");
    return `${ref.target} = ${terms.join(" ")} (σ ${showNumber(Math.sqrt(params.sigma2))})`;
  },

  theory(o, loop, g, ref) {
    if (loop.filterRecall > 0 || loop.sampleSize !== ref.sampleSize) return undefined;
    const given = linregTheory(ref.lambda, ref.n0, loop.sampleSize, o.estimator, loop.regime, g, ref.accumulate[o.estimator], ref.held);
    const first = ref.firstFit;
    if (!given || !first) return given;
    // Against the truth (ARCHITECTURE §4): β̂0 − β ~ N(0, σ²G⁻¹) adds p/n0 to the excess risk and
    // σ²·tr(Q·G⁻¹) = σ²·Σq_i to the held-out error; what happens after generation 0 is proportional
    // to σ̂0², whose expectation is κ·σ² (κ = E[σ̂0²]/σ²).
    const k = first.varianceFactor;
    const p = ref.d + 1;
    let q = 0;
    for (const x of ref.held.q) q += x;
    const out: Metrics = { excess_risk: p / ref.n0 + k * given.excess_risk!, test_mse_ratio: 1 + ref.held.scale * q + k * (given.test_mse_ratio! - 1) };
    out.noise_ratio = k * given.noise_ratio!;
    if (given.log_noise_ratio !== undefined) out.log_noise_ratio = first.logVarianceOffset! + given.log_noise_ratio;
    return out;
  },

  ops: linregOps,
};
