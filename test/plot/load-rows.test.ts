/**
 * Tidy rows (CSV, TSV, NDJSON) read for a plot without a cell object per value (fromTidyText in
 * src/plot/load.ts) against the reading it stands in for, readTable's cells gathered by fromRows
 * (loadRowsWhole): the same series, or the same message, for rows made at random — numbers,
 * gaps (empty, null, NaN, inf), words, quoted fields, a grid column or two, CRLF, blank and `#`
 * lines — and broken at random: a field too many or too few, an open quote, a bad number or
 * generation, a line of bad JSON, a missing column, a name given twice.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPlotInput, loadRowsWhole } from "../../src/plot/load.js";

/** The input read, written out with what JSON.stringify loses (NaN), or the error's class and message. */
function outcome(read: () => unknown): string {
  try {
    return JSON.stringify(read(), (_, v) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : v));
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

const SUMMARY = ["generation", "metric", "mean", "sd", "se", "median", "p025", "p975", "theory", "real_share"];
const names: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(SUMMARY) },
  { weight: 2, arbitrary: fc.constant<string[]>(["sampleSize", ...SUMMARY]) },
  { weight: 1, arbitrary: fc.constant<string[]>(["regime", "sampleSize", "generation", "metric", "median", "p025", "p975"]) },
  { weight: 1, arbitrary: fc.shuffledSubarray([...SUMMARY, "sampleSize", "mean"], { minLength: 1 }) },
);
const number = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noDefaultInfinity: true, noNaN: true, min: -1e6, max: 1e6 }).map(String) },
  { weight: 3, arbitrary: fc.nat({ max: 30 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "nan", "NaN", "inf", "-Infinity", "1e400", " 2 ", "x", "1,5", "-1", "2.5") },
);
const word = fc.constantFrom("var_ratio", "w2", "kl", "replace", "mix", "a b", "__proto__", "1", "é");

/** A value for column `name` of a row, as text. */
const cell = (name: string) =>
  name === "metric" || name === "regime" ? word : name === "generation" ? fc.oneof(fc.nat({ max: 5 }).map(String), number) : number;

const rowsOf = (header: string[]) => fc.array(fc.tuple(...(header.map(cell) as [fc.Arbitrary<string>])), { minLength: 1, maxLength: 8 });

/** A CSV (or TSV) field as a writer might quote it. */
const field = (v: string, delimiter: string) => (v.includes(delimiter) || v.includes('"') || /^\s/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const csv = (delimiter: string) =>
  names.chain((header) =>
    fc
      .tuple(rowsOf(header), fc.constantFrom("\n", "\r\n"), fc.array(fc.constantFrom("", "# a comment", "  "), { maxLength: 2 }))
      .map(([rows, eol, extra]) => [header.join(delimiter), ...extra, ...rows.map((r) => r.map((v) => field(v, delimiter)).join(delimiter))].join(eol) + eol),
  );

const ndjson = names.chain((header) =>
  rowsOf(header).map((rows) =>
    rows
      .map((r) =>
        JSON.stringify(
          Object.fromEntries(header.map((n, i) => [n, n === "metric" || n === "regime" || r[i] === "" || Number.isNaN(Number(r[i])) ? r[i] : Number(r[i])])),
        ),
      )
      .join("\n"),
  ),
);

/** The text with one random edit that may break it. */
const broken = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.nat(), fc.constantFrom("", ",", '"', "\n", "x", "{", "}", ":", "\t", "1", "null,"), fc.nat({ max: 3 })).map(([t, at, insert, remove]) => {
    const k = at % (t.length + 1);
    return t.slice(0, k) + insert + t.slice(k + remove);
  });

describe("tidy rows for a plot", () => {
  it.each([
    ["rows.csv", csv(",")],
    ["rows.tsv", csv("\t")],
    ["stdin", csv(",")],
    ["rows.ndjson", ndjson],
  ] as const)("%s: the series or the message of readTable's cells, for rows whole or broken", (name, text) => {
    fc.assert(
      fc.property(fc.oneof(text, broken(text)), (t) => {
        expect(outcome(() => loadPlotInput({ name, text: t }))).toBe(outcome(() => loadRowsWhole({ name, text: t })));
      }),
      { numRuns: 400 },
    );
  });

  it.each(["rows.csv", "rows.ndjson"])("%s: a header and comments but no row is refused as readTable refuses it", (name) => {
    const header = name.endsWith(".csv") ? "generation,metric,median,p025,p975\n# a comment\n" : "# collapse-sweep {}\n\n";
    expect(outcome(() => loadPlotInput({ name, text: header }))).toBe(outcome(() => loadRowsWhole({ name, text: header })));
    expect(outcome(() => loadPlotInput({ name, text: header }))).toMatch(/^InputError: /);
  });
});
