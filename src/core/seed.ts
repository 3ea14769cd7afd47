/**
 * Seed data for generation 0: read from --data, or drawn from the built-in --source with a stream
 * derived from (seed, "source") — so the seed sample is the same for every replicate and every run.
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SimConfig } from "../config/config.js";
import { BUNDLED_CORPUS } from "../config/spec.js";
import { type LabelCounts, readLabels, readLabelsStream } from "../data/labels.js";
import { numericColumns, singleColumn } from "../data/numbers.js";
import { type NumericTable, readNumericTable } from "../data/numeric-table.js";
import { inputName, readText, readTextSync, type TextInput } from "../data/read.js";
import { drawNumbers, isNumericSource, parseSource, type SourceSpec, zipfProbabilities } from "../data/source.js";
import { readTable, type Table } from "../data/table.js";
import { UsageError } from "../errors.js";
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

export function loadSeed(model: AnyModel, config: SimConfig): SeedResult {
  if (config.data !== null) {
    const file = readSeedFileSync(model, config.data);
    return { ...fromFile(model, config, file), source: null, sha256: file.sha256 };
  }
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
      if (!isNumericSource(spec)) throw new UsageError(`--source ${config.source}: --model ${model.name} needs a numeric source such as normal(0,1)`);
      const columns =
        spec.kind === "mixture" ? mixtureColumns(spec, config.dims, n, rng) : Array.from({ length: config.dims }, () => drawNumbers(spec, n, rng));
      return { kind: "table", columns, names: columns.map((_, i) => `x${i + 1}`) };
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

/** The labels c1…cK of zipf(s,K), built once per K: the fresh regime draws the source every generation. */
let zipfLabelCache: string[] = [];
function zipfLabels(k: number): string[] {
  if (zipfLabelCache.length !== k) zipfLabelCache = Array.from({ length: k }, (_, i) => `c${i + 1}`);
  return zipfLabelCache;
}

/**
 * Where to read a --data path, and the name messages give it: the corpus bundled with the package
 * (the ngram default) is found relative to the package root whatever the working directory; a
 * file at that relative path in the working directory wins.
 */
function seedFile(path: string): { path: string; name: string } {
  if (path !== BUNDLED_CORPUS || existsSync(path)) return { path, name: inputName(path) };
  return { path: fileURLToPath(new URL(`../../${BUNDLED_CORPUS}`, import.meta.url)), name: BUNDLED_CORPUS };
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

/**
 * Seed data for generation 0, reading --data asynchronously: numeric tables as a stream into typed
 * arrays, and this thread free to answer a signal while a pipe or FIFO is slow. The CLI uses this;
 * loadSeed is the synchronous equivalent for worker threads re-reading a regular file.
 */
export async function loadSeedAsync(model: AnyModel, config: SimConfig): Promise<SeedResult> {
  if (config.data === null) return loadSeed(model, config);
  const { path, name } = seedFile(config.data);
  const named = <T extends { name: string }>(x: T): T => ({ ...x, name });
  if (model.input === "labels" && config.column !== null) throw columnWithLabels(model);
  const file: SeedFile =
    model.input === "numbers" || model.input === "table"
      ? await readNumericTable(path).then((table) => ({ kind: "numeric" as const, table: named(table), sha256: table.sha256! }))
      : model.input === "labels"
        ? await readLabelsStream(path).then((counts) => ({ kind: "labels" as const, counts, sha256: counts.sha256 }))
        : await readText(path).then((input) => ({ kind: "text" as const, input: named(input), sha256: input.sha256 }));
  return { ...fromFile(model, config, file), source: null, sha256: file.sha256 };
}

function columnWithLabels(model: AnyModel): UsageError {
  return new UsageError(`--column does not apply to --model ${model.name}: give one label per line or two columns label,count`);
}

/** A seed file as read: numeric tables for the numeric models, the text for the others; the SHA-256 of its bytes. */
type SeedFile = ({ kind: "numeric"; table: NumericTable | Table } | { kind: "labels"; counts: LabelCounts } | { kind: "text"; input: TextInput }) & {
  sha256: string;
};

function readSeedFileSync(model: AnyModel, path: string): SeedFile {
  const file = seedFile(path);
  const input = { ...readTextSync(file.path), name: file.name };
  return model.input === "numbers" || model.input === "table"
    ? { kind: "numeric", table: readTable(input), sha256: input.sha256 }
    : { kind: "text", input, sha256: input.sha256 };
}

function fromFile(model: AnyModel, config: SimConfig, file: SeedFile): { input: SeedInput; notes: string[] } {
  if (file.kind === "numeric") {
    const table = file.table;
    if (model.input === "numbers") {
      const { values } = singleColumn(table, config.column);
      return { input: { kind: "numbers", values, name: table.name }, notes: [] };
    }
    const { names, columns, skipped } = numericColumns(table, config.column);
    const notes = skipped.length > 0 ? [`${table.name}: ignoring non-numeric column(s) ${skipped.join(", ")}`] : [];
    return { input: { kind: "table", columns, names }, notes };
  }
  if (file.kind === "labels") return { input: { kind: "labels", labels: file.counts.labels, counts: file.counts.counts }, notes: [] };
  const input = file.input;
  if (model.input === "text") return { input: { kind: "text", text: input.text, name: input.name }, notes: [] };
  if (config.column !== null) throw columnWithLabels(model);
  const { labels, counts } = readLabels(input);
  return { input: { kind: "labels", labels, counts }, notes: [] };
}
