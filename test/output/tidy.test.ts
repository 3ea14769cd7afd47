/**
 * Tidy rows as text (src/output/tidy.ts): renderRows joins rows in batches, which must give the same
 * text as appending them one by one whatever the number of rows against the batch size, and
 * csvField's shortcut for numbers must quote exactly what the general rule quotes.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { csvField, csvHeader, csvRow, ndjsonRow, renderRows, type TidyRow, tidyRows } from "../../src/output/tidy.js";
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

/** The text the rows make when appended one at a time: what renderRows must equal. */
function appended(rows: readonly TidyRow[], render: (row: TidyRow) => string, head = ""): string {
  let out = head;
  for (const row of rows) out += render(row);
  return out;
}

describe("renderRows", () => {
  // 1,024 rows are one batch: below, at, just past, and several batches with a remainder.
  it.each([0, 1, 1023, 1024, 1025, 2048, 3001])("%i rows: the same text as appending them one by one", (count) => {
    const rows = rowsOf(count);
    expect(renderRows(rows, csvRow, csvHeader(["tag"]))).toBe(appended(rows, csvRow, csvHeader(["tag"])));
    expect(renderRows(rows, ndjsonRow)).toBe(appended(rows, ndjsonRow));
  });

  it("reads the rows once, in order, from any iterable (tidyRows is a generator)", () => {
    const result = simulate(resolveSimConfig(flags({ generations: 150, replicates: 3 }))).result;
    const rows = [...tidyRows(result)];
    expect(rows.length).toBeGreaterThan(1024);
    expect(renderRows(tidyRows(result), csvRow)).toBe(appended(rows, csvRow));
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
