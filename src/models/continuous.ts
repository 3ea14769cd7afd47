/** Closed forms shared by the continuous models (ARCHITECTURE §3–4). */

import { chiSquareSfInverse } from "../stats/chi-square.js";
import { ksPValue, ksStatistic } from "../stats/ks.js";
import { MIN_NORMAL, ratioOfSquares } from "../stats/limits.js";
import { normalCdf, normalPdf, normalSf } from "../stats/normal.js";
import { logGamma } from "../stats/special.js";
import type { Regime, SeedFit } from "./model.js";
import type { OptionSpec } from "./option.js";

export const ESTIMATORS = ["mle", "unbiased"] as const;
export type Estimator = (typeof ESTIMATORS)[number];

/** Options every continuous model takes (gaussian, mvn, gmm). */
export interface ContinuousOptions {
  readonly truncate: number | null;
  readonly tailK: number[];
}

export const CONTINUOUS_OPTIONS: readonly OptionSpec<keyof ContinuousOptions>[] = [
  {
    key: "truncate",
    flag: "truncate",
    type: "number",
    arg: "K",
    above: 0,
    max: 100,
    group: "sampling",
    default: null,
    description: "reject draws outside mu +/- K sigma (mvn, gmm: the Mahalanobis radius holding the same mass)",
    describe: (k: number | null) => (k === null ? null : `truncate ±${k}σ`),
  },
  {
    key: "tailK",
    flag: "tail-k",
    type: "numberList",
    arg: "LIST",
    above: 0,
    max: 50,
    group: "metrics",
    default: [2, 3],
    description: "tails at these multiples of the original sigma",
  },
];

/**
 * The variance estimator of the Gaussian models and of linreg's noise (gmm's EM is maximum
 * likelihood throughout: no standard per-component correction).
 */
export const ESTIMATOR_OPTION: OptionSpec<"estimator"> = {
  key: "estimator",
  flag: "estimator",
  type: "enum",
  arg: "E",
  choices: ESTIMATORS,
  group: "model",
  default: "mle",
  description: "variance estimator: mle divides by n, unbiased by the degrees of freedom (n-1; linreg n-p for p coefficients)",
  describe: (e: Estimator) => `estimator ${e}`,
};

/** The number of columns a built-in source draws, for the models that read a table (mvn, gmm). */
export const DIMS_OPTION: OptionSpec<"dims"> = {
  key: "dims",
  flag: "dims",
  type: "int",
  arg: "D",
  min: 1,
  max: 100,
  group: "model",
  default: 2,
  description: "dimensions of a built-in --source",
  sourceOnly: "with --data the dimensions are the chosen columns",
};

/** Draws --show-samples prints per generation of a continuous model. */
export const DESCRIBE_DRAWS = 6;

/** A number with 3 significant digits and a real minus sign, for --show-samples. */
export const showNumber = (x: number): string => Number(x.toPrecision(3)).toString().replace("-", "−");

/**
 * A few draws of a continuous model as text, 3 significant digits each: "−0.412, 1.32, …" for
 * one dimension, "(0.12, −1.30), …" for rows of `dims` values.
 */
export function describeDraws(values: Float64Array, dims: number): string {
  const items: string[] = [];
  for (let i = 0; i + dims <= values.length; i += dims) {
    const row = Array.from(values.subarray(i, i + dims), showNumber);
    items.push(dims === 1 ? row[0]! : `(${row.join(", ")})`);
  }
  return `${items.join(", ")}, …`;
}

/** The suffix of a tail metric: k = 2 → "2", k = 2.5 → "2p5" (names must be expression identifiers). */
export function tailSuffix(k: number): string {
  return String(k).replace(".", "p");
}

export interface TailNames {
  readonly mass: string;
  readonly centered: string;
  readonly loss: string;
}

/** The three tail metric names of each k of --tail-k. */
export function tailNames(tailK: readonly number[]): TailNames[] {
  return tailK.map((k) => {
    const s = tailSuffix(k);
    return { mass: `tail_mass_${s}`, centered: `tail_mass_centered_${s}`, loss: `tail_loss_${s}` };
  });
}

/** Tail metric names for each k of --tail-k, in output order. */
export function tailMetricNames(tailK: readonly number[]): string[] {
  return tailNames(tailK).flatMap((t) => [t.mass, t.centered, t.loss]);
}

/** W2 between N(μ1,σ1²) and N(μ2,σ2²) = √((μ1−μ2)² + (σ1−σ2)²). */
export function gaussianW2(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  return Math.hypot(mu1 - mu2, sigma1 - sigma2);
}

/** KL(N(μ1,σ1²) ‖ N(μ2,σ2²)) = ln(σ2/σ1) + (σ1² + (μ1−μ2)²)/(2σ2²) − ½, in nats. */
export function gaussianKl(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  const d = mu1 - mu2;
  const kl = Math.log(sigma2 / sigma1) + (sigma1 * sigma1 + d * d) / (2 * sigma2 * sigma2) - 0.5;
  // Squares of spreads near 1e200 or 1e-200 overflow or underflow; the ratios do not.
  if (Number.isFinite(kl) && sigma2 * sigma2 >= MIN_NORMAL) return kl;
  return Math.log(sigma2 / sigma1) + (ratioOfSquares(sigma1, sigma2) + ratioOfSquares(d, sigma2)) / 2 - 0.5;
}

/**
 * Variance of N(0,1) truncated to [−k, k]: v_k = 1 − 2kφ(k)/(2Φ(k)−1). Sampling with --truncate k
 * multiplies each generation's expected variance by v_k (ARCHITECTURE §4).
 */
export function truncationFactor(k: number): number {
  return 1 - (2 * k * normalPdf(k)) / (2 * normalCdf(k) - 1);
}

/**
 * The Mahalanobis radius ρ_k(d) that holds the same mass as ±kσ in one dimension:
 * P(χ²_d > ρ²) = P(|Z| > k) = 2·Q(k). In d = 1, ρ = k. The multivariate models put their tail
 * thresholds (--tail-k) and truncation (--truncate) at ρ_k, so tail metrics mean the same at every d
 * (generation 0 has tail_mass_k = 2·Q(k): 4.55% at k = 2, 0.27% at k = 3).
 */
export function mahalanobisRadius(k: number, d: number): number {
  return d === 1 ? k : Math.sqrt(chiSquareSfInverse(2 * normalSf(k), d));
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
 * Variance factor of --truncate k in d dimensions: draws are kept when their Mahalanobis radius
 * under θ is ≤ ρ = ρ_k(d), and Cov(Z | ‖Z‖ ≤ ρ) = v·I with
 *   v = E[χ²_d; χ²_d ≤ ρ²]/(d·P(χ²_d ≤ ρ²)) = F_{d+2}(ρ²)/F_d(ρ²)
 *     = 1 − (ρ²/2)^{d/2}·e^{−ρ²/2} / (Γ(d/2 + 1)·(2Φ(k) − 1)),
 * using F_{d+2}(y) = F_d(y) − (y/2)^{d/2}e^{−y/2}/Γ(d/2+1) and F_d(ρ²) = 2Φ(k) − 1.
 * For d = 1 this is truncationFactor(k).
 */
export function truncationFactorDims(k: number, d: number): number {
  if (d === 1) return truncationFactor(k);
  const y = mahalanobisRadius(k, d) ** 2;
  const inside = 1 - 2 * normalSf(k);
  return 1 - Math.exp((d / 2) * Math.log(y / 2) - y / 2 - logGamma(d / 2 + 1)) / inside;
}

/**
 * E[var_ratio_g] under --regime accumulate with every synthetic sample kept (ARCHITECTURE §4).
 * The pool T_j = D0 ∪ S1 ∪ … ∪ Sj has N_j = n0 + jM rows; θ_j is fitted to it with variance
 * SS_j/c(N_j), c(N) = N (mle) or N − 1 (unbiased). Adding M draws of variance v·σ_j² (v = the
 * truncation factor, 1 without --truncate) to a pool with sample mean μ_j:
 *   SS_{j+1} = SS_j + SS_S + (N_j·M/N_{j+1})·(x̄_S − μ_j)²,
 *   E[SS_{j+1} | T_j] = SS_j + v·σ_j²·(M − 1 + N_j/N_{j+1}),
 * so E[σ²_{j+1} | T_j] = f_{j+1}·σ_j² with f_j = (c(N_{j−1}) + v·(M − 1 + N_{j−1}/N_j))/c(N_j), and
 * by the tower rule E[var_ratio_g] = Π_{j=1..g} f_j. For mle and v = 1, f_j = 1 − M/N_j²:
 * the formula of ARCHITECTURE §4, checked (derivation and simulation). The same holds for the covariance
 * matrix of mvn, so for its trace ratio.
 *
 * Closed form of the product: N_j·c(N_j)·f_j = N_j² − β·N_j − v·M with β = M(1 − v) + [unbiased],
 * whose roots r± = (β ± √(β² + 4vM))/2 are real; with N_j = n0 + jM each factor (N_j − r) is
 * M·(j + α), α = (n0 − r)/M, and Π_{j=1..g}(j + α) = Γ(g + 1 + α)/Γ(1 + α). So the product is a
 * ratio of gamma functions: O(1) for any g (1 + α > 0 because N_1 > r₊).
 */
export function accumulateVarianceRatio(n0: number, M: number, g: number, estimator: Estimator, v: number): number {
  if (g === 0) return 1;
  const beta = M * (1 - v) + (estimator === "unbiased" ? 1 : 0);
  const root = Math.sqrt(beta * beta + 4 * v * M);
  const numerator = [(beta + root) / 2, (beta - root) / 2];
  const denominator = estimator === "unbiased" ? [0, 1] : [0, 0];
  const logRising = (r: number) => {
    const alpha = (n0 - r) / M;
    return logGamma(g + 1 + alpha) - logGamma(1 + alpha);
  };
  let s = 0;
  for (const r of numerator) s += logRising(r);
  for (const r of denominator) s -= logRising(r);
  return Math.exp(s);
}

/**
 * E[var_ratio_g] where a closed form exists: replace (((M−1)/M)^g for mle, 1 for unbiased, each
 * generation also times v) and accumulate (accumulateVarianceRatio), with every synthetic sample
 * kept (no --filter-recall). undefined otherwise (mix and fresh couple the variance to the drift
 * of the mean, and filtering makes the sample sizes random).
 */
export function expectedVarRatio(regime: Regime, estimator: Estimator, filterRecall: number, M: number, n0: number, g: number, v: number): number | undefined {
  if (filterRecall > 0) return undefined;
  if (regime === "replace") return ((estimator === "mle" ? (M - 1) / M : 1) * v) ** g;
  if (regime === "accumulate") return accumulateVarianceRatio(n0, M, g, estimator, v);
  if (regime === "accumulate-subsample") return subsampleVarianceRatio(n0, M, g, estimator, v);
  return undefined;
}

/** Products already computed, by (n0, M, estimator, v): theory asks for g = 0, 1, 2, … in turn. */
const subsampleCache = new Map<string, number[]>();

/**
 * E[var_ratio_g] under --regime accumulate-subsample with every synthetic sample kept
 * (ARCHITECTURE §4). The pool P_j = D0 ∪ S1 ∪ … ∪ Sj has N_j = n0 + jM rows and population
 * variance V_j (divisor N_j); θ_j (j ≥ 1) is fitted to M of them drawn without replacement, θ0 to
 * D0 itself. For a simple random sample of M rows, E[SS | P_j] = (M − 1)·N_j·V_j/(N_j − 1) and the
 * sample mean's squared distance from the pool mean has expectation V_j·(N_j − M)/((N_j − 1)·M), so
 *   E[σ_j² | P_j] = e_j·V_j,   e_j = (M − 1)·N_j/(c(M)·(N_j − 1))    (e_0 = n0/c(n0)),
 *   E[(μ_j − x̄_{P_j})² | P_j] = d_j·V_j,   d_j = (N_j − M)/((N_j − 1)·M)   (d_0 = 0).
 * Adding S_{j+1}, M draws of variance v·σ_j² around μ_j, to the pool (the decomposition of a union's
 * sum of squares, as for accumulate):
 *   N_{j+1}·V_{j+1} = N_j·V_j + SS_S + (N_j·M/N_{j+1})·(x̄_{P_j} − x̄_S)²,
 * whose expectation given P_j is linear in V_j: E[V_{j+1} | P_j] = a_{j+1}·V_j with
 *   a_{j+1} = (N_j + v·(M − 1)·e_j + (N_j·M/N_{j+1})·(d_j + v·e_j/M))/N_{j+1}.
 * By the tower rule E[V_g] = V_0·Π_{j=1..g} a_j, and E[var_ratio_g] = (e_g/e_0)·Π_{j=1..g} a_j —
 * a product of g explicit factors, no simpler closed form (the training set is a random mixture of
 * every generation so far). With the whole pool as training set (e_j = 1, d_j = 0, mle) each factor
 * is accumulate's 1 − M/N_j², which checks the algebra; simulation checks the rest
 * (test/core/accumulate-subsample.test.ts, which also checks it for categorical's gini_simpson).
 */
export function subsampleVarianceRatio(n0: number, M: number, g: number, estimator: Estimator, v: number): number {
  const key = `${n0},${M},${estimator},${v}`;
  let products = subsampleCache.get(key);
  if (!products) {
    if (subsampleCache.size >= 16) subsampleCache.clear();
    products = [1];
    subsampleCache.set(key, products);
  }
  const c = (n: number) => (estimator === "mle" ? n : n - 1);
  const e = (j: number) => (j === 0 ? n0 / c(n0) : ((M - 1) * (n0 + j * M)) / (c(M) * (n0 + j * M - 1)));
  const d = (j: number) => (j === 0 ? 0 : (n0 + j * M - M) / ((n0 + j * M - 1) * M));
  for (let j = products.length; j <= g; j++) {
    const prev = n0 + (j - 1) * M;
    const N = prev + M;
    const a = (prev + v * (M - 1) * e(j - 1) + ((prev * M) / N) * (d(j - 1) + (v * e(j - 1)) / M)) / N;
    products.push(products[j - 1]! * a);
  }
  return (e(g) / e(0)) * products[g]!;
}

/**
 * The seed fit of a continuous model (ARCHITECTURE §3), from the seed data's values under θ0:
 *
 * - `ks_test` names the 1-D comparison; `ks` is the Kolmogorov–Smirnov statistic of `u`, the seed's
 *   values of the CDF it is tested against (sorted in place), and `ks_p` its p-value
 *   (src/stats/ks.ts: asymptotic, and conservative since θ0 was fitted to the same data), times
 *   `pFactor` (a Bonferroni correction over several tests), at most 1;
 * - for each k of --tail-k, `tail_mass_data_k` (`dataMass[i]`): the share of the seed beyond the
 *   thresholds of tail_mass_k (see beyondShares), beside `tail_mass_model_k` (`modelMass[i]`),
 *   θ0's own mass there: generation 0's tail_mass_k.
 */
export function continuousSeedFit(
  test: string,
  u: Float64Array,
  tailK: readonly number[],
  dataMass: ArrayLike<number>,
  modelMass: ArrayLike<number>,
  pFactor = 1,
): SeedFit {
  const ks = ksStatistic(u);
  const fit: SeedFit = { ks_test: test, ks, ks_p: Math.min(1, pFactor * ksPValue(ks, u.length)) };
  tailK.forEach((k, i) => {
    const suffix = tailSuffix(k);
    fit[`tail_mass_data_${suffix}`] = dataMass[i]!;
    fit[`tail_mass_model_${suffix}`] = modelMass[i]!;
  });
  return fit;
}

/**
 * The share of `r2`, squared standardised distances from θ0's centre (((x − μ0)/σ0)² in 1-D, the
 * Mahalanobis distance under μ0, Σ0 in d-D), above each of `thresholds2` (k², or ρ_k²).
 */
export function beyondShares(r2: ArrayLike<number>, thresholds2: ArrayLike<number>): number[] {
  const beyond = new Array<number>(thresholds2.length).fill(0);
  for (let j = 0; j < r2.length; j++) for (let i = 0; i < thresholds2.length; i++) if (r2[j]! > thresholds2[i]!) beyond[i]!++;
  return beyond.map((b) => b / r2.length);
}
