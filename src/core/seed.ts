/**
 * Seed data for generation 0 drawn from the built-in --source with a stream derived from
 * (seed, "source"), so the seed sample is the same for every replicate and every run. (Seed data
 * from --data is read by src/data/seed-file.ts and arrives as the same SeedResult.)
 */

import type { SimConfig } from "../config/config.js";
import {
  drawNumbers,
  drawTable,
  formatSource,
  isNumericSource,
  isTableSource,
  parseSource,
  type SourceSpec,
  tableSourceNames,
  zipfProbabilities,
} from "../data/source.js";
import { UsageError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import type { AnyModel, SeedInput } from "../models/model.js";
import { multinomialCounts } from "../stats/binomial.js";
import { deriveSeed, Rng } from "../stats/rng.js";

export interface SeedResult {
  readonly input: SeedInput;
  /** The parsed generative source, when there is one (the fresh regime draws new real data from it). */
  readonly source: SourceSpec | null;
  /** Things the user should know (ignored columns…), for stderr. */
  readonly notes: string[];
  /** The SHA-256 of the --data file's bytes (recorded as config.dataSha256); null for a --source. */
  readonly sha256?: string | null;
}

/**
 * A seed whose input a worker is not sent, the model having sent its seed data as `seed` shaped it
 * (Model.shareSeed): what prepare still reads of it.
 */
export type SeedShell = Omit<SeedResult, "input"> & { readonly input: null };

/**
 * The seed drawn from the built-in source (--source, or the model's default). A --data file is the
 * data layer's to read (src/data/seed-file.ts): the core reads no files.
 */
export function loadSeed(model: AnyModel, config: SimConfig): SeedResult {
  if (config.data !== null) throw new Error(`the seed data of ${config.data} must be read by the data layer and passed in`);
  const text = config.source ?? model.defaultSource;
  if (text === null) throw new UsageError(`--model ${model.name} needs seed data: give --data FILE`);
  const spec = parseSource(text);
  const rng = new Rng(deriveSeed(config.seed, "source"));
  return { input: fromSource(model, config, spec, config.seedSize ?? 100, rng), source: spec, notes: [], sha256: null };
}

/** n draws of a source shaped as the model's input (also used by the fresh regime). */
export function fromSource(model: AnyModel, config: SimConfig, spec: SourceSpec, n: number, rng: Rng): SeedInput {
  switch (model.input) {
    case "numbers":
      if (!isNumericSource(spec)) throw new UsageError(`--source ${config.source}: --model ${model.name} needs a numeric source such as normal(0,1)`);
      return { kind: "numbers", values: drawNumbers(spec, n, rng), name: `--source ${config.source ?? model.defaultSource}` };
    case "table": {
      if (isTableSource(spec)) return { kind: "table", ...seedColumnsLast(model, config, spec, tableSourceNames(spec), drawTable(spec, n, rng)) };
      if (!isNumericSource(spec)) throw new UsageError(`--source ${config.source}: --model ${model.name} needs a numeric source such as normal(0,1)`);
      const columns =
        spec.kind === "mixture" ? mixtureColumns(spec, config.dims, n, rng) : Array.from({ length: config.dims }, () => drawNumbers(spec, n, rng));
      const names = columns.map((_, i) => `x${i + 1}`);
      return { kind: "table", ...seedColumnsLast(model, config, spec, names, columns) };
    }
    case "labels": {
      if (spec.kind !== "zipf") throw new UsageError(`--source ${config.source}: --model ${model.name} needs a category source such as zipf(1.1,1000)`);
      // n draws from zipf(s,K) as counts over the K labels c1…cK (all K kept, drawn or not,
      // so every draw of the source — the fresh regime's too — has the same categories).
      const counts = multinomialCounts(rng, n, zipfProbabilities(spec.s, spec.k), new Float64Array(spec.k));
      return { kind: "labels", labels: zipfLabels(spec.k), counts };
    }
    default:
      throw new UsageError(`--model ${model.name} cannot read --source; give --data FILE`);
  }
}

/**
 * A column named by one of the model's seed-column options (linreg's --target): its value, and how
 * messages name the choice ("--target", or "the default --target" when the value is the default).
 */
export interface SeedColumnChoice {
  readonly value: string;
  readonly label: string;
}

/** The columns the model's seed-column options name (OptionSpec.seedColumn), in declaration order. */
export function seedColumnChoices(model: AnyModel, config: SimConfig): SeedColumnChoice[] {
  const values = config as unknown as Record<string, unknown>;
  return model.options.flatMap((o) => {
    const value = values[o.key];
    if (!o.seedColumn || typeof value !== "string") return [];
    const implicit = value === (model.defaults?.[o.key] ?? o.default);
    return [{ value, label: `${implicit ? "the default " : ""}--${o.flag}` }];
  });
}

/**
 * A drawn table with the columns named by the model's seed-column options moved last, in their
 * order (the contract of OptionSpec.seedColumn, as the data layer keeps it for --data). A column
 * is named as in a file: by name, or by 1-based index.
 */
function seedColumnsLast(
  model: AnyModel,
  config: SimConfig,
  spec: SourceSpec,
  names: string[],
  columns: Float64Array[],
): { names: string[]; columns: Float64Array[] } {
  const chosen: number[] = [];
  for (const { label, value } of seedColumnChoices(model, config)) {
    let i = names.indexOf(value);
    if (i < 0 && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= names.length) i = Number(value) - 1;
    if (i < 0) {
      throw new UsageError(
        `${label} ${excerpt(value, 60)}: --source ${formatSource(spec)} draws no such column (it draws ${excerpt(names.join(", "), 60)}); name one of these, or use a source that draws ${quote(value, 60)}`,
      );
    }
    chosen.push(i);
  }
  if (chosen.length === 0) return { names, columns };
  const order = [...names.keys()].filter((i) => !chosen.includes(i)).concat(chosen);
  return { names: order.map((i) => names[i]!), columns: order.map((i) => columns[i]!) };
}

/** The labels c1…cK of zipf(s,K), built once per K: the fresh regime draws the source every generation. */
let zipfLabelCache: string[] = [];
function zipfLabels(k: number): string[] {
  if (zipfLabelCache.length !== k) zipfLabelCache = Array.from({ length: k }, (_, i) => `c${i + 1}`);
  return zipfLabelCache;
}

/**
 * d columns of a mixture source in which each row draws ONE component and all its d coordinates
 * from that component: mixture(0.5*normal(-2,1),0.5*normal(2,1)) in 2-D has two clusters, at
 * (−2,−2) and (2,2), not the four that independent columns would give. Other sources give
 * independent columns.
 */
function mixtureColumns(spec: Extract<SourceSpec, { kind: "mixture" }>, d: number, n: number, rng: Rng): Float64Array[] {
  const columns = Array.from({ length: d }, () => new Float64Array(n));
  const total = spec.weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    let u = rng.random() * total;
    let j = 0;
    while (j < spec.parts.length - 1 && (u -= spec.weights[j]!) >= 0) j++;
    const row = drawNumbers(spec.parts[j]!, d, rng);
    for (let c = 0; c < d; c++) columns[c]![i] = row[c]!;
  }
  return columns;
}
