/**
 * Every simulation option, declared once. The CLI builds its flags from this table, `--config` files
 * are checked against it, and resolve.ts validates values with the ranges given here — so a flag,
 * a config key and an error message can never disagree.
 */

export type OptionType = "int" | "number" | "string" | "enum" | "numberList" | "boolean";

export interface OptionSpec {
  /** camelCase key in SimConfig and in JSON config files. */
  readonly key: string;
  /** Long flag without dashes, e.g. "sample-size". */
  readonly flag: string;
  readonly short?: string;
  readonly type: OptionType;
  /** Placeholder shown in --help, e.g. "M". */
  readonly arg?: string;
  readonly description: string;
  readonly choices?: readonly string[];
  /** Inclusive range for numbers (and for every element of a list). */
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound, for quantities that must be strictly positive. */
  readonly above?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  /** For lists: whether an empty list is a value (none), as a results document records it. */
  readonly emptyList?: boolean;
  /** The section of --help the option belongs to. */
  readonly group: "data" | "loop" | "regime" | "sampling" | "model" | "metrics";
}

export const MODELS = ["gaussian", "mvn", "gmm", "categorical", "ngram"] as const;
export type ModelName = (typeof MODELS)[number];
export const REGIMES = ["replace", "accumulate", "mix", "fresh"] as const;
export type Regime = (typeof REGIMES)[number];
export const ESTIMATORS = ["mle", "unbiased"] as const;
export type Estimator = (typeof ESTIMATORS)[number];
export const TOKENIZERS = ["word", "char"] as const;
export type Tokens = (typeof TOKENIZERS)[number];

/** Upper bound on any one sample or seed size: beyond it a typed array would not fit in memory. */
export const MAX_SIZE = 100_000_000;

/** The text the ngram model reads when --data is not given, relative to the package root. */
export const BUNDLED_CORPUS = "fixtures/medieval-architecture.txt";

export const SIM_OPTIONS: readonly OptionSpec[] = [
  { key: "model", flag: "model", type: "enum", arg: "M", choices: MODELS, group: "model", description: "generative model (default gaussian)" },
  {
    key: "data",
    flag: "data",
    type: "string",
    arg: "FILE",
    group: "data",
    description:
      "seed data file (.csv .tsv .json .ndjson .txt) or - for stdin; replaces --source. categorical: one label per line, " +
      "label,count rows (a label listed twice is an error) or JSON; ngram: any text (default: the bundled corpus " +
      "fixtures/medieval-architecture.txt)",
  },
  {
    key: "column",
    flag: "column",
    type: "string",
    arg: "C",
    group: "data",
    description: "column by header name or 1-based index (mvn/gmm: a comma list; default: the only column, or all numeric ones)",
  },
  {
    key: "source",
    flag: "source",
    type: "string",
    arg: "SPEC",
    group: "data",
    description: 'built-in seed generator, e.g. "normal(0,1)", "mixture(0.5*normal(-2,1),0.5*normal(2,1))", "zipf(1.1,1000)"',
  },
  {
    key: "seedSize",
    flag: "seed-size",
    type: "int",
    arg: "N",
    min: 2,
    max: MAX_SIZE,
    group: "data",
    description: "size of the seed sample drawn from --source (default 100; categorical 1000)",
  },
  {
    key: "generations",
    flag: "generations",
    short: "g",
    type: "int",
    arg: "G",
    min: 0,
    max: 100_000,
    group: "loop",
    description: "generations after generation 0; the output has G+1 rows (default 9)",
  },
  {
    key: "sampleSize",
    flag: "sample-size",
    short: "m",
    type: "int",
    arg: "M",
    min: 2,
    max: MAX_SIZE,
    group: "loop",
    description: "synthetic samples (ngram: tokens) drawn per generation (default: the seed size)",
  },
  {
    key: "replicates",
    flag: "replicates",
    short: "r",
    type: "int",
    arg: "R",
    min: 1,
    max: 1_000_000,
    group: "loop",
    description: "independent chains from the same seed data (default 200; ngram 5)",
  },
  {
    key: "seed",
    flag: "seed",
    type: "string",
    arg: "S",
    group: "loop",
    description: "master seed, any string or number (default 1); same options and seed give the same bytes",
  },
  {
    key: "estimator",
    flag: "estimator",
    type: "enum",
    arg: "E",
    choices: ESTIMATORS,
    group: "model",
    description: "gaussian/mvn variance estimator: mle divides by n, unbiased by n-1 (default mle)",
  },
  {
    key: "regime",
    flag: "regime",
    type: "enum",
    arg: "R",
    choices: REGIMES,
    group: "regime",
    description: "training set of each generation, defined below (default replace)",
  },
  {
    key: "realFraction",
    flag: "real-fraction",
    type: "number",
    arg: "A",
    min: 0,
    max: 1,
    group: "regime",
    description: "share of real data in the training set under mix and fresh (default 0.1)",
  },
  {
    key: "filterRecall",
    flag: "filter-recall",
    type: "number",
    arg: "R",
    min: 0,
    max: 1,
    group: "regime",
    description: "probability that a detector removes each synthetic sample before fitting (default 0)",
  },
  {
    key: "temperature",
    flag: "temperature",
    type: "number",
    arg: "T",
    above: 0,
    max: 100,
    group: "sampling",
    description: "discrete models: sample from p^(1/T), renormalised (default 1)",
  },
  {
    key: "topK",
    flag: "top-k",
    type: "int",
    arg: "K",
    min: 0,
    max: MAX_SIZE,
    group: "sampling",
    description: "discrete models: keep only the K most likely categories/tokens, 0 = all (default 0)",
  },
  {
    key: "topP",
    flag: "top-p",
    type: "number",
    arg: "P",
    above: 0,
    max: 1,
    group: "sampling",
    description: "discrete models: keep the smallest set of most likely outcomes with mass >= P (default 1)",
  },
  {
    key: "truncate",
    flag: "truncate",
    type: "number",
    arg: "K",
    above: 0,
    max: 100,
    group: "sampling",
    description: "continuous models: reject draws outside mu +/- K sigma (default off)",
  },
  {
    key: "tokens",
    flag: "tokens",
    type: "enum",
    arg: "T",
    choices: TOKENIZERS,
    group: "model",
    description:
      "ngram tokens: word = lower-cased runs of letters, digits and apostrophes (punctuation dropped, numbers kept); " +
      "char = every character, each whitespace run as one space (default word)",
  },
  {
    key: "order",
    flag: "order",
    type: "int",
    arg: "N",
    min: 1,
    max: 6,
    group: "model",
    description: "ngram order, 1..6 (default 2); a chain reaching a context with no continuation restarts from the text's first n-1 tokens",
  },
  {
    key: "holdout",
    flag: "holdout",
    type: "number",
    arg: "F",
    above: 0,
    below: 1,
    group: "model",
    description:
      "ngram: the last F of the text, never trained on, for perplexity — interpolated Witten-Bell smoothing down to a " +
      "uniform over the generation-0 vocabulary plus one unknown token, so it stays finite (default 0.1)",
  },
  {
    key: "smoothing",
    flag: "smoothing",
    type: "number",
    arg: "L",
    min: 0,
    max: 1e6,
    group: "model",
    description: "categorical: add-L smoothing of fitted frequencies, which keeps every category alive (default 0)",
  },
  {
    key: "components",
    flag: "components",
    type: "int",
    arg: "K",
    min: 1,
    max: 100,
    group: "model",
    description: "gmm: at most K components; each generation keeps the k <= K with the best BIC (default 2)",
  },
  {
    key: "dims",
    flag: "dims",
    type: "int",
    arg: "D",
    min: 1,
    max: 100,
    group: "model",
    description: "mvn/gmm with a built-in source: dimensions (default mvn 2, gmm 1)",
  },
  {
    key: "tailK",
    flag: "tail-k",
    type: "numberList",
    arg: "LIST",
    above: 0,
    max: 50,
    group: "metrics",
    description: "continuous tails at these multiples of the original sigma (default 2,3)",
  },
  {
    key: "tailFraction",
    flag: "tail-fraction",
    type: "number",
    arg: "F",
    above: 0,
    below: 1,
    group: "metrics",
    description: "discrete: the rare set holds this share of generation 0's mass (default 0.1)",
  },
  {
    key: "quantiles",
    flag: "quantiles",
    type: "numberList",
    emptyList: true,
    arg: "LIST",
    min: 0,
    max: 1,
    group: "metrics",
    description: "gaussian: also report these sample quantiles, standardised by generation 0 (e.g. 0.01,0.5,0.99)",
  },
  {
    key: "theory",
    flag: "theory",
    type: "boolean",
    group: "metrics",
    description: "add closed-form expectations where they exist (JSON theory, CSV theory column)",
  },
];

export function findOption(key: string): OptionSpec | undefined {
  return SIM_OPTIONS.find((o) => o.key === key);
}
