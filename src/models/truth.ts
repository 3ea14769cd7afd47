/**
 * What `--reference source` needs to know of a built-in source (src/data/source.ts): its true
 * moments, its normal components, its tail masses. Every model's `sourceReference` builds its
 * reference from these (ARCHITECTURE §3, "The reference").
 */
import { formatSource, type SourceSpec } from "../data/source.js";
import { UsageError } from "../errors.js";
import { normalSf, normalTwoSidedTail } from "../stats/normal.js";
import { digamma } from "../stats/special.js";
import { studentSf } from "../stats/student.js";

export interface Moments {
  readonly mean: number;
  readonly variance: number;
}

/** The mixture weights of `spec`, normalised to sum to 1. */
function shares(spec: Extract<SourceSpec, { kind: "mixture" }>): number[] {
  const total = spec.weights.reduce((a, b) => a + b, 0);
  return spec.weights.map((w) => w / total);
}

/** The seed-fit clause (Model.sourceComparison) of the models whose reference is the normal of the source's moments. */
export const NORMAL_OF_SOURCE = "metrics compare with the normal of the source's mean and variance, not the data";

/** The mean and variance of a numeric source; a UsageError when the variance is infinite (t with df ≤ 2). */
export function sourceMoments(spec: SourceSpec): Moments {
  switch (spec.kind) {
    case "normal":
      return { mean: spec.mu, variance: spec.sigma ** 2 };
    case "uniform":
      return { mean: (spec.a + spec.b) / 2, variance: (spec.b - spec.a) ** 2 / 12 };
    case "laplace":
      return { mean: spec.mu, variance: 2 * spec.b ** 2 };
    case "t":
      if (!(spec.df > 2)) {
        throw new UsageError(
          `--reference source: ${formatSource(spec)} has an infinite variance (df ≤ 2), so there is no true spread to compare with; use df > 2 or --reference gen0`,
        );
      }
      return { mean: 0, variance: spec.df / (spec.df - 2) };
    case "mixture": {
      const w = shares(spec);
      const parts = spec.parts.map(sourceMoments);
      const mean = parts.reduce((s, p, j) => s + w[j]! * p.mean, 0);
      // Var = E[Var | part] + Var(E | part), the second as a sum of squared deviations (no cancellation).
      const variance = parts.reduce((s, p, j) => s + w[j]! * (p.variance + (p.mean - mean) ** 2), 0);
      return { mean, variance };
    }
    default:
      throw new Error(`${spec.kind} is not a numeric source`);
  }
}

/**
 * The mean vector and covariance (d×d) of a row of d columns as src/core/seed.ts draws them:
 * independent columns of the source, or, for a mixture, one part per row and d independent
 * draws of it (so the columns share the part's mean: Cov = E[Var | part]·I + Var(E | part)·11ᵀ).
 */
export function sourceRowMoments(spec: SourceSpec, d: number): { mean: Float64Array; cov: Float64Array } {
  if (spec.kind === "linear") return linearRowMoments(spec, d);
  const all = sourceMoments(spec);
  const mean = new Float64Array(d).fill(all.mean);
  const cov = new Float64Array(d * d);
  let within = all.variance;
  let between = 0;
  if (spec.kind === "mixture") {
    const w = shares(spec);
    const parts = spec.parts.map(sourceMoments);
    within = parts.reduce((s, p, j) => s + w[j]! * p.variance, 0);
    between = parts.reduce((s, p, j) => s + w[j]! * (p.mean - all.mean) ** 2, 0);
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] = between + (i === j ? within : 0);
  return { mean, cov };
}

/**
 * The rows [x1 … xk, y] of linear(k,σ) (src/data/source.ts drawTable): jointly normal with mean 0,
 * Var(x) = I, Cov(x_i, y) = 1 and Var(y) = k + σ².
 */
function linearRowMoments(spec: Extract<SourceSpec, { kind: "linear" }>, d: number): { mean: Float64Array; cov: Float64Array } {
  if (d !== spec.d + 1) throw new Error(`linear(${spec.d},${spec.sigma}) draws ${spec.d + 1} columns, not ${d}`);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < spec.d; i++) {
    cov[i * d + i] = 1;
    cov[i * d + spec.d] = cov[spec.d * d + i] = 1;
  }
  cov[spec.d * d + spec.d] = spec.d + spec.sigma ** 2;
  return { mean: new Float64Array(d), cov };
}

/** A source as a mixture of normal components (a normal is one), or null if any part is not normal. */
export function normalComponents(spec: SourceSpec): { weights: number[]; means: number[]; sds: number[] } | null {
  if (spec.kind === "normal") return { weights: [1], means: [spec.mu], sds: [spec.sigma] };
  if (spec.kind !== "mixture") return null;
  const w = shares(spec);
  const out = { weights: [] as number[], means: [] as number[], sds: [] as number[] };
  for (let j = 0; j < spec.parts.length; j++) {
    const part = normalComponents(spec.parts[j]!);
    if (part === null) return null;
    part.weights.forEach((pw, i) => {
      out.weights.push(w[j]! * pw);
      out.means.push(part.means[i]!);
      out.sds.push(part.sds[i]!);
    });
  }
  return out;
}

/** P(X > x) for a draw X of a numeric source. */
function sourceSf(spec: SourceSpec, x: number): number {
  switch (spec.kind) {
    case "normal":
      return normalSf((x - spec.mu) / spec.sigma);
    case "uniform":
      return Math.min(1, Math.max(0, (spec.b - x) / (spec.b - spec.a)));
    case "laplace":
      return x >= spec.mu ? 0.5 * Math.exp(-(x - spec.mu) / spec.b) : 1 - 0.5 * Math.exp((x - spec.mu) / spec.b);
    case "t":
      return studentSf(x, spec.df);
    case "mixture": {
      const w = shares(spec);
      return spec.parts.reduce((s, p, j) => s + w[j]! * sourceSf(p, x), 0);
    }
    default:
      throw new Error(`${spec.kind} is not a numeric source`);
  }
}

/** P(X < x), as an upper tail of the mirrored source where that keeps precision. */
function sourceCdf(spec: SourceSpec, x: number): number {
  switch (spec.kind) {
    case "normal":
      return normalSf((spec.mu - x) / spec.sigma);
    case "t":
      return studentSf(-x, spec.df);
    case "laplace":
      return x < spec.mu ? 0.5 * Math.exp((x - spec.mu) / spec.b) : 1 - 0.5 * Math.exp(-(x - spec.mu) / spec.b);
    case "mixture": {
      const w = shares(spec);
      return spec.parts.reduce((s, p, j) => s + w[j]! * sourceCdf(p, x), 0);
    }
    default:
      // uniform: both tails are exact differences of numbers in [0, 1].
      return 1 - sourceSf(spec, x);
  }
}

/** P(|X − centre| > halfWidth) for a draw X of a numeric source: its true two-sided tail mass. */
export function sourceTwoSidedTail(spec: SourceSpec, centre: number, halfWidth: number): number {
  if (spec.kind === "normal") return normalTwoSidedTail(centre, halfWidth, spec.mu, spec.sigma);
  return sourceSf(spec, centre + halfWidth) + sourceCdf(spec, centre - halfWidth);
}

/**
 * E[σ̂²]/σ² for a variance fitted to n independent draws with `free` fitted location parameters
 * (1 for a mean; p for a regression), divisor n (mle) or n − free (unbiased): (n − free)/c. Exact
 * for any distribution with a finite variance.
 */
export function fittedVarianceFactor(n: number, free: number, estimator: "mle" | "unbiased"): number {
  return estimator === "mle" ? (n - free) / n : 1;
}

/**
 * E[ln(σ̂²/σ²)] for normal draws: σ̂² = σ²·χ²(n − free)/c, so ψ((n − free)/2) + ln(2/c), c = n (mle)
 * or n − free (unbiased).
 */
export function fittedLogVarianceOffset(n: number, free: number, estimator: "mle" | "unbiased"): number {
  const c = estimator === "mle" ? n : n - free;
  return digamma((n - free) / 2) + Math.log(2 / c);
}

/**
 * Carried by a reference built from the source: generation 0's fit is itself random, so the
 * closed forms, which hold given generation 0, are scaled by its expectation to become
 * unconditional. `varianceFactor` = E[σ̂0²]/σ²; `logVarianceOffset` = E[ln σ̂0²/σ²] (per dimension
 * for log-determinants), or null when the source is not normal and no closed form is known.
 */
export interface FirstFit {
  readonly varianceFactor: number;
  readonly logVarianceOffset: number | null;
}
