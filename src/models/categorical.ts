/**
 * The categorical model (Wright–Fisher resampling): fit category frequencies (optionally add-λ
 * smoothed), sample M draws as a vector of counts. Data are counts over the K categories of
 * generation 0 — never M separate draws — so every step is O(K): K = 10⁵ and M = 10⁷ stay fast.
 */
import { zipfProbabilities } from "../data/source.js";
import { InputError } from "../errors.js";
import { AliasTable } from "../stats/alias.js";
import { binomial, multinomialCounts } from "../stats/binomial.js";
import { multivariateHypergeometric } from "../stats/hypergeometric.js";
import { decodeInPlace, isNeutral } from "./decoding.js";
import {
  aliveFlags,
  DISCRETE_METRICS,
  DISCRETE_OPTIONS,
  type DiscreteOptions,
  type DiscreteReference,
  discreteMetrics,
  discreteReference,
  discreteSeedFit,
} from "./discrete.js";
import type { DataOps, Metrics, Model, SeedInput } from "./model.js";
import { MAX_SIZE, type OptionSpec } from "./option.js";
import { drawInto } from "./typed.js";

export interface CategoricalOptions extends DiscreteOptions {
  readonly smoothing: number;
  /** How a --data table is read (src/data/labels.ts); the model itself never looks at them. */
  readonly countColumn: string | null;
  readonly duplicates: Duplicates;
}

export const DUPLICATES = ["error", "sum"] as const;
export type Duplicates = (typeof DUPLICATES)[number];

/**
 * The label data's own options: which column holds the counts, and what a label listed twice
 * means. The label column is the common --column. The data layer reads them from the
 * configuration (src/data/seed-file.ts); they shape generation 0's counts and nothing after.
 */
const COUNT_COLUMN_OPTION: OptionSpec<"countColumn"> = {
  key: "countColumn",
  flag: "count-column",
  type: "string",
  arg: "C",
  group: "data",
  default: null,
  description:
    "the column of counts, by header name or 1-based index (default: the second of two columns label,count " +
    "when --column is not given; otherwise none, and each row is one observation)",
  describe: (c: string | null) => (c === null ? null : `counts [${c}]`),
  dataOnly: "to read counts from",
};

const DUPLICATES_OPTION: OptionSpec<"duplicates"> = {
  key: "duplicates",
  flag: "duplicates",
  type: "enum",
  arg: "D",
  choices: DUPLICATES,
  group: "data",
  default: "error",
  description: "a label on two rows of a count table (or twice in a JSON object): an error naming both, or sum their counts",
  describe: (d: Duplicates) => (d === "sum" ? "duplicates summed" : null),
  dataOnly: "to read repeated labels from",
};

const SMOOTHING_OPTION: OptionSpec<"smoothing"> = {
  key: "smoothing",
  flag: "smoothing",
  type: "number",
  arg: "L",
  min: 0,
  max: 1e6,
  group: "model",
  default: 0,
  description: "add-L smoothing of fitted frequencies, which keeps every category alive",
  describe: (l: number) => (l > 0 ? `smoothing ${l}` : null),
};

export interface CategoricalParams {
  /** Fitted probabilities pᵢ = (cᵢ + λ)/(N + Kλ) over the K categories of generation 0. */
  readonly p: Float64Array;
  /** p after temperature/top-k/top-p: what is sampled. Computed on first use. */
  weights: Float64Array | null;
}

export interface CategoricalReference {
  readonly discrete: DiscreteReference;
  readonly labels: readonly string[];
  /** gini_simpson of generation 0 (under --reference source, its expectation over the seed sample). */
  readonly gini0: number;
}

/** Category names of seed data, keyed by its count vector (the Model interface passes only data on). */
const labelsOf = new WeakMap<Float64Array, readonly string[]>();

/** Σ counts. */
function total(counts: Float64Array): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i]!;
  return s;
}

function samplingWeights(params: CategoricalParams, o: CategoricalOptions): Float64Array {
  if (params.weights === null) {
    if (isNeutral(o)) params.weights = params.p;
    else {
      const w = Float64Array.from(params.p);
      decodeInPlace(w, o);
      params.weights = w;
    }
  }
  return params.weights;
}

/** DataOps on count vectors: every regime operation is a count operation, O(K) or close. */
export const countOps: DataOps<Float64Array> = {
  size: total,
  thin(counts, keep, rng) {
    const out = new Float64Array(counts.length);
    for (let i = 0; i < counts.length; i++) out[i] = binomial(rng, counts[i]!, keep);
    return out;
  },
  // n draws without replacement from the urn of counts[i] balls of colour i: exact, category by category.
  subset: (counts, n, rng) => multivariateHypergeometric(rng, counts, n),
  resample: (counts, n, rng) => multinomialCounts(rng, n, counts, new Float64Array(counts.length)),
  concat(parts) {
    const out = new Float64Array(parts[0]!.length);
    for (const part of parts) for (let i = 0; i < out.length; i++) out[i]! += part[i]!;
    return out;
  },
  pool(initial) {
    // Adding counts in place: the accumulated training set never grows in memory.
    const sum = Float64Array.from(initial);
    return {
      add(counts: Float64Array) {
        for (let i = 0; i < sum.length; i++) sum[i]! += counts[i]!;
      },
      view: () => sum,
    };
  },
};

/** How many draws --show-samples prints per generation. */
const DESCRIBE_DRAWS = 8;

export const categorical: Model<Float64Array, CategoricalParams, CategoricalReference, CategoricalOptions> = {
  name: "categorical",
  family: "discrete",
  summary: "category frequencies (Wright–Fisher resampling), M draws as a vector of counts",
  defaultSource: "zipf(1.1,1000)",
  input: "labels",
  options: [...DISCRETE_OPTIONS, SMOOTHING_OPTION, COUNT_COLUMN_OPTION, DUPLICATES_OPTION],
  defaults: { replicates: 100, seedSize: 1000 },
  headline: ["extinct", "tail_support", "entropy", "gini_simpson", "tv"],
  counts: ["support", "extinct"],
  // Multinomial counts by conditional binomials, each O(1) whatever its n: O(K) a generation
  // whatever M (45 µs for K = 190 and M = 2·10⁵; 16–60 ns a category for K = 10⁵–10⁶, 190 at
  // M = 10⁶), a draw next to nothing. Once a run, a category costs about 1 µs: its label, the
  // reference's rare set, the seed fit, and its extinction record (a run over 10⁶ categories spent
  // 1.2 s so, its generation 0.06 s). The sample size's default is the seed's draws, not its
  // categories.
  work: (_o, seed) => ({ perGeneration: 40_000 + 150 * seed.rows, perRow: 0.1, seedRows: seed.observations ?? seed.rows, perSeedRow: 1_200 }),
  // Counts, probabilities and an alias table per category; no rows.
  footprint: () => ({ perRow: 0, perSeedRow: 0, perCategory: 48, countsOnly: true, onHeap: false }),

  seed(input: SeedInput) {
    if (input.kind !== "labels") throw new Error("categorical reads labels and counts");
    const { labels, counts } = input;
    let alive = 0;
    for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) alive++;
    if (alive < 2) {
      throw new InputError(`the seed data has ${alive} category with a positive count; the categorical model needs at least two`);
    }
    const n = total(counts);
    if (n > MAX_SIZE) {
      throw new InputError(`the seed counts sum to ${n}, above the ${MAX_SIZE} limit of a sample; scale the counts down`);
    }
    labelsOf.set(counts, labels);
    return { data: counts };
  },

  metricNames: () => [...DISCRETE_METRICS],

  fit(counts, o) {
    const k = counts.length;
    const lambda = o.smoothing;
    const denominator = total(counts) + k * lambda;
    if (!(denominator > 0)) throw new InputError("a generation's training set is empty; lower --filter-recall or raise --sample-size");
    const p = new Float64Array(k);
    for (let i = 0; i < k; i++) p[i] = (counts[i]! + lambda) / denominator;
    return { p, weights: null };
  },

  sample(params, n, rng, o, spare) {
    const w = samplingWeights(params, o);
    // Into the previous counts when the loop offers them: every category's count is written.
    const counts = drawInto(spare, w.length, (k) => new Float64Array(k));
    return multinomialCounts(rng, n, w, counts);
  },

  reference(data0, params0, o) {
    const labels = labelsOf.get(data0);
    if (!labels) throw new Error("categorical.reference: data0 did not come from categorical.seed");
    const discrete = discreteReference(params0.p, o.tailFraction);
    let squares = 0;
    for (let i = 0; i < params0.p.length; i++) squares += params0.p[i]! * params0.p[i]!;
    return { discrete, labels, gini0: 1 - squares };
  },

  sourceReference(source, data0, params0, o) {
    if (source.kind !== "zipf") throw new Error("categorical reads a zipf source");
    // The source's own probabilities; every one of its K categories is alive in the truth.
    const p = zipfProbabilities(source.s, source.k);
    const ref = categorical.reference(data0, { ...params0, p }, o, undefined);
    // gini0 is what the closed form starts from: E[gini_simpson_0] = (1 − Σp²)·(1 − 1/n0) for the
    // multinomial seed sample of n0 draws each replicate gets.
    return { ...ref, gini0: ref.gini0 * (1 - 1 / total(data0)) };
  },

  measure(params, _train, ref): Metrics {
    return discreteMetrics(params.p, ref.discrete, {});
  },

  seedFit: (counts, _params0, _ref, o) => discreteSeedFit(counts, o.tailFraction),

  theory(o, loop, g, ref) {
    // Wright–Fisher (ARCHITECTURE §4) needs pure resampling: replace, nothing filtered, no smoothing,
    // no decoding distortion. Then E[pᵢ,g] = pᵢ,0 — the mass of any fixed set, R included, is a
    // martingale — and E[gini_simpson_g] = gini_simpson_0 · (1 − 1/M)^g.
    if (loop.regime !== "replace" || loop.filterRecall > 0 || o.smoothing > 0 || !isNeutral(o)) return undefined;
    return {
      gini_simpson: ref.gini0 * (1 - 1 / loop.sampleSize) ** g,
      tail_mass: ref.discrete.tailMass0,
      tail_loss: 0,
    };
  },

  describe(params, rng, ref, o) {
    const table = new AliasTable(samplingWeights(params, o));
    const draws: string[] = [];
    for (let i = 0; i < DESCRIBE_DRAWS; i++) draws.push(ref.labels[table.sample(rng)]!);
    return draws.join(", ");
  },

  extinctions: {
    categories: (ref) => Array.from(ref.discrete.alive0, (i) => ref.labels[i]!),
    alive: (params, ref) => aliveFlags(params.p, ref.discrete),
  },

  ops: countOps,
};
