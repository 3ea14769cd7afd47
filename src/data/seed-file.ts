/**
 * Seed data read from a --data file, shaped as the model's input: the data layer's half of
 * loading a seed (the core draws built-in sources itself and reads no files).
 */

import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SimConfig } from "../config/config.js";
import { isBundled } from "../config/spec.js";
import { loadSeed, type SeedResult, seedColumnChoices } from "../core/seed.js";
import type { AnyModel, SeedInput } from "../models/model.js";
import { type LabelCounts, type LabelOptions, readLabels, readLabelsStream } from "./labels.js";
import { numericColumns, singleColumn } from "./numbers.js";
import { type NumericTable, readNumericTable } from "./numeric-table.js";
import { inputName, readText, readTextSync, type TextInput } from "./read.js";
import { readTable, type Table } from "./table.js";

/**
 * Where to read a --data path, and the name messages give it: the corpus bundled with the package
 * (the ngram default) is found relative to the package root whatever the working directory; a
 * file at that relative path in the working directory wins.
 */
function seedFile(path: string): { path: string; name: string } {
  if (!isBundled(path) || existsSync(path)) return { path, name: inputName(path) };
  return { path: fileURLToPath(new URL(`../../${path}`, import.meta.url)), name: path };
}

/**
 * The size in bytes of the --data file, before it is read: null without --data, and for standard
 * input, a pipe, a device or a path that cannot be read (the reading says why).
 */
export function seedFileBytes(config: SimConfig): number | null {
  if (config.data === null || config.data === "-") return null;
  try {
    const stat = statSync(seedFile(config.data).path);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

/**
 * Seed data for generation 0, reading --data asynchronously: numeric tables as a stream into typed
 * arrays, and this thread free to answer a signal while a pipe or FIFO is slow. Without --data,
 * the built-in source's draw.
 */
export async function loadSeedAsync(model: AnyModel, config: SimConfig): Promise<SeedResult> {
  if (config.data === null) return loadSeed(model, config);
  const { path, name } = seedFile(config.data);
  const named = <T extends { name: string }>(x: T): T => ({ ...x, name });
  const file: SeedFile =
    model.input === "numbers" || model.input === "table"
      ? await readNumericTable(path).then((table) => ({ kind: "numeric" as const, table: named(table), sha256: table.sha256! }))
      : model.input === "labels"
        ? await readLabelsStream(path, labelOptions(config)).then((counts) => ({ kind: "labels" as const, counts, sha256: counts.sha256 }))
        : await readText(path).then((input) => ({ kind: "text" as const, input: named(input), sha256: input.sha256 }));
  return { ...fromFile(model, config, file), source: null, sha256: file.sha256 };
}

/** How a label file is read: the label column (--column), the count column and repeated labels (categorical's own options). */
function labelOptions(config: SimConfig): LabelOptions {
  return { column: config.column, countColumn: config.countColumn, duplicates: config.duplicates };
}

/**
 * What a seed file's content depends on besides its bytes: two runs with the same key read the
 * same seed (a sweep reads a file once for all the points that share it).
 */
export function seedFileKey(model: AnyModel, config: SimConfig): string {
  // A table model reads --column and, last, the columns its seed-column options name (linreg's --target).
  const read = model.input === "labels" ? labelOptions(config) : { column: config.column, last: seedColumnChoices(model, config).map((c) => c.value) };
  return JSON.stringify([model.input, config.data, read]);
}

/** A seed file as read: numeric tables for the numeric models, the text for the others; the SHA-256 of its bytes. */
type SeedFile = ({ kind: "numeric"; table: NumericTable | Table } | { kind: "labels"; counts: LabelCounts } | { kind: "text"; input: TextInput }) & {
  sha256: string;
};

/**
 * The synchronous equivalent of loadSeedAsync, for callers that cannot wait (tests, one-off
 * scripts): the whole file is read at once.
 */
export function loadSeedSync(model: AnyModel, config: SimConfig): SeedResult {
  if (config.data === null) return loadSeed(model, config);
  const file = readSeedFileSync(model, config.data);
  return { ...fromFile(model, config, file), source: null, sha256: file.sha256 };
}

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
    const { names, columns, skipped } = numericColumns(table, config.column, seedColumnChoices(model, config));
    const notes = skipped.length > 0 ? [`${table.name}: ignoring non-numeric column(s) ${skipped.join(", ")}`] : [];
    return { input: { kind: "table", columns, names }, notes };
  }
  if (file.kind === "labels") return { input: { kind: "labels", labels: file.counts.labels, counts: file.counts.counts }, notes: [] };
  const input = file.input;
  if (model.input === "text") return { input: { kind: "text", text: input.text, name: input.name }, notes: [] };
  const { labels, counts } = readLabels(input, labelOptions(config));
  return { input: { kind: "labels", labels, counts }, notes: [] };
}
