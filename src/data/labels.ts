/**
 * Category data for the categorical model, read into labels (in first-appearance order) and their
 * counts. Accepted shapes:
 *
 * - one label per line (.txt, or a one-column .csv/.tsv): every non-blank line is one observation,
 *   so a repeated label is counted again; no header;
 * - a `label,count` table (.csv, or .tsv with a tab): two columns; the first row is a header when
 *   its count field is not a number (e.g. `breed,count`);
 * - JSON: an array of labels (strings or numbers), or an object {"label": count, …}.
 *
 * Counts are occurrences: whole numbers ≥ 0 (a zero-count category is a possible but unseen
 * outcome). A label listed twice in a count table or a JSON object is rejected (InputError naming
 * both places): summing would silently hide a copy-paste error. Labels are trimmed; an empty label
 * is an error. Errors say where: file:line for line formats, file:line:column for JSON.
 */
import { InputError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import { parseJsonWithPositions } from "./json.js";
import { NUMBER_LITERAL } from "./number-literal.js";
import { inputName, type NamedText as TextInput } from "./read.js";
import { formatOf, splitLine } from "./table.js";
import { streamText } from "./text-stream.js";

export interface LabelCounts {
  /** Category names, first appearance first. */
  readonly labels: string[];
  /** counts[i] = occurrences of labels[i]. */
  readonly counts: Float64Array;
}

/** Reads category data from a file or stdin; every error names file:line and how to fix it. */
export function readLabels(input: TextInput): LabelCounts {
  if (input.text.trim() === "") throw new InputError(`${input.name} is empty; give one label per line, label,count rows or a JSON array`);
  const format = formatOf(input);
  switch (format) {
    case "json":
      return fromJson(input);
    case "ndjson":
      throw new InputError(`${input.name}: NDJSON is not read as labels; give one label per line (.txt), label,count rows (.csv) or JSON`);
    default:
      return fromLines(input, format === "tsv" ? "\t" : format === "csv" ? "," : null);
  }
}

/**
 * Where a label or count sits, for messages: "file:line", or a function that works out
 * "file:line:column" only when a message needs it (JSON positions cost a scan).
 */
type Where = string | (() => string);
const whereOf = (where: Where): string => (typeof where === "string" ? where : where());

/** Accumulates counts by label, in first-appearance order; `where` of each label for duplicate errors. */
class Tally {
  /** `entries`: what the source calls the places a label is listed (rows of a table, entries of a JSON object). */
  constructor(private readonly entries: "rows" | "entries" = "rows") {}

  readonly labels: string[] = [];
  readonly counts: number[] = [];
  private readonly index = new Map<string, number>();
  private readonly firstWhere: Where[] = [];

  add(label: string, count: number, where: Where, duplicates: "sum" | "reject"): void {
    const i = this.index.get(label);
    if (i === undefined) {
      this.index.set(label, this.labels.length);
      this.labels.push(label);
      this.counts.push(count);
      this.firstWhere.push(where);
    } else if (duplicates === "sum") {
      this.counts[i]! += count;
    } else {
      throw new InputError(
        `${whereOf(where)}: label ${quote(label, 60)} already appeared at ${whereOf(this.firstWhere[i]!)}; merge the two ${this.entries} (add their counts) or rename one`,
      );
    }
  }

  done(name: string): LabelCounts {
    if (this.labels.length === 0) throw new InputError(`${name} holds no labels; give at least two categories`);
    const positive = this.counts.filter((c) => c > 0).length;
    if (positive < 2) {
      throw new InputError(`${name}: ${positive} category with a positive count; the categorical model needs at least two`);
    }
    return { labels: this.labels, counts: Float64Array.from(this.counts) };
  }
}

/** A count cell as a whole number ≥ 0, or an InputError saying where and why not. */
function parseCount(raw: unknown, at: Where): number {
  const where = () => whereOf(at);
  let x: number;
  if (typeof raw === "number") x = raw;
  else if (typeof raw === "string" && NUMBER_LITERAL.test(raw.trim())) x = Number(raw.trim());
  else {
    const shown = typeof raw === "string" && raw.trim() === "" ? "an empty count" : `count ${quote(raw)}`;
    throw new InputError(`${where()}: ${shown} is not a number; counts are whole numbers of occurrences (0, 1, 2, …)`);
  }
  const shown = excerpt(typeof raw === "string" ? raw.trim() : String(raw));
  if (!Number.isFinite(x)) throw new InputError(`${where()}: count ${shown} is out of range; counts are whole numbers below 2^53`);
  if (x < 0) throw new InputError(`${where()}: count ${shown} is negative; counts are occurrences (0 or more)`);
  if (!Number.isInteger(x)) throw new InputError(`${where()}: count ${shown} is not a whole number; counts are occurrences, not frequencies`);
  if (!Number.isSafeInteger(x)) throw new InputError(`${where()}: count ${shown} is too large; counts must be below 2^53`);
  return x;
}

function fromLines(input: TextInput, delimiter: string | null): LabelCounts {
  const lines = new LabelLines(input.name, delimiter);
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

/**
 * Label lines parsed one at a time, so that a stream never holds its whole text: one label per
 * line (no delimiter), or label,count rows.
 */
class LabelLines {
  private readonly tally = new Tally();
  private width = -1;

  constructor(
    private readonly name: string,
    private readonly delimiter: string | null,
  ) {}

  line(raw: string, ln: number): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    const where = `${this.name}:${ln}`;
    if (this.delimiter === null) {
      this.tally.add(line.trim(), 1, where, "sum");
      return;
    }
    const fields = splitLine(line, this.delimiter)?.fields ?? null;
    if (!fields) throw new InputError(`${where}: unbalanced double quote; close the quoted field`);
    if (this.width === -1) {
      this.width = fields.length;
      if (this.width > 2) {
        throw new InputError(`${where}: ${this.width} fields; label files have one label per line or two columns label,count — remove the other columns`);
      }
      // The first row of a label,count table is a header when its count is not a number.
      if (this.width === 2 && !NUMBER_LITERAL.test(fields[1]!.trim())) return;
    }
    if (fields.length !== this.width) {
      throw new InputError(`${where}: ${fields.length} field(s) where the first row has ${this.width}; fix the row`);
    }
    const label = fields[0]!.trim();
    if (label === "") throw new InputError(`${where}: empty label; name the category or remove the row`);
    if (this.width === 1) this.tally.add(label, 1, where, "sum");
    else this.tally.add(label, parseCount(fields[1], where), where, "reject");
  }

  finish(): LabelCounts {
    if (this.tally.labels.length === 0) throw new InputError(`${this.name} has no data rows after its header; give at least two categories`);
    return this.tally.done(this.name);
  }
}

/**
 * Reads category data from `path` (or stdin for "-") as a stream: line formats are counted as
 * they arrive (memory grows with the distinct labels, not the rows); JSON is parsed whole.
 */
export async function readLabelsStream(path: string): Promise<LabelCounts & { sha256: string }> {
  let lines: LabelLines | null = null;
  const read = await streamText(path, (format) => {
    lines = new LabelLines(inputName(path), format === "tsv" ? "\t" : format === "csv" ? "," : null);
    return (line, ln) => lines!.line(line, ln);
  });
  if (read.blank) throw new InputError(`${read.name} is empty; give one label per line, label,count rows or a JSON array`);
  if (read.whole !== null) return { ...readLabels({ name: read.name, text: read.whole }), sha256: read.sha256 };
  return { ...(lines as LabelLines | null)!.finish(), sha256: read.sha256 };
}

function fromJson(input: TextInput): LabelCounts {
  const json = parseJsonWithPositions(input.text, { name: input.name });
  const doc = json.value;
  const tally = new Tally("entries");
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => {
      const where = () => `${json.memberWhere(i)}: element ${i + 1}`;
      if (typeof v !== "string" && !(typeof v === "number" && Number.isFinite(v))) {
        throw new InputError(`${where()}: ${quote(v)} is not a label; a JSON array holds labels (strings), e.g. ["a", "b", "a"]`);
      }
      const label = String(v).trim();
      if (label === "") throw new InputError(`${where()}: empty label; name the category or remove it`);
      tally.add(label, 1, where, "sum");
    });
    return tally.done(input.name);
  }
  if (doc !== null && typeof doc === "object") {
    // JSON.parse keeps the last of repeated keys; the document's own keys show the repeats.
    const entryOf = new Map<string, number>();
    json.keys().forEach((key, i) => {
      const first = entryOf.get(key);
      if (first !== undefined) {
        throw new InputError(
          `${json.keyWhere(i)}: label ${quote(key, 60)} already appeared at ${json.keyWhere(first)}; merge the two entries (add their counts) or rename one`,
        );
      }
      entryOf.set(key, i);
    });
    for (const [key, value] of Object.entries(doc)) {
      const i = entryOf.get(key)!;
      const where = () => json.keyWhere(i);
      const label = key.trim();
      if (label === "") throw new InputError(`${where()}: empty label; name the category or remove it`);
      tally.add(
        label,
        parseCount(value, () => `${json.memberWhere(i)}: ${quote(key, 60)}`),
        where,
        "reject",
      );
    }
    return tally.done(input.name);
  }
  throw new InputError(`${json.where()}: expected a JSON array of labels or an object {"label": count}, got ${quote(doc)}`);
}
