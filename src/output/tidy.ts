/**
 * Tidy long rows (ARCHITECTURE §5): one row per (point parameters…, generation, metric) with the replicate
 * summary, the theory value and the generation's training mix (real, synthetic, real_share: the same
 * on every row of a generation). CSV and NDJSON are two spellings of these rows.
 */
import { SUMMARY_KEYS, type Summary } from "../core/aggregate.js";
import type { GenerationResult, SimResult } from "../core/result.js";

export type Scalar = string | number | boolean | null;

export interface TidyRow {
  readonly params: Record<string, Scalar>;
  readonly generation: number;
  readonly metric: string;
  readonly values: readonly number[];
  readonly theory: number | null;
  /** The generation's training mix: real rows, synthetic rows, real share (null: a document without it). */
  readonly training: readonly [number, number, number] | null;
}

/** The training mix's columns, after theory. */
export const TRAINING_COLUMNS = ["real", "synthetic", "real_share"] as const;

export const TIDY_COLUMNS = ["generation", "metric", ...SUMMARY_KEYS, "theory", ...TRAINING_COLUMNS] as const;

export function* tidyRows(result: SimResult, params: Record<string, Scalar> = {}): Generator<TidyRow> {
  for (const gen of result.generations) {
    for (const [metric, summary] of Object.entries(gen.metrics)) {
      yield {
        params,
        generation: gen.generation,
        metric,
        values: summaryValues(summary),
        theory: gen.theory?.[metric] ?? null,
        training: gen.training ? [gen.training.real, gen.training.synthetic, gen.training.real_share] : null,
      };
    }
  }
}

/**
 * Rows are joined into one string a batch at a time: 1,024 CSV rows are about 80 kB. Appending each
 * row to one string (`out += row`) kept every row alive as the tree of pieces it was concatenated
 * from until the text was written: 260k rows (`sim -g 20000`) held 240 MB of heap for 19 MB of CSV,
 * and the collector copied that tree at every pass. Joining a batch of rows makes one flat string
 * of them, so their pieces die young.
 */
const ROW_BATCH = 1024;

/** The text of rows after `head`, in pieces of ROW_BATCH rows, each made when asked for (a writer writes it and lets it go). */
export function* rowParts(rows: Iterable<TidyRow>, render: (row: TidyRow) => string, head = ""): Generator<string> {
  yield head;
  let batch: string[] = [];
  for (const row of rows) {
    batch.push(render(row));
    if (batch.length === ROW_BATCH) {
      yield batch.join("");
      batch = [];
    }
  }
  yield batch.join("");
}

/**
 * The text of a result's tidy rows (tidyRows' rows, in its order), after `head`, in pieces of
 * ROW_BATCH rows as rowParts gives them, but written from the result straight away: `rowsOf(gen)`
 * gives the writer of generation `gen`'s row of each metric, which may prepare what the rows of a
 * generation share. A row object and an array of its values per row, then a string per field, were
 * most of `sim -g 100000`'s output time (1.3 million rows; tidyRows 0.2 s, its arrays 0.1 s, and
 * 0.66 s of collecting, of 2 s for a CSV).
 */
function* resultRowParts(result: SimResult, rowsOf: (gen: GenerationResult) => (metric: string) => string, head: string): Generator<string> {
  yield head;
  let batch: string[] = [];
  for (const gen of result.generations) {
    const row = rowsOf(gen);
    for (const metric of Object.keys(gen.metrics)) {
      batch.push(row(metric));
      if (batch.length === ROW_BATCH) {
        yield batch.join("");
        batch = [];
      }
    }
  }
  yield batch.join("");
}

/** A function's results by argument, each made once: a run's metric names are the same every generation. */
function memo(f: (key: string) => string): (key: string) => string {
  const made = new Map<string, string>();
  return (key) => {
    let text = made.get(key);
    if (text === undefined) made.set(key, (text = f(key)));
    return text;
  };
}

/** The CSV of a result's tidy rows, `params` leading each row; each field as csvField writes it (a number as String() does). */
export function csvParts(result: SimResult, params: Record<string, Scalar> = {}, head = ""): Generator<string> {
  let lead = "";
  for (const v of Object.values(params)) lead += `${csvField(v)},`;
  const name = memo(csvField);
  return resultRowParts(
    result,
    (gen) => {
      const start = `${lead}${gen.generation},`;
      const t = gen.training;
      const training = t ? `,${t.real},${t.synthetic},${t.real_share}\n` : ",,,\n";
      return (metric) => {
        const s = gen.metrics[metric]!;
        // TIDY_COLUMNS' order, the summary in SUMMARY_KEYS' (a test reads the text back by its header).
        return `${start}${name(metric)},${s.mean},${s.sd},${s.se},${s.median},${s.p025},${s.p975},${gen.theory?.[metric] ?? ""}${training}`;
      };
    },
    head,
  );
}

/** A number as JSON.stringify writes one: null when it is not finite. */
function jsonNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : "null";
}

/**
 * The NDJSON of a result's tidy rows: ndjsonRow's text for each, written out. A parameter named
 * like a tidy column would hold the row's value at the parameter's place in ndjsonRow's object:
 * with one, each row is ndjsonRow's own.
 */
export function ndjsonParts(result: SimResult, params: Record<string, Scalar> = {}, head = ""): Generator<string> {
  const keys = Object.keys(params);
  if (keys.some((k) => (TIDY_COLUMNS as readonly string[]).includes(k))) return rowParts(tidyRows(result, params), ndjsonRow, head);
  let lead = "{";
  for (const k of keys) lead += `${JSON.stringify(k)}:${JSON.stringify(params[k])},`;
  const name = memo((metric) => JSON.stringify(metric));
  return resultRowParts(
    result,
    (gen) => {
      const start = `${lead}"generation":${gen.generation},"metric":`;
      const t = gen.training;
      const training = t
        ? `,"real":${jsonNumber(t.real)},"synthetic":${jsonNumber(t.synthetic)},"real_share":${jsonNumber(t.real_share)}}\n`
        : `,"real":null,"synthetic":null,"real_share":null}\n`;
      return (metric) => {
        const s = gen.metrics[metric]!;
        const theory = gen.theory?.[metric];
        return `${start}${name(metric)},"mean":${jsonNumber(s.mean)},"sd":${jsonNumber(s.sd)},"se":${jsonNumber(s.se)},"median":${jsonNumber(s.median)},"p025":${jsonNumber(s.p025)},"p975":${jsonNumber(s.p975)},"theory":${theory === undefined || theory === null ? "null" : jsonNumber(theory)}${training}`;
      };
    },
    head,
  );
}

/**
 * A summary's values in SUMMARY_KEYS' order, pushed one by one: an array from `map` has packed
 * elements in one tier of V8 and holey ones in another, and the row writers were recompiled at each change.
 */
function summaryValues(summary: Summary): number[] {
  const values: number[] = [];
  for (const key of SUMMARY_KEYS) values.push(summary[key]);
  return values;
}

/** A CSV field: quoted only when it must be (RFC 4180). */
export function csvField(v: Scalar): string {
  if (v === null) return "";
  // A number's text never holds a quote, comma or line break: most fields need no test.
  if (typeof v === "number") return String(v);
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvHeader(paramNames: readonly string[]): string {
  return [...paramNames, ...TIDY_COLUMNS].map(csvField).join(",") + "\n";
}

export function ndjsonRow(row: TidyRow): string {
  const obj: Record<string, Scalar> = { ...row.params, generation: row.generation, metric: row.metric };
  SUMMARY_KEYS.forEach((k, i) => (obj[k] = row.values[i]!));
  obj.theory = row.theory;
  TRAINING_COLUMNS.forEach((k, i) => (obj[k] = row.training?.[i] ?? null));
  return JSON.stringify(obj) + "\n";
}
