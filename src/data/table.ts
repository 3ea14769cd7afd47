/**
 * Tabular seed files — CSV, TSV, plain text, JSON and NDJSON — read into one shape: named columns
 * of raw cells, each cell knowing where it came from (file:line:column) for error messages.
 */
import { extname } from "node:path";
import { InputError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import { parseJson } from "./json.js";
import { NUMBER_LITERAL } from "./number-literal.js";
import type { NamedText as TextInput } from "./read.js";

export type FileFormat = "csv" | "tsv" | "txt" | "json" | "ndjson";

/** A raw value with its position; `value` is a string from text formats, any JSON value otherwise. */
export interface Cell {
  readonly value: unknown;
  /** "file:line:column" or "file: element N" */
  readonly where: string;
}

export interface Table {
  readonly name: string;
  readonly format: FileFormat;
  /** Header names, or "1", "2", … when the file has none. */
  readonly names: string[];
  readonly hasHeader: boolean;
  /** columns[c][row] */
  readonly columns: Cell[][];
}

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** True when a cell reads as a number, finite or not (NaN and Infinity are numbers here, just bad ones). */
export function looksNumeric(s: string): boolean {
  const t = s.trim();
  return NUMBER_LITERAL.test(t) || NON_FINITE.test(t);
}

const EXTENSIONS: Readonly<Record<string, FileFormat>> = { csv: "csv", tsv: "tsv", txt: "txt", json: "json", ndjson: "ndjson", jsonl: "ndjson" };

/** The format a file's extension tells (.csv .tsv .txt .json .ndjson .jsonl), or null: stdin, a FIFO, any other name. */
export function extensionFormat(name: string): FileFormat | null {
  return EXTENSIONS[extname(name).toLowerCase().slice(1)] ?? null;
}

/**
 * The format of text whose name tells nothing (stdin, a FIFO, `data.dat`), from its content:
 * JSON when it starts with "[", NDJSON records when it starts with "{" (the label reader takes
 * that as one JSON object), else delimited text read exactly as a .tsv file (its first line holds
 * a tab) or a .csv file — with the same header detection and quoting — never as .txt.
 */
export function sniffFormat(text: string): FileFormat {
  const head = text.trimStart();
  if (head.startsWith("[")) return "json";
  if (head.startsWith("{")) return "ndjson";
  const firstLine = head.slice(0, head.indexOf("\n") >>> 0);
  return firstLine.includes("\t") ? "tsv" : "csv";
}

/** The file format: from the extension, or sniffed from the content for stdin and other names. */
export function formatOf(input: TextInput): FileFormat {
  return extensionFormat(input.name) ?? sniffFormat(input.text);
}

export function readTable(input: TextInput): Table {
  const format = formatOf(input);
  if (input.text.trim() === "") throw new InputError(`${input.name} is empty; give a file with at least two values`);
  switch (format) {
    case "json":
      return fromRecords(input, format, jsonArray(input), (i) => `${input.name}: element ${i + 1}`);
    case "ndjson":
      return fromNdjson(input);
    default:
      return fromDelimited(input, format);
  }
}

/**
 * Splits one delimited line into fields, honouring RFC 4180 double quotes: a field in quotes may
 * hold the delimiter, and `""` inside it is one quote. Spaces around a quoted field (`a, "b" ,c`)
 * are dropped, as spreadsheets write them; a quote inside an unquoted field is kept as it is.
 * Returns each field's start column, or null when a quoted field is not closed on the line (or
 * text follows its closing quote).
 */
export function splitLine(line: string, delimiter: string): { fields: string[]; starts: number[] } | null {
  const fields: string[] = [];
  const starts: number[] = [];
  let i = 0;
  for (;;) {
    starts.push(i + 1);
    let open = i;
    while (line[open] === " ") open++;
    if (line[open] === '"') {
      let value = "";
      i = open + 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return null;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      while (line[i] === " ") i++;
      if (i < line.length && line[i] !== delimiter) return null;
    } else {
      const d = line.indexOf(delimiter, i);
      fields.push(d === -1 ? line.slice(i) : line.slice(i, d));
      i = d === -1 ? line.length : d;
    }
    if (i >= line.length) return { fields, starts };
    i++; // the delimiter
  }
}

/**
 * The rows of delimited text as readTable reads them: each line that is not blank or a `#`
 * comment, split into fields (a trailing "\r" dropped), with its 1-based line number; an
 * InputError for a quoted field left open. A delimiter of null makes the whole line one field.
 */
export function* delimitedLines(text: string, name: string, delimiter: string | null): Generator<{ fields: string[]; starts: number[]; line: number }> {
  const lines = text.split("\n");
  for (let ln = 0; ln < lines.length; ln++) {
    const split = tableLine(lines[ln]!, ln + 1, name, delimiter);
    if (split !== null) yield { ...split, line: ln + 1 };
  }
}

/**
 * One line of delimited text (without its "\n"; `ln` its 1-based number) as readTable reads it:
 * null for a blank line or a `#` comment, else its fields (a trailing "\r" dropped); an InputError
 * for a quoted field left open.
 */
export function tableLine(raw: string, ln: number, name: string, delimiter: string | null): { fields: string[]; starts: number[] } | null {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  // Blank lines and # comments are skipped: seed files are often hand-edited notebooks.
  const trimmed = line.trimStart();
  if (trimmed === "" || trimmed.startsWith("#")) return null;
  const split = delimiter === null ? { fields: [line], starts: [1] } : splitLine(line, delimiter);
  if (!split) throw new InputError(`${name}:${ln}: unbalanced double quote; close the quoted field`);
  return split;
}

/** A first row with anything that is not a number is a header (.txt files have none). */
export function isHeaderRow(fields: readonly string[], format: FileFormat): boolean {
  return format !== "txt" && fields.some((f) => !looksNumeric(f));
}

/** The delimiter of a delimited format: null for .txt (one value a line). */
export function delimiterOf(format: FileFormat): string | null {
  return format === "tsv" ? "\t" : format === "csv" ? "," : null;
}

function fromDelimited(input: TextInput, format: FileFormat): Table {
  let header: string[] | null = null;
  let width = -1;
  let columns: Cell[][] = [];
  for (const { fields, starts, line } of delimitedLines(input.text, input.name, delimiterOf(format))) {
    if (width === -1) {
      width = fields.length;
      columns = fields.map(() => []);
      if (isHeaderRow(fields, format)) {
        header = fields.map((f) => f.trim());
        continue;
      }
    }
    if (fields.length !== width) {
      throw new InputError(`${input.name}:${line}: ${fields.length} field(s) where the ${header ? "header has" : "first row has"} ${width}; fix the row`);
    }
    for (let c = 0; c < width; c++) columns[c]!.push({ value: fields[c], where: `${input.name}:${line}:${starts[c]}` });
  }
  if (width === -1 || columns[0]!.length === 0) {
    throw new InputError(`${input.name} has no data rows${header ? " after its header" : ""}; give at least two values`);
  }
  const names = header ?? columns.map((_, c) => String(c + 1));
  return { name: input.name, format, names, hasHeader: header !== null, columns };
}

function jsonArray(input: TextInput): unknown[] {
  return jsonRecords(input.name, parseJson(input.text, { name: input.name }));
}

/** A parsed JSON document as a table's records: it must be an array. */
export function jsonRecords(name: string, doc: unknown): unknown[] {
  if (!Array.isArray(doc)) {
    throw new InputError(
      `${name}: expected a JSON array of values (or of objects with named fields), got ${typeof doc === "object" ? "an object" : typeof doc}`,
    );
  }
  return doc;
}

function fromNdjson(input: TextInput): Table {
  const records: unknown[] = [];
  const wheres: string[] = [];
  const lines = input.text.split("\n");
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.trim();
    if (line === "") continue;
    const column = lines[ln]!.length - lines[ln]!.trimStart().length + 1;
    records.push(
      parseJson(line, {
        name: input.name,
        line: ln + 1,
        column,
        invalid: (where, reason) => `${where}: invalid JSON line (${reason}); each line must be one JSON value`,
      }),
    );
    wheres.push(`${input.name}:${ln + 1}`);
  }
  return fromRecords(input, "ndjson", records, (i) => wheres[i]!);
}

/** Records are all scalars (one column), all arrays (columns by position) or all objects (columns by key). */
function fromRecords(input: TextInput, format: FileFormat, records: unknown[], where: (i: number) => string): Table {
  if (records.length === 0) throw noRecords(input.name);
  const shape = new RecordShape(records[0]);
  const columns: Cell[][] = shape.names.map(() => []);
  records.forEach((record, i) =>
    shape.each(
      record,
      () => where(i),
      (c, value) => columns[c]!.push({ value, where: where(i) }),
    ),
  );
  return { name: input.name, format, names: shape.names, hasHeader: shape.hasHeader, columns };
}

/** The error for a JSON or NDJSON table without a record. */
export function noRecords(name: string): InputError {
  return new InputError(`${name} holds no values; give at least two`);
}

/**
 * The columns of a table of records, set by its first: all objects (columns by the first's keys,
 * a header), all arrays (columns by position) or scalars (one column). Records are checked one at
 * a time, so that a reader may take them as they arrive (src/data/numeric-table.ts).
 */
export class RecordShape {
  readonly names: string[];
  readonly hasHeader: boolean;
  private readonly kind: "object" | "array" | "scalar";

  constructor(first: unknown) {
    this.kind = isRecordObject(first) ? "object" : Array.isArray(first) ? "array" : "scalar";
    this.hasHeader = this.kind === "object";
    this.names =
      this.kind === "object"
        ? Object.keys(first as object)
        : Array.from({ length: this.kind === "array" ? (first as unknown[]).length : 1 }, (_, c) => String(c + 1));
  }

  /** Hands each of the record's values to `take`, in column order; an InputError naming `where()` when the record does not fit. */
  each(record: unknown, where: () => string, take: (column: number, value: unknown) => void): void {
    if (this.kind === "object") {
      if (!isRecordObject(record)) throw new InputError(`${where()}: expected an object like the first record, got ${quote(record)}`);
      for (let c = 0; c < this.names.length; c++) {
        const k = this.names[c]!;
        // Own properties only: a record without "constructor" must not read Object.prototype's.
        if (!Object.hasOwn(record, k)) throw new InputError(`${where()}: field ${quote(k)} is missing; every record needs the fields of the first`);
        take(c, (record as Record<string, unknown>)[k]);
      }
    } else if (this.kind === "array") {
      if (!Array.isArray(record) || record.length !== this.names.length) {
        throw new InputError(`${where()}: expected an array of ${this.names.length} values like the first record`);
      }
      for (let c = 0; c < record.length; c++) take(c, record[c]);
    } else take(0, record);
  }
}

function isRecordObject(x: unknown): x is object {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

/**
 * Index of the column named `name`, or −1. Two columns of that name are an InputError naming both:
 * silently taking the first would fit the wrong data. `flag` is how the choice was made, for the message.
 */
export function columnByName(table: Pick<Table, "name" | "names">, name: string, flag: string): number {
  const first = table.names.indexOf(name);
  if (first < 0) return -1;
  const second = table.names.indexOf(name, first + 1);
  if (second >= 0) {
    throw new InputError(
      `${flag}: columns ${first + 1} and ${second + 1} of ${table.name} are both named ${quote(name, 60)}; rename one, or choose by number (${first + 1} or ${second + 1})`,
    );
  }
  return first;
}

/**
 * Index of a column chosen by header name or 1-based index; an InputError lists the choices.
 * `flag` is the option that chose it (--column, or a model's seed-column option such as --target).
 */
export function columnIndex(table: Pick<Table, "name" | "names" | "hasHeader">, choice: string, flag = "--column"): number {
  const byName = columnByName(table, choice, `${flag} ${excerpt(choice, 60)}`);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(choice)) {
    const i = Number(choice) - 1;
    if (i >= 0 && i < table.names.length) return i;
  }
  throw new InputError(`${flag} ${excerpt(choice, 60)}: no such column in ${table.name}; it has ${describeColumns(table)}`);
}

/** How many column names a message lists before "…". */
const LISTED_COLUMNS = 8;

export function describeColumns(table: Pick<Table, "names" | "hasHeader">): string {
  const n = table.names.length;
  if (!table.hasHeader) return `${n} column(s) without a header (use 1..${n})`;
  // Names are input: each is cut short, and a wide table lists its first few.
  const listed = table.names.slice(0, LISTED_COLUMNS).map((name) => quote(name, 24));
  if (n > LISTED_COLUMNS) listed.push("…");
  return `columns ${listed.join(", ")} (or 1..${n})`;
}

/** A cell as a finite number, or an InputError saying where and why not. */
export function numberOf(cell: Cell, column: string): number {
  const v = cell.value;
  let x: number;
  if (typeof v === "number") x = v;
  else if (typeof v === "string" && NUMBER_LITERAL.test(v.trim())) x = Number(v.trim());
  else if (typeof v === "string" && NON_FINITE.test(v.trim())) {
    throw new InputError(`${cell.where}: ${quote(v.trim())} in column ${excerpt(column, 60)} is not a finite number; remove the row or fill in a value`);
  } else {
    const shown = typeof v === "string" && v.trim() === "" ? "an empty value" : quote(v);
    throw new InputError(`${cell.where}: ${shown} in column ${excerpt(column, 60)} is not a number; fix or remove the row`);
  }
  if (!Number.isFinite(x)) {
    throw new InputError(`${cell.where}: ${excerpt(String(v))} in column ${excerpt(column, 60)} is out of range; use values within ±1.8e308`);
  }
  return x;
}
