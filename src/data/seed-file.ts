/**
 * Seed data read from a --data file, shaped as the model's input: the data layer's half of
 * loading a seed (the core draws built-in sources itself and reads no files).
 */

import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SimConfig } from "../config/config.js";
import { isBundled } from "../config/spec.js";
import { loadSeed, type SeedResult, seedColumnChoices } from "../core/seed.js";
import type { AnyModel, SeedInput, TextPieces } from "../models/model.js";
import { type LabelCounts, type LabelOptions, readLabels, readLabelsStream } from "./labels.js";
import { numericColumns, singleColumn } from "./numbers.js";
import { type NumericTable, readNumericTable } from "./numeric-table.js";
import { decodeCheckedUtf8, decodePieces, inputName, readUtf8, readUtf8Sync, sha256OfFile } from "./read.js";
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
 * The SHA-256 of the --data file the seed loader will read (sweep and check hash their data before
 * they parse it): the bundled corpus too, from any working directory, which hashing the path as
 * given missed (`collapse sweep --model ngram` failed outside the package).
 */
export function sha256OfSeedFile(path: string, fix?: string): Promise<string> {
  return sha256OfFile(seedFile(path).path, fix);
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
        : await readUtf8(path).then(({ bytes, sha256 }) => ({ kind: "text" as const, input: { name, text: decodePieces(bytes) }, sha256 }));
  return { ...fromFile(model, config, file), source: null, sha256: file.sha256 };
}

/**
 * A text model's seed as read for a session (loadSessionSeed): its bytes, checked to be UTF-8 and
 * not decoded yet. The thread that prepares the run decodes them (decodeSeed), so that a text run
 * on a coordinator thread is never a string on the main thread, nor copied between the two: its
 * bytes move. Read as a string here, sent and left to a garbage collector that an idle main thread
 * never runs, a 10 MB text with a few non-ASCII characters (two bytes a character as a string)
 * held 232 MB at the end of generation 0 instead of 209 MB.
 */
export interface EncodedText {
  readonly kind: "utf8";
  readonly bytes: Uint8Array;
  readonly name: string;
}

/** Seed data as a session receives it: a text model's text may still be bytes (EncodedText). */
export type LoadedSeed = SeedResult | (Omit<SeedResult, "input"> & { readonly input: EncodedText });

/** loadSeedAsync, but a text model's --data stays bytes (EncodedText) until decodeSeed. */
export async function loadSessionSeed(model: AnyModel, config: SimConfig): Promise<LoadedSeed> {
  if (config.data === null || model.input !== "text") return loadSeedAsync(model, config);
  const { path, name } = seedFile(config.data);
  const { bytes, sha256 } = await readUtf8(path);
  return { input: { kind: "utf8", bytes, name }, notes: [], source: null, sha256 };
}

/** The seed with its text decoded, on the thread that needs it (the seed itself if it is not bytes). */
export function decodeSeed(seed: LoadedSeed): SeedResult {
  const input = seed.input;
  if (input.kind !== "utf8") return seed as SeedResult;
  return { ...seed, input: { kind: "text", text: decodePieces(input.bytes), name: input.name } };
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

/**
 * A seed file as read: numeric tables for the numeric models, labels for categorical, the text (in
 * pieces for a text model: read.ts decodePieces) for the others; the SHA-256 of its bytes.
 */
type SeedFile = ({ kind: "numeric"; table: NumericTable | Table } | { kind: "labels"; counts: LabelCounts } | { kind: "text"; input: SeedText }) & {
  sha256: string;
};

/**
 * The synchronous equivalent of loadSeedAsync, for callers that cannot wait (tests, one-off
 * scripts): the whole file is read at once.
 */
export function loadSeedSync(model: AnyModel, config: SimConfig): SeedResult {
  if (config.data === null) return loadSeed(model, config);
  const file = readSeedFileSync(model, config, config.data);
  return { ...fromFile(model, config, file), source: null, sha256: file.sha256 };
}

/** A seed file's text and the name messages give it. */
interface SeedText {
  readonly name: string;
  readonly text: TextPieces;
}

function readSeedFileSync(model: AnyModel, config: SimConfig, path: string): SeedFile {
  const file = seedFile(path);
  const { bytes, sha256 } = readUtf8Sync(file.path);
  if (model.input === "text") return { kind: "text", input: { name: file.name, text: decodePieces(bytes) }, sha256 };
  const input = { name: file.name, text: decodeCheckedUtf8(bytes, file.name) };
  if (model.input === "labels") return { kind: "labels", counts: readLabels(input, labelOptions(config)), sha256 };
  return { kind: "numeric", table: readTable(input), sha256 };
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
  return { input: { kind: "text", text: file.input.text, name: file.input.name }, notes: [] };
}
