/**
 * Tabular seed files — CSV, TSV, plain text, JSON and NDJSON — read into one shape: named columns
 * of raw cells, each cell knowing where it came from (file:line:column) for error messages.
 */
import { extname } from "node:path";
import { InputError } from "../errors.js";
import { jsonErrorOffset, jsonErrorWhere } from "./json-error.js";
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

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** True when a cell reads as a number, finite or not (NaN and Infinity are numbers here, just bad ones). */
export function looksNumeric(s: string): boolean {
  const t = s.trim();
  return NUMBER.test(t) || NON_FINITE.test(t);
}

/** The file format: from the extension, or sniffed from the content for stdin and unknown extensions. */
export function formatOf(input: TextInput): FileFormat {
  const ext = extname(input.name).toLowerCase().slice(1);
  if (ext === "csv" || ext === "tsv" || ext === "json" || ext === "ndjson" || ext === "txt") return ext;
  if (ext === "jsonl") return "ndjson";
  const head = input.text.trimStart();
  if (head.startsWith("[")) return "json";
  if (head.startsWith("{")) return "ndjson";
  const firstLine = head.slice(0, head.indexOf("\n") >>> 0);
  if (firstLine.includes("\t")) return "tsv";
  if (firstLine.includes(",")) return "csv";
  return "txt";
}

export function readTable(input: TextInput): Table {
  const format = formatOf(input);
  if (input.text.trim() === "") throw new InputError(`${input.name} is empty; give a file with at least two values`);
  switch (format) {
    case "json":
      return fromRecords(input, format, parseJson(input), (i) => `${input.name}: element ${i + 1}`);
    case "ndjson":
      return fromNdjson(input);
    default:
      return fromDelimited(input, format);
  }
}

/** Splits one delimited line into fields, honouring RFC 4180 double quotes; returns each field's start column. */
export function splitLine(line: string, delimiter: string): { fields: string[]; starts: number[] } | null {
  const fields: string[] = [];
  const starts: number[] = [];
  let i = 0;
  for (;;) {
    starts.push(i + 1);
    if (line[i] === '"') {
      let value = "";
      i++;
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

function fromDelimited(input: TextInput, format: FileFormat): Table {
  const delimiter = format === "tsv" ? "\t" : format === "csv" ? "," : null;
  const lines = input.text.split("\n");
  let header: string[] | null = null;
  let width = -1;
  let columns: Cell[][] = [];
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.endsWith("\r") ? lines[ln]!.slice(0, -1) : lines[ln]!;
    // Blank lines and # comments are skipped: seed files are often hand-edited notebooks.
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const split = delimiter ? splitLine(line, delimiter) : { fields: [line], starts: [1] };
    if (!split) throw new InputError(`${input.name}:${ln + 1}: unbalanced double quote; close the quoted field`);
    const { fields, starts } = split;
    if (width === -1) {
      width = fields.length;
      columns = fields.map(() => []);
      // A first row with anything that is not a number is a header (.txt files have none).
      if (format !== "txt" && fields.some((f) => !looksNumeric(f))) {
        header = fields.map((f) => f.trim());
        continue;
      }
    }
    if (fields.length !== width) {
      throw new InputError(
        `${input.name}:${ln + 1}: ${fields.length} field(s) where the ${header ? "header has" : "first row has"} ${width}; fix the row`,
      );
    }
    for (let c = 0; c < width; c++) columns[c]!.push({ value: fields[c], where: `${input.name}:${ln + 1}:${starts[c]}` });
  }
  if (width === -1 || columns[0]!.length === 0) {
    throw new InputError(`${input.name} has no data rows${header ? " after its header" : ""}; give at least two values`);
  }
  const names = header ?? columns.map((_, c) => String(c + 1));
  return { name: input.name, format, names, hasHeader: header !== null, columns };
}

function parseJson(input: TextInput): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(input.text);
  } catch (e) {
    throw new InputError(`${jsonErrorWhere(input.name, input.text)}: invalid JSON (${(e as Error).message.split("\n")[0]}); fix the syntax`);
  }
  if (!Array.isArray(doc)) {
    throw new InputError(`${input.name}: expected a JSON array of values (or of objects with named fields), got ${typeof doc === "object" ? "an object" : typeof doc}`);
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
    try {
      records.push(JSON.parse(line));
    } catch (e) {
      const column = Math.max(0, jsonErrorOffset(line)) + 1;
      throw new InputError(`${input.name}:${ln + 1}:${column}: invalid JSON line (${(e as Error).message.split("\n")[0]}); each line must be one JSON value`);
    }
    wheres.push(`${input.name}:${ln + 1}`);
  }
  return fromRecords(input, "ndjson", records, (i) => wheres[i]!);
}

/** Records are all scalars (one column), all arrays (columns by position) or all objects (columns by key). */
function fromRecords(input: TextInput, format: FileFormat, records: unknown[], where: (i: number) => string): Table {
  if (records.length === 0) throw new InputError(`${input.name} holds no values; give at least two`);
  const first = records[0];
  if (first !== null && typeof first === "object" && !Array.isArray(first)) {
    const names = Object.keys(first);
    const columns: Cell[][] = names.map(() => []);
    records.forEach((rec, i) => {
      if (rec === null || typeof rec !== "object" || Array.isArray(rec)) {
        throw new InputError(`${where(i)}: expected an object like the first record, got ${JSON.stringify(rec)}`);
      }
      names.forEach((k, c) => {
        if (!(k in rec)) throw new InputError(`${where(i)}: field "${k}" is missing; every record needs the fields of the first`);
        columns[c]!.push({ value: (rec as Record<string, unknown>)[k], where: where(i) });
      });
    });
    return { name: input.name, format, names, hasHeader: true, columns };
  }
  if (Array.isArray(first)) {
    const width = first.length;
    const columns: Cell[][] = Array.from({ length: width }, () => []);
    records.forEach((rec, i) => {
      if (!Array.isArray(rec) || rec.length !== width) {
        throw new InputError(`${where(i)}: expected an array of ${width} values like the first record`);
      }
      rec.forEach((v, c) => columns[c]!.push({ value: v, where: where(i) }));
    });
    return { name: input.name, format, names: columns.map((_, c) => String(c + 1)), hasHeader: false, columns };
  }
  const column = records.map((v, i) => ({ value: v, where: where(i) }));
  return { name: input.name, format, names: ["1"], hasHeader: false, columns: [column] };
}

/** Index of a column chosen by header name or 1-based index; an InputError lists the choices. */
export function columnIndex(table: Pick<Table, "name" | "names" | "hasHeader">, choice: string): number {
  const byName = table.names.indexOf(choice);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(choice)) {
    const i = Number(choice) - 1;
    if (i >= 0 && i < table.names.length) return i;
  }
  throw new InputError(
    `--column ${choice}: no such column in ${table.name}; it has ${describeColumns(table)}`,
  );
}

export function describeColumns(table: Pick<Table, "names" | "hasHeader">): string {
  return table.hasHeader
    ? `columns ${table.names.map((n) => JSON.stringify(n)).join(", ")} (or 1..${table.names.length})`
    : `${table.names.length} column(s) without a header (use 1..${table.names.length})`;
}

/** A cell as a finite number, or an InputError saying where and why not. */
export function numberOf(cell: Cell, column: string): number {
  const v = cell.value;
  let x: number;
  if (typeof v === "number") x = v;
  else if (typeof v === "string" && NUMBER.test(v.trim())) x = Number(v.trim());
  else if (typeof v === "string" && NON_FINITE.test(v.trim())) {
    throw new InputError(`${cell.where}: ${JSON.stringify(v.trim())} in column ${column} is not a finite number; remove the row or fill in a value`);
  } else {
    const shown = typeof v === "string" ? (v.trim() === "" ? "an empty value" : JSON.stringify(v)) : JSON.stringify(v);
    throw new InputError(`${cell.where}: ${shown} in column ${column} is not a number; fix or remove the row`);
  }
  if (!Number.isFinite(x)) throw new InputError(`${cell.where}: ${String(v)} in column ${column} is out of range; use values within ±1.8e308`);
  return x;
}
