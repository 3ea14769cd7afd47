/**
 * Seed data for generation 0: read from --data, or drawn from the built-in --source with a stream
 * derived from (seed, "source") — so the seed sample is the same for every replicate and every run.
 */
import type { SimConfig } from "../config/config.js";
import { UsageError } from "../errors.js";
import { singleColumn, numericColumns } from "../data/numbers.js";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BUNDLED_CORPUS } from "../config/spec.js";
import { readLabels } from "../data/labels.js";
import { readText, type TextInput } from "../data/read.js";
import { drawNumbers, isNumericSource, parseSource, zipfProbabilities, type SourceSpec } from "../data/source.js";
import { readTable } from "../data/table.js";
import { multinomialCounts } from "../stats/binomial.js";
import type { AnyModel, SeedInput } from "./model.js";
import { deriveSeed, Rng } from "./rng.js";

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
 * The seed for generation 0. `file`, when given, is the --data file already read (collapse check
 * reads it first, to compare its hash with the baseline's before parsing it).
 */
export function loadSeed(model: AnyModel, config: SimConfig, file?: TextInput): SeedResult {
  if (config.data !== null) {
    const read = file ?? readSeedFile(config.data);
    return { ...fromFile(model, config, read), source: null, sha256: read.sha256 };
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
      const columns = spec.kind === "mixture" ? mixtureColumns(spec, config.dims, n, rng) : Array.from({ length: config.dims }, () => drawNumbers(spec, n, rng));
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
 * The corpus bundled with the package (the ngram default), found relative to the package root
 * whatever the working directory; a file at that relative path in the working directory wins.
 */
export function readSeedFile(path: string, fix?: string): TextInput {
  if (path !== BUNDLED_CORPUS || existsSync(path)) return readText(path, fix);
  const bundled = fileURLToPath(new URL(`../../${BUNDLED_CORPUS}`, import.meta.url));
  return { ...readText(bundled, fix), name: BUNDLED_CORPUS };
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

function fromFile(model: AnyModel, config: SimConfig, file: TextInput): { input: SeedInput; notes: string[] } {
  switch (model.input) {
    case "numbers": {
      const table = readTable(file);
      const { values } = singleColumn(table, config.column);
      return { input: { kind: "numbers", values, name: file.name }, notes: [] };
    }
    case "table": {
      const table = readTable(file);
      const { names, columns, skipped } = numericColumns(table, config.column);
      const notes = skipped.length > 0 ? [`${file.name}: ignoring non-numeric column(s) ${skipped.join(", ")}`] : [];
      return { input: { kind: "table", columns, names }, notes };
    }
    case "text":
      return { input: { kind: "text", text: file.text, name: file.name }, notes: [] };
    case "labels": {
      if (config.column !== null) {
        throw new UsageError(`--column does not apply to --model ${model.name}: give one label per line or two columns label,count`);
      }
      const { labels, counts } = readLabels(file);
      return { input: { kind: "labels", labels, counts }, notes: [] };
    }
  }
}
