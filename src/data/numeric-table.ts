/**
 * Numeric seed tables, read as a stream. CSV, TSV, plain text and NDJSON are parsed line by line as
 * the bytes arrive, straight into growing Float64Arrays: no per-cell object or string is kept, so
 * a column of 10⁷ rows costs its 8 bytes a value (up to twice that while an array grows) instead of
 * the ~250 bytes a cell object with its position string took. A JSON document is kept as its bytes
 * and parsed in steps (src/data/json-steps.ts), its elements then taken as NDJSON's records are.
 * Either way the values and the errors are readTable's (test/property/streams.test.ts).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { InputError } from "../errors.js";
import { parseJson } from "./json.js";
import { parseJsonBytes } from "./json-steps.js";
import { NUMBER_LITERAL } from "./number-literal.js";
import { inputName } from "./read.js";
import { type Cell, delimiterOf, isHeaderRow, jsonRecords, noRecords, numberOf, RecordShape, type Table, tableLine } from "./table.js";
import { type LineFormat, streamRecords } from "./text-stream.js";

export interface NumericColumn {
  /** One value per data row; NaN where a cell is not a finite number. */
  readonly values: Float64Array;
  /** The first cell that is not a finite number, or null. Choosing this column reports it. */
  readonly bad: Cell | null;
}

export interface NumericTable {
  readonly name: string;
  /** Header names, or "1", "2", … when the file has none. */
  readonly names: string[];
  readonly hasHeader: boolean;
  readonly columns: NumericColumn[];
  /** SHA-256 of the bytes read, when read from a file or stdin. */
  readonly sha256?: string;
}

/** A cell's number, or NaN when numberOf would refuse it. */
function cellNumber(cell: Cell): number {
  return valueNumber(cell.value);
}

/** A JSON value's or a text field's number, or NaN when numberOf would refuse it. */
function valueNumber(v: unknown): number {
  if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
  if (typeof v !== "string") return NaN;
  return finiteOrNaN(v);
}

/** The text's number when it is written as one and is finite; NaN otherwise. */
function finiteOrNaN(text: string): number {
  const t = text.trim();
  if (!NUMBER_LITERAL.test(t)) return NaN;
  const x = Number(t);
  return Number.isFinite(x) ? x : NaN;
}

/** A table of cells (JSON, NDJSON, or text already in memory) as numeric columns. */
export function numericTableOf(table: Table): NumericTable {
  const columns = table.columns.map((cells) => {
    const values = new Float64Array(cells.length);
    let bad: Cell | null = null;
    for (let i = 0; i < cells.length; i++) {
      const x = cellNumber(cells[i]!);
      values[i] = x;
      if (bad === null && Number.isNaN(x)) bad = cells[i]!;
    }
    return { values, bad };
  });
  return { name: table.name, names: table.names, hasHeader: table.hasHeader, columns };
}

/** The numbers of column `c`; an InputError at the first cell that is not a finite number. */
export function columnValues(table: NumericTable, c: number, label: string): Float64Array {
  const column = table.columns[c]!;
  if (column.bad !== null) numberOf(column.bad, label); // throws, with the cell's position
  return column.values;
}

/** Values appended one at a time into a Float64Array that doubles when full. */
class GrowingColumn {
  private data = new Float64Array(1024);
  length = 0;
  bad: Cell | null = null;

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }

  done(): NumericColumn {
    // An exact copy, so that the spare capacity (up to half the buffer) is freed, and a copy sent
    // to a worker carries only the values.
    const values = this.length === this.data.length ? this.data : this.data.slice(0, this.length);
    this.data = new Float64Array(0);
    return { values, bad: this.bad };
  }
}

/** The line-by-line parser of delimited numeric text, with the rules of readTable's text formats. */
class DelimitedNumbers {
  private header: string[] | null = null;
  private width = -1;
  private columns: GrowingColumn[] = [];

  constructor(
    private readonly name: string,
    private readonly format: LineFormat,
  ) {}

  /** One line, without its "\n"; `ln` is its 1-based number. */
  line(raw: string, ln: number): void {
    const split = tableLine(raw, ln, this.name, delimiterOf(this.format));
    if (split === null) return;
    const { fields, starts } = split;
    if (this.width === -1) {
      this.width = fields.length;
      this.columns = fields.map(() => new GrowingColumn());
      if (isHeaderRow(fields, this.format)) {
        this.header = fields.map((f) => f.trim());
        return;
      }
    }
    if (fields.length !== this.width) {
      throw new InputError(
        `${this.name}:${ln}: ${fields.length} field(s) where the ${this.header ? "header has" : "first row has"} ${this.width}; fix the row`,
      );
    }
    for (let c = 0; c < this.width; c++) {
      const x = finiteOrNaN(fields[c]!);
      const column = this.columns[c]!;
      if (Number.isNaN(x) && column.bad === null) column.bad = { value: fields[c], where: `${this.name}:${ln}:${starts[c]}` };
      column.push(x);
    }
  }

  finish(sha256: string): NumericTable {
    if (this.width === -1 || this.columns[0]!.length === 0) {
      throw new InputError(`${this.name} has no data rows${this.header ? " after its header" : ""}; give at least two values`);
    }
    const columns = this.columns.map((c) => c.done());
    const names = this.header ?? columns.map((_, c) => String(c + 1));
    return { name: this.name, names, hasHeader: this.header !== null, columns, sha256 };
  }
}

/**
 * Records — NDJSON lines, or a JSON array's elements — one at a time into numeric columns, with
 * readTable's rules (RecordShape); no cell is kept but each column's first bad one.
 */
class RecordNumbers {
  private shape: RecordShape | null = null;
  private columns: GrowingColumn[] = [];
  /** Where the record being taken is, for a bad value's cell. */
  private where: () => string = () => "";
  private readonly take = (c: number, value: unknown) => {
    const x = valueNumber(value);
    const column = this.columns[c]!;
    if (Number.isNaN(x) && column.bad === null) column.bad = { value, where: this.where() };
    column.push(x);
  };

  constructor(private readonly name: string) {}

  /** The next record; `where` names it in messages ("file:line", "file: element N"). */
  add(record: unknown, where: () => string): void {
    if (this.shape === null) {
      this.shape = new RecordShape(record);
      this.columns = this.shape.names.map(() => new GrowingColumn());
    }
    this.where = where;
    this.shape.each(record, where, this.take);
  }

  finish(sha256: string): NumericTable {
    if (this.shape === null) throw noRecords(this.name);
    const columns = this.columns.map((c) => c.done());
    return { name: this.name, names: this.shape.names, hasHeader: this.shape.hasHeader, columns, sha256 };
  }
}

/** Elements taken between two turns of the event loop (a JSON array of 10⁷ numbers: about 0.5 s in all). */
const ELEMENTS_PER_TURN = 1 << 20;

/**
 * Reads a numeric table from `path` (or stdin for "-") as a stream. Text formats and NDJSON never
 * hold the whole file; a JSON document is held as its bytes and parsed in steps.
 */
export async function readNumericTable(path: string, fix?: string): Promise<NumericTable> {
  const name = inputName(path);
  let parser: DelimitedNumbers | null = null;
  let records: RecordNumbers | null = null;
  let misshapen: InputError | null = null;
  const read = await streamRecords(
    path,
    (format) => {
      if (format === "ndjson") {
        const ndjson = (records = new RecordNumbers(name));
        return (raw, ln) => {
          const line = raw.trim();
          if (line === "") return;
          const column = raw.length - raw.trimStart().length + 1;
          const site = {
            name,
            line: ln,
            column,
            invalid: (where: string, reason: string) => `${where}: invalid JSON line (${reason}); each line must be one JSON value`,
          };
          const record = parseJson(line, site);
          // As readTable: every line is parsed before the records' shapes are checked, so a later
          // line's syntax error is the one reported; the first shape error waits for the end.
          if (misshapen !== null) return;
          try {
            ndjson.add(record, () => `${name}:${ln}`);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            misshapen = e;
          }
        };
      }
      parser = new DelimitedNumbers(name, format);
      return (line, ln) => parser!.line(line, ln);
    },
    fix,
  );
  if (read.blank) throw new InputError(`${read.name} is empty; give a file with at least two values`);
  if (read.wholeBytes !== null) return fromJsonBytes(read.name, read.wholeBytes, read.sha256);
  if (misshapen !== null) throw misshapen;
  if (records !== null) return (records as RecordNumbers).finish(read.sha256);
  return (parser as DelimitedNumbers | null)!.finish(read.sha256);
}

/** A JSON document's numeric table: an array of records (see RecordNumbers), parsed in steps. */
async function fromJsonBytes(name: string, bytes: Uint8Array, sha256: string): Promise<NumericTable> {
  const doc = jsonRecords(name, await parseJsonBytes(bytes, { name }));
  const records = new RecordNumbers(name);
  for (let i = 0; i < doc.length; i++) {
    if (i > 0 && i % ELEMENTS_PER_TURN === 0) await nextTurn();
    records.add(doc[i], () => `${name}: element ${i + 1}`);
  }
  return records.finish(sha256);
}
