/**
 * The 1-D Gaussian kernel density estimate (the model of Kazdan, Schaeffer et al., "Collapse or
 * Thrive? Perils and Promises of Synthetic Data in a Self-Generating World", 2024): θ is the
 * training sample x_1…x_n itself with a bandwidth H, p(y) = (1/n) Σ_i φ((y − x_i)/H)/H.
 *
 * Fit: one pass for the moments, plus the bandwidth. `--bandwidth H` fixes H in data units; a rule
 * is re-applied to each generation's training data, with s the standard deviation with divisor
 * n − 1 (R's sd()) and IQR the type-7 interquartile range (R's and numpy's default quantiles):
 *   scott:     H = 1.06·s·n^(−1/5), the normal reference rule (4/3)^(1/5)·σ·n^(−1/5) (Silverman,
 *              "Density Estimation for Statistics and Data Analysis", 1986, eq. 3.28; Scott,
 *              "Multivariate Density Estimation", 1992, §6.2.1);
 *   silverman: H = 0.9·min(s, IQR/1.34)·n^(−1/5) (Silverman 1986, eq. 3.31; R's bw.nrd0). When the
 *              IQR is 0 (ties), s takes its place, as in bw.nrd0.
 * Sample: a training point uniformly, plus H·N(0,1) (ziggurat). With --truncate K only draws
 * within μ ± K·σ of the current KDE are kept, σ² its variance (below).
 *
 * Metrics compare θg with θ0 as distributions: the KDE's mean is x̄ and its variance is
 * s²_mle + H² (s²_mle = Σ(x_i − x̄)²/n; a draw is a training point plus independent noise), so
 * `std` and `var_ratio` are those of the model, not of its training data. Tails are exact mixture
 * tails, (1/n) Σ_i of each kernel's normal tails: O(n) per tail. `nll_holdout` is the mean negative
 * log-likelihood (nats) of held-out seed values under θg, the metric Kazdan, Schaeffer et al. report;
 * E[nll_holdout] = h(p) + KL(p ‖ θg) for the real distribution p, so it plays the part `kl` plays for
 * the parametric models. `bandwidth` is H of each generation. No `w2` or `kl`: neither has a closed
 * form between two KDEs, and a numeric one costs O(grid·n) per generation (O(nodes·n²) for KL), a
 * thousand times the rest of `measure`, with an error that is not bounded once H is small against
 * the spacing of the points.
 *
 * Theory (ARCHITECTURE §4), with a fixed H only: see `expectedTrainingVariance`.
 */
import { InputError } from "../errors.js";
import { HEADROOM, MAX_DOUBLE, MIN_NORMAL, ratioOfSquares, short } from "../stats/limits.js";
import { mean, standardDeviation } from "../stats/moments.js";
import { normalCdf, normalQuantile, normalSf } from "../stats/normal.js";
import { quantiles } from "../stats/quantiles.js";
import type { Rng } from "../stats/rng.js";
import { fillNormal, normal } from "../stats/ziggurat.js";
import { CONTINUOUS_OPTIONS, type ContinuousOptions, DESCRIBE_DRAWS, describeDraws, type TailNames, tailMetricNames, tailNames } from "./continuous.js";
import { heldCount, holdoutOption, splitHoldout } from "./holdout.js";
import type { LoopSettings, Metrics, Model, SeedInput } from "./model.js";
import type { OptionSpec } from "./option.js";
import { sampleOps } from "./rows.js";
import { sourceMoments, sourceTwoSidedTail } from "./truth.js";

export const BANDWIDTH_RULES = ["scott", "silverman"] as const;
/** A rule re-applied to each generation's training data, or a fixed bandwidth in data units. */
export type Bandwidth = (typeof BANDWIDTH_RULES)[number] | number;

export interface KdeOptions extends ContinuousOptions {
  readonly bandwidth: Bandwidth;
  readonly holdout: number;
}

const KDE_OPTIONS: readonly OptionSpec<"bandwidth" | "holdout">[] = [
  {
    key: "bandwidth",
    flag: "bandwidth",
    type: "number",
    words: BANDWIDTH_RULES,
    arg: "H",
    above: 0,
    group: "model",
    default: "scott",
    description:
      "kernel bandwidth: scott (1.06·s·n^-1/5) or silverman (0.9·min(s, IQR/1.34)·n^-1/5), re-applied to each " +
      "generation's training data, or a fixed H in data units",
    describe: (b: Bandwidth) => (typeof b === "number" ? `H=${b}` : `bandwidth ${b}`),
  },
  holdoutOption("a seeded random F of the seed data, never trained on, for nll_holdout"),
];

export interface KdeParams {
  /** The kernel centres: the training data, not copied (the loop never writes to a training set). */
  readonly x: Float64Array;
  /** The bandwidth H. */
  readonly h: number;
  /** The mean x̄ of the centres, the KDE's mean. */
  readonly mu: number;
  /** The centres' standard deviation with divisor n (s_mle). */
  readonly sd: number;
  /** The KDE's standard deviation √(s²_mle + H²). */
  readonly sigma: number;
}

export interface KdeReference {
  readonly mu: number;
  readonly sigma: number;
  /** s_mle and H of generation 0, and its training size n0 (the closed forms start from them). */
  readonly sd: number;
  readonly h: number;
  readonly n0: number;
  readonly heldOut: Float64Array;
  readonly tails: readonly TailNames[];
  /** tail_mass_centered_k of generation 0, one per --tail-k. */
  readonly centered0: Float64Array;
  /** E[s²_j] of the accumulate recursion, j = 0, 1, …, computed on demand (theory is O(1) per generation). */
  readonly accumulate: number[];
  /**
   * Set under --reference source: mu and sigma are the source's true mean and standard deviation,
   * centered0 its true tail masses, and sd² = E[s0²] = σ²·(n0 − 1)/n0, the expected variance of a
   * replicate's first training set (every replicate draws its own), which the closed forms start from.
   */
  readonly truth?: boolean;
}

/** The rule's bandwidth for training data x with mean mu and standard deviation sdMle (divisor n). */
export function ruleBandwidth(rule: (typeof BANDWIDTH_RULES)[number], x: Float64Array, sdMle: number): number {
  const n = x.length;
  const s = sdMle * Math.sqrt(n / (n - 1));
  const shrink = n ** -0.2;
  if (rule === "scott") return 1.06 * s * shrink;
  const [q1, q3] = quantiles(x, [0.25, 0.75]);
  const iqr = (q3! - q1!) / 1.34;
  return 0.9 * (iqr > 0 ? Math.min(s, iqr) : s) * shrink;
}

function fitKde(x: Float64Array, o: KdeOptions): KdeParams {
  const mu = mean(x);
  const sd = standardDeviation(x, mu, 0);
  const h = typeof o.bandwidth === "number" ? o.bandwidth : ruleBandwidth(o.bandwidth, x, sd);
  return { x, h, mu, sd, sigma: Math.hypot(sd, h) };
}

/**
 * P(|Y − centre| > t) under the KDE: (1/n) Σ_i [Q((centre + t − x_i)/H) + Q((x_i − centre + t)/H)],
 * both sides as upper tails so that small masses keep their precision. O(n).
 */
function mixtureTail(p: KdeParams, centre: number, t: number): number {
  const { x, h } = p;
  const n = x.length;
  let s = 0;
  if (h > 0) {
    const hi = centre + t;
    const lo = centre - t;
    for (let i = 0; i < n; i++) s += normalSf((hi - x[i]!) / h) + normalSf((x[i]! - lo) / h);
  } else {
    for (let i = 0; i < n; i++) if (Math.abs(x[i]! - centre) > t) s++;
  }
  return Math.min(1, s / n);
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Mean negative log-likelihood of `y` under the KDE, in nats:
 * −ln p(y) = ln n + ln H + ½ ln 2π − ln Σ_i exp(−u_i²/2), u_i = (y − x_i)/H, the sum taken
 * relative to its largest term (log-sum-exp), so a point far from every centre gets its true,
 * finite value; in bandwidth units, so data at 1e300 or 1e-300 neither overflows nor underflows.
 * O(n) per held-out value.
 */
export function meanNll(p: KdeParams, y: Float64Array): number {
  const { x, h } = p;
  const n = x.length;
  if (!(h > 0)) return Number.POSITIVE_INFINITY;
  const constant = Math.log(n) + Math.log(h) + HALF_LOG_2PI;
  let total = 0;
  for (let j = 0; j < y.length; j++) {
    const yj = y[j]!;
    let nearest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const u = (yj - x[i]!) / h;
      if (u * u < nearest) nearest = u * u;
    }
    let s = 0;
    for (let i = 0; i < n; i++) {
      const u = (yj - x[i]!) / h;
      s += Math.exp(0.5 * (nearest - u * u));
    }
    total += constant + 0.5 * nearest - Math.log(s);
  }
  return total / y.length;
}

/** Above this share of the KDE's mass inside the truncation window, rejection (≤ 4 tries a draw) beats inversion. */
const REJECTION_MIN_MASS = 0.25;

/** P(a ≤ Z ≤ b), taken on the side of the window that keeps its precision. */
function windowMass(a: number, b: number): number {
  return a > 0 ? normalSf(a) - normalSf(b) : normalCdf(b) - normalCdf(a);
}

/** Z ~ N(0,1) conditioned on a ≤ Z ≤ b (a < b), by inversion on the side that keeps its precision. */
function truncatedStandardNormal(a: number, b: number, u: number): number {
  let z: number;
  if (a > 0) {
    const qa = normalSf(a);
    z = -normalQuantile(qa - u * (qa - normalSf(b)));
  } else {
    const pa = normalCdf(a);
    z = normalQuantile(pa + u * (normalCdf(b) - pa));
  }
  return Math.min(b, Math.max(a, z));
}

/**
 * n draws of the KDE conditioned on |Y − μ| ≤ K·σ (μ, σ the KDE's mean and standard deviation).
 * Both paths draw exactly this distribution: when the window holds at least REJECTION_MIN_MASS of
 * the mass, rejection of ordinary draws; otherwise a kernel in proportion to its mass inside the
 * window (cumulative weights, binary search), then its normal truncated to the window by inversion.
 * A KDE with no mass inside the window (every kernel beyond ≈ 38 bandwidths of it) is an error.
 */
function sampleTruncated(p: KdeParams, out: Float64Array, rng: Rng, k: number): Float64Array {
  const { x, h, mu, sigma } = p;
  const n = out.length;
  const m = x.length;
  const lo = mu - k * sigma;
  const hi = mu + k * sigma;
  const cumulative = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    total += h > 0 ? windowMass((lo - x[i]!) / h, (hi - x[i]!) / h) : x[i]! >= lo && x[i]! <= hi ? 1 : 0;
    cumulative[i] = total;
  }
  if (!(total > 0)) {
    throw new InputError(
      `--truncate ${k}: the KDE (bandwidth ${short(h)}) has no mass within mu +/- ${k} sigma = [${short(lo)}, ${short(hi)}]; raise --truncate or --bandwidth`,
    );
  }
  if (total >= REJECTION_MIN_MASS * m) {
    for (let j = 0; j < n; ) {
      const y = x[rng.below(m)]! + h * normal(rng);
      if (y >= lo && y <= hi) out[j++] = y;
    }
    return out;
  }
  for (let j = 0; j < n; j++) {
    // The first kernel whose cumulative mass exceeds u·total (a kernel with no mass is never chosen).
    const target = rng.random() * total;
    let a = 0;
    let b = m - 1;
    while (a < b) {
      const c = (a + b) >>> 1;
      if (cumulative[c]! > target) b = c;
      else a = c + 1;
    }
    const xi = x[a]!;
    out[j] = h > 0 ? xi + h * truncatedStandardNormal((lo - xi) / h, (hi - xi) / h, rng.random()) : xi;
  }
  return out;
}

/**
 * E[s²_g], the expected (divisor-n) variance of generation g's training data, for a fixed bandwidth
 * H (ARCHITECTURE §4). A draw from θ_j has the KDE's mean and variance V_j = s²_j + H².
 *
 * replace: the MLE variance of M draws of variance V has expectation q·V, q = (M − 1)/M, so
 *   E[s²_g] = q·(E[s²_{g−1}] + H²), s²_0 given. Its fixed point is a* = q·H²/(1 − q) = (M − 1)·H², and
 *   E[s²_g] = (M − 1)·H² + q^g·(s²_0 − (M − 1)·H²),
 *   E[var_ratio_g] = (E[s²_g] + H²)/(s²_0 + H²) = (M·H² + q^g·(s²_0 − (M − 1)·H²))/(s²_0 + H²).
 *   Unlike the Gaussian's, it grows when (M − 1)·H² > s²_0, towards M·H²/(s²_0 + H²).
 * accumulate: the pool T_j of N_j = n0 + j·M points gains M draws of θ_j (mean the pool mean μ_j):
 *   SS_{j+1} = SS_j + SS_S + (N_j·M/N_{j+1})·(x̄_S − μ_j)², so E[SS_{j+1} | T_j] = SS_j + V_j·(M − 1 + N_j/N_{j+1})
 *   (as for the Gaussian, src/models/continuous.ts), and with M − 1 + N_{j−1}/N_j = M·(N_j − 1)/N_j:
 *   E[s²_j] = (1 − M/N_j²)·E[s²_{j−1}] + H²·M·(N_j − 1)/N_j²,
 *   an exact recursion (at H = 0 it is the Gaussian's product Π(1 − M/N_j²)), memoised in the reference.
 */
export function expectedTrainingVariance(
  regime: "replace" | "accumulate",
  s20: number,
  h: number,
  M: number,
  n0: number,
  g: number,
  memo: number[] = [],
): number {
  const h2 = h * h;
  if (regime === "replace") {
    const q = (M - 1) / M;
    return (M - 1) * h2 + q ** g * (s20 - (M - 1) * h2);
  }
  if (memo.length === 0) memo.push(s20);
  for (let j = memo.length; j <= g; j++) {
    const N = n0 + j * M;
    memo.push((1 - M / (N * N)) * memo[j - 1]! + (h2 * M * (N - 1)) / (N * N));
  }
  return memo[g]!;
}

export const kde: Model<Float64Array, KdeParams, KdeReference, KdeOptions> = {
  name: "kde",
  family: "continuous",
  summary: "1-D Gaussian kernel density estimate (bandwidth by rule or fixed), sampled as point + H·noise",
  defaultSource: "normal(0,1)",
  input: "numbers",
  options: [...KDE_OPTIONS, ...CONTINUOUS_OPTIONS],
  headline: ["var_ratio", "nll_holdout", "mean_drift", "tail_loss_"],
  // measure() evaluates the mixture: O(n) normal tails per tail metric and O(n) exponentials per
  // held-out value. Measured: 9 µs a generation and 450–600 ns a value.
  work: () => ({ perGeneration: 10_000, perRow: 700 }),
  // The training values (the parameters are the same array), a copy for silverman's IQR, and the
  // kernels' cumulative weights under --truncate.
  footprint: (o) => ({
    perRow: 8 + (o.bandwidth === "silverman" ? 8 : 0) + (o.truncate !== null ? 8 : 0),
    perSeedRow: 8,
    perCategory: 0,
    countsOnly: false,
    onHeap: false,
  }),

  seed(input: SeedInput, o, purpose = "generation0") {
    if (input.kind !== "numbers") throw new Error("kde reads a column of numbers");
    const x = input.values;
    // The fresh regime's real part: all of it is trained on, none held out.
    if (purpose === "fresh") return { data: x };
    const n = x.length;
    const held = heldCount(o.holdout, n);
    if (n - held < 2) {
      throw new InputError(
        `${input.name}: ${n} value(s) leave ${n - held} to train on after --holdout ${o.holdout} holds out ${held}; a KDE needs at least 2 (give more data or lower --holdout)`,
      );
    }
    const { train, heldOut } = splitHoldout(x, 1, held, o.seed);
    const mu = mean(train);
    const sd = standardDeviation(train, mu, 0);
    const drawn = input.name.startsWith("--source");
    if (typeof o.bandwidth !== "number" && !(sd >= MIN_NORMAL)) {
      throw new InputError(
        sd === 0
          ? `${input.name}: the ${train.length} training values are all equal (${train[0]}); --bandwidth ${o.bandwidth} needs some spread: give a fixed --bandwidth H`
          : `${input.name}: the training values' standard deviation (${short(sd)}) underflows (below 2.2e-308); ${drawn ? "use a wider source" : "rescale the data (multiply it by a power of 10)"}`,
      );
    }
    const h = typeof o.bandwidth === "number" ? o.bandwidth : sd;
    if (!(Math.abs(mu) + HEADROOM * Math.max(sd, h) <= MAX_DOUBLE)) {
      throw new InputError(
        `${input.name}: values out of range: a KDE of mean ${short(mu)}, spread ${short(sd)} and bandwidth ${short(h)} draws values that overflow a double; ${drawn ? "use a narrower source" : "rescale the data (divide it by a power of 10)"}`,
      );
    }
    return { data: train, heldOut };
  },

  metricNames(o) {
    return ["mean", "std", "var_ratio", "log_var_ratio", "mean_drift", ...tailMetricNames(o.tailK), "nll_holdout", "bandwidth"];
  },

  fit: fitKde,

  sample(p, n, rng, o) {
    const out = new Float64Array(n);
    if (o.truncate !== null) return sampleTruncated(p, out, rng, o.truncate);
    // H·Z first (the ziggurat's inlined loop), then each draw's centre.
    fillNormal(out, rng, 0, p.h);
    const x = p.x;
    const m = x.length;
    for (let j = 0; j < n; j++) out[j]! += x[rng.below(m)]!;
    return out;
  },

  reference(data0, p0, o, heldOut) {
    if (!heldOut) throw new Error("kde.reference: data0 did not come from kde.seed");
    const centered0 = Float64Array.from(o.tailK, (k) => mixtureTail(p0, p0.mu, k * p0.sigma));
    return { mu: p0.mu, sigma: p0.sigma, sd: p0.sd, h: p0.h, n0: data0.length, heldOut, tails: tailNames(o.tailK), centered0, accumulate: [] };
  },

  sourceReference(source, data0, p0, o, heldOut) {
    const ref = kde.reference(data0, p0, o, heldOut);
    const { mean, variance } = sourceMoments(source);
    const sigma = Math.sqrt(variance);
    const n0 = data0.length;
    return {
      ...ref,
      mu: mean,
      sigma,
      sd: sigma * Math.sqrt((n0 - 1) / n0),
      centered0: Float64Array.from(o.tailK, (k) => sourceTwoSidedTail(source, mean, k * sigma)),
      truth: true,
    };
  },

  measure(p, _train, ref, o): Metrics {
    const m: Metrics = {
      mean: p.mu,
      std: p.sigma,
      var_ratio: ratioOfSquares(p.sigma, ref.sigma),
      log_var_ratio: 2 * Math.log(p.sigma / ref.sigma),
      mean_drift: (p.mu - ref.mu) / ref.sigma,
    };
    o.tailK.forEach((k, i) => {
      const names = ref.tails[i]!;
      const centered = mixtureTail(p, p.mu, k * ref.sigma);
      m[names.mass] = mixtureTail(p, ref.mu, k * ref.sigma);
      m[names.centered] = centered;
      m[names.loss] = 1 - centered / ref.centered0[i]!;
    });
    m.nll_holdout = meanNll(p, ref.heldOut);
    m.bandwidth = p.h;
    return m;
  },

  describe(params, rng, _ref, o) {
    return describeDraws(kde.sample(params, DESCRIBE_DRAWS, rng, o), 1);
  },

  theory(o, loop: LoopSettings, g, ref) {
    // A fixed bandwidth, every draw kept (no filter: the sample size would be random; no truncation:
    // the truncated mixture's variance depends on its shape), replace or accumulate (mix and fresh
    // couple the variance to the drift of the mean). A rule makes H a function of the data: no closed form.
    if (typeof o.bandwidth !== "number" || o.truncate !== null || loop.filterRecall > 0) return undefined;
    if (loop.regime !== "replace" && loop.regime !== "accumulate") return undefined;
    const s20 = ref.sd * ref.sd;
    const h2 = ref.h * ref.h;
    const s2 = expectedTrainingVariance(loop.regime, s20, ref.h, loop.sampleSize, ref.n0, g, ref.accumulate);
    // E[s²_g] is affine in s²_0, so starting from E[s0²] gives the unconditional expectation.
    if (ref.truth) return { var_ratio: (s2 + h2) / (ref.sigma * ref.sigma) };
    return { var_ratio: g === 0 ? 1 : (s2 + h2) / (s20 + h2) };
  },

  ops: sampleOps,
};
