/**
 * Tidy rows as text (src/output/tidy.ts): rowParts joins rows in batches, which must give the same
 * text as appending them one by one whatever the number of rows against the batch size; csvParts
 * writes a result's tidy rows as CSV without row objects, which must read back, field by field under
 * its header, as the rows tidyRows makes; and csvField's shortcut for numbers must quote exactly
 * what the general rule quotes.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import type { SimResult } from "../../src/core/result.js";
import { csvField, csvHeader, csvParts, ndjsonParts, ndjsonRow, rowParts, type Scalar, TIDY_COLUMNS, type TidyRow, tidyRows } from "../../src/output/tidy.js";
import { flags } from "../helpers.js";
import { simulate } from "../run.js";

function rowsOf(count: number): TidyRow[] {
  const rows: TidyRow[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      params: { tag: i % 3 === 0 ? 'a,"b"' : "c" },
      generation: i,
      metric: `m${i % 7}`,
      values: [i / 3, -i, 0, 1e-300, i * 1e21, 0.5],
      theory: i % 2 ? null : i,
      training: i % 5 ? [i, 1, 0.25] : null,
    });
  }
  return rows;
}

/** rowParts' pieces joined. */
function renderRows(rows: Iterable<TidyRow>, render: (row: TidyRow) => string, head = ""): string {
  return [...rowParts(rows, render, head)].join("");
}

/** The text the rows make when appended one at a time: what rowParts' pieces must join to. */
function appended(rows: readonly TidyRow[], render: (row: TidyRow) => string, head = ""): string {
  let out = head;
  for (const row of rows) out += render(row);
  return out;
}

describe("rowParts", () => {
  // 1,024 rows are one batch: below, at, just past, and several batches with a remainder.
  it.each([0, 1, 1023, 1024, 1025, 2048, 3001])("%i rows: the same text as appending them one by one", (count) => {
    const rows = rowsOf(count);
    const tagged = (row: TidyRow) => `${row.params.tag}:${row.generation}\n`;
    expect(renderRows(rows, tagged, "head\n")).toBe(appended(rows, tagged, "head\n"));
    expect(renderRows(rows, ndjsonRow)).toBe(appended(rows, ndjsonRow));
  });

  it("reads the rows once, in order, from any iterable (tidyRows is a generator)", () => {
    const result = simulate(resolveSimConfig(flags({ generations: 150, replicates: 3 }))).result;
    const rows = [...tidyRows(result)];
    expect(rows.length).toBeGreaterThan(1024);
    expect(renderRows(tidyRows(result), ndjsonRow)).toBe(appended(rows, ndjsonRow));
  });
});

/** RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes; no line breaks here). */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (line[i] === '"') {
      for (i++; ; i++) {
        if (line[i] === '"' && line[i + 1] === '"') field += line[i++];
        else if (line[i] === '"') break;
        else field += line[i];
      }
      i++;
    } else for (; i < line.length && line[i] !== ","; i++) field += line[i];
    out.push(field);
    if (i >= line.length) return out;
    i++;
  }
}

/** A CSV field as the row's value: empty is null, a number's text is read back exactly (String() round-trips), a boolean's is its name. */
function cell(field: string, like: Scalar): Scalar {
  if (field === "") return null;
  if (typeof like === "boolean") return field === "true";
  return typeof like === "number" ? Number(field) : field;
}

/** A summary of six numbers, in SUMMARY_KEYS' order. */
function summary(...[mean, sd, se, median, p025, p975]: number[]) {
  return { mean: mean!, sd: sd!, se: se!, median: median!, p025: p025!, p975: p975! };
}

/**
 * Numbers no run is likely to give (not finite, −0, exponents, the extremes) under names that need
 * quoting, without theory or a training mix in one generation and with them in the next.
 */
const ODD = {
  generations: [
    { generation: 0, metrics: { 'say "hi"': summary(Number.NaN, Infinity, -Infinity, -0, 1e21, 5e-324), "a,b": summary(0, 0, 0, 0, 0, 0) } },
    {
      generation: 1,
      metrics: { 'say "hi"': summary(Number.MAX_VALUE, -1.5, 1 / 3, 2, 3, 4), "a,b": summary(1, 2, 3, 4, 5, 6) },
      theory: { 'say "hi"': Number.NaN, "a,b": 0.25 },
      training: { real: 10, synthetic: Number.NaN, real_share: 1 / 3 },
    },
  ],
} as unknown as SimResult;

describe("csvParts and ndjsonParts", () => {
  const params = { tag: 'a,"b"', size: 250, on: true, none: null, ünï: "\u2028" };
  // With theory (replace) and with a training mix that moves (mix); the Gaussian has both.
  const results = [
    simulate(resolveSimConfig(flags({ generations: 200, replicates: 4 }))).result,
    simulate(resolveSimConfig(flags({ regime: "mix", realFraction: "0.2..0.8", generations: 90, replicates: 5 }))).result,
    simulate(resolveSimConfig(flags({ model: "categorical", generations: 3, replicates: 3 }))).result,
    ODD,
  ];

  it.each(results.map((r, i) => [i, r] as const))("result %i: reads back, under its header, as tidyRows' rows in their order", (_, result) => {
    const text = [...csvParts(result, params, csvHeader(Object.keys(params)))].join("");
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    const header = fields(lines.shift()!);
    expect(header).toEqual([...Object.keys(params), ...TIDY_COLUMNS]);
    const rows = [...tidyRows(result, params)];
    expect(lines).toHaveLength(rows.length);
    rows.forEach((row, i) => {
      const got = fields(lines[i]!);
      const want: Scalar[] = [...Object.values(row.params), row.generation, row.metric, ...row.values, row.theory, ...(row.training ?? [null, null, null])];
      expect(got).toHaveLength(header.length);
      // String(−0) is "0": read back, it is 0.
      expect(got.map((f, k) => cell(f, want[k]!))).toEqual(want.map((v) => (v === 0 ? 0 : v)));
    });
  });

  it.each(results.map((r, i) => [i, r] as const))("result %i: NDJSON as ndjsonRow writes each tidy row", (_, result) => {
    for (const p of [{}, params]) expect([...ndjsonParts(result, p, "head\n")].join("")).toBe(renderRows(tidyRows(result, p), ndjsonRow, "head\n"));
  });

  it("NDJSON with a parameter named like a column: the row's value at the parameter's place, as ndjsonRow has it", () => {
    const clash = { mean: "grid", real: 3, tag: "x" };
    const text = [...ndjsonParts(results[0]!, clash)].join("");
    expect(text).toBe(renderRows(tidyRows(results[0]!, clash), ndjsonRow));
    expect(Object.keys(JSON.parse(text.slice(0, text.indexOf("\n"))))[0]).toBe("mean");
  });

  it("comes in pieces of 1,024 rows after the head, as rowParts batches them", () => {
    const result = results[0]!;
    const pieces = [...csvParts(result, {}, "head\n")];
    expect(pieces[0]).toBe("head\n");
    const rows = [...tidyRows(result)].length;
    expect(rows).toBeGreaterThan(2 * 1024);
    const counts = pieces.slice(1).map((p) => p.split("\n").length - 1);
    expect(counts.slice(0, -1).every((c) => c === 1024)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(rows);
  });
});

describe("csvField", () => {
  it("writes a number as String() does, and quotes a string only when it holds a quote, comma or line break", () => {
    for (const v of [0, -0, 1.5, -2e-308, 1e21, Number.MAX_VALUE, Number.NaN, Infinity, -Infinity]) expect(csvField(v)).toBe(String(v));
    expect(csvField(null)).toBe("");
    expect(csvField(true)).toBe("true");
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("a\rb")).toBe('"a\rb"');
  });
});
