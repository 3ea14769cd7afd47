import type { ResolvedConfig } from "../config/config.js";
import type { ModelName } from "../config/spec.js";
import type { Rng } from "../stats/rng.js";

/** One value per metric name, for one generation of one replicate. */
export type Metrics = Record<string, number>;

/**
 * Seed data as read from a file or drawn from a built-in source, before a model shapes it.
 * `numbers`: one column; `table`: several numeric columns; `labels`: category → count; `text`: UTF-8 text.
 */
export type SeedInput =
  | { kind: "numbers"; values: Float64Array; name: string }
  | { kind: "table"; columns: Float64Array[]; names: string[] }
  | { kind: "labels"; labels: string[]; counts: Float64Array }
  | { kind: "text"; text: string; name: string };

/**
 * What the regimes need to do with a model's training data, whatever its shape
 * (a sample of numbers, rows of a table, a vector of category counts, a token sequence).
 * Models implement these; the loop composes them into replace / accumulate / mix / fresh.
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
  /** A growing pool for `accumulate`; `add` must not copy what is already in the pool. */
  pool(initial: D): { add(data: D): void; view(): D };
}

/** Hooks for models whose outcomes are categories that can die out (categorical, ngram). */
export interface Extinctions<P, R> {
  /** Category names of generation 0, in a fixed order. */
  categories(reference: R): readonly string[];
  /** For each category of `categories`, whether it still has probability > 0 under `params`. */
  alive(params: P, reference: R): ArrayLike<number | boolean>;
}

/**
 * A model family: fit / sample / measure / theory. Models know nothing of regimes, the CLI or
 * the terminal; the loop in loop.ts drives them.
 * D = training data, P = fitted parameters, R = the generation-0 reference every metric compares with.
 */
export interface Model<D, P, R> {
  readonly name: ModelName;
  /** The built-in seed generator used when neither --data nor --source is given. */
  readonly defaultSource: string | null;
  /** The shape of seed input this model reads (see SeedInput). */
  readonly input: SeedInput["kind"];
  /**
   * Shapes seed input into training data; `heldOut` is data never trained on (ngram's holdout).
   * `purpose` is "fresh" when the input is the fresh regime's new real data for one generation
   * (possibly tiny), which must not be held to the seed data's checks.
   */
  seed(input: SeedInput, config: ResolvedConfig, purpose?: "generation0" | "fresh"): { data: D; heldOut?: D };
  /** Metric names reported for this configuration and generation-0 reference, in output order. */
  metricNames(config: ResolvedConfig, reference: R): string[];
  fit(data: D, config: ResolvedConfig): P;
  sample(params: P, n: number, rng: Rng, config: ResolvedConfig): D;
  reference(data0: D, params0: P, config: ResolvedConfig, heldOut: D | undefined): R;
  /** Metrics of generation g: its parameters and the data they were fitted to, against generation 0. */
  measure(params: P, train: D, reference: R, config: ResolvedConfig): Metrics;
  /** Closed-form expectations at generation g (ARCHITECTURE §4), or undefined where none exists. */
  theory?(config: ResolvedConfig, generation: number, reference: R): Metrics | undefined;
  /** A short human-readable sample of generation g's output (shown by --show-samples). */
  describe?(params: P, rng: Rng, reference: R, config: ResolvedConfig): string;
  readonly extinctions?: Extinctions<P, R>;
  readonly ops: DataOps<D>;
}

// biome-ignore lint/suspicious/noExplicitAny: models are heterogeneous in D, P and R; the loop treats them uniformly.
export type AnyModel = Model<any, any, any>;
