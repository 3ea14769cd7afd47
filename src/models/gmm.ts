/**
 * The Gaussian mixture model: up to --components K components, each k = 1…K fitted by EM from a
 * seeded k-means++ start and the best kept by BIC (src/models/em.ts states the tolerance,
 * iteration cap, variance floor and dropping rule); sampled by drawing each component's count
 * (multinomial) and then its normals. 1-D and d-D.
 *
 * Metrics compare θg with θ0 through the mixture as a whole:
 * - var_ratio, log_var_ratio, gen_var_ratio, mean_drift (and mean, std in 1-D) from the mixture's
 *   exact moments (mean Σ w_c μ_c, covariance Σ w_c(Σ_c + (μ_c − μ)(μ_c − μ)ᵀ)); mean_drift is signed
 *   in 1-D ((μg − μ0)/σ0) and the Mahalanobis norm under Σ0 in d-D, as for mvn;
 * - tails: exact mixtures of each component's mass beyond the generation-0 thresholds (the overall
 *   μ0 ± kσ0 in 1-D; the Mahalanobis radius ρ_k(d) under the overall μ0, Σ0 in d-D, as for mvn);
 * - kl = KL(θg ‖ θ0) = Σ_c w_c E_{N(μ_c,Σ_c)}[ln p_g − ln p_0], each expectation by a cubature rule
 *   for N(0, I): Gauss–Hermite with 64 nodes in 1-D (relative error ≈ 1e-5 where a component of
 *   θg straddles the dip between two of θ0's: ln p is smooth but far from polynomial there),
 *   24×24 in 2-D, 512 fixed antithetic normals in d ≥ 3 (deterministic; exact at generation 0);
 * - l2 = (∫ (p_g − p_0)²)^½, the L2 distance between the two densities (the distance Shumailov et
 *   al. report for their mixture experiment), in closed form: ∫ N(x; a, A)·N(x; b, B) dx =
 *   N(a; b, A + B), so ∫ (p − q)² = Σ_ij w_i·w_j·N(μ_i; μ_j, Σ_i + Σ_j) + (the same for q) − 2·(the
 *   cross terms). In units of density^½ (1/√(data units)^d): compare runs on the same scale only;
 * - w2 (1-D only): W2² = ∫₀¹ (F_g⁻¹(u) − F_0⁻¹(u))² du on a 1024-cell table of both CDFs
 *   (mixtureW2). No tractable form in d-D, so it is absent there, not approximated.
 * - modes: components with weight > 1% (ARCHITECTURE §3). With k chosen by BIC, a mode that has died
 *   (too few samples left to support a component) stays dead, so the count falls as modes vanish.
 * The metric set depends on the data's dimension, known from the generation-0 reference: 1-D data
 * (--dims 1, or a file with one numeric column or one --column) adds mean, std and w2.
 */
import { formatSource } from "../data/source.js";
import { InputError, UsageError } from "../errors.js";
import { multinomialCounts } from "../stats/binomial.js";
import { logDetCholesky, regularizedCholesky, solveLower, solveLowerMatrix } from "../stats/cholesky.js";
import { gaussianBallTail } from "../stats/gaussian-ball-tail.js";
import { fillGaussianRows } from "../stats/gaussian-rows.js";
import { ksStatistic } from "../stats/ks.js";
import { trace } from "../stats/linalg.js";
import { normalCdf } from "../stats/normal.js";
import { gaussHermite, sphereDirections } from "../stats/quadrature.js";
import { deriveSeed, Rng } from "../stats/rng.js";
import { fillNormal } from "../stats/ziggurat.js";
import { checkColumnRange, checkCovariance } from "./column-checks.js";
import {
  beyondShares,
  CONTINUOUS_OPTIONS,
  type ContinuousOptions,
  continuousSeedFit,
  DESCRIBE_DRAWS,
  DIMS_OPTION,
  describeDraws,
  radiusFor,
  type TailNames,
  tailMetricNames,
  tailNames,
} from "./continuous.js";
import { componentLogDensities, type Mixture, mixtureMoments, selectMixture } from "./em.js";
import type { Metrics, Model, RunContext, SeedFit } from "./model.js";
import type { OptionSpec } from "./option.js";
import { type Rows, rowCovariance, rowMahalanobis2, rowMatrixOps, rowMean, tableRows } from "./rows.js";
import { normalComponents } from "./truth.js";
import { drawInto } from "./typed.js";

export interface GmmParams extends Mixture {
  /** The mixture's overall mean and covariance, its Cholesky factor and log-determinant. */
  readonly mean: Float64Array;
  readonly cov: Float64Array;
  readonly chol: Float64Array;
  readonly logDet: number;
}

export interface GmmReference {
  readonly params: GmmParams;
  readonly n0: number;
  readonly trace: number;
  readonly tails: readonly TailNames[];
  /** ρ_k² per --tail-k (k² in 1-D). */
  readonly radius2: Float64Array;
  readonly centered0: Float64Array;
  readonly directions: Float64Array;
  /** Cubature for N(0, I_d): nodes (n×d) and weights. */
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
  /** CDF tables of the 1-D w2 computation. */
  readonly w2Scratch: { fg: Float64Array; f0: Float64Array };
  readonly scratch: {
    c: Float64Array;
    white: Float64Array;
    x: Float64Array;
    z: Float64Array;
    logp: Float64Array;
    overlap: Float64Array;
  };
  /** ∫ p_0², for l2. */
  readonly selfOverlap: number;
}

/** A component counts as a mode when its weight exceeds this (ARCHITECTURE §3). */
export const MODE_WEIGHT = 0.01;

/** Components with weight > MODE_WEIGHT. */
function countModes(p: Mixture): number {
  let n = 0;
  for (let c = 0; c < p.k; c++) if (p.weights[c]! > MODE_WEIGHT) n++;
  return n;
}

/**
 * A deterministic stream for EM's k-means++ start: fit() gets no stream of its own, so it is derived
 * from the master seed, the data size and an FNV-1a hash of the first values' bits. Equal data give
 * equal fits, in any worker; different generations give unrelated starts.
 */
function emStream(run: RunContext, x: Float64Array): Rng {
  const bits = new Uint32Array(new Float64Array(x.subarray(0, 16)).buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) {
    h ^= bits[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return new Rng(deriveSeed(run.seed, "em", x.length, h));
}

function fitGmm(data: Rows, o: GmmOptions & RunContext): GmmParams {
  const d = data.dims;
  return withMoments(selectMixture(data.values, d, o.components, emStream(o, data.values)));
}

/** A mixture with its overall moments. */
function withMoments(mix: Mixture): GmmParams {
  const d = mix.dims;
  const mean = new Float64Array(d);
  const cov = new Float64Array(d * d);
  mixtureMoments(mix, mean, cov);
  const chol = regularizedCholesky(cov, d, new Float64Array(d * d));
  // Written out, not spread ({ ...mix, … }): V8 gave the spread copies maps (hidden classes) of their
  // own, so every generation's parameters threw away the code optimised for the last one's.
  return {
    dims: mix.dims,
    k: mix.k,
    weights: mix.weights,
    means: mix.means,
    covs: mix.covs,
    chols: mix.chols,
    logDets: mix.logDets,
    iterations: mix.iterations,
    converged: mix.converged,
    logLikelihood: mix.logLikelihood,
    mean,
    cov,
    chol,
    logDet: logDetCholesky(chol, d),
  };
}

/**
 * Σ_ij a.w_i·b.w_j·N(a.μ_i; b.μ_j, a.Σ_i + b.Σ_j): ∫ p_a·p_b for two Gaussian mixtures in d dims.
 * `work` holds 2·d² + d numbers.
 */
export function mixtureOverlap(a: Mixture, b: Mixture, work: Float64Array): number {
  const d = a.dims;
  const sum = work.subarray(0, d * d);
  const chol = work.subarray(d * d, 2 * d * d);
  const diff = work.subarray(2 * d * d, 2 * d * d + d);
  let total = 0;
  for (let i = 0; i < a.k; i++) {
    for (let j = 0; j < b.k; j++) {
      for (let e = 0; e < d * d; e++) sum[e] = a.covs[i * d * d + e]! + b.covs[j * d * d + e]!;
      regularizedCholesky(sum, d, chol);
      for (let e = 0; e < d; e++) diff[e] = a.means[i * d + e]! - b.means[j * d + e]!;
      solveLower(chol, d, diff, diff);
      let q = 0;
      for (let e = 0; e < d; e++) q += diff[e]! * diff[e]!;
      // N(Δ; 0, S) = exp(−½ΔᵀS⁻¹Δ − ½ ln det S − (d/2) ln 2π).
      const logDensity = -0.5 * q - 0.5 * logDetCholesky(chol, d) - 0.5 * d * Math.log(2 * Math.PI);
      total += a.weights[i]! * b.weights[j]! * Math.exp(logDensity);
    }
  }
  return total;
}

/** The L2 distance between θg and θ0's densities (module doc); 0 where it is rounding of the two self terms. */
function mixtureL2(p: GmmParams, ref: GmmReference): number {
  const work = ref.scratch.overlap;
  const self = mixtureOverlap(p, p, work);
  const squared = self + ref.selfOverlap - 2 * mixtureOverlap(p, ref.params, work);
  return squared > 1e-12 * (self + ref.selfOverlap) ? Math.sqrt(squared) : 0;
}

/** Cubature nodes and weights for E f(Z), Z ~ N(0, I_d) (see the module doc). */
function cubature(d: number): { nodes: Float64Array; weights: Float64Array } {
  if (d === 1) return gaussHermite(64);
  if (d === 2) {
    const n = 24;
    const g = gaussHermite(n);
    const nodes = new Float64Array(2 * n * n);
    const weights = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        nodes[2 * (i * n + j)] = g.nodes[i]!;
        nodes[2 * (i * n + j) + 1] = g.nodes[j]!;
        weights[i * n + j] = g.weights[i]! * g.weights[j]!;
      }
    }
    return { nodes, weights };
  }
  const pairs = 256;
  const nodes = new Float64Array(2 * pairs * d);
  fillNormal(nodes.subarray(0, pairs * d), new Rng(deriveSeed("collapse", "kl-cubature", d)));
  for (let i = 0; i < pairs * d; i++) nodes[pairs * d + i] = -nodes[i]!;
  return { nodes, weights: new Float64Array(2 * pairs).fill(1 / (2 * pairs)) };
}

/**
 * KL(θg ‖ θ0) = Σ_c w_c E_{N(μ_c, Σ_c)}[ln p_g(X) − ln p_0(X)] by the reference's cubature.
 * Clamped at 0: the cubature error must not print a negative divergence.
 */
function mixtureKl(p: GmmParams, ref: GmmReference): number {
  const d = p.dims;
  const { x, z, logp } = ref.scratch;
  const p0 = ref.params;
  const n = ref.weights.length;
  let kl = 0;
  for (let c = 0; c < p.k; c++) {
    const l = c * d * d;
    let s = 0;
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        let v = p.means[c * d + a]!;
        for (let b = 0; b <= a; b++) v += p.chols[l + a * d + b]! * ref.nodes[i * d + b]!;
        x[a] = v;
      }
      s += ref.weights[i]! * (componentLogDensities(p, x, 0, logp, z) - componentLogDensities(p0, x, 0, logp, z));
    }
    kl += p.weights[c]! * s;
  }
  return Math.max(0, kl);
}

/** Cells of the grid on which the 1-D w2 is computed. */
const W2_CELLS = 1024;

/** F(x_j) of a 1-D mixture at x_j = lo + j·h, j = 0…W2_CELLS, into `out`. */
function mixtureCdfGrid(p: Mixture, lo: number, h: number, out: Float64Array): Float64Array {
  for (let j = 0; j <= W2_CELLS; j++) {
    const x = lo + j * h;
    let s = 0;
    for (let c = 0; c < p.k; c++) s += p.weights[c]! * normalCdf((x - p.means[c]!) / Math.sqrt(p.covs[c]!));
    out[j] = s;
  }
  return out;
}

/**
 * W2 between two 1-D mixtures, W2² = ∫₀¹ (F_g⁻¹(u) − F_0⁻¹(u))² du. Both CDFs are tabulated on one
 * grid of W2_CELLS cells spanning every component's μ ± 10σ; each distribution is replaced by its
 * piecewise-linear-CDF version (uniform within a cell), whose quantile function is piecewise linear
 * in u with breakpoints at the tabulated F values. Merging the two sorted breakpoint lists gives
 * intervals on which both quantiles are linear, integrated exactly (Simpson). A quadrature in u or
 * in Φ⁻¹(u) would not do: where a mixture has an almost empty gap between modes its quantile
 * function jumps, and no fixed rule places nodes at the jump. Here a jump is simply a run of
 * cells with no mass. Error: O(h²) for smooth densities, h = the cell width.
 */
export function mixtureW2(p: Mixture, p0: Mixture, scratch: { fg: Float64Array; f0: Float64Array }): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const q of [p, p0]) {
    for (let c = 0; c < q.k; c++) {
      const sd = Math.sqrt(q.covs[c]!);
      lo = Math.min(lo, q.means[c]! - 10 * sd);
      hi = Math.max(hi, q.means[c]! + 10 * sd);
    }
  }
  const h = (hi - lo) / W2_CELLS;
  const fg = mixtureCdfGrid(p, lo, h, scratch.fg);
  const f0 = mixtureCdfGrid(p0, lo, h, scratch.f0);
  // Quantile of a tabulated CDF at u, within cell j (F[j] ≤ u ≤ F[j+1]).
  const quantile = (f: Float64Array, j: number, u: number) => {
    const mass = f[j + 1]! - f[j]!;
    return lo + h * (j + (mass > 0 ? Math.min(1, Math.max(0, (u - f[j]!) / mass)) : 0.5));
  };
  let i = 0;
  let j = 0;
  let u = Math.max(fg[0]!, f0[0]!);
  let total = 0;
  while (i < W2_CELLS && j < W2_CELLS) {
    // Advance each table to the cell containing u, then integrate up to the nearer cell end.
    while (i < W2_CELLS - 1 && fg[i + 1]! <= u) i++;
    while (j < W2_CELLS - 1 && f0[j + 1]! <= u) j++;
    const next = Math.min(fg[i + 1]!, f0[j + 1]!);
    if (next > u) {
      const mid = 0.5 * (u + next);
      const a = quantile(fg, i, u) - quantile(f0, j, u);
      const m = quantile(fg, i, mid) - quantile(f0, j, mid);
      const b = quantile(fg, i, next) - quantile(f0, j, next);
      total += ((next - u) * (a * a + 4 * m * m + b * b)) / 6;
      u = next;
    }
    if (fg[i + 1]! <= u) i++;
    if (f0[j + 1]! <= u) j++;
  }
  return Math.sqrt(total);
}

/** Mass of the mixture beyond the reference's k-th threshold, measured from `centre` (μ0, or the mixture's own mean). */
function mixtureTail(p: GmmParams, ref: GmmReference, centre: Float64Array, i: number): number {
  const d = p.dims;
  const { c, white } = ref.scratch;
  const l0 = ref.params.chol;
  let s = 0;
  for (let q = 0; q < p.k; q++) {
    for (let a = 0; a < d; a++) c[a] = p.means[q * d + a]! - centre[a]!;
    solveLower(l0, d, c, c);
    solveLowerMatrix(l0, d, p.chols.subarray(q * d * d, (q + 1) * d * d), white);
    s += p.weights[q]! * gaussianBallTail(c, white, d, ref.radius2[i]!, ref.directions);
  }
  return Math.min(1, s);
}

/**
 * The seed fit of a mixture (ARCHITECTURE §3). KS needs one dimension: in 1-D the seed values
 * against the mixture's CDF Σ_c w_c Φ((x − μ_c)/σ_c); in d-D each column against its marginal, a
 * 1-D mixture with the components' means and variances of that column (exact, where the
 * Mahalanobis distance under a mixture has no closed-form law), reporting the largest D and the
 * Bonferroni p-value d·p(largest D). Tails: rows beyond the generation-0 thresholds of the tail
 * metrics (μ0 ± kσ0 of the whole mixture, or ρ_k under its μ0, Σ0).
 */
function mixtureSeedFit(data0: Rows, p0: GmmParams, ref: GmmReference, o: GmmOptions): SeedFit {
  const d = p0.dims;
  const n = data0.values.length / d;
  // The seed's values of column a's marginal CDF.
  const marginal = (a: number): Float64Array => {
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = data0.values[i * d + a]!;
      let f = 0;
      for (let c = 0; c < p0.k; c++) f += p0.weights[c]! * normalCdf((x - p0.means[c * d + a]!) / Math.sqrt(p0.covs[c * d * d + a * d + a]!));
      u[i] = Math.min(1, f);
    }
    return u;
  };
  let u = marginal(0);
  if (d > 1) {
    // The column with the largest D (ksStatistic sorts in place; continuousSeedFit's sort of a sorted array is cheap).
    let worst = ksStatistic(u);
    for (let a = 1; a < d; a++) {
      const ua = marginal(a);
      const da = ksStatistic(ua);
      if (da > worst) [worst, u] = [da, ua];
    }
  }
  const dataMass = beyondShares(rowMahalanobis2(data0, p0.mean, p0.chol), ref.radius2);
  const test = d === 1 ? "values vs the fitted mixture CDF" : "each column vs its marginal under the fitted mixture; largest D, Bonferroni p";
  return continuousSeedFit(test, u, o.tailK, dataMass, ref.centered0, d);
}

export interface GmmOptions extends ContinuousOptions {
  readonly components: number;
  readonly dims: number;
}

const COMPONENTS_OPTION: OptionSpec<"components"> = {
  key: "components",
  flag: "components",
  type: "int",
  arg: "K",
  min: 1,
  max: 100,
  group: "model",
  default: 2,
  description: "at most K components; each generation keeps the k <= K with the best BIC",
  describe: (k: number) => `≤${k} component${k === 1 ? "" : "s"}`,
};

export const gmm: Model<Rows, GmmParams, GmmReference, GmmOptions> = {
  name: "gmm",
  family: "continuous",
  summary: "Gaussian mixture of at most K components by EM, K chosen by BIC each generation",
  defaultSource: "mixture(0.5*normal(-2,1),0.5*normal(2,1))",
  input: "table",
  options: [COMPONENTS_OPTION, DIMS_OPTION, ...CONTINUOUS_OPTIONS],
  // Its default source is a 1-D bimodal mixture.
  defaults: { replicates: 50, seedSize: 500, dims: 1 },
  headline: ["var_ratio", "modes", "mean_drift", "tail_loss_", "kl", "w2"],
  counts: ["modes"],
  // EM: O(k·d²) a row and iteration for each k = 1…K that BIC chooses from, and more iterations as
  // k grows: a row of a generation took 2.6 µs at K = 2, 117–134 µs at K = 10, 552 µs at 20,
  // 1.44 ms at 30 and 2.65 ms at 50 (d = 1, M = 500), about K^2.3, and 131 µs at K = 3, d = 10
  // (about d^1.2); 150–250 µs × K·d² a generation (the k-means++ start, convergence). Raised, as
  // EM may run to its last iteration. (Linear in K, it put --components 50 on the main thread at
  // 0.1 s, which took 2.2 s there.)
  work: (o) => ({ perGeneration: 500_000 * o.components * o.dims ** 2, perRow: 700 * o.components ** 2.4 * o.dims ** 1.5 }),
  shareFit: true,
  // A row, EM's responsibilities (one per component) and k-means++ distances.
  footprint: (o, d) => ({ perRow: 8 * d + 8 * o.components + 8, perSeedRow: 8 * d, perCategory: 0, countsOnly: false, onHeap: false }),

  seed(input, o, purpose = "generation0") {
    // Most checks of the data wait for reference(): seed() also shapes the fresh regime's small draws.
    // The range check cannot wait: generation 0 is fitted before reference() runs.
    const data = tableRows(input, "gmm");
    if (purpose === "generation0") checkColumnRange(data, "gmm", o.seedName);
    return { data };
  },

  metricNames(o, reference) {
    const tails = tailMetricNames(o.tailK);
    // The reference knows the data's dimension; a one-column file is 1-D with or without --column.
    return reference.params.dims === 1
      ? ["mean", "std", "var_ratio", "log_var_ratio", "mean_drift", "w2", "kl", "l2", ...tails, "modes"]
      : ["var_ratio", "log_var_ratio", "gen_var_ratio", "mean_drift", "kl", "l2", ...tails, "modes"];
  },

  fit: fitGmm,

  sample(p, n, rng, o, spare) {
    const d = p.dims;
    // Into the previous sample when the loop offers it: the components' rows fill all n.
    const out = drawInto(spare?.values, n * d, (k) => new Float64Array(k));
    const counts = multinomialCounts(rng, n, p.weights, new Float64Array(p.k));
    const radius = o.truncate === null ? Infinity : radiusFor(o.truncate, d);
    let at = 0;
    for (let c = 0; c < p.k; c++) {
      const m = counts[c]!;
      fillGaussianRows(out, at, m, p.means.subarray(c * d, c * d + d), p.chols.subarray(c * d * d, (c + 1) * d * d), d, radius, rng);
      at += m;
    }
    return { dims: d, values: out };
  },

  reference(data0, p0, o) {
    const d = data0.dims;
    const n0 = data0.values.length / d;
    const K = o.components;
    if (n0 < K) {
      throw new InputError(`${o.seedName}: ${n0} row(s) but --components is ${K}: fewer points than components; lower --components or give more data`);
    }
    const mean = rowMean(data0, new Float64Array(d));
    checkCovariance(rowCovariance(data0, mean, n0, new Float64Array(d * d)), mean, d, data0.names ?? [], "gmm", o.seedName);
    if (n0 < K * (d + 1)) {
      throw new InputError(
        `${o.seedName}: ${n0} row(s); --components ${K} in ${d} dimension(s) needs at least ${K * (d + 1)} (K·(d+1)); lower --components or give more data`,
      );
    }
    if (o.sampleSize < K * (d + 1)) {
      throw new UsageError(`--sample-size ${o.sampleSize} is below K·(d+1) = ${K * (d + 1)}: too few samples to refit ${K} components; raise --sample-size`);
    }
    const { nodes, weights } = cubature(d);
    const overlap = new Float64Array(2 * d * d + d);
    const ref: GmmReference = {
      params: p0,
      n0,
      trace: trace(p0.cov, d),
      tails: tailNames(o.tailK),
      radius2: Float64Array.from(o.tailK, (k) => radiusFor(k, d) ** 2),
      centered0: new Float64Array(o.tailK.length),
      directions: sphereDirections(d),
      nodes,
      weights,
      w2Scratch: { fg: new Float64Array(d === 1 ? W2_CELLS + 1 : 0), f0: new Float64Array(d === 1 ? W2_CELLS + 1 : 0) },
      scratch: {
        c: new Float64Array(d),
        white: new Float64Array(d * d),
        x: new Float64Array(d),
        z: new Float64Array(d),
        logp: new Float64Array(K),
        overlap,
      },
      selfOverlap: mixtureOverlap(p0, p0, overlap),
    };
    o.tailK.forEach((_, i) => (ref.centered0[i] = mixtureTail(p0, ref, p0.mean, i)));
    return ref;
  },

  sourceComparison: "metrics compare with the source's mixture, so generation 0's row shows this fit's error",

  sourceReference(source, data0, _p0, o) {
    // The source itself, when it is a mixture of --components normals: component j draws each of a
    // row's d columns from normal(μj, σj) (src/core/seed.ts), so its mean is μj·1 and covariance σj²·I.
    const parts = normalComponents(source);
    const K = o.components;
    // A source with fewer parts than --components is a mixture of at most K normals too (Shumailov
    // et al. fit two components to one normal).
    if (parts === null || parts.weights.length > K) {
      const what = parts === null ? "is not a mixture of normals" : `has ${parts.weights.length} normal part(s)`;
      throw new UsageError(
        `--reference source: --model gmm compares with the source as a mixture of at most --components ${K} normal(s), and ${formatSource(source)} ${what}; match --components to it or use --reference gen0`,
      );
    }
    const d = data0.dims;
    const k = parts.weights.length;
    const means = new Float64Array(k * d);
    const covs = new Float64Array(k * d * d);
    const chols = new Float64Array(k * d * d);
    const logDets = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const sd = parts.sds[j]!;
      for (let a = 0; a < d; a++) {
        means[j * d + a] = parts.means[j]!;
        covs[j * d * d + a * d + a] = sd * sd;
        chols[j * d * d + a * d + a] = sd;
      }
      logDets[j] = 2 * d * Math.log(sd);
    }
    const truth = withMoments({
      dims: d,
      k,
      weights: Float64Array.from(parts.weights),
      means,
      covs,
      chols,
      logDets,
      iterations: 0,
      converged: true,
      logLikelihood: Number.NaN,
    });
    return gmm.reference(data0, truth, o, undefined);
  },

  measure(p, _train, ref, o): Metrics {
    const d = p.dims;
    const p0 = ref.params;
    const { c } = ref.scratch;
    for (let a = 0; a < d; a++) c[a] = p.mean[a]! - p0.mean[a]!;
    const varRatio = trace(p.cov, d) / ref.trace;
    const m: Metrics = {
      var_ratio: varRatio,
      log_var_ratio: Math.log(varRatio),
      gen_var_ratio: Math.exp((p.logDet - p0.logDet) / d),
      kl: mixtureKl(p, ref),
      l2: mixtureL2(p, ref),
      modes: countModes(p),
    };
    if (d === 1) {
      const sd0 = Math.sqrt(p0.cov[0]!);
      m.mean = p.mean[0]!;
      m.std = Math.sqrt(p.cov[0]!);
      m.mean_drift = (p.mean[0]! - p0.mean[0]!) / sd0;
      m.w2 = mixtureW2(p, p0, ref.w2Scratch);
    } else {
      solveLower(p0.chol, d, c, c);
      let s = 0;
      for (let a = 0; a < d; a++) s += c[a]! * c[a]!;
      m.mean_drift = Math.sqrt(s);
    }
    o.tailK.forEach((_, i) => {
      const names = ref.tails[i]!;
      const centered = mixtureTail(p, ref, p.mean, i);
      m[names.mass] = mixtureTail(p, ref, p0.mean, i);
      m[names.centered] = centered;
      m[names.loss] = 1 - centered / ref.centered0[i]!;
    });
    return m;
  },

  seedFit: mixtureSeedFit,

  describe(params, rng, _ref, o) {
    return describeDraws(gmm.sample(params, DESCRIBE_DRAWS, rng, o).values, params.dims);
  },

  ops: rowMatrixOps,
};
