/**
 * Every simulation option, declared once: the options every run has are declared here, and each
 * model declares its own in its module (src/models/). This module joins them into the one table
 * the CLI builds its flags from, `--config` files and library options are checked against, and
 * resolve.ts validates with — so a flag, a config key, --help and an error message never disagree.
 */
import { MODEL_NAMES, MODELS } from "../models/index.js";
import { type AnyModel, REGIMES } from "../models/model.js";
import { MAX_SIZE, type OptionSpec } from "../models/option.js";

export type { ModelName } from "../models/index.js";
export { REGIMES, type Regime } from "../models/model.js";
export { MAX_SIZE, type OptionSpec, type OptionType } from "../models/option.js";

/** Options every run has, whatever the model. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  {
    key: "model",
    flag: "model",
    type: "enum",
    arg: "M",
    choices: MODEL_NAMES,
    group: "model",
    default: "gaussian",
    description: "generative model",
    describe: (m: string) => m,
  },
  {
    key: "data",
    flag: "data",
    type: "string",
    arg: "FILE",
    group: "data",
    default: null,
    description:
      "seed data file (.csv .tsv .json .ndjson .txt) or - for stdin (sniffed: JSON, else CSV or TSV); replaces --source. " +
      "categorical: one label per line, a table of labels (and counts: --count-column) or JSON; ngram: any text",
  },
  {
    key: "column",
    flag: "column",
    type: "string",
    arg: "C",
    group: "data",
    default: null,
    description:
      "column by header name or 1-based index (mvn/gmm/linreg: a comma list; default: the only column, or all numeric ones but linreg's --target; " +
      "categorical: the label column, default the only one or the first of label,count)",
  },
  {
    key: "source",
    flag: "source",
    type: "string",
    arg: "SPEC",
    group: "data",
    default: null,
    description: 'built-in seed generator, e.g. "normal(0,1)", "mixture(0.5*normal(-2,1),0.5*normal(2,1))", "zipf(1.1,1000)", "linear(5,1)"',
  },
  {
    key: "seedSize",
    flag: "seed-size",
    type: "int",
    arg: "N",
    min: 2,
    max: MAX_SIZE,
    group: "data",
    default: 100,
    description: "size of the seed sample drawn from --source",
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
    default: 9,
    description: "generations after generation 0; the output has G+1 rows",
    describe: (g: number) => `${g} generation${g === 1 ? "" : "s"}`,
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
    default: null,
    description: "synthetic samples (ngram: tokens) drawn per generation (default: the seed size)",
    describe: (m: number | null) => (m === null ? null : `M=${m}`),
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
    default: 200,
    description: "independent chains from the same seed data",
    describe: (r: number) => `${r} replicate${r === 1 ? "" : "s"}`,
  },
  {
    key: "seed",
    flag: "seed",
    type: "string",
    arg: "S",
    group: "loop",
    default: "1",
    description: "master seed, any string or number; same options and seed give the same bytes",
  },
  {
    key: "regime",
    flag: "regime",
    type: "enum",
    arg: "R",
    choices: REGIMES,
    group: "regime",
    default: "replace",
    description: "training set of each generation, defined below",
  },
  {
    key: "realFraction",
    flag: "real-fraction",
    type: "number",
    arg: "A",
    min: 0,
    max: 1,
    schedule: true,
    group: "regime",
    default: 0.1,
    description:
      "share of real data in the training set under mix and fresh: a number, a comma list (one value per generation, the last repeated) or a ramp a..b over generations 1…G",
  },
  {
    key: "filterRecall",
    flag: "filter-recall",
    type: "number",
    arg: "R",
    min: 0,
    max: 1,
    schedule: true,
    group: "regime",
    default: 0,
    description: "probability that a detector removes each synthetic sample before fitting; a number or a schedule, as --real-fraction",
    describe: (r: number | string) => (typeof r === "string" || r > 0 ? `filter recall ${r}` : null),
  },
  {
    key: "reference",
    flag: "reference",
    type: "enum",
    arg: "R",
    choices: ["gen0", "source"],
    group: "metrics",
    default: "gen0",
    description:
      "what every metric compares generation g with: gen0 = generation 0's fit; source = the true distribution of the " +
      "built-in --source (generation 0's row then shows the error of the first fit)",
    describe: (r: string) => (r === "source" ? "against the source" : null),
  },
  {
    key: "theory",
    flag: "theory",
    type: "boolean",
    group: "metrics",
    default: false,
    description: "add closed-form expectations where they exist (JSON theory, CSV theory column)",
  },
];

/**
 * The order of options in a results document's `config` (and in --help's groups): the order of
 * earlier versions, so that the same run keeps giving the same bytes. Options of models added
 * later follow, in registry order.
 */
const DOCUMENT_ORDER = [
  "model",
  "data",
  "column",
  "source",
  "seedSize",
  "generations",
  "sampleSize",
  "replicates",
  "seed",
  "estimator",
  "regime",
  "realFraction",
  "filterRecall",
  "temperature",
  "topK",
  "topP",
  "truncate",
  "tokens",
  "order",
  "holdout",
  "smoothing",
  "components",
  "dims",
  "tailK",
  "tailFraction",
  "quantiles",
  "theory",
];

const COMMON_KEYS = new Set(COMMON_OPTIONS.map((o) => o.key));

/** Whether two models' declarations of one key take the same values (descriptions may differ). */
function sameValues(a: OptionSpec, b: OptionSpec): boolean {
  const fields = ["type", "flag", "min", "max", "above", "below", "group", "default"] as const;
  return fields.every((f) => JSON.stringify(a[f]) === JSON.stringify(b[f])) && JSON.stringify(a.words) === JSON.stringify(b.words);
}

/** Every model's declared options by key; models that share a key must declare it alike. */
function modelOptions(): Map<string, OptionSpec> {
  const byKey = new Map<string, OptionSpec>();
  for (const model of MODELS) {
    for (const spec of model.options) {
      const seen = byKey.get(spec.key);
      if (seen && !sameValues(seen, spec)) {
        throw new Error(`option ${spec.key} is declared differently by two models`);
      }
      if (COMMON_KEYS.has(spec.key)) throw new Error(`model ${model.name} redeclares the common option ${spec.key}`);
      if (!seen) byKey.set(spec.key, spec);
    }
  }
  return byKey;
}

function allOptions(): OptionSpec[] {
  const byKey = new Map<string, OptionSpec>([...COMMON_OPTIONS.map((o) => [o.key, o] as const), ...modelOptions()]);
  const ordered = DOCUMENT_ORDER.filter((k) => byKey.has(k)).map((k) => byKey.get(k)!);
  return [...ordered, ...[...byKey.values()].filter((o) => !DOCUMENT_ORDER.includes(o.key))];
}

export const SIM_OPTIONS: readonly OptionSpec[] = allOptions();

export function findOption(key: string): OptionSpec | undefined {
  return SIM_OPTIONS.find((o) => o.key === key);
}

/** Whether `key` is an option every run has (as opposed to one some models declare). */
export function isCommonOption(key: string): boolean {
  return COMMON_KEYS.has(key);
}

/** The models that take option `key`, in registry order (every model for a common option). */
export function modelsTaking(key: string): AnyModel[] {
  return COMMON_KEYS.has(key) ? [...MODELS] : MODELS.filter((m) => m.options.some((o) => o.key === key));
}

/** The default of option `key` for `model`: the model's own default, else the declared one. */
export function defaultFor(key: string, model: AnyModel): unknown {
  if (key === "data") return model.defaultData ?? null;
  if (model.defaults && key in model.defaults) return model.defaults[key];
  return findOption(key)!.default;
}

/** Whether `path` is a file bundled with the package (a model's default data), found wherever the package is. */
export function isBundled(path: string): boolean {
  return MODELS.some((m) => m.defaultData === path);
}

/** The sample size default's words, and the like: defaults that are not a value. */
const DEFAULT_WORDS: Record<string, string> = { data: "", source: "", column: "", sampleSize: "", seed: '"1"' };

function shown(value: unknown): string {
  return Array.isArray(value) ? (value.length > 0 ? value.join(",") : "none") : value === null ? "off" : String(value);
}

/**
 * An option's --help line, from its declaration: what it does, which models take it, and its
 * default with the models whose default differs, e.g. "… (default 200; gmm 50, categorical 100, ngram 5)".
 */
export function helpLine(spec: OptionSpec): string {
  const takers = modelsTaking(spec.key);
  // A key several models declare with descriptions of their own (--holdout) gets each, by model.
  const own = takers.map((m) => [m.name, m.options.find((o) => o.key === spec.key)?.description ?? spec.description] as const);
  const description = new Set(own.map(([, d]) => d)).size > 1 ? own.map(([name, d]) => `${name}: ${d}`).join("; ") : spec.description;
  const parts: string[] = [];
  if (!COMMON_KEYS.has(spec.key)) parts.push(takers.map((m) => m.name).join(", "));
  if (spec.key === "source") {
    const bySource = new Map<string, string[]>();
    for (const m of MODELS) if (m.defaultSource !== null) bySource.set(m.defaultSource, [...(bySource.get(m.defaultSource) ?? []), m.name]);
    parts.push(`default: ${[...bySource].map(([source, names]) => `${source} for ${names.join(", ")}`).join("; ")}`);
  } else if (spec.key === "data") {
    const bundled = MODELS.filter((m) => m.defaultData !== undefined).map((m) => `${m.name} ${m.defaultData}`);
    if (bundled.length > 0) parts.push(`default: ${bundled.join("; ")}`);
  } else if (DEFAULT_WORDS[spec.key] !== "" && spec.type !== "boolean" && spec.key !== "model" && !(spec.type === "string" && spec.default === null)) {
    const own = shown(spec.default);
    // A model whose default is null does not take the option at all (ngram has no --seed-size).
    const differing = takers.filter((m) => m.defaults && m.defaults[spec.key] != null && shown(m.defaults[spec.key]) !== own);
    const text = DEFAULT_WORDS[spec.key] ?? own;
    parts.push(`default ${text}${differing.length > 0 ? `; ${differing.map((m) => `${m.name} ${shown(m.defaults![spec.key])}`).join(", ")}` : ""}`);
  } else if (spec.key === "model") parts.push(`default ${String(spec.default)}`);
  return parts.length > 0 ? `${description} (${parts.join("; ")})` : description;
}

/** The one-line descriptions of every model, for --help. */
export function modelList(): string[] {
  const width = Math.max(...MODEL_NAMES.map((n) => n.length));
  return MODELS.map((m) => `  ${m.name.padEnd(width)}  ${m.summary}`);
}
