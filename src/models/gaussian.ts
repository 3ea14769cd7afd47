/**
 * The 1-D Gaussian: fit mean and variance (MLE or unbiased), sample by ziggurat.
 * Every metric but the optional sample quantiles is a closed form of θg = (μg, σg) against θ0.
 */
import { InputError } from "../errors.js";
import { HEADROOM, MAX_DOUBLE, MIN_NORMAL, ratioOfSquares, short } from "../stats/limits.js";
import { correctedVariance, isOrdinaryVariance, mean, standardDeviation, standardDeviationOfVariance } from "../stats/moments.js";
import { normalCdf, normalTwoSidedTail } from "../stats/normal.js";
import { quantileRanks, quantiles, quantilesAtRanks } from "../stats/quantiles.js";
import type { Rng } from "../stats/rng.js";
import { selectRanks } from "../stats/select.js";
import { BUCKET_SELECTION_MIN, bucketLayout, meanCountingBuckets, planBuckets, varianceKeeping } from "../stats/select-buckets.js";
import { digamma } from "../stats/special.js";
import { fillNormal, fillTruncatedNormal } from "../stats/ziggurat.js";
import {
  CONTINUOUS_OPTIONS,
  type ContinuousOptions,
  continuousSeedFit,
  DESCRIBE_DRAWS,
  describeDraws,
  ESTIMATOR_OPTION,
  type Estimator,
  expectedVarRatio,
  gaussianKl,
  gaussianW2,
  type TailNames,
  tailMetricNames,
  tailNames,
  truncationFactor,
} from "./continuous.js";
import type { Metrics, Model, RunContext, SeedInput } from "./model.js";
import type { OptionSpec } from "./option.js";
import { sampleOps } from "./rows.js";
import { type FirstFit, fittedLogVarianceOffset, fittedVarianceFactor, NORMAL_OF_SOURCE, sourceMoments } from "./truth.js";
import { drawInto } from "./typed.js";

export interface GaussianOptions extends ContinuousOptions {
  readonly estimator: Estimator;
  readonly quantiles: number[];
}

const QUANTILES_OPTION: OptionSpec<"quantiles"> = {
  key: "quantiles",
  flag: "quantiles",
  type: "numberList",
  emptyList: true,
  arg: "LIST",
  min: 0,
  max: 1,
  group: "metrics",
  default: [],
  description: "also report these sample quantiles, standardised by generation 0 (e.g. 0.01,0.5,0.99)",
};

export interface GaussianParams {
  readonly mu: number;
  readonly sigma: number;
}

export interface GaussianReference extends GaussianParams {
  /** Size of the seed data D0 (the accumulate pool starts with it). */
  readonly n0: number;
  /** tail_mass_centered_k of generation 0, one per --tail-k. */
  readonly centered0: Float64Array;
  readonly tails: readonly TailNames[];
  readonly scratch: { buffer: Float64Array };
  /** Partial sums of expectedMeanDriftSq under accumulate, for the loop settings named by `key`. */
  readonly driftSums: { key: string; sums: number[] };
  /** Set under --reference source, where μ0 and σ0 are the source's true mean and standard deviation. */
  readonly firstFit?: FirstFit;
  /**
   * The metrics `measure` rewrites and returns each generation (Model.measure: read before the next
   * call), every metric's field made at once: a new object per generation, its fields added one by
   * one, cost 60 ns of the measure's 400 and 700 bytes of garbage (`sim -g 1000 -r 1000` measures a
   * million generations).
   */
  readonly metrics: Metrics;
}

/**
 * E[mean_drift_sq_g] given generation 0, in units of σ0² (ARCHITECTURE §4): the mean moves by a
 * martingale whose step j has variance v·E[σ²(j−1)]/M (replace: the new sample's mean, M draws of
 * variance v·σ²(j−1)) or M·v·E[σ²(j−1)]/N_j² (accumulate: the pooled mean of N_j = n0 + jM rows
 * gains M/N_j of the new sample's deviation), so the sum of the steps' variances, with
 * E[σ²(j−1)]/σ0² = E[var_ratio_(j−1)]. At M = n0 under accumulate each term is below
 * 1/((j + 1)²·M): the sum stays below (π²/6 − 1)/M (Dey & Donoho's pathway). Under replace the
 * sum is geometric, (v/M)·Σ_{j<g} r^j with r = E[var_ratio_1]; under accumulate the partial sums
 * are kept in `sums` (sums[g]), so a run's G generations cost O(G), not O(G²).
 */
export function expectedMeanDriftSq(
  regime: "replace" | "accumulate",
  estimator: Estimator,
  M: number,
  n0: number,
  g: number,
  v: number,
  sums: number[] = [0],
): number {
  if (regime === "replace") {
    const r = expectedVarRatio(regime, estimator, 0, M, n0, 1, v)!;
    return r === 1 ? (v * g) / M : ((v / M) * (1 - r ** g)) / (1 - r);
  }
  for (let j = sums.length; j <= g; j++) {
    const N = n0 + j * M;
    sums.push(sums[j - 1]! + (M * v * expectedVarRatio(regime, estimator, 0, M, n0, j - 1, v)!) / (N * N));
  }
  return sums[g]!;
}

/** Metric name of a sample quantile: p = 0.001 → "quantile_0p001" (a valid expression identifier). */
export function quantileMetricName(p: number): string {
  return `quantile_${String(p).replace(".", "p")}`;
}

/**
 * A fit's sample and, when --quantiles will select among its values, the few values that can hold
 * the wanted order statistics: the fit's two passes over the sample (mean, variance) also count
 * its values into buckets and keep those of the wanted buckets, so the selection reads a few
 * thousand values instead of the sample twice more. measure finds them here by the fitted
 * parameters, for that same sample only.
 */
const keptForQuantiles = new WeakMap<GaussianParams, { sample: Float64Array; kept: Float64Array; localRanks: readonly number[] }>();

/** The metrics, in output order: their fields (and the reference's `metrics`) follow it. */
function metricNamesOf(o: GaussianOptions): string[] {
  return [
    "mean",
    "std",
    "var_ratio",
    "log_var_ratio",
    "mean_drift",
    "mean_drift_sq",
    "w2",
    "kl",
    ...tailMetricNames(o.tailK),
    ...o.quantiles.map(quantileMetricName),
  ];
}

/**
 * An object with a field for each of `names`, in order, each holding a fraction: V8 then stores
 * every field as a double from the start, and a rewrite never changes the object's shape.
 */
function blankMetrics(names: readonly string[]): Metrics {
  const m: Metrics = {};
  for (const name of names) m[name] = 0.5;
  return m;
}

/** The variance's divisor is n − ddof: 1 for the unbiased estimator, 0 for the MLE. */
function ddofOf(o: GaussianOptions): 0 | 1 {
  return o.estimator === "unbiased" ? 1 : 0;
}

function fitGaussian(x: Float64Array, o: GaussianOptions): GaussianParams {
  const n = x.length;
  const ddof = ddofOf(o);
  const layout = o.quantiles.length > 0 && n >= BUCKET_SELECTION_MIN ? bucketLayout(x, n) : null;
  if (layout === null) {
    const mu = mean(x);
    return { mu, sigma: standardDeviation(x, mu, ddof) };
  }
  const { mean: mu, counted } = meanCountingBuckets(x, n, layout);
  const plan = planBuckets(counted, quantileRanks(o.quantiles, n));
  const { variance, kept } = varianceKeeping(x, mu, ddof, n, plan);
  const params = { mu, sigma: standardDeviationOfVariance(variance, x, mu, ddof) };
  keptForQuantiles.set(params, { sample: x, kept, localRanks: plan.localRanks });
  return params;
}

/** Draws are made this many at a time by fitDraws: 128 kB, which stays in a core's cache. Even (see fitDraws). */
const DRAW_CHUNK = 1 << 14;
let drawChunk: Float64Array | null = null;

/**
 * Model.fitDraws: the fit of n draws of N(mu, sigma²) (truncated as `sample` truncates), made
 * DRAW_CHUNK at a time and each used at once. The mean is `mean`'s, bit for bit: the same two
 * running sums over the same values, paired alike (a chunk is even). The variance is `variance`'s
 * corrected two-pass sum taken about the drawing distribution's mean instead of the sample's,
 * which no single pass knows: the bracket Σ(x − c)² − (Σ(x − c))²/n is the sum of squares about
 * the sample mean for any c, and with c within about σ/√n of it nothing cancels, so the result is
 * as accurate, though not always the same last bit. Where that sum is not an ordinary one
 * (squares that may overflow or underflow, or a zero spread), the stream is rewound and the
 * sample drawn whole and fitted as `fit` would.
 */
function fitDraws(params: GaussianParams, n: number, rng: Rng, o: GaussianOptions & RunContext): GaussianParams | null {
  if (o.quantiles.length > 0) return null;
  drawChunk ??= new Float64Array(DRAW_CHUNK);
  const chunk = drawChunk;
  const start = rng.snapshot();
  const c = params.mu;
  let s0 = 0;
  let s1 = 0;
  let s = 0;
  let ss = 0;
  for (let done = 0; done < n; done += DRAW_CHUNK) {
    const k = Math.min(DRAW_CHUNK, n - done);
    if (o.truncate === null) fillNormal(chunk, rng, params.mu, params.sigma, k);
    else fillTruncatedNormal(chunk, rng, params.mu, params.sigma, o.truncate, k);
    let i = 0;
    for (; i + 1 < k; i += 2) {
      s0 += chunk[i]!;
      s1 += chunk[i + 1]!;
    }
    if (i < k) s0 += chunk[i]!;
    for (let j = 0; j < k; j++) {
      const d = chunk[j]! - c;
      s += d;
      ss += d * d;
    }
  }
  const mu = (s0 + s1) / n;
  const v = correctedVariance(ss, s, n, ddofOf(o));
  if (Number.isFinite(mu) && isOrdinaryVariance(v)) return { mu, sigma: Math.sqrt(v) };
  rng.rewind(start);
  return fitGaussian(gaussian.sample(params, n, rng, o), o);
}

/** The sample quantiles `o.quantiles` of `train`, from what the fit kept of it when it can. */
function sampleQuantiles(params: GaussianParams, train: Float64Array, ref: GaussianReference, o: GaussianOptions): Float64Array {
  const fitted = keptForQuantiles.get(params);
  if (fitted !== undefined && fitted.sample === train) {
    keptForQuantiles.delete(params);
    return quantilesAtRanks(o.quantiles, train.length, selectRanks(fitted.kept, fitted.localRanks, fitted.kept.length));
  }
  // The training sample stays intact (the next generation may draw into it): the selection
  // works in a buffer reused from generation to generation.
  if (ref.scratch.buffer.length < train.length) ref.scratch.buffer = new Float64Array(train.length);
  return quantiles(train, o.quantiles, ref.scratch.buffer);
}

/**
 * The seed data must give a Gaussian that doubles can hold and sample: some spread ("all values
 * are equal" only when they are), a spread that is a normal double (subnormal values keep too few
 * bits to fit anything), and draws of the fit that stay finite.
 */
function checkSpread(x: Float64Array, name: string): void {
  let lo = x[0]!;
  let hi = x[0]!;
  for (let i = 1; i < x.length; i++) {
    if (x[i]! < lo) lo = x[i]!;
    if (x[i]! > hi) hi = x[i]!;
  }
  if (lo === hi) throw new InputError(`${name}: all ${x.length} values are equal (${x[0]}); a Gaussian needs some spread`);
  const mu = mean(x);
  const sd = standardDeviation(x, mu, 0);
  const drawn = name.startsWith("--source");
  if (!(sd >= MIN_NORMAL)) {
    throw new InputError(
      `${name}: the values' standard deviation (${short(sd)}) underflows: it is below the smallest normal double 2.2e-308, where doubles keep too few digits to fit a Gaussian; ${drawn ? "use a wider source" : "rescale the data (multiply it by a power of 10)"}`,
    );
  }
  if (!(Math.abs(mu) + HEADROOM * sd <= MAX_DOUBLE)) {
    throw new InputError(
      `${name}: values out of range: a Gaussian of mean ${short(mu)} and standard deviation ${short(sd)} draws values that overflow a double (|mean| + ${HEADROOM}·sd > 1.8e308); ${drawn ? "use a narrower source" : "rescale the data (divide it by a power of 10)"}`,
    );
  }
}

export const gaussian: Model<Float64Array, GaussianParams, GaussianReference, GaussianOptions> = {
  name: "gaussian",
  family: "continuous",
  summary: "1-D Gaussian: mean and variance (MLE or unbiased), sampled by ziggurat",
  defaultSource: "normal(0,1)",
  input: "numbers",
  options: [ESTIMATOR_OPTION, ...CONTINUOUS_OPTIONS, QUANTILES_OPTION],
  headline: ["var_ratio", "mean_drift", "tail_loss_", "kl", "w2"],
  // Measured in a fresh process: 5–14 µs a generation and 19 ns a value (quantiles and tails included).
  work: () => ({ perGeneration: 15_000, perRow: 25 }),
  // One double per value, and a copy for the selection of --quantiles; none for a sample fitted as drawn.
  footprint: (o) => ({
    perRow: 8 + (o.quantiles.length > 0 ? 8 : 0),
    perSeedRow: 8,
    perCategory: 0,
    countsOnly: false,
    onHeap: false,
    fitsDraws: o.quantiles.length === 0,
  }),

  seed(input: SeedInput, _o, purpose = "generation0") {
    if (input.kind !== "numbers") throw new Error("gaussian reads a column of numbers");
    const x = input.values;
    // The fresh regime's real part may be a single draw; only the seed data must support a fit.
    if (purpose === "fresh") return { data: x };
    if (x.length < 2) throw new InputError(`${input.name} holds a single value; a Gaussian needs at least two`);
    checkSpread(x, input.name);
    return { data: x };
  },

  metricNames: metricNamesOf,

  fit: fitGaussian,

  fitDraws,

  sample({ mu, sigma }, n, rng: Rng, o, spare) {
    const out = drawInto(spare, n, (k) => new Float64Array(k));
    return o.truncate === null ? fillNormal(out, rng, mu, sigma) : fillTruncatedNormal(out, rng, mu, sigma, o.truncate);
  },

  reference({ length }, p0, o) {
    const centered0 = Float64Array.from(o.tailK, (k) => normalTwoSidedTail(p0.mu, k * p0.sigma, p0.mu, p0.sigma));
    return {
      ...p0,
      n0: length,
      centered0,
      tails: tailNames(o.tailK),
      scratch: { buffer: new Float64Array(o.quantiles.length > 0 ? length : 0) },
      driftSums: { key: "", sums: [0] },
      metrics: blankMetrics(metricNamesOf(o)),
    };
  },

  sourceComparison: NORMAL_OF_SOURCE,

  sourceReference(source, data0, _p0, o) {
    // The source's own mean and variance: the Gaussian an infinite seed sample would give.
    const { mean, variance } = sourceMoments(source);
    const ref = gaussian.reference(data0, { mu: mean, sigma: Math.sqrt(variance) }, o, undefined);
    const n0 = data0.length;
    const firstFit = {
      varianceFactor: fittedVarianceFactor(n0, 1, o.estimator),
      logVarianceOffset: source.kind === "normal" ? fittedLogVarianceOffset(n0, 1, o.estimator) : null,
    };
    return { ...ref, firstFit };
  },

  measure(params, train, ref, o): Metrics {
    const { mu, sigma } = params;
    const m = ref.metrics;
    m.mean = mu;
    m.std = sigma;
    m.var_ratio = ratioOfSquares(sigma, ref.sigma);
    m.log_var_ratio = 2 * Math.log(sigma / ref.sigma);
    m.mean_drift = (mu - ref.mu) / ref.sigma;
    m.mean_drift_sq = ((mu - ref.mu) / ref.sigma) ** 2;
    m.w2 = gaussianW2(mu, sigma, ref.mu, ref.sigma);
    m.kl = gaussianKl(mu, sigma, ref.mu, ref.sigma);
    o.tailK.forEach((k, i) => {
      const centered = normalTwoSidedTail(mu, k * ref.sigma, mu, sigma);
      const names = ref.tails[i]!;
      m[names.mass] = normalTwoSidedTail(ref.mu, k * ref.sigma, mu, sigma);
      m[names.centered] = centered;
      m[names.loss] = 1 - centered / ref.centered0[i]!;
    });
    if (o.quantiles.length > 0) {
      const q = sampleQuantiles(params, train, ref, o);
      o.quantiles.forEach((p, i) => (m[quantileMetricName(p)] = (q[i]! - ref.mu) / ref.sigma));
    }
    return m;
  },

  seedFit(x, { mu, sigma }, ref, o) {
    // KS of the seed values against Φ((x − μ0)/σ0); tails beyond μ0 ± kσ0, counted in the same
    // pass (one array of n values in all: seed data can be large).
    const u = new Float64Array(x.length);
    const k2 = o.tailK.map((k) => k * k);
    const beyond = new Array<number>(k2.length).fill(0);
    for (let i = 0; i < x.length; i++) {
      const z = (x[i]! - mu) / sigma;
      u[i] = normalCdf(z);
      for (let j = 0; j < k2.length; j++) if (z * z > k2[j]!) beyond[j]!++;
    }
    const dataMass = beyond.map((b) => b / x.length);
    return continuousSeedFit("values vs the fitted normal CDF", u, o.tailK, dataMass, ref.centered0);
  },

  describe(params, rng, _ref, o) {
    return describeDraws(gaussian.sample(params, DESCRIBE_DRAWS, rng, o), 1);
  },

  theory(o, loop, g, ref) {
    // ARCHITECTURE §4 holds for replace and accumulate with every sample kept; elsewhere no closed form is claimed.
    const M = loop.sampleSize;
    const v = o.truncate === null ? 1 : truncationFactor(o.truncate);
    const varRatio = expectedVarRatio(loop.regime, o.estimator, loop.filterRecall, M, ref.n0, g, v);
    if (varRatio === undefined) return undefined;
    // Given generation 0 the ratio is a multiple of σ0²; against the source, of E[σ̂0²]/σ² more.
    const first = ref.firstFit;
    const out: Metrics = { var_ratio: first ? first.varianceFactor * varRatio : varRatio };
    if (loop.regime === "replace" || loop.regime === "accumulate") {
      // Against the source the first fit's mean is off by σ²/n0 in expectation, whatever the source.
      const key = `${M} ${o.estimator} ${v}`;
      if (ref.driftSums.key !== key) Object.assign(ref.driftSums, { key, sums: [0] });
      const drift = expectedMeanDriftSq(loop.regime, o.estimator, M, ref.n0, g, v, ref.driftSums.sums);
      out.mean_drift_sq = first ? 1 / ref.n0 + first.varianceFactor * drift : drift;
    }
    // E[log σg²] is known for replace without truncation only.
    if (loop.regime === "replace" && o.truncate === null && (!first || first.logVarianceOffset !== null)) {
      const c = o.estimator === "mle" ? M : M - 1;
      out.log_var_ratio = g * (digamma((M - 1) / 2) + Math.log(2 / c)) + (first?.logVarianceOffset ?? 0);
    }
    return out;
  },

  ops: sampleOps,
};
