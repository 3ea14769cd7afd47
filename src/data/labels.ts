/**
 * Category data for the categorical model, read into labels (in first-appearance order) and their
 * counts. Accepted shapes:
 *
 * - one label per line (.txt, or a one-column .csv/.tsv or stdin): every non-blank line is one
 *   observation, so a repeated label is counted again; no header unless --column names it;
 * - a table (.csv, .tsv, or stdin sniffed as one): the label column is --column (by header name or
 *   1-based index), and the counts are --count-column, or the second column of a two-column
 *   `label,count` table when neither option is given; without a count column each row is one
 *   observation. See LabelOptions for when the first row is a header;
 * - JSON: an array of labels (strings or numbers), or an object {"label": count, …}.
 *
 * Counts are occurrences: whole numbers ≥ 0 (a zero-count category is a possible but unseen
 * outcome). A label listed twice in a count table or a JSON object is rejected (InputError naming
 * both places) unless `duplicates` is "sum": by default summing would silently hide a copy-paste
 * error. Labels are trimmed; an empty label is an error. Errors say where: file:line for line
 * formats, file:line:column for JSON.
 */

import { setImmediate as nextTurn } from "node:timers/promises";
import { InputError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import { parseJsonWithPositions } from "./json.js";
import { parseJsonDocument, STEPPED_BYTES, type StepSizes } from "./json-steps.js";
import { NUMBER_LITERAL } from "./number-literal.js";
import { decodeCheckedUtf8, inputName, type NamedText as TextInput } from "./read.js";
import { columnIndex, delimiterOf, extensionFormat, sniffFormat, splitLine } from "./table.js";
import { streamText } from "./text-stream.js";

export interface LabelCounts {
  /** Category names, first appearance first. */
  readonly labels: string[];
  /** counts[i] = occurrences of labels[i]. */
  readonly counts: Float64Array;
}

/**
 * How a label table is read: the categorical model's --column, --count-column and --duplicates.
 *
 * The first row of a line format is a header when (1) --column or --count-column is a name (not
 * a whole number), which must then be one of the first row's fields; or else (2) the table has a
 * count column (chosen by number, or the second of two columns) and the first row's count is not
 * a number. Otherwise every row is data: a one-label-per-line file never loses its first line.
 */
export interface LabelOptions {
  /** The label column, by header name or 1-based index; null: the only column, or the first of label,count. */
  readonly column: string | null;
  /** The count column, by header name or 1-based index; null: none, or the second of label,count (without --column). */
  readonly countColumn: string | null;
  /** What a label listed twice with counts means: an error (the default), or the sum of its counts. */
  readonly duplicates: "error" | "sum";
  /** The most distinct labels: MAX_DISTINCT_LABELS unless set (tests lower it). */
  readonly maxLabels?: number;
}

export const DEFAULT_LABEL_OPTIONS: LabelOptions = { column: null, countColumn: null, duplicates: "error" };

/** Reads category data from a file or stdin; every error names file:line and how to fix it. */
export function readLabels(input: TextInput, options: LabelOptions = DEFAULT_LABEL_OPTIONS): LabelCounts {
  if (input.text.trim() === "") throw new InputError(`${input.name} is empty; give one label per line, label,count rows or a JSON array`);
  const told = extensionFormat(input.name);
  const format = told ?? sniffFormat(input.text);
  switch (format) {
    case "json":
      return fromJson(input, options);
    case "ndjson":
      // Sniffed text starting with "{" is one JSON object of counts; a .ndjson file is refused.
      if (told === null) return fromJson(input, options);
      throw new InputError(`${input.name}: NDJSON is not read as labels; give one label per line (.txt), label,count rows (.csv) or JSON`);
    default:
      return fromLines(input, delimiterOf(format), options);
  }
}

/**
 * Where a label or count sits, for messages: "file:line", or a function that works out
 * "file:line:column" only when a message needs it (JSON positions cost a scan).
 */
type Where = string | (() => string);
const whereOf = (where: Where): string => (typeof where === "string" ? where : where());

/**
 * The most distinct labels a file may hold: the most entries a JavaScript Map holds (V8: 2²⁴).
 * A file of 17 million distinct labels stopped after 26 s and 3.6 GB with "cannot read": it now
 * stops at the label past the limit, saying so.
 */
export const MAX_DISTINCT_LABELS = 2 ** 24;

function tooManyLabels(where: string, limit: number): InputError {
  return new InputError(
    `${where}: more than ${limit} distinct labels, the most a file may hold; merge rare labels into one (e.g. "other"), or give the counts of fewer categories`,
  );
}

/**
 * Accumulates counts by label, in first-appearance order; where each label was first listed, for
 * duplicate errors: a line number of the file (no string a row: a file of 5 million distinct
 * labels kept 5 million "file:line" strings), or a Where.
 */
class Tally {
  /**
   * `name`: the file's, for a place given as a line number; `entries`: what the source calls the
   * places a label is listed (rows of a table, entries of a JSON object); `limit`: the most
   * distinct labels (MAX_DISTINCT_LABELS; tests lower it).
   */
  constructor(
    private readonly name: string,
    private readonly entries: "rows" | "entries" = "rows",
    private readonly limit = MAX_DISTINCT_LABELS,
  ) {}

  readonly labels: string[] = [];
  readonly counts: number[] = [];
  private readonly index = new Map<string, number>();
  private readonly firstWhere: (Where | number)[] = [];

  /** `duplicates`: "sum" adds a repeated label's count; "error" refuses it, naming both places. */
  add(label: string, count: number, where: Where | number, duplicates: "sum" | "error"): void {
    const i = this.index.get(label);
    if (i === undefined) {
      if (this.labels.length === this.limit) throw tooManyLabels(this.whereOf(where), this.limit);
      this.index.set(label, this.labels.length);
      this.labels.push(label);
      this.counts.push(count);
      this.firstWhere.push(where);
    } else if (duplicates === "sum") {
      this.counts[i]! += count;
    } else {
      throw new InputError(
        `${this.whereOf(where)}: label ${quote(label, 60)} already appeared at ${this.whereOf(this.firstWhere[i]!)}; pass --duplicates sum to add their counts, or merge the two ${this.entries} or rename one`,
      );
    }
  }

  /** Whether `label` is new and no more labels may be added: add would refuse it. */
  full(label: string): boolean {
    return this.labels.length === this.limit && !this.index.has(label);
  }

  private whereOf(where: Where | number): string {
    return typeof where === "number" ? `${this.name}:${where}` : whereOf(where);
  }

  done(): LabelCounts {
    const name = this.name;
    if (this.labels.length === 0) throw new InputError(`${name} holds no labels; give at least two categories`);
    const positive = this.counts.filter((c) => c > 0).length;
    if (positive < 2) {
      throw new InputError(`${name}: ${positive} category with a positive count; the categorical model needs at least two`);
    }
    return { labels: this.labels, counts: Float64Array.from(this.counts) };
  }
}

/** A count cell as a whole number ≥ 0, or an InputError saying where (and in which column) and why not. */
function parseCount(raw: unknown, at: Where, column = ""): number {
  const where = () => whereOf(at);
  let x: number;
  if (typeof raw === "number") x = raw;
  else if (typeof raw === "string" && NUMBER_LITERAL.test(raw.trim())) x = Number(raw.trim());
  else {
    const shown = typeof raw === "string" && raw.trim() === "" ? `an empty count${column}` : `count ${quote(raw)}${column}`;
    throw new InputError(`${where()}: ${shown} is not a number; counts are whole numbers of occurrences (0, 1, 2, …)`);
  }
  const shown = excerpt(typeof raw === "string" ? raw.trim() : String(raw)) + column;
  if (!Number.isFinite(x)) throw new InputError(`${where()}: count ${shown} is out of range; counts are whole numbers below 2^53`);
  if (x < 0) throw new InputError(`${where()}: count ${shown} is negative; counts are occurrences (0 or more)`);
  if (!Number.isInteger(x)) throw new InputError(`${where()}: count ${shown} is not a whole number; counts are occurrences, not frequencies`);
  if (!Number.isSafeInteger(x)) throw new InputError(`${where()}: count ${shown} is too large; counts must be below 2^53`);
  return x;
}

function fromLines(input: TextInput, delimiter: string | null, options: LabelOptions): LabelCounts {
  const lines = new LabelLines(input.name, delimiter, options);
  const text = input.text;
  let ln = 0;
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    lines.line(text.slice(start, nl), ++ln);
    start = nl + 1;
  }
  if (start < text.length) lines.line(text.slice(start), ++ln);
  return lines.finish();
}

/** Where the labels and counts of a line format are, decided by its first row (see LabelOptions). */
interface Layout {
  readonly width: number;
  readonly header: boolean;
  readonly label: number;
  /** The count column, or −1: each row is one observation. */
  readonly count: number;
  /** " in column …" for count messages when --count-column chose it, else "". */
  readonly countName: string;
}

/** A choice that can only be a header name: anything but a whole number. */
const isName = (choice: string | null): choice is string => choice !== null && !/^\d+$/.test(choice);

function layoutOf(name: string, first: string[], where: string, options: LabelOptions): Layout {
  const { column, countColumn } = options;
  const width = first.length;
  const cells = first.map((f) => f.trim());
  const headed = { name, names: cells, hasHeader: true };
  const plain = { name, names: cells.map((_, c) => String(c + 1)), hasHeader: false };
  let header = isName(column) || isName(countColumn);
  let count = -1;
  if (countColumn !== null) count = columnIndex(header ? headed : plain, countColumn, "--count-column");
  else if (column === null && width === 2) count = 1;
  // A count that is not a number makes the first row a header (`breed,count`).
  if (!header && count >= 0 && !NUMBER_LITERAL.test(cells[count]!)) header = true;
  const table = header ? headed : plain;
  let label: number;
  if (column !== null) label = columnIndex(table, column);
  else if (width === 1) label = 0;
  else if (width === 2 && count >= 0) label = 1 - count;
  else {
    const fields = cells
      .slice(0, 6)
      .map((c) => quote(c, 24))
      .join(", ");
    throw new InputError(
      `${where}: ${width} columns (${fields}${width > 6 ? ", …" : ""}); choose the label column with --column and any count column with --count-column`,
    );
  }
  if (label === count) {
    const counts = `--count-column ${excerpt(countColumn!, 60)}`;
    throw new InputError(
      column !== null
        ? `--column ${excerpt(column, 60)} and ${counts} both choose column ${count + 1} of ${name}; choose two different columns`
        : `${counts}: column ${count + 1} is the only column of ${name}, which leaves none for the labels; give a label column too`,
    );
  }
  const countName = countColumn === null ? "" : ` in column ${header ? quote(cells[count]!, 60) : count + 1}`;
  return { width, header, label, count, countName };
}

/**
 * Label lines parsed one at a time, so that a stream never holds its whole text: one label per
 * line (no delimiter), or rows of a delimited table.
 */
class LabelLines {
  private readonly tally: Tally;
  private layout: Layout | null = null;

  constructor(
    private readonly name: string,
    private readonly delimiter: string | null,
    private readonly options: LabelOptions,
  ) {
    this.tally = new Tally(name, "rows", options.maxLabels);
  }

  line(raw: string, ln: number): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    // The place is made into text only for a message (a string a row cost a large file time and memory).
    const where = (): string => `${this.name}:${ln}`;
    const fields = this.delimiter === null ? [line] : (splitLine(line, this.delimiter)?.fields ?? null);
    if (!fields) throw new InputError(`${where()}: unbalanced double quote; close the quoted field`);
    if (this.layout === null) {
      this.layout = layoutOf(this.name, fields, where(), this.options);
      if (this.layout.header) return;
    }
    const { width, header, label: l, count: c, countName } = this.layout;
    if (fields.length !== width) {
      const hint = this.delimiter === "," && fields.length > width ? ' (put a label holding a comma in double quotes: "a, b")' : "";
      throw new InputError(`${where()}: ${fields.length} field(s) where the ${header ? "header has" : "first row has"} ${width}; fix the row${hint}`);
    }
    const label = fields[l]!.trim();
    if (label === "") throw new InputError(`${where()}: empty label; name the category or remove the row`);
    if (c < 0) this.tally.add(label, 1, ln, "sum");
    else this.tally.add(label, parseCount(fields[c], where, countName), ln, this.options.duplicates);
  }

  finish(): LabelCounts {
    if (this.tally.labels.length === 0) throw new InputError(`${this.name} has no data rows after its header; give at least two categories`);
    return this.tally.done();
  }
}

/**
 * Reads category data from `path` (or stdin for "-") as a stream: line formats are counted as
 * they arrive (memory grows with the distinct labels, not the rows); JSON is read whole, and a
 * large document parsed and tallied in steps (labelsFromJsonBytes).
 */
export async function readLabelsStream(path: string, options: LabelOptions = DEFAULT_LABEL_OPTIONS): Promise<LabelCounts & { sha256: string }> {
  let lines: LabelLines | null = null;
  const read = await streamText(path, (format) => {
    lines = new LabelLines(inputName(path), delimiterOf(format), options);
    return (line, ln) => lines!.line(line, ln);
  });
  if (read.blank) throw new InputError(`${read.name} is empty; give one label per line, label,count rows or a JSON array`);
  if (read.wholeBytes !== null) return { ...(await labelsFromJsonBytes(read.name, read.wholeBytes, options)), sha256: read.sha256 };
  return { ...(lines as LabelLines | null)!.finish(), sha256: read.sha256 };
}

/** Labels of a counts object tallied between two turns of the event loop (a few ms of Map look-ups). */
const LABELS_PER_TURN = 1 << 16;

/**
 * readLabels of a JSON document held as its bytes (UTF-8, already checked), with the same labels,
 * counts and errors, but without holding the thread: a document from STEPPED_BYTES on is parsed in
 * pieces (json-steps.ts), an array's labels tallied piece by piece as they are parsed (no array
 * of them all is made) and an object's LABELS_PER_TURN at a time, with turns of the event loop
 * between. Its messages need positions (file:line:column) that only a scan of the whole text
 * gives, so whatever would be an error — a bad label or count, a label listed twice, a document
 * that is neither an array nor an object, a flag JSON has no use for — and an object with a key
 * written twice (its earlier values, which JSON.parse drops, count too) send the document to
 * readLabels, whole: a document that reads cleanly never goes there.
 */
export async function labelsFromJsonBytes(name: string, bytes: Uint8Array, options: LabelOptions, steps: Partial<StepSizes> = {}): Promise<LabelCounts> {
  const whole = () => readLabels({ name, text: decodeCheckedUtf8(bytes, name) }, options);
  if (bytes.length < (steps.stepped ?? STEPPED_BYTES) || extensionFormat(name) === "ndjson" || options.column !== null || options.countColumn !== null) {
    return whole();
  }
  const tally = new Tally(name, "entries", options.maxLabels);
  // An array's labels, as they are parsed; a bad one ends the tally (readLabels then says where).
  let bad = false;
  const take = (elements: unknown[]) => {
    for (let i = 0; i < elements.length && !bad; i++) {
      const label = jsonLabel(elements[i]);
      if (!label || tally.full(label)) bad = true;
      else tally.add(label, 1, name, "sum");
    }
  };
  const { value: doc, members } = await parseJsonDocument(bytes, { name }, steps, take);
  if (members === null || bad) return whole();
  const turn = steps.turn ?? (() => nextTurn());
  try {
    if (Array.isArray(doc)) return tally.done();
    const record = doc as Record<string, unknown>;
    const keys = Object.keys(record);
    if (members !== keys.length) return whole();
    for (let i = 0; i < keys.length; i++) {
      if (i > 0 && i % LABELS_PER_TURN === 0) await turn();
      const label = keys[i]!.trim();
      if (label === "") return whole();
      tally.add(label, parseCount(record[keys[i]!], name), name, options.duplicates);
    }
    return tally.done();
  } catch (e) {
    // The same error, with its place.
    if (e instanceof InputError) return whole();
    throw e;
  }
}

/** An element of a JSON array of labels as its label (trimmed, maybe empty): a string or a finite number; null for anything else. */
function jsonLabel(v: unknown): string | null {
  return typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) ? String(v).trim() : null;
}

function fromJson(input: TextInput, options: LabelOptions): LabelCounts {
  for (const [flag, choice] of [
    ["--column", options.column],
    ["--count-column", options.countColumn],
  ] as const) {
    if (choice !== null) {
      throw new InputError(
        `${flag} ${excerpt(choice, 60)}: ${input.name} is JSON (an array of labels or an object of counts), which has no columns; remove ${flag}, or give a CSV or TSV table`,
      );
    }
  }
  const json = parseJsonWithPositions(input.text, { name: input.name });
  const doc = json.value;
  const tally = new Tally(input.name, "entries", options.maxLabels);
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => {
      const where = () => `${json.memberWhere(i)}: element ${i + 1}`;
      const label = jsonLabel(v);
      if (label === null) {
        throw new InputError(`${where()}: ${quote(v)} is not a label; a JSON array holds labels (strings), e.g. ["a", "b", "a"]`);
      }
      if (label === "") throw new InputError(`${where()}: empty label; name the category or remove it`);
      tally.add(label, 1, where, "sum");
    });
    return tally.done();
  }
  if (doc !== null && typeof doc === "object") {
    // JSON.parse keeps the last of repeated keys; the document's own keys show the repeats, and an
    // earlier repeat's value is read from its own text. Labels come in the object's own order.
    const keys = json.keys();
    const entries = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const at = entries.get(key);
      if (at) at.push(i);
      // Keys as written, before trimming: past the Map's limit it would fail itself.
      else if (entries.size === MAX_DISTINCT_LABELS) throw tooManyLabels(json.keyWhere(i), MAX_DISTINCT_LABELS);
      else entries.set(key, [i]);
    });
    const record = doc as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const at = entries.get(key)!;
      at.forEach((i, k) => {
        const where = () => json.keyWhere(i);
        const label = key.trim();
        if (label === "") throw new InputError(`${where()}: empty label; name the category or remove it`);
        const value = k === at.length - 1 ? record[key] : json.entryValue(i);
        tally.add(
          label,
          parseCount(value, () => `${json.memberWhere(i)}: ${quote(key, 60)}`),
          where,
          options.duplicates,
        );
      });
    }
    return tally.done();
  }
  throw new InputError(`${json.where()}: expected a JSON array of labels or an object {"label": count}, got ${quote(doc)}`);
}
