/**
 * Tidy long rows (ARCHITECTURE §5): one row per (point parameters…, generation, metric) with the replicate
 * summary, the theory value and the generation's training mix (real, synthetic, real_share: the same
 * on every row of a generation). CSV and NDJSON are two spellings of these rows.
 */
import { SUMMARY_KEYS, type Summary } from "../core/aggregate.js";
import type { SimResult } from "../core/result.js";

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

/** Rows joined into one string at a time (renderRows): 1,024 CSV rows are about 80 kB. */
const ROW_BATCH = 1024;

/**
 * The text of many rows, after `head`. Appending each row to one string (`out += row`) kept every
 * row alive as the tree of pieces it was concatenated from until the text was written: 260k rows
 * (`sim -g 20000`) held 240 MB of heap for 19 MB of CSV, and the collector copied that tree at
 * every pass. Joining a batch of rows makes one flat string of them, so their pieces die young.
 */
export function renderRows(rows: Iterable<TidyRow>, render: (row: TidyRow) => string, head = ""): string {
  return [...rowParts(rows, render, head)].join("");
}

/** renderRows' text in pieces of ROW_BATCH rows, each made when asked for (a writer writes it and lets it go). */
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
 * The CSV text of a result's tidy rows (tidyRows' rows, in its order), after `head`, in pieces of
 * ROW_BATCH rows as rowParts gives them, but written from the result straight away: a row object
 * and an array of its values per row, then a string per field, were most of `sim -g 100000`'s
 * 2 s of output (1.3 million rows; tidyRows 0.2 s, its arrays 0.1 s, and 0.66 s of collecting).
 * Every number is written as String() writes it (csvField), and `params` lead each row.
 */
export function* csvParts(result: SimResult, params: Record<string, Scalar> = {}, head = ""): Generator<string> {
  yield head;
  let lead = "";
  for (const v of Object.values(params)) lead += `${csvField(v)},`;
  // A run's metric names are the same every generation: each quoted (or not) once.
  const names = new Map<string, string>();
  let batch: string[] = [];
  for (const gen of result.generations) {
    const start = `${lead}${gen.generation},`;
    const training = gen.training ? `,${gen.training.real},${gen.training.synthetic},${gen.training.real_share}\n` : ",,,\n";
    for (const metric of Object.keys(gen.metrics)) {
      const s = gen.metrics[metric]!;
      let name = names.get(metric);
      if (name === undefined) names.set(metric, (name = csvField(metric)));
      // TIDY_COLUMNS' order: the summary in SUMMARY_KEYS' (a test reads the text back by its header).
      batch.push(`${start}${name},${s.mean},${s.sd},${s.se},${s.median},${s.p025},${s.p975},${gen.theory?.[metric] ?? ""}${training}`);
      if (batch.length === ROW_BATCH) {
        yield batch.join("");
        batch = [];
      }
    }
  }
  yield batch.join("");
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
