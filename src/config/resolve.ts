import { NUMBER_LITERAL } from "../data/number-literal.js";
import { UsageError } from "../errors.js";
import { quote } from "../excerpt.js";
import type { SimConfig } from "./config.js";
import { BUNDLED_CORPUS, type ModelName, type OptionSpec, SIM_OPTIONS } from "./spec.js";

/**
 * Where a raw value came from, for error messages: a flag, a key of a config file, or a value of a
 * sweep grid (`--grid NAME=…`, or the "grid" object of a config file when `file` is set).
 */
export type Origin = { kind: "flag" } | { kind: "config"; file: string } | { kind: "grid"; file?: string };

export interface RawOption {
  value: unknown;
  origin: Origin;
}

const CONTINUOUS: readonly ModelName[] = ["gaussian", "mvn", "gmm"];
const DISCRETE: readonly ModelName[] = ["categorical", "ngram"];

/** Defaults that do not depend on the model. */
const DEFAULTS = {
  model: "gaussian",
  data: null,
  column: null,
  source: null,
  generations: 9,
  seed: "1",
  estimator: "mle",
  regime: "replace",
  realFraction: 0.1,
  filterRecall: 0,
  temperature: 1,
  topK: 0,
  topP: 1,
  truncate: null,
  tokens: "word",
  order: 2,
  holdout: 0.1,
  smoothing: 0,
  components: 2,
  dims: 2,
  tailK: [2, 3],
  tailFraction: 0.1,
  quantiles: [],
  theory: false,
} as const;

/** Defaults that do. */
export function modelDefaults(model: ModelName): { replicates: number; seedSize: number } {
  switch (model) {
    case "ngram":
      return { replicates: 5, seedSize: 0 };
    case "categorical":
      return { replicates: 100, seedSize: 1000 };
    case "gmm":
      return { replicates: 50, seedSize: 500 };
    default:
      return { replicates: 200, seedSize: 100 };
  }
}

/** Options that only make sense for some models, and which those are. */
const APPLIES_TO: Record<string, readonly ModelName[]> = {
  // gmm's EM is maximum likelihood throughout: a per-component Bessel correction has no standard form.
  estimator: ["gaussian", "mvn"],
  truncate: CONTINUOUS,
  tailK: CONTINUOUS,
  temperature: DISCRETE,
  topK: DISCRETE,
  topP: DISCRETE,
  tailFraction: DISCRETE,
  tokens: ["ngram"],
  order: ["ngram"],
  holdout: ["ngram"],
  // ngram samples its fitted counts unsmoothed (words can die); its perplexity has a fixed smoothing.
  smoothing: ["categorical"],
  components: ["gmm"],
  dims: ["mvn", "gmm"],
  quantiles: ["gaussian"],
};

/** How messages name an option given with `origin`: "--flag", "file: \"key\"", "--grid flag"… */
export function where(spec: OptionSpec, origin: Origin): string {
  if (origin.kind === "grid") return origin.file !== undefined ? `${origin.file}: grid "${spec.key}"` : `--grid ${spec.flag}`;
  return origin.kind === "flag" ? `--${spec.flag}` : `${origin.file}: "${spec.key}"`;
}

function parseNumber(spec: OptionSpec, origin: Origin, value: unknown): number {
  let x: number;
  if (typeof value === "number") x = value;
  else if (typeof value === "string" && NUMBER_LITERAL.test(value.trim())) x = Number(value.trim());
  else throw new UsageError(`${where(spec, origin)} expects a number, got ${quote(value)}`);
  if (!Number.isFinite(x)) throw new UsageError(`${where(spec, origin)} must be finite, got ${quote(value)}`);
  if (spec.type === "int" && !Number.isInteger(x)) {
    throw new UsageError(`${where(spec, origin)} must be a whole number, got ${quote(value)}`);
  }
  const range = describeRange(spec);
  const bad =
    (spec.min !== undefined && x < spec.min) ||
    (spec.max !== undefined && x > spec.max) ||
    (spec.above !== undefined && x <= spec.above) ||
    (spec.below !== undefined && x >= spec.below);
  if (bad) throw new UsageError(`${where(spec, origin)} must be ${range}, got ${quote(value)}`);
  return x;
}

function describeRange(spec: OptionSpec): string {
  const lo = spec.min !== undefined ? `>= ${spec.min}` : spec.above !== undefined ? `> ${spec.above}` : "";
  const hi = spec.max !== undefined ? `<= ${spec.max}` : spec.below !== undefined ? `< ${spec.below}` : "";
  const what = spec.type === "int" ? "a whole number" : "a number";
  return [what, [lo, hi].filter(Boolean).join(" and ")].filter(Boolean).join(" ");
}

/** Checks one raw value against its spec and converts it. */
export function coerceOption(spec: OptionSpec, raw: RawOption): unknown {
  const { value, origin } = raw;
  switch (spec.type) {
    case "int":
    case "number":
      return parseNumber(spec, origin, value);
    case "numberList": {
      const items = Array.isArray(value)
        ? value
        : typeof value === "string"
          ? value
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== "")
          : [value];
      if (items.length === 0 && !spec.emptyList) throw new UsageError(`${where(spec, origin)} needs at least one number, e.g. 2,3`);
      const xs = items.map((v) => parseNumber(spec, origin, v));
      // Sorted and deduplicated so that equal meanings give equal configs (and equal bytes).
      return [...new Set(xs)].sort((a, b) => a - b);
    }
    case "enum": {
      if (typeof value !== "string" || !spec.choices!.includes(value)) {
        throw new UsageError(`${where(spec, origin)} must be one of ${spec.choices!.join(", ")}, got ${quote(value)}`);
      }
      return value;
    }
    case "boolean":
      if (typeof value !== "boolean") throw new UsageError(`${where(spec, origin)} must be true or false, got ${quote(value)}`);
      return value;
    case "string":
      if (typeof value === "number" && spec.key === "seed") return String(value);
      if (typeof value !== "string" || value === "") {
        throw new UsageError(`${where(spec, origin)} expects a non-empty string, got ${quote(value)}`);
      }
      return value;
  }
}

/** Options that are dropped where they do not apply instead of failing (see resolveSimConfig). */
export interface Lenient {
  readonly keys: ReadonlySet<string>;
  /** Filled with the keys that were dropped. */
  readonly dropped: Set<string>;
}

/**
 * Turns raw options (from flags and config files, keyed by camelCase name) into a SimConfig:
 * checks every value, rejects options that do not apply to the chosen model or conflict with each
 * other, and fills in defaults. Unknown keys are rejected too (a typo must not be silently ignored).
 */
export function resolveSimConfig(raw: ReadonlyMap<string, RawOption>, lenient?: Lenient): SimConfig {
  const given = new Map<string, unknown>();
  for (const [key, option] of raw) {
    const spec = SIM_OPTIONS.find((o) => o.key === key);
    if (!spec) {
      const file = option.origin.kind === "config" ? option.origin.file : "options";
      throw new UsageError(`${file}: unknown option ${quote(key, 60)}; see collapse sim --help for the list`);
    }
    given.set(key, coerceOption(spec, option));
  }
  const flagOf = (key: string) => {
    const spec = SIM_OPTIONS.find((o) => o.key === key)!;
    return where(spec, raw.get(key)!.origin);
  };
  const model = (given.get("model") ?? DEFAULTS.model) as ModelName;

  // A sweep's shared option may not apply at some grid points (--real-fraction at a replace point):
  // there it is dropped, not an error; the sweep errors only if it applies at no point at all.
  const inapplicable = (key: string) => {
    if (!lenient?.keys.has(key)) return false;
    given.delete(key);
    lenient.dropped.add(key);
    return true;
  };
  for (const [key, models] of Object.entries(APPLIES_TO)) {
    if (given.has(key) && !models.includes(model) && !inapplicable(key)) {
      throw new UsageError(`${flagOf(key)} does not apply to --model ${model} (only to ${models.join(", ")}); remove it`);
    }
  }
  if (given.has("data") && given.has("source")) {
    throw new UsageError(`${flagOf("data")} and ${flagOf("source")} both give seed data; keep one`);
  }
  if (given.has("column") && !given.has("data")) {
    throw new UsageError(`${flagOf("column")} needs --data FILE to pick a column from`);
  }
  if (given.has("seedSize") && given.has("data")) {
    throw new UsageError(`${flagOf("seedSize")} applies to --source; with --data the seed size is the file's`);
  }
  if (given.has("dims") && given.has("data")) {
    throw new UsageError(`${flagOf("dims")} applies to --source; with --data the dimensions are the chosen columns`);
  }
  const regime = (given.get("regime") ?? DEFAULTS.regime) as string;
  if (given.has("realFraction") && regime !== "mix" && regime !== "fresh" && !inapplicable("realFraction")) {
    throw new UsageError(`${flagOf("realFraction")} applies to --regime mix or fresh, not ${regime}`);
  }
  if (regime === "replace" && given.get("filterRecall") === 1) {
    throw new UsageError(
      `${flagOf("filterRecall")} 1 removes every synthetic sample and --regime replace trains on nothing else; lower the recall or use accumulate, mix or fresh`,
    );
  }
  if (model === "ngram" && !given.has("data") && given.has("source")) {
    throw new UsageError(`${flagOf("source")} does not apply to --model ngram: give a text file with --data (default: the bundled corpus)`);
  }
  if (model === "ngram" && given.has("seedSize")) {
    throw new UsageError(`${flagOf("seedSize")} does not apply to --model ngram: the seed size is the text's token count`);
  }

  const perModel = modelDefaults(model);
  const pick = <T>(key: string, fallback: T): T => (given.has(key) ? (given.get(key) as T) : fallback);
  const hasData = given.has("data");
  return {
    model,
    data: pick("data", model === "ngram" ? BUNDLED_CORPUS : DEFAULTS.data),
    column: pick("column", DEFAULTS.column),
    source: hasData ? null : pick<string | null>("source", null),
    seedSize: hasData ? null : pick("seedSize", perModel.seedSize || null),
    generations: pick("generations", DEFAULTS.generations),
    sampleSize: pick("sampleSize", null),
    replicates: pick("replicates", perModel.replicates),
    seed: pick("seed", DEFAULTS.seed),
    estimator: pick("estimator", DEFAULTS.estimator),
    regime: pick("regime", DEFAULTS.regime),
    realFraction: pick("realFraction", DEFAULTS.realFraction),
    filterRecall: pick("filterRecall", DEFAULTS.filterRecall),
    temperature: pick("temperature", DEFAULTS.temperature),
    topK: pick("topK", DEFAULTS.topK),
    topP: pick("topP", DEFAULTS.topP),
    truncate: pick("truncate", DEFAULTS.truncate),
    tokens: pick("tokens", DEFAULTS.tokens),
    order: pick("order", DEFAULTS.order),
    holdout: pick("holdout", DEFAULTS.holdout),
    smoothing: pick("smoothing", DEFAULTS.smoothing),
    components: pick("components", DEFAULTS.components),
    // gmm defaults to one dimension (its default source is a 1-D bimodal mixture); mvn to two.
    dims: pick("dims", model === "gmm" ? 1 : DEFAULTS.dims),
    tailK: pick("tailK", [...DEFAULTS.tailK]),
    tailFraction: pick("tailFraction", DEFAULTS.tailFraction),
    quantiles: pick("quantiles", [...DEFAULTS.quantiles]),
    theory: pick("theory", DEFAULTS.theory),
  };
}
