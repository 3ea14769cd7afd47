/**
 * What `collapse plot` reads, brought to one shape: a list of series (one per run, or per sweep
 * point), each a list of generations with replicate summaries and optional theory.
 *
 * Accepted inputs:
 * - a `collapse sim --format json` document: {tool, config, seed, generations: […]} — one series;
 * - a sweep document: {tool, config, seed, grid: [names…], points: [{params, generations}]} — one
 *   series per point;
 * - tidy rows (CSV or NDJSON, `--format csv|ndjson`): [params…], generation, metric, mean, sd, se,
 *   median, p025, p975, theory (and the training mix: real, synthetic, real_share, not read) — one
 *   series per distinct combination of the parameter columns.
 *
 * Sweeps come whole, merged, or as one shard (`--shard i/n`, sweep/render.ts): a JSON shard is a
 * sweep document with a few more keys, and CSV and NDJSON shards frame their rows with `#` lines,
 * which are skipped (a shard plots the points it holds).
 */
import { extname } from "node:path";
import type { ResolvedConfig } from "../config/config.js";
import type { Summary } from "../core/aggregate.js";
import type { GenerationResult } from "../core/result.js";
import { jsonDepthOffset, parseJson } from "../data/json.js";
import { parseJsonBytes, STEPPED_BYTES, skipBlank } from "../data/json-steps.js";
import { decodeCheckedUtf8, type NamedText as TextInput, withoutBom } from "../data/read.js";
import { columnByName, delimitedLines, delimiterOf, formatOf, looksNumeric, RecordShape, readTable, type Table } from "../data/table.js";
import { InputError } from "../errors.js";
import { excerpt, quote } from "../excerpt.js";
import { type Scalar, TRAINING_COLUMNS } from "../output/tidy.js";

export interface PlotSeries {
  /** Legend label, e.g. "sample-size=10, regime=replace"; "" for a single run. */
  readonly label: string;
  readonly params: Record<string, Scalar>;
  /** Generations in increasing order; summaries may hold NaN where the input had null. */
  readonly generations: GenerationResult[];
}

export interface PlotInput {
  readonly name: string;
  readonly kind: "sim" | "sweep" | "rows";
  /** The run's configuration (a sweep's base configuration); null for tidy rows. */
  readonly config: Partial<ResolvedConfig> | null;
  readonly seed: string | null;
  /** Names of the parameters that vary between series. */
  readonly grid: string[];
  readonly series: PlotSeries[];
}

/**
 * The first line of `collapse sim`'s table (its default format, in a pipe too) or of its Markdown,
 * colour codes aside: read as CSV it fails on its second row, with a message about fields.
 */
const PEOPLE_TABLE = /^(?:\x1b\[[0-9;]*m)*(?:\*\*)?collapse sim(?:\*\*)?(?:\x1b\[[0-9;]*m)* \u00b7/;

const HINT = "give the output of `collapse sim --format json`, `collapse sweep`, or --format csv|ndjson";

/** Parses a results file (JSON document, CSV or NDJSON tidy rows); InputError says where it is wrong. */
export function loadPlotInput(input: TextInput): PlotInput {
  const text = input.text;
  if (text.trim() === "") throw new InputError(`${input.name} is empty; ${HINT}`);
  const ext = extname(input.name).toLowerCase();
  const head = text.trimStart();
  if (PEOPLE_TABLE.test(head)) {
    throw new InputError(
      `${input.name} holds collapse's table for people, which plot does not read; run collapse sim with --format json (or csv, ndjson) and plot that`,
    );
  }
  if (ext === ".json" || (head.startsWith("{") && ext !== ".ndjson" && ext !== ".jsonl" && isOneJsonValue(text))) {
    return fromDocument(input);
  }
  try {
    return fromTidyText({ name: input.name, text: blankCommentLines(text) });
  } catch (e) {
    // Not tidy rows read cleanly: readTable reads them again, and says what is wrong, and where.
    if (!(e instanceof InputError || e instanceof NotTidy)) throw e;
    return loadRowsWhole(input);
  }
}

/**
 * The text with every `#` line blanked: the framing of CSV and NDJSON shards. A CSV reader skips
 * them anyway, but an NDJSON line can never start with `#`, and a shard read from stdin starts with
 * one. Blanked, not removed, so that messages still name the file's own line numbers.
 */
function blankCommentLines(text: string): string {
  return /^[ \t]*#/m.test(text) ? text.replace(/^[ \t]*#[^\n]*/gm, "") : text;
}

function isOneJsonValue(text: string): boolean {
  // Too deep to be tidy rows either: read it as a document, whose reader names the depth limit.
  if (jsonDepthOffset(text) >= 0) return true;
  try {
    JSON.parse(withoutBom(text));
    return true;
  } catch {
    return false;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function fromDocument(input: TextInput): PlotInput {
  return fromParsed({ name: input.name }, parseJson(input.text, { name: input.name }));
}

/**
 * loadPlotInput of a file's bytes (checked UTF-8): a JSON document is parsed from the bytes in
 * steps (src/data/json-steps.ts), so that a large one neither holds the thread in one call nor is
 * held as one string; anything else is decoded and read as loadPlotInput reads it.
 */
export async function loadPlotBytes(name: string, bytes: Uint8Array): Promise<PlotInput> {
  const ext = extname(name).toLowerCase();
  // A document loadPlotInput would read as one (below it gives the message of one that is not).
  if (bytes.length >= STEPPED_BYTES && (ext === ".json" || (bytes[skipBlank(bytes)] === 0x7b && ext !== ".ndjson" && ext !== ".jsonl"))) {
    let doc: unknown;
    try {
      doc = await parseJsonBytes(bytes, { name });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
    }
    if (doc !== undefined) return fromParsed({ name }, doc);
  }
  return loadPlotInput({ name, text: decodeCheckedUtf8(bytes, name, "plot fewer rows (a shorter run, or every tenth generation)") });
}

function fromParsed(input: { readonly name: string }, doc: unknown): PlotInput {
  if (!isObject(doc)) throw new InputError(`${input.name}: expected a JSON object (a result document); ${HINT}`);
  const config = isObject(doc.config) ? (doc.config as Partial<ResolvedConfig>) : null;
  const seed = typeof doc.seed === "string" || typeof doc.seed === "number" ? String(doc.seed) : null;
  if (Array.isArray(doc.points)) {
    const points = doc.points;
    if (points.length === 0) throw new InputError(`${input.name}: "points" is empty; the sweep has nothing to plot`);
    const series = points.map((p, i) => {
      const at = `${input.name}: points[${i}]`;
      if (!isObject(p)) throw new InputError(`${at} is not an object; ${HINT}`);
      const params = isObject(p.params) ? scalars(p.params, `${at}.params`) : {};
      return { label: labelOf(params), params, generations: generationsOf(p.generations, `${at}.generations`) };
    });
    const declared = Array.isArray(doc.grid) ? doc.grid.filter((g): g is string => typeof g === "string") : [];
    const grid = declared.length > 0 ? declared : Object.keys(series[0]!.params);
    return { name: input.name, kind: "sweep", config, seed, grid, series };
  }
  if (!Array.isArray(doc.generations)) {
    throw new InputError(`${input.name}: no "generations" (a run) or "points" (a sweep) array; ${HINT}`);
  }
  const generations = generationsOf(doc.generations, `${input.name}: generations`);
  return { name: input.name, kind: "sim", config, seed, grid: [], series: [{ label: "", params: {}, generations }] };
}

/**
 * obj[key] = value as an own property whatever the key: assigning "__proto__" would replace the
 * object's prototype instead, and a metric or parameter of that name would vanish from the plot.
 */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function scalars(obj: Record<string, Json>, at: string): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === "object")
      throw new InputError(`${at}.${excerpt(k, 60)} is not a single value; parameters must be numbers, strings or booleans`);
    setOwn(out, k, v);
  }
  return out;
}

/** "sample-size=10, regime=replace"; just "10" when one parameter varies (the legend title names it). */
export function labelOf(params: Record<string, Scalar>): string {
  const entries = Object.entries(params);
  if (entries.length === 1) return entries[0]![1] === null ? "–" : String(entries[0]![1]);
  return entries.map(([k, v]) => `${k}=${v === null ? "–" : String(v)}`).join(", ");
}

/** A summary number: JSON writes NaN and ±Infinity as null, which plots as a gap. */
function summaryNumber(v: Json | undefined, at: string): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v !== "number") throw new InputError(`${at} is ${quote(v)}, expected a number; ${HINT}`);
  return v;
}

function generationsOf(value: Json | undefined, at: string): GenerationResult[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError(`${at} is missing or empty; ${HINT}`);
  const out = value.map((g, i) => {
    const here = `${at}[${i}]`;
    if (!isObject(g) || typeof g.generation !== "number" || !isObject(g.metrics)) {
      throw new InputError(`${here} needs a numeric "generation" and a "metrics" object; ${HINT}`);
    }
    const metrics: Record<string, Summary> = {};
    for (const [name, s] of Object.entries(g.metrics)) {
      const m = `${here}.metrics.${excerpt(name, 60)}`;
      if (!isObject(s)) throw new InputError(`${m} is not a summary object; ${HINT}`);
      setOwn(metrics, name, {
        mean: summaryNumber(s.mean, `${m}.mean`),
        sd: summaryNumber(s.sd, `${m}.sd`),
        se: summaryNumber(s.se, `${m}.se`),
        median: summaryNumber(s.median, `${m}.median`),
        p025: summaryNumber(s.p025, `${m}.p025`),
        p975: summaryNumber(s.p975, `${m}.p975`),
      });
    }
    const result: GenerationResult = { generation: g.generation, metrics };
    if (isObject(g.theory)) {
      const theory: Record<string, number> = {};
      for (const [name, t] of Object.entries(g.theory)) if (typeof t === "number") setOwn(theory, name, t);
      result.theory = theory;
    }
    return result;
  });
  return out.sort((a, b) => a.generation - b.generation);
}

// ---------------------------------------------------------------------------------------------
// Tidy rows

const REQUIRED = ["generation", "metric", "median", "p025", "p975"] as const;
// The training mix's columns (real, synthetic, real_share) describe a generation, not a series.
const SUMMARY_COLUMNS = new Set(["generation", "metric", "mean", "sd", "se", "median", "p025", "p975", "theory", ...TRAINING_COLUMNS]);

/** A summary value: empty, null, NaN or ±inf read as NaN (a gap); anything else must be a number. */
function numberIn(v: unknown, where: () => string, column: string): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "" || /^[+-]?(nan|inf|infinity)$/i.test(t)) return NaN;
    if (looksNumeric(t)) return Number(t);
  }
  throw new InputError(`${where()}: ${quote(v)} in column ${column} is not a number; ${HINT}`);
}

/** A parameter's value: a number, a boolean, null, a string, or anything else as its JSON. */
function scalarOf(v: unknown): Scalar {
  if (v === null || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "string") return looksNumeric(v) && v.trim() !== "" ? Number(v.trim()) : v;
  return JSON.stringify(v);
}

/** Tidy rows gathered into series, a row at a time: what every reader of rows makes of them. */
class TidySeries {
  readonly grid: string[];
  /** Each column's index, found when first needed (a name given twice is an error then). */
  private readonly at = new Map<string, number>();
  private readonly bySeries = new Map<string, { params: Record<string, Scalar>; gens: Map<number, GenerationResult> }>();

  /** The columns `names` of rows from `name`; an InputError when a required one is missing. */
  constructor(
    private readonly name: string,
    private readonly names: string[],
  ) {
    for (const column of REQUIRED) {
      if (this.index(column) < 0) {
        const shown = names.slice(0, 12).map((n) => quote(n, 24));
        if (names.length > 12) shown.push("…");
        throw new InputError(`${name}: no "${column}" column (it has ${shown.join(", ")}); ${HINT}`);
      }
    }
    this.grid = names.filter((n) => !SUMMARY_COLUMNS.has(n));
  }

  private index(column: string): number {
    let c = this.at.get(column);
    if (c === undefined) this.at.set(column, (c = columnByName({ name: this.name, names: this.names }, column, `column "${column}"`)));
    return c;
  }

  /** One row: `row[c]` is column c's value and `where(c)` its place, for messages. */
  add(row: ArrayLike<unknown>, where: (c: number) => string): void {
    const params: Record<string, Scalar> = {};
    for (const p of this.grid) setOwn(params, p, scalarOf(row[this.index(p)]));
    const key = JSON.stringify(this.grid.map((p) => params[p]));
    let series = this.bySeries.get(key);
    if (!series) this.bySeries.set(key, (series = { params, gens: new Map() }));
    const g = this.index("generation");
    const generation = numberIn(row[g], () => where(g), "generation");
    if (!Number.isInteger(generation) || generation < 0) {
      throw new InputError(`${where(g)}: generation ${quote(row[g])} is not a whole number ≥ 0; ${HINT}`);
    }
    let gen = series.gens.get(generation);
    if (!gen) series.gens.set(generation, (gen = { generation, metrics: {} }));
    const metric = String(row[this.index("metric")]);
    const num = (column: string) => {
      const c = this.index(column);
      return c < 0 ? NaN : numberIn(row[c], () => where(c), column);
    };
    setOwn(gen.metrics, metric, { mean: num("mean"), sd: num("sd"), se: num("se"), median: num("median"), p025: num("p025"), p975: num("p975") });
    const theory = num("theory");
    if (!Number.isNaN(theory)) setOwn((gen.theory ??= {}), metric, theory);
  }

  result(): PlotInput {
    const series = [...this.bySeries.values()].map(({ params, gens }) => ({
      label: labelOf(params),
      params,
      generations: [...gens.values()].sort((a, b) => a.generation - b.generation),
    }));
    return { name: this.name, kind: "rows", config: null, seed: null, grid: this.grid, series };
  }
}

/** Tidy rows as readTable reads them, a cell object for each value: what fromTidyText stands in for (and its tests compare with). */
export function loadRowsWhole(input: TextInput): PlotInput {
  const rows = { name: input.name, text: blankCommentLines(input.text) };
  return fromRows(rows, readTable(rows));
}

function fromRows(input: TextInput, table: Table): PlotInput {
  const rows = new TidySeries(input.name, table.names);
  const count = table.columns[0]!.length;
  for (let r = 0; r < count; r++) {
    rows.add(
      table.columns.map((column) => column[r]!.value),
      (c) => table.columns[c]![r]!.where,
    );
  }
  return rows.result();
}

/** Text that fromTidyText does not read: readTable reads it (and names what is wrong with it). */
class NotTidy extends Error {}

/**
 * fromRows(readTable(input)) for CSV, TSV or NDJSON rows that read cleanly, without a cell object
 * (and a position string) for every value: an 87 MB CSV of 10⁵ generations made 17 million of
 * them, 4 GB, and spent 18 s of its 34 s collecting them. Anything irregular throws (NotTidy, or
 * an InputError without its place), and the caller reads the text again with readTable.
 */
function fromTidyText(input: TextInput): PlotInput {
  const format = formatOf(input);
  const nowhere = () => "";
  let rows: TidySeries | null = null;
  let added = 0;
  if (format === "csv" || format === "tsv") {
    let width = -1;
    for (const { fields } of delimitedLines(input.text, input.name, delimiterOf(format))) {
      // The first row names the columns (a row of numbers would not name the required ones).
      if (rows === null) {
        width = fields.length;
        rows = new TidySeries(
          input.name,
          fields.map((f) => f.trim()),
        );
        continue;
      }
      if (fields.length !== width) throw new NotTidy();
      rows.add(fields, nowhere);
      added++;
    }
  } else if (format === "ndjson") {
    let shape: RecordShape | null = null;
    const values: unknown[] = [];
    const take = (c: number, value: unknown) => {
      values[c] = value;
    };
    for (const line of input.text.split("\n")) {
      const text = line.trim();
      if (text === "") continue;
      const record = parseJson(text, { name: input.name });
      if (shape === null) {
        shape = new RecordShape(record);
        rows = new TidySeries(input.name, shape.names);
      }
      shape.each(record, nowhere, take);
      rows!.add(values, nowhere);
      added++;
    }
  }
  // No rows (a header alone): readTable says so.
  if (rows === null || added === 0) throw new NotTidy();
  return rows.result();
}
