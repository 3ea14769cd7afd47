import type { SourceSpec } from "../data/source.js";
import type { Rng } from "../stats/rng.js";
import type { OptionSpec } from "./option.js";

/** One value per metric name, for one generation of one replicate. */
export type Metrics = Record<string, number>;

/**
 * How well generation 0's model describes the seed data it was fitted to: the `seed_fit` object of
 * a results document (ARCHITECTURE §3). Keys are JSON keys, in output order; a value is a number,
 * or a short text naming what was measured.
 */
export type SeedFit = Record<string, number | string>;

/**
 * Seed data as read from a file or drawn from a built-in source, before a model shapes it.
 * `numbers`: one column; `table`: several numeric columns; `labels`: category → count; `text`: UTF-8 text.
 */
export type SeedInput =
  | { kind: "numbers"; values: Float64Array; name: string }
  | { kind: "table"; columns: Float64Array[]; names: string[] }
  | { kind: "labels"; labels: string[]; counts: Float64Array }
  | { kind: "text"; text: TextPieces; name: string };

/**
 * A text as models read it: one string, or its pieces in order, cut anywhere between two
 * characters (a text file is decoded a piece at a time: one string holds at most 512 Mi
 * characters, and a larger file would otherwise stop the run; src/data/read.ts decodePieces).
 */
export type TextPieces = string | readonly string[];

/** The length of a text in UTF-16 units, however it is cut. */
export function textLength(text: TextPieces): number {
  if (typeof text === "string") return text.length;
  let n = 0;
  for (const piece of text) n += piece.length;
  return n;
}

/**
 * What the regimes need to do with a model's training data, whatever its shape
 * (a sample of numbers, rows of a table, a vector of category counts, a token sequence).
 * Models implement these; the loop composes them into replace / accumulate / accumulate-subsample /
 * mix / fresh.
 */
export interface DataOps<D> {
  /** Number of observations (samples, rows, draws, tokens). */
  size(data: D): number;
  /** Each observation kept independently with probability `keep` (a detector's filter). */
  thin(data: D, keep: number, rng: Rng): D;
  /** `n` observations drawn without replacement (n ≤ size). */
  subset(data: D, n: number, rng: Rng): D;
  /** `n` observations drawn with replacement. */
  resample(data: D, n: number, rng: Rng): D;
  /** The union of several data sets. */
  concat(parts: readonly D[]): D;
  /**
   * A growing pool for `accumulate` and `accumulate-subsample` (whose synthetic pool may start
   * empty: every draw filtered out); `add` must not copy what is already in the pool.
   */
  pool(initial: D): { add(data: D): void; view(): D };
}

/** Hooks for models whose outcomes are categories that can die out (categorical, ngram). */
export interface Extinctions<P, R> {
  /** Category names of generation 0, in a fixed order. */
  categories(reference: R): readonly string[];
  /** For each category of `categories`, whether it still has probability > 0 under `params`. */
  alive(params: P, reference: R): ArrayLike<number | boolean>;
}

export const REGIMES = ["replace", "accumulate", "accumulate-subsample", "mix", "fresh"] as const;
export type Regime = (typeof REGIMES)[number];

/** What every model may read of the run besides its own options. */
export interface RunContext {
  /** M: values drawn per generation. */
  readonly sampleSize: number;
  /** The master seed, for streams a model derives itself (gmm's EM restarts). */
  readonly seed: string;
  /** How messages name the seed data: the --data file, or "--source SPEC". */
  readonly seedName: string;
}

/**
 * The loop's settings, for closed forms that depend on how training sets are built. A run whose
 * --real-fraction or --filter-recall varies by generation (a schedule) gets no theory at all
 * (src/core/run.ts): these are constants.
 */
export interface LoopSettings {
  readonly regime: Regime;
  readonly realFraction: number;
  readonly filterRecall: number;
  /** M: values drawn per generation. */
  readonly sampleSize: number;
}

/**
 * What one thread holds per run, for the memory estimate made before anything large is
 * allocated (src/core/memory.ts). An upper bound, in bytes.
 */
export interface Footprint {
  /** Per observation of training data (a value, a row, a token), fit scratch included. */
  readonly perRow: number;
  /** Per observation of the seed data as stored (0 when the data is a count vector). */
  readonly perSeedRow: number;
  /** Per category or vocabulary entry, whatever the rows (count vectors, alias tables). */
  readonly perCategory: number;
  /** The seed data is a vector of counts over categories, not rows. */
  readonly countsOnly: boolean;
  /** Training data lives on the JavaScript heap (objects, strings), not in typed arrays. */
  readonly onHeap: boolean;
  /** The model fits large samples as they are drawn (Model.fitDraws), holding none, under these options. */
  readonly fitsDraws?: boolean;
}

/** The seed data's size, as a model's work estimate sees it (Model.work). */
export interface SeedSize {
  /** Observations: values, rows, characters of a text, categories of a count vector. */
  readonly rows: number;
  /** Columns of a row (1 for a column of numbers, a text or counts). */
  readonly dims: number;
  /** A count vector's draws (the sum of its counts), of which `rows` are the categories. */
  readonly observations?: number;
}

/** A generation's cost in nanoseconds: `perGeneration + perRow × n` for n training observations. */
export interface Work {
  readonly perGeneration: number;
  readonly perRow: number;
  /**
   * The training observations the seed gives, when they are not its rows: a text's tokens,
   * estimated from its characters. The sample size's default, as the run's is.
   */
  readonly seedRows?: number;
  /**
   * What generation 0 costs per seed row (reading the seed into training data, fitting it and
   * summarising the fit), when it is not perRow and a sort of the seed for its quantiles.
   */
  readonly perSeedRow?: number;
}

/**
 * A model family, declared in one module: its name, what it reads, the options it takes, and
 * fit / sample / measure / theory. Models know nothing of regimes, the CLI or the terminal; the
 * loop in src/core/loop.ts drives them, and config, --help, validation and run descriptions derive
 * from these declarations (ARCHITECTURE §2).
 *
 * D = training data, P = fitted parameters, R = the generation-0 reference every metric compares
 * with, O = the model's own options (each declared in `options`), which every method receives
 * together with the RunContext.
 */
export interface Model<D, P, R, O extends object = object> {
  readonly name: string;
  readonly family: "continuous" | "discrete";
  /** One line for --help's list of models. */
  readonly summary: string;
  /** The shape of seed input this model reads (see SeedInput). */
  readonly input: SeedInput["kind"];
  /** The built-in seed generator used when neither --data nor --source is given; null: none (give --data). */
  readonly defaultSource: string | null;
  /** The file read when neither --data nor --source is given (ngram's bundled corpus), relative to the package. */
  readonly defaultData?: string;
  /** The options this model takes beyond every run's, in --help and document order. */
  readonly options: readonly OptionSpec<keyof O & string>[];
  /** Defaults that differ for this model: of every run's options (replicates, seedSize) or of its own. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /**
   * What one generation costs: fit n training observations, draw n, measure — in nanoseconds,
   * `perGeneration + perRow × n`, an upper estimate from runs in a fresh process (code not yet
   * optimised by the JIT). It decides which runs are small enough for the calling thread, which
   * must stay free to answer a signal within a second, and nothing else (src/engine/work.ts).
   * `seed` is the seed data's size: its rows (a text's characters; a count vector's categories)
   * and its columns. The estimate must not depend on the sample size (`o.sampleSize`).
   */
  work(o: O & RunContext, seed: SeedSize): Work;
  /**
   * Generation 0's fitted parameters are plain data (numbers and typed arrays) that worker threads
   * may receive instead of fitting the seed again: set where that fit is the costly part (gmm's EM
   * on the whole seed), so that two threads do not each spend it before their replicates start.
   */
  readonly shareFit?: boolean;
  /**
   * Generation 0's parameters as a worker receives them (structured-cloned: class instances arrive
   * as plain objects with the same fields), made this model's own again — without copying. Absent:
   * the parameters are used as they arrive.
   */
  receiveFit?(sent: unknown): P;
  /**
   * Generation 0's fit as `fit` gives it, in memory that threads share (SharedArrayBuffer), for a
   * model that shares its fit: the workers it is sent to do not copy it. Absent: `fit`.
   */
  fitShared?(data: D, o: O & RunContext): P;
  /**
   * Generation 0's seed data as `seed` shaped it, in a form worker threads receive instead of the
   * seed input (typed arrays and plain values), for a model whose `seed` is costly: the n-gram
   * model's tokenizing of a text, which each replicate worker would otherwise repeat on its own copy
   * of the text (a 50 MB text is a 100 MB string). Declared with `receiveSeed`, or not at all.
   */
  shareSeed?(seeded: { data: D; heldOut?: D | undefined }): unknown;
  /** What `seed` would have returned, from what `shareSeed` sent (structured-cloned). */
  receiveSeed?(sent: unknown): { data: D; heldOut?: D };
  /**
   * The metrics a table, chart or plot shows first, most telling first: names, or prefixes ending
   * in "_" (`tail_loss_` is the first --tail-k's). Machine formats carry every metric anyway.
   */
  readonly headline: readonly string[];
  /** Metrics that count things (categories, words, modes): printed as counts, never 1.2e4. */
  readonly counts?: readonly string[];
  /** What a thread holds, for the memory estimate; `dims` is the data's number of columns. */
  footprint(o: O, dims: number): Footprint;
  /**
   * Shapes seed input into training data; `heldOut` is data never trained on (ngram's holdout).
   * `purpose` is "fresh" when the input is the fresh regime's new real data for one generation
   * (possibly tiny), which must not be held to the seed data's checks.
   */
  seed(input: SeedInput, o: O & RunContext, purpose?: "generation0" | "fresh"): { data: D; heldOut?: D };
  /** Metric names reported for these options and generation-0 reference, in output order. */
  metricNames(o: O & RunContext, reference: R): string[];
  fit(data: D, o: O & RunContext): P;
  /**
   * n draws of θ. `spare`, when given, is an earlier sample of this replicate that nothing holds any
   * more: a model may draw into it instead of allocating (the Gaussian does, so that a replicate of
   * M = 10⁷ holds one sample, not one per generation awaiting the garbage collector).
   */
  sample(params: P, n: number, rng: Rng, o: O & RunContext, spare?: D): D;
  /**
   * Optional: the fit of n draws of θ, each used as it is drawn and none kept — for a training set
   * that is one sample and nothing else (replace, no filter) of at least DRAWN_FIT_MIN rows
   * (src/core/drawn-fit.ts), which would otherwise be held whole in every thread. Draws the random
   * numbers `sample` draws, in the same order, and gives the fit `fit` would give of them, up to
   * rounding in the last bits (the model says how). null when these options need the sample itself
   * (the Gaussian's --quantiles): the loop then samples and fits. After a drawn fit, `measure`
   * gets null for the training data.
   */
  fitDraws?(params: P, n: number, rng: Rng, o: O & RunContext): P | null;
  /**
   * The loop is done with `params`, a generation's own fit (never generation 0's): nothing will
   * read them again, and the model may reuse their arrays for the next fit (the n-gram model's
   * counts and sampler: src/stats/buffer-pool.ts). Absent: they are left to the garbage collector.
   */
  release?(params: P): void;
  reference(data0: D, params0: P, o: O & RunContext, heldOut: D | undefined): R;
  /**
   * `--reference source`: the reference of the built-in source's true distribution, as this family
   * sees it (the family's member with the source's parameters — its fit to infinitely many draws),
   * in the same shape `reference` returns, so that `measure` compares every generation, generation 0
   * included, with the truth. `theory` then gives unconditional expectations (the reference says
   * which it is). Throws a UsageError for a source the family cannot compare with. Absent: the
   * model has no built-in source.
   */
  sourceReference?(source: SourceSpec, data0: D, params0: P, o: O & RunContext, heldOut: D | undefined): R;
  /**
   * Under `--reference source`, the seed-fit line's last clause: what the metrics compare with
   * instead of generation 0's model (src/output/seed-fit.ts). Set by the models with a seed fit.
   */
  readonly sourceComparison?: string;
  /**
   * Under `--reference source` each replicate after the first starts from a seed sample of its own.
   * By default that is a new draw of the source through `seed`; a model whose setting fixes part of
   * the seed gives it here instead (linreg: the same design, new labels from the true line).
   */
  redrawSeed?(reference: R, data0: D, rng: Rng, o: O & RunContext): D;
  /**
   * Metrics of generation g: its parameters and the data they were fitted to, against generation 0.
   * The caller reads them before it measures again: a model may rewrite and return one object each
   * time (the Gaussian does; src/core/run.ts copies generation 0's, which it keeps).
   */
  measure(params: P, train: D, reference: R, o: O & RunContext): Metrics;
  /**
   * What generation 0's fit already loses of the seed data (ARCHITECTURE §3: the seed fit). Every
   * metric compares generation g with θ0, so a seed the model cannot describe (tails a Gaussian
   * cuts off at the first fit) is invisible to them. Called once per run, after the replicates
   * (src/core/run.ts assemble), never per generation. Optional: a model without it reports none.
   */
  seedFit?(data0: D, params0: P, reference: R, o: O & RunContext): SeedFit;
  /** Closed-form expectations at generation g (ARCHITECTURE §4), or undefined where none exists. */
  theory?(o: O & RunContext, loop: LoopSettings, generation: number, reference: R): Metrics | undefined;
  /** A short human-readable sample of generation g's output (shown by --show-samples). */
  describe?(params: P, rng: Rng, reference: R, o: O & RunContext): string;
  readonly extinctions?: Extinctions<P, R>;
  readonly ops: DataOps<D>;
}

// biome-ignore lint/suspicious/noExplicitAny: models are heterogeneous in D, P, R and O; the loop treats them uniformly.
export type AnyModel = Model<any, any, any, any>;

/** The options object a model declares (O of Model<D, P, R, O>). */
// biome-ignore lint/suspicious/noExplicitAny: matches any D, P and R.
export type OptionsOf<M> = M extends Model<any, any, any, infer O> ? O : never;
