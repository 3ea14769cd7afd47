import { BadSchedule, parseSchedule, scheduleRange } from "../core/schedule.js";
import { NUMBER_LITERAL } from "../data/number-literal.js";
import { UsageError } from "../errors.js";
import { quote } from "../excerpt.js";
import { getModel } from "../models/index.js";
import { closest, didYouMean } from "../suggest.js";
import type { SimConfig } from "./config.js";
import { defaultFor, isCommonOption, type ModelName, modelsTaking, type OptionSpec, SIM_OPTIONS } from "./spec.js";

/**
 * Where a raw value came from, for error messages: a flag, a key of a config file, or a value of a
 * sweep grid (`--grid NAME=…`, or the "grid" object of a config file when `file` is set).
 */
export type Origin = { kind: "flag" } | { kind: "config"; file: string } | { kind: "grid"; file?: string };

export interface RawOption {
  value: unknown;
  origin: Origin;
}

/** How messages name an option given with `origin`: "--flag", "file: \"key\"", "--grid flag"… */
export function where(spec: OptionSpec, origin: Origin): string {
  if (origin.kind === "grid") return origin.file !== undefined ? `${origin.file}: grid "${spec.key}"` : `--grid ${spec.flag}`;
  return origin.kind === "flag" ? `--${spec.flag}` : `${origin.file}: "${spec.key}"`;
}

function parseNumber(spec: OptionSpec, origin: Origin, value: unknown): number {
  let x: number;
  if (typeof value === "number") x = value;
  else if (typeof value === "string" && NUMBER_LITERAL.test(value.trim())) x = Number(value.trim());
  else if (spec.words) {
    const near = typeof value === "string" ? didYouMean(value, spec.words) : "";
    throw new UsageError(`${where(spec, origin)} must be ${describeRange(spec)}, got ${quote(value)}${near}`);
  } else throw new UsageError(`${where(spec, origin)} expects a number, got ${quote(value)}`);
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
  const number = [what, [lo, hi].filter(Boolean).join(" and ")].filter(Boolean).join(" ");
  return spec.words ? `${spec.words.join(", ")} or ${number}` : number;
}

/** Checks one raw value against its spec and converts it. */
export function coerceOption(spec: OptionSpec, raw: RawOption): unknown {
  const { value, origin } = raw;
  switch (spec.type) {
    case "int":
    case "number":
      if (spec.schedule && !(typeof value === "number" || (typeof value === "string" && NUMBER_LITERAL.test(value.trim())))) {
        return coerceSchedule(spec, origin, value);
      }
      if (spec.words && typeof value === "string" && spec.words.includes(value.trim())) return value.trim();
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
        const near = typeof value === "string" ? didYouMean(value, spec.choices!) : "";
        throw new UsageError(`${where(spec, origin)} must be one of ${spec.choices!.join(", ")}, got ${quote(value)}${near}`);
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

/** A schedule (src/core/schedule.ts): its canonical value, or one line naming the bad value. */
function coerceSchedule(spec: OptionSpec, origin: Origin, value: unknown): unknown {
  try {
    return parseSchedule(value, spec.min ?? -Infinity, spec.max ?? Infinity);
  } catch (e) {
    if (e instanceof BadSchedule) throw new UsageError(`${where(spec, origin)} ${e.message}`);
    throw e;
  }
}

/** Options that are dropped where they do not apply instead of failing (see resolveSimConfig). */
export interface Lenient {
  readonly keys: ReadonlySet<string>;
  /** Filled with the keys that were dropped. */
  readonly dropped: Set<string>;
}

/**
 * Whether an option's value is the default of the model `model` names (the default model without
 * one): resolution would give it back. A recorded configuration (a baseline's, --print-config's)
 * names every option, those of other models at their defaults, and those are not choices.
 * Throws UsageError for an unknown model.
 */
export function atModelDefault(model: RawOption | undefined): (key: string, value: unknown) => boolean {
  const defaults = resolveSimConfig(new Map(model ? [["model", model]] : [])) as unknown as Record<string, unknown>;
  return (key, value) => key in defaults && JSON.stringify(defaults[key]) === JSON.stringify(value);
}

/**
 * Turns raw options (from flags and config files, keyed by camelCase name) into a SimConfig:
 * checks every value, rejects options that do not apply to the chosen model or conflict with each
 * other, and fills in defaults. Unknown keys are rejected too (a typo must not be silently ignored).
 */
export function resolveSimConfig(raw: ReadonlyMap<string, RawOption>, lenient?: Lenient): SimConfig {
  const given = new Map<string, unknown>();
  const origins = new Map<string, Origin>();
  for (const [name, option] of raw) {
    // A config file may spell a key as its flag ("sample-size"), as --grid does.
    const spec = SIM_OPTIONS.find((o) => o.key === name) ?? SIM_OPTIONS.find((o) => o.flag === name);
    if (!spec) {
      const file = option.origin.kind === "config" ? option.origin.file : "options";
      const near = closest(name, [...SIM_OPTIONS.map((o) => o.key), ...SIM_OPTIONS.map((o) => o.flag)]);
      const meant = near === undefined ? "" : ` (did you mean "${SIM_OPTIONS.find((o) => o.flag === near)?.key ?? near}"?)`;
      throw new UsageError(`${file}: unknown option ${quote(name, 60)}${meant}; see collapse sim --help for the list`);
    }
    if (given.has(spec.key)) {
      const file = option.origin.kind === "config" ? option.origin.file : "options";
      throw new UsageError(`${file}: "${spec.key}" is given twice (as "${spec.key}" and "${spec.flag}"); keep one`);
    }
    given.set(spec.key, coerceOption(spec, option));
    origins.set(spec.key, option.origin);
  }
  const flagOf = (key: string) => {
    const spec = SIM_OPTIONS.find((o) => o.key === key)!;
    return where(spec, origins.get(key)!);
  };
  const model = getModel((given.get("model") ?? findDefault("model")) as ModelName);

  // A sweep's shared option may not apply at some grid points (--real-fraction at a replace point):
  // there it is dropped, not an error; the sweep errors only if it applies at no point at all.
  const inapplicable = (key: string) => {
    if (!lenient?.keys.has(key)) return false;
    given.delete(key);
    lenient.dropped.add(key);
    return true;
  };
  for (const key of [...given.keys()]) {
    if (isCommonOption(key) || model.options.some((o) => o.key === key) || inapplicable(key)) continue;
    const takers = modelsTaking(key).map((m) => m.name);
    throw new UsageError(`${flagOf(key)} does not apply to --model ${model.name} (only to ${takers.join(", ")}); remove it`);
  }
  if (given.has("data") && given.has("source")) {
    throw new UsageError(`${flagOf("data")} and ${flagOf("source")} both give seed data; keep one`);
  }
  if (given.has("column") && !given.has("data")) {
    throw new UsageError(`${flagOf("column")} needs --data FILE to pick a column from`);
  }
  if (model.defaultSource === null) {
    // A model with no built-in source reads files only (ngram: text).
    if (given.has("source") && !given.has("data")) {
      throw new UsageError(
        `${flagOf("source")} does not apply to --model ${model.name}: give a file with --data${model.defaultData ? ` (default: ${model.defaultData})` : ""}`,
      );
    }
    if (given.has("seedSize")) {
      throw new UsageError(`${flagOf("seedSize")} does not apply to --model ${model.name}: the seed size is the data's`);
    }
  }
  if (given.has("seedSize") && given.has("data")) {
    throw new UsageError(`${flagOf("seedSize")} applies to --source; with --data the seed size is the file's`);
  }
  for (const spec of model.options) {
    if (spec.sourceOnly && given.has(spec.key) && given.has("data")) throw new UsageError(`${flagOf(spec.key)} applies to --source; ${spec.sourceOnly}`);
    if (spec.dataOnly && given.has(spec.key) && !given.has("data")) throw new UsageError(`${flagOf(spec.key)} needs --data FILE ${spec.dataOnly}`);
  }
  if (given.get("reference") === "source") {
    if (model.defaultSource === null) {
      throw new UsageError(`${flagOf("reference")} source: --model ${model.name} has no built-in source to compare with; use --reference gen0`);
    }
    if (given.has("data")) {
      throw new UsageError(
        `${flagOf("reference")} source compares with the true distribution of a built-in --source, and ${flagOf("data")} has none; drop --data or use --reference gen0`,
      );
    }
  }
  const regime = (given.get("regime") ?? findDefault("regime")) as string;
  if (given.has("realFraction") && regime !== "mix" && regime !== "fresh" && !inapplicable("realFraction")) {
    throw new UsageError(`${flagOf("realFraction")} applies to --regime mix or fresh, not ${regime}`);
  }
  const recall = given.get("filterRecall") as number | string | undefined;
  if (regime === "replace" && recall !== undefined && scheduleRange(recall).max === 1) {
    const which = typeof recall === "number" ? "1" : `${JSON.stringify(recall)} reaches 1, which`;
    throw new UsageError(
      `${flagOf("filterRecall")} ${which} removes every synthetic sample and --regime replace trains on nothing else; lower the recall or use accumulate, accumulate-subsample, mix or fresh`,
    );
  }

  // Every option, in document order: the given value, else the model's default, else the declared one.
  const hasData = given.has("data");
  const config: Record<string, unknown> = {};
  for (const spec of SIM_OPTIONS) {
    const fallback = defaultFor(spec.key, model);
    // Lists are copied: a default is shared by every run.
    config[spec.key] = given.has(spec.key) ? given.get(spec.key) : Array.isArray(fallback) ? [...fallback] : fallback;
  }
  config.model = model.name;
  // With --data the seed is the file's: no source, and its size is known only once read.
  if (hasData) {
    config.source = null;
    config.seedSize = null;
  }
  return config as unknown as SimConfig;
}

function findDefault(key: string): unknown {
  return SIM_OPTIONS.find((o) => o.key === key)!.default;
}
