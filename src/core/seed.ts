/**
 * Seed data for generation 0: read from --data, or drawn from the built-in --source with a stream
 * derived from (seed, "source") — so the seed sample is the same for every replicate and every run.
 */
import type { SimConfig } from "../config/config.js";
import { UsageError } from "../errors.js";
import { singleColumn, numericColumns } from "../data/numbers.js";
import { readText } from "../data/read.js";
import { drawNumbers, isNumericSource, parseSource, type SourceSpec } from "../data/source.js";
import { readTable } from "../data/table.js";
import type { AnyModel, SeedInput } from "./model.js";
import { deriveSeed, Rng } from "./rng.js";

export interface SeedResult {
  readonly input: SeedInput;
  /** The parsed generative source, when there is one (the fresh regime draws new real data from it). */
  readonly source: SourceSpec | null;
  /** Things the user should know (ignored columns…), for stderr. */
  readonly notes: string[];
}

export function loadSeed(model: AnyModel, config: SimConfig): SeedResult {
  if (config.data !== null) return { ...fromFile(model, config, config.data), source: null };
  const text = config.source ?? model.defaultSource;
  if (text === null) throw new UsageError(`--model ${model.name} needs seed data: give --data FILE`);
  const spec = parseSource(text);
  const rng = new Rng(deriveSeed(config.seed, "source"));
  return { input: fromSource(model, config, spec, config.seedSize ?? 100, rng), source: spec, notes: [] };
}

/** n draws of a source shaped as the model's input (also used by the fresh regime). */
export function fromSource(model: AnyModel, config: SimConfig, spec: SourceSpec, n: number, rng: Rng): SeedInput {
  switch (model.input) {
    case "numbers":
      if (!isNumericSource(spec)) throw new UsageError(`--source ${config.source}: --model ${model.name} needs a numeric source such as normal(0,1)`);
      return { kind: "numbers", values: drawNumbers(spec, n, rng), name: `--source ${config.source ?? model.defaultSource}` };
    case "table": {
      if (!isNumericSource(spec)) throw new UsageError(`--source ${config.source}: --model ${model.name} needs a numeric source such as normal(0,1)`);
      const columns = Array.from({ length: config.dims }, () => drawNumbers(spec, n, rng));
      return { kind: "table", columns, names: columns.map((_, i) => `x${i + 1}`) };
    }
    default:
      throw new UsageError(`--model ${model.name} cannot read --source yet; give --data FILE`);
  }
}

function fromFile(model: AnyModel, config: SimConfig, path: string): { input: SeedInput; notes: string[] } {
  const file = readText(path);
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
    case "labels":
      throw new UsageError(`--model ${model.name} cannot read label files yet`);
  }
}
