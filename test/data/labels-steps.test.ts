/**
 * JSON labels read from their bytes in steps (labelsFromJsonBytes, src/data/labels.ts) against
 * readLabels on the whole text: the same labels and counts, in the same order, or the same error
 * message, for documents made at random — labels with spaces, numbers, empty and non-label
 * elements, objects of counts with bad counts, keys that collide once trimmed and keys written
 * twice — read with pieces and scans of a few bytes so that every path of the stepped parse is
 * taken. And a document that reads cleanly is never given to JSON.parse whole.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { StepSizes } from "../../src/data/json-steps.js";
import { type LabelOptions, labelsFromJsonBytes, readLabels } from "../../src/data/labels.js";

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Every document stepped, in pieces of a few bytes, scanned a few bytes between turns. */
const tiny = (piece: number): Partial<StepSizes> => ({ stepped: 0, piece, scan: 5, turn: async () => {} });

/** The labels and counts, or the error's class and message. */
function outcome(read: () => { labels: string[]; counts: Float64Array }): string {
  try {
    const { labels, counts } = read();
    return JSON.stringify(labels.map((l, i) => [l, counts[i]]));
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

async function outcomeAsync(read: () => Promise<{ labels: string[]; counts: Float64Array }>): Promise<string> {
  try {
    const { labels, counts } = await read();
    return JSON.stringify(labels.map((l, i) => [l, counts[i]]));
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

/** A few labels, so that repeats are common; with spaces around, and some that trim to nothing. */
const label = fc.constantFrom("a", "b", "Lab", " a", "b ", "é ü", "", "  ", "x,y", '"q"', "__proto__", "1", "02");
const element = fc.oneof(
  { weight: 8, arbitrary: label.map((l) => JSON.stringify(l)) },
  { weight: 2, arbitrary: fc.constantFrom("1", "2.5", "-0", "1e3", "0") },
  { weight: 1, arbitrary: fc.constantFrom("null", "true", "[]", '["a"]', "{}", '{"a": 1}') },
);
const count = fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: 50 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("-1", "1.5", '"3"', "null", "[2]", "1e400", "0.0", "2e1") },
);
const space = fc.constantFrom("", " ", "\n", "\n  ", "\t");

const arrayDoc = fc
  .tuple(fc.array(fc.tuple(element, space), { maxLength: 12 }), space)
  .map(([items, end]) => `[${items.map(([e, s]) => `${s}${e}`).join(",")}${end}]`);
const objectDoc = fc
  .tuple(fc.array(fc.tuple(label, count, space), { maxLength: 10 }), space)
  .map(([entries, end]) => `{${entries.map(([k, c, s]) => `${s}${JSON.stringify(k)}:${s}${c}`).join(",")}${end}}`);
const options = fc.record({
  column: fc.constantFrom(null, null, null, "label"),
  countColumn: fc.constantFrom(null, null, null, "2"),
  duplicates: fc.constantFrom("error" as const, "sum" as const),
  // At times a limit of distinct labels the documents may pass.
  maxLabels: fc.constantFrom(undefined, undefined, 2, 4),
});
const name = fc.constantFrom("labels.json", "stdin", "labels.ndjson");

describe("labelsFromJsonBytes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gives readLabels' labels, counts or message for any array or object of labels, in pieces of any size", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(arrayDoc, objectDoc), options, name, fc.integer({ min: 1, max: 40 }), async (text, o: LabelOptions, file, piece) => {
        const whole = outcome(() => readLabels({ name: file, text }, o));
        expect(await outcomeAsync(() => labelsFromJsonBytes(file, utf8(text), o, tiny(piece)))).toBe(whole);
      }),
      { numRuns: 800 },
    );
  });

  it("gives readLabels' message for a document that is not an array or object of labels, or not JSON", async () => {
    const o: LabelOptions = { column: null, countColumn: null, duplicates: "error" };
    const docs = ['"a"', "12", "null", '["a", "b"', '["a" "b"]', '{"a": 1,}', '[["a", "b"], "c"]', '{"a": {"b": 1}}', '["a", "b"] x', "[]", "{}", '["a"]'];
    for (const text of docs) {
      for (const piece of [1, 3, 1000]) {
        const whole = outcome(() => readLabels({ name: "labels.json", text }, o));
        expect(await outcomeAsync(() => labelsFromJsonBytes("labels.json", utf8(text), o, tiny(piece))), `${text} / ${piece}`).toBe(whole);
      }
    }
  });

  it("never gives JSON.parse the whole of a document that reads cleanly", async () => {
    const o: LabelOptions = { column: null, countColumn: null, duplicates: "error" };
    const array = `[${Array.from({ length: 400 }, (_, i) => `"c${i % 37}"`).join(", ")}]`;
    const object = `{${Array.from({ length: 400 }, (_, i) => `"c${i}": ${i % 7}`).join(", ")}}`;
    for (const text of [array, object]) {
      const parse = vi.spyOn(JSON, "parse");
      const read = outcome(() => readLabels({ name: "labels.json", text }, o));
      const longest = () => Math.max(...parse.mock.calls.map(([s]) => String(s).length));
      expect(longest()).toBeGreaterThanOrEqual(text.length); // readLabels parses it whole
      parse.mockClear();
      expect(await outcomeAsync(() => labelsFromJsonBytes("labels.json", utf8(text), o, tiny(64)))).toBe(read);
      expect(longest(), text.slice(0, 20)).toBeLessThan(200);
      parse.mockRestore();
    }
  });
});
