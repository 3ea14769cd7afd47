/**
 * The streaming readers the CLI uses (numeric tables and labels read as the bytes arrive) against
 * the whole-text readers: for arbitrary bytes, a stream gives exactly what decoding the whole file
 * and parsing it gives — the same values, or the same one-line error — and nothing but a
 * CollapseError ever escapes. (Characters and lines split across chunks are covered by
 * test/data/read.test.ts; a mutation of the streamed parser, such as not skipping # comments, is
 * caught here within the fixed seed's runs.)
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readLabels, readLabelsStream } from "../../src/data/labels.js";
import { numericColumns, singleColumn } from "../../src/data/numbers.js";
import { readNumericTable } from "../../src/data/numeric-table.js";
import { decodeUtf8 } from "../../src/data/read.js";
import { readTable } from "../../src/data/table.js";
import { CollapseError } from "../../src/errors.js";
import { tempDir } from "../cli/cli.js";
import { anyBytes, SEED } from "./arbitraries.js";

const dir = tempDir();
const NAMES = ["d.csv", "d.tsv", "d.txt", "d.json", "d.ndjson", "d"];

/** What a reader gives: its value, or its error's message; anything but a CollapseError fails the test. */
async function outcome<T>(f: () => T | Promise<T>, shape: (value: T) => unknown): Promise<unknown> {
  try {
    return { value: shape(await f()) };
  } catch (e) {
    if (!(e instanceof CollapseError)) throw e;
    expect(e.message).not.toMatch(/[\n\r]/);
    return { error: e.message };
  }
}

const columns = (t: Parameters<typeof numericColumns>[0]) => {
  const c = numericColumns(t, null);
  return { names: c.names, columns: c.columns.map((x) => Array.from(x)), skipped: c.skipped };
};

describe("property: streamed readers agree with the whole-text readers", () => {
  it("numeric tables: the same columns or the same error, for arbitrary bytes in every format", async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, fc.constantFrom(...NAMES), async (bytes, name) => {
        const path = join(dir, name);
        writeFileSync(path, bytes);
        const streamed = await outcome(
          async () => numericColumns(await readNumericTable(path), null),
          (c) => ({
            names: c.names,
            columns: c.columns.map((x) => Array.from(x)),
            skipped: c.skipped,
          }),
        );
        const whole = await outcome(
          () => columns(readTable({ name: path, text: decodeUtf8(bytes, path) })),
          (c) => c,
        );
        expect(streamed).toEqual(whole);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("labels: the same labels and counts or the same error, for arbitrary bytes in every format", async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, fc.constantFrom(...NAMES), async (bytes, name) => {
        const path = join(dir, name);
        writeFileSync(path, bytes);
        const shape = (r: { labels: string[]; counts: Float64Array }) => ({ labels: r.labels, counts: Array.from(r.counts) });
        const streamed = await outcome(() => readLabelsStream(path), shape);
        const whole = await outcome(() => readLabels({ name: path, text: decodeUtf8(bytes, path) }), shape);
        expect(streamed).toEqual(whole);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  // Records as people write them — numbers, numbers in strings, nulls, words, nested values, a
  // missing or extra field, blank and CRLF lines, now and then a broken line — so that most files
  // are tables and the rest fail on a rule of fromRecords (which the random bytes above rarely reach).
  const value = fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.constantFrom("1.5", " 2 ", "abc", "", "NaN", "1e400", null, true, [1], { a: 1 }));
  const record = fc.oneof(
    { weight: 3, arbitrary: fc.record({ x: value, y: value }, { requiredKeys: ["x"] }) },
    { weight: 1, arbitrary: fc.tuple(value, value) },
    { weight: 1, arbitrary: value },
  );
  const line = fc.oneof(
    { weight: 8, arbitrary: record.map((r) => JSON.stringify(r)) },
    { weight: 1, arbitrary: fc.constantFrom("", "  ", "{", '{"x": 1,}', "1 2") },
  );
  it("numeric tables of JSON and NDJSON records: the same columns or the same error, element by element", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom("\n", "\r\n"),
        fc.constantFrom("d.ndjson", "d.json", "d"),
        async (lines, eol, name) => {
          const text = name === "d.json" ? `[${lines.filter((l) => l.trim() !== "").join(`,${eol}`)}]` : lines.join(eol);
          const path = join(dir, name);
          writeFileSync(path, text);
          // Each column chosen alone as well: its first bad cell's message names the line or element.
          const each = async (t: Parameters<typeof numericColumns>[0]) => ({
            all: await outcome(
              () => columns(t),
              (c) => c,
            ),
            alone: await Promise.all(
              t.names.map((n) =>
                outcome(
                  () => Array.from(singleColumn(t, n).values),
                  (v) => v,
                ),
              ),
            ),
          });
          const streamed = await outcome(
            async () => each(await readNumericTable(path)),
            (c) => c,
          );
          const whole = await outcome(
            () => each(readTable({ name: path, text })),
            (c) => c,
          );
          expect(streamed).toEqual(whole);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });
});
