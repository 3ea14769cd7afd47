/**
 * The stepped JSON parser (src/data/json-steps.ts) against the one-call reader it stands in for:
 * the same value (key order, last value of a repeated key, own "__proto__", −0) and the same error
 * message for every document, parsed with pieces so small that every container is put together
 * from pieces; and, at its real sizes, that it takes turns of the event loop and never gives
 * JSON.parse much more than a piece.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseJson } from "../../src/data/json.js";
import { PIECE_BYTES, parseJsonBytes, parseJsonDocument, SCAN_BYTES, STEPPED_BYTES, type StepSizes } from "../../src/data/json-steps.js";

const site = { name: "doc.json" };
const utf8 = (text: string) => new TextEncoder().encode(text);
/** Every document stepped, in pieces of a few bytes, scanned a few bytes between turns. */
const tiny = (piece: number): Partial<StepSizes> => ({ stepped: 0, piece, scan: 7, turn: async () => {} });

/** A value written out with what JSON.stringify loses: key order, −0, own keys only. */
function canonical(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    if (Object.getPrototypeOf(v) !== Object.prototype) return "<not a plain object>";
    return `{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** What parseJson makes of the text: the value, or the error's class and message. */
function oneCall(text: string): string {
  try {
    return canonical(parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, site));
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

async function stepped(text: string, steps: Partial<StepSizes>): Promise<string> {
  try {
    return canonical(await parseJsonBytes(utf8(text), site, steps));
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

describe("parseJsonBytes", () => {
  it("gives parseJson's value for any JSON, in pieces of any size", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.integer({ min: 1, max: 64 }), fc.constantFrom(undefined, 1, 2, "\t"), async (value, piece, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(await stepped(text, tiny(piece))).toBe(oneCall(text));
      }),
      { numRuns: 400 },
    );
  });

  it("keeps a repeated key's first place and last value, an own __proto__, −0 and white space anywhere", async () => {
    const docs = [
      '{"a": 1, "b": [1, 2, 3, 4, 5, 6, 7, 8], "a": [9, 9, 9, 9, 9, 9, 9, 9, 9], "c": 3}',
      '{"__proto__": [1, 2, 3, 4, 5, 6, 7, 8, 9], "x": {"__proto__": {"y": [1, 2, 3, 4, 5]}}}',
      '[-0, [-0.0, -0e5], {"k": -0}]',
      ' \n\t[ 1 ,\r\n [ 2 , 3 ] , { "a" : [ 4 ] } ] \n',
      '{"1": [1, 2, 3, 4, 5, 6], "0": [0, 0, 0, 0, 0], "b": 1, "2": [2, 2, 2, 2, 2, 2]}',
      '["[{\\"", "\\\\", "\\\\\\"]", {"\\"": ["}"]}]',
      "[]",
      "{}",
      '[[], {}, [[]], {"a": {}}]',
      '{"é": ["ü", "−", "\ud83d\ude00", "\\ud83d\\ude00"]}',
    ];
    for (const doc of docs) for (const piece of [1, 2, 5, 16, 1000]) expect(await stepped(doc, tiny(piece)), `${doc} / ${piece}`).toBe(oneCall(doc));
    // Byte-order marks: as many as the one-call path drops (the decoder's, the reader's, parseJson's).
    for (const k of [1, 2, 3, 4]) {
      const doc = `${"\ufeff".repeat(k)}[1, [2, 3]]`;
      expect(await stepped(doc, tiny(2)), `${k} marks`).toBe(await stepped(doc, { stepped: Number.POSITIVE_INFINITY }));
    }
  });

  it("gives parseJson's message for a broken document, wherever the break", async () => {
    const docs = [
      "[1, 2,]",
      "[1,, 2]",
      "[, 1]",
      "[1 2]",
      "[1, [2, 3] 4]",
      "[1, 4 [2, 3]]",
      '{"a" [1, 2, 3]}',
      '{"a": 1 [2, 3]}',
      '{"a": [1, 2, 3], }',
      '{"a": [1, 2, 3]]',
      "[1, [2, 3}]",
      "[1, 2] 3",
      "[1, 2] [3]",
      "]",
      "{1: [2, 3]}",
      '{"a": [1, 2, 3], "b"}',
      '{"a":: [1, 2, 3]}',
      "[1, [2, 3]",
      '["abc',
      "[\ufeff1, [2, 3]]",
      "[1, 2, 3]\ufeff",
      "[" + "[".repeat(600) + "]".repeat(600) + "]",
      "12",
      '"a string"',
      "",
    ];
    for (const doc of docs) for (const piece of [1, 3, 1000]) expect(await stepped(doc, tiny(piece)), `${doc.slice(0, 40)} / ${piece}`).toBe(oneCall(doc));
  });

  it("gives parseJson's answer for a document changed at random (valid or not)", async () => {
    const edit = fc.record({ at: fc.nat(), insert: fc.constantFrom("", "[", "]", "{", "}", ",", ":", '"', "\\", " ", "1", "a"), remove: fc.nat({ max: 2 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 4 }),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 24 }),
        async (value, edits, piece) => {
          let text = JSON.stringify(value, null, 1) ?? "null";
          for (const { at, insert, remove } of edits) {
            const k = at % (text.length + 1);
            text = text.slice(0, k) + insert + text.slice(k + remove);
          }
          expect(await stepped(text, tiny(piece))).toBe(oneCall(text));
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe("parseJsonDocument", () => {
  /** The value, the members counted, and what `take` was given (elements in order), written out. */
  async function taken(text: string, piece: number): Promise<string> {
    const elements: unknown[] = [];
    const { value, members } = await parseJsonDocument(utf8(text), site, tiny(piece), (some) => elements.push(...some));
    return `${canonical(value)} / ${members} / ${canonical(elements)}`;
  }

  it("hands a document array's elements, and only its own, to take in order, and counts the members as written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.integer({ min: 1, max: 48 }), async (value, piece) => {
        const text = JSON.stringify(value, null, 1);
        const expected = Array.isArray(value)
          ? `[] / ${value.length} / ${canonical(JSON.parse(text))}`
          : value !== null && typeof value === "object"
            ? `${canonical(JSON.parse(text))} / ${Object.keys(value).length} / []`
            : `${canonical(JSON.parse(text))} / null / []`;
        expect(await taken(text, piece)).toBe(expected);
      }),
      { numRuns: 300 },
    );
    // A key written twice is two members, one key.
    expect(await taken('{"a": [1, 2, 3], "b": 2, "a": 4}', 2)).toBe('{"a":4,"b":2} / 3 / []');
  });
});

describe("parseJsonBytes at its own sizes", () => {
  afterEach(() => vi.restoreAllMocks());

  /** A results document of `generations` entries, as collapse writes one (about 2.7 KB each). */
  function largeDocument(generations: number): string {
    const summary = (x: number) => ({ mean: x, sd: 0.1 * x, se: 0.01, median: x, p025: -x, p975: 2 * x });
    const metrics = Object.fromEntries(["mean", "std", "var_ratio", "w2", "kl", "tail_mass_2", "tail_loss_2"].map((m, k) => [m, summary(k + 0.123456789)]));
    const generation = (g: number) => ({ generation: g, metrics, sample: "0.192, −0.437, …", training: { real: 0, synthetic: 10, real_share: 0 } });
    return JSON.stringify(
      { tool: { name: "collapse", version: "1" }, config: { generations }, generations: Array.from({ length: generations }, (_, g) => generation(g)) },
      null,
      2,
    );
  }

  it("parses a document over STEPPED_BYTES in pieces: turns of the event loop, no JSON.parse much over a piece", async () => {
    const text = largeDocument(7_000);
    const bytes = utf8(text);
    expect(bytes.length).toBeGreaterThan(STEPPED_BYTES);
    const sizes: number[] = [];
    const parse = JSON.parse;
    vi.spyOn(JSON, "parse").mockImplementation((t: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
      sizes.push(t.length);
      return parse(t, reviver);
    });
    let turns = 0;
    const value = await parseJsonBytes(bytes, site, { turn: async () => turns++ });
    vi.restoreAllMocks();
    expect(canonical(value)).toBe(canonical(JSON.parse(text)));
    // One turn per SCAN_BYTES scanned; each JSON.parse call at most a piece plus one member (2.7 KB here).
    expect(turns).toBe(Math.ceil(bytes.length / SCAN_BYTES) - 1);
    expect(Math.max(...sizes)).toBeLessThan(PIECE_BYTES + 4096);
    expect(sizes.length).toBeGreaterThanOrEqual(Math.floor(bytes.length / (PIECE_BYTES + 4096)));
  });

  it("parses a document under STEPPED_BYTES in one call, as parseJson does", async () => {
    const text = largeDocument(100);
    let turns = 0;
    const spy = vi.spyOn(JSON, "parse");
    expect(canonical(await parseJsonBytes(utf8(text), site, { turn: async () => turns++ }))).toBe(canonical(JSON.parse(text)));
    expect(turns).toBe(0);
    expect(spy).toHaveBeenCalledTimes(2); // parseJsonBytes' one call, and the one above
  });
});
