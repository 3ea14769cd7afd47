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
import { numericColumns } from "../../src/data/numbers.js";
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
});
