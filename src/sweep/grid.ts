/**
 * Grid axes of a sweep: `--grid NAME=VALUES` flags and the "grid" object of a --config file.
 *
 * NAME is a simulation option's flag name (sample-size) or its camelCase key (sampleSize). VALUES
 * is a comma list whose items are single values or numeric ranges (see range.ts):
 *   --grid sample-size=10,100,1000   --grid real-fraction=0:0.5:0.1   --grid sample-size=log:10:10000:4
 * Commas inside parentheses do not split, so sources can be swept: --grid source=normal(0,1),normal(0,2).
 * Every value is checked by the same code as a flag (config/resolve.ts), so a grid value and a flag
 * can never be validated differently.
 */
import { coerceOption, type Origin, where } from "../config/resolve.js";
import { type OptionSpec, SIM_OPTIONS } from "../config/spec.js";
import { UsageError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import type { Scalar } from "../output/tidy.js";
import { closest, editDistance } from "../suggest.js";
import { BadRange, linearRange, logRange, MAX_AXIS_VALUES } from "./range.js";

export interface GridAxis {
  readonly spec: OptionSpec;
  /** Checked and converted values (numbers for numeric options), in the order given. */
  readonly values: readonly Scalar[];
  readonly origin: Origin & { kind: "grid" };
}

/** The option a grid NAME refers to: by flag name or camelCase key. */
export function gridOption(name: string, origin: Origin & { kind: "grid" }): OptionSpec {
  const spec = SIM_OPTIONS.find((o) => o.flag === name || o.key === name);
  const at = origin.file !== undefined ? `${origin.file}: grid ${quote(name, 40)}` : `--grid ${excerpt(name, 40)}`;
  if (!spec) {
    const sweepables = SIM_OPTIONS.filter(sweepable);
    const flags = sweepables.map((o) => o.flag);
    const near = closest(name, [...flags, ...sweepables.map((o) => o.key)]);
    const meant = near === undefined ? "" : ` (did you mean ${SIM_OPTIONS.find((o) => o.key === near || o.flag === near)!.flag}?)`;
    // A few names, the closest to the whole name or its start: the whole list grows with every
    // model's options, and an error is one short line.
    const typed = name.slice(0, 40).toLowerCase();
    const some = flags
      .map((flag) => ({ flag, d: Math.min(editDistance(typed, flag), editDistance(typed, flag.slice(0, typed.length))) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, SUGGESTED)
      .map((o) => o.flag)
      .join(", ");
    throw new UsageError(`${at}: unknown option ${quote(name, 40)}${meant}; a grid varies one of the options of collapse sim --help, such as ${some}`);
  }
  if (spec.type === "numberList") {
    throw new UsageError(`${at}: ${spec.flag} takes a list, which a grid cannot vary; run one sweep per list`);
  }
  if (spec.key === "theory") {
    throw new UsageError(`${at}: --theory adds a column and changes no number; pass --theory for every point instead`);
  }
  return spec;
}

/** How many option names an unknown grid option's message suggests. */
const SUGGESTED = 5;

function sweepable(spec: OptionSpec): boolean {
  return spec.type !== "numberList" && spec.key !== "theory";
}

/** Splits on commas that are not inside parentheses. */
export function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "," && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.map((s) => s.trim());
}

/** One item of a value list: a single raw value, or the values of a range. */
function expandItem(spec: OptionSpec, item: unknown, at: string): unknown[] {
  const numeric = spec.type === "int" || spec.type === "number";
  if (!numeric || typeof item !== "string" || !item.includes(":")) return [item];
  const parts = item.split(":");
  try {
    if (parts[0]!.trim() === "log") {
      if (parts.length !== 4) throw new BadRange("write log:start:stop:count, e.g. log:10:10000:4");
      const values = logRange(parts[1]!, parts[2]!, parts[3]!);
      // Whole-number options take the nearest whole numbers of a log range.
      return spec.type === "int" ? values.map((v) => Math.round(v)) : values;
    }
    if (parts.length !== 3) throw new BadRange("write start:stop:step, e.g. 10:100:10, or log:start:stop:count");
    return linearRange(parts[0]!, parts[1]!, parts[2]!);
  } catch (e) {
    if (e instanceof BadRange) throw new UsageError(`${at}: range ${quote(item, 60)}: ${e.message}`);
    throw e;
  }
}

/** Checks and converts an axis's raw items (strings from a flag, JSON values from a file). */
function buildAxis(spec: OptionSpec, items: readonly unknown[], origin: Origin & { kind: "grid" }): GridAxis {
  const at = where(spec, origin);
  if (items.length === 0) throw new UsageError(`${at}: no values; give at least one, e.g. --grid ${spec.flag}=VALUE`);
  const values: Scalar[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item === "") throw new UsageError(`${at}: empty value in the list; remove the extra comma`);
    for (const raw of expandItem(spec, item, at)) {
      const value = coerceOption(spec, { value: raw, origin }) as Scalar;
      if (typeof value === "string" && /[\r\n]/.test(value)) throw new UsageError(`${at}: values cannot contain line breaks`);
      const key = JSON.stringify(value);
      if (seen.has(key)) {
        const how = raw !== item ? ` (from range ${quote(String(item), 60)})` : "";
        throw new UsageError(
          `${at}: value ${excerpt(String(key), 60)} appears twice${how}; list each value once${how ? ", or use fewer values in the range" : ""}`,
        );
      }
      seen.add(key);
      values.push(value);
      if (values.length > MAX_AXIS_VALUES) throw new UsageError(`${at}: more than ${MAX_AXIS_VALUES} values; use fewer`);
    }
  }
  return { spec, values, origin };
}

/** Parses one `--grid NAME=VALUES` flag. */
export function parseGridFlag(text: string): GridAxis {
  const eq = text.indexOf("=");
  if (eq <= 0) {
    throw new UsageError(`--grid ${quote(text)}: expected NAME=VALUES, e.g. --grid sample-size=10,100,1000`);
  }
  const origin = { kind: "grid" } as const;
  const spec = gridOption(text.slice(0, eq).trim(), origin);
  return buildAxis(spec, splitTopLevel(text.slice(eq + 1)), origin);
}

/**
 * Parses the "grid" object of a config file: {"sampleSize": [10, 100], "regime": "replace,mix"}.
 * A value is a JSON array (of values or range strings) or a string in the --grid syntax.
 */
export function parseGridConfig(grid: unknown, file: string): GridAxis[] {
  if (grid === null || typeof grid !== "object" || Array.isArray(grid)) {
    throw new UsageError(`${file}: "grid" must be an object of option: values, e.g. {"sampleSize": [10, 100]}`);
  }
  const origin = { kind: "grid", file } as const;
  const axes: GridAxis[] = [];
  for (const [name, value] of Object.entries(grid)) {
    const spec = gridOption(name, origin);
    const items = Array.isArray(value) ? value : typeof value === "string" ? splitTopLevel(value) : [value];
    axes.push(buildAxis(spec, items, origin));
  }
  return checkDistinct(axes);
}

function checkDistinct(axes: GridAxis[]): GridAxis[] {
  const seen = new Set<string>();
  for (const axis of axes) {
    if (seen.has(axis.spec.key)) throw new UsageError(`${where(axis.spec, axis.origin)} is given twice; merge the values into one --grid`);
    seen.add(axis.spec.key);
  }
  return axes;
}

/**
 * The grid of a sweep: the config file's axes in their order, each replaced in place by a --grid
 * flag for the same option (flags override the config file), then the flags' new axes in order.
 */
export function combineAxes(fromConfig: readonly GridAxis[], fromFlags: readonly GridAxis[]): GridAxis[] {
  checkDistinct([...fromFlags]);
  const axes = fromConfig.map((a) => fromFlags.find((f) => f.spec.key === a.spec.key) ?? a);
  for (const f of fromFlags) if (!fromConfig.some((a) => a.spec.key === f.spec.key)) axes.push(f);
  return axes;
}
