/** The one JSON reader: BOM, depth limit before parsing, positions, short quotes. */
import { describe, expect, it } from "vitest";
import { jsonDepthOffset, MAX_JSON_DEPTH, parseJson, parseJsonUniqueKeys, parseJsonWithPositions } from "../../src/data/json.js";
import { InputError, UsageError } from "../../src/errors.js";
import { EXCERPT_CHARS, excerpt, quote } from "../../src/excerpt.js";

function error(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("parseJson", () => {
  it("parses JSON, with or without a byte-order mark", () => {
    expect(parseJson('{"a": [1, 2]}', { name: "x.json" })).toEqual({ a: [1, 2] });
    expect(parseJson('\ufeff{"a": 1}', { name: "x.json" })).toEqual({ a: 1 });
    expect(parseJson("\ufeff[1]", { name: "x.json" })).toEqual([1]);
  });

  it("accepts 512 levels and refuses 513 before parsing, naming line and column", () => {
    const ok = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(() => parseJson(ok, { name: "x.json" })).not.toThrow();
    const deep = "[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1);
    const e = error(() => parseJson(deep, { name: "x.json" }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe("x.json:1:513: JSON nested deeper than 512 levels; flatten the document");
  });

  it("refuses 100,000 levels of arrays or objects, even when not valid JSON, without overflowing", () => {
    const n = 100_000;
    expect(error(() => parseJson("[".repeat(n) + "]".repeat(n), { name: "a" })).message).toContain("nested deeper");
    expect(error(() => parseJson('{"k":'.repeat(n), { name: "a" })).message).toMatch(/^a:1:2561: JSON nested deeper/);
    expect(error(() => parseJson("\n\n  " + "[".repeat(n), { name: "a" })).message).toMatch(/^a:3:515: /);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify(["[".repeat(1000), '\\"{{{{' + "{".repeat(1000)]);
    expect(jsonDepthOffset(text)).toBe(-1);
    expect(parseJson(text, { name: "a" })).toHaveLength(2);
  });

  it("reports syntax errors at file:line:column, on one line, in the caller's words", () => {
    const e = error(() => parseJson('{\n  "a": [1,]\n}', { name: "x.json" }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^x\.json:2:11: invalid JSON \(.*\); fix the syntax$/);
    const u = error(() => parseJson("{", { name: "c.json", usage: true, invalid: (w, r) => `${w}: bad config (${r})` }));
    expect(u).toBeInstanceOf(UsageError);
    expect(u.message).toMatch(/^c\.json:1:2: bad config/);
  });

  it("shifts positions to where the text sits in its file (NDJSON lines)", () => {
    expect(error(() => parseJson("[1,,2]", { name: "d.ndjson", line: 7, column: 3 })).message).toMatch(/^d\.ndjson:7:6: /);
    expect(error(() => parseJson("[".repeat(600), { name: "d.ndjson", line: 7, column: 3 })).message).toMatch(/^d\.ndjson:7:515: /);
  });

  it("never quotes more than a short excerpt of the text", () => {
    const e = error(() => parseJson("[" + "1,".repeat(100_000) + "x]", { name: "a" }));
    expect(e.message.length).toBeLessThan(300);
  });
});

describe("parseJson does not show the content of a file that is not JSON", () => {
  // V8's own message quotes the start of the text; a baseline naming /proc/self/environ would
  // print the environment. Only the position and the offending character remain.
  it.each(["SECRET=hunter2\nPATH=/bin\n", "SECRET=hunter2 and a much longer line that V8 would cut with an ellipsis", '{"a": SECRET}'])("%j", (text) => {
    let message = "";
    try {
      parseJson(text, { name: "env" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^env:1:\d+: /);
    expect(message).not.toMatch(/ECRET|hunter|PATH/);
  });
});

describe("excerpt and quote", () => {
  it("leave short text alone", () => {
    expect(excerpt("abc")).toBe("abc");
    expect(quote("abc")).toBe('"abc"');
    expect(quote(12)).toBe("12");
    expect(quote(undefined)).toBe("undefined");
  });

  it("name NaN and the infinities, which JSON would print as null (options from the library)", () => {
    expect(quote(Number.NaN)).toBe("NaN");
    expect(quote(-Infinity)).toBe("-Infinity");
    expect(quote([0.5, Number.NaN, Infinity])).toBe("[0.5,NaN,Infinity]");
    expect(quote({ k: Number.NaN, s: "NaN", n: null })).toBe('{"k":NaN,"s":"NaN","n":null}');
  });

  it("cut long text to the limit, keeping its start and end around an ellipsis", () => {
    const text = "a".repeat(500) + "END";
    const cut = excerpt(text);
    expect(cut).toHaveLength(EXCERPT_CHARS);
    expect(cut.startsWith("aaa")).toBe(true);
    expect(cut.endsWith("END")).toBe(true);
    expect(cut).toContain("…");
    expect(quote("x".repeat(10_000)).length).toBeLessThanOrEqual(EXCERPT_CHARS + 2);
    expect(quote({ k: "v".repeat(10_000) }).length).toBe(EXCERPT_CHARS);
  });

  it("never splits a surrogate pair", () => {
    const text = "😀".repeat(200);
    const cut = excerpt(text, 21);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});

describe("parseJsonWithPositions", () => {
  it("says where each top-level array element starts, nested values and strings aside", () => {
    const doc = parseJsonWithPositions('  [1,\n  [2, 3],\n  "],[", {"k": [4]}]', { name: "a.json" });
    expect(doc.value).toEqual([1, [2, 3], "],[", { k: [4] }]);
    expect(doc.where()).toBe("a.json:1:3");
    expect([0, 1, 2, 3].map((i) => doc.memberWhere(i))).toEqual(["a.json:1:4", "a.json:2:3", "a.json:3:3", "a.json:3:10"]);
    expect(doc.keys()).toEqual([]);
  });

  it("says where each top-level object key and value starts, and lists the keys with repeats, decoded", () => {
    const doc = parseJsonWithPositions('{"a": 1,\n "b": {"a": 2},\n "\\u0061": 3}', { name: "o.json" });
    expect(doc.value).toEqual({ a: 3, b: { a: 2 } });
    expect(doc.keys()).toEqual(["a", "b", "a"]);
    expect([0, 1, 2].map((i) => doc.keyWhere(i))).toEqual(["o.json:1:2", "o.json:2:2", "o.json:3:2"]);
    expect([0, 1, 2].map((i) => doc.memberWhere(i))).toEqual(["o.json:1:7", "o.json:2:7", "o.json:3:12"]);
  });

  it("shifts positions like parseJson's messages: past a byte-order mark, and to an NDJSON line's place", () => {
    expect(parseJsonWithPositions('\ufeff["a", "b"]', { name: "b.json" }).memberWhere(1)).toBe("b.json:1:7");
    expect(parseJsonWithPositions('["a", "b"]', { name: "d.ndjson", line: 4, column: 3 }).memberWhere(1)).toBe("d.ndjson:4:9");
  });

  it("throws parseJson's errors", () => {
    expect(error(() => parseJsonWithPositions("[1,]", { name: "x.json" })).message).toMatch(/^x\.json:1:4: invalid JSON/);
  });
});

describe("parseJsonUniqueKeys", () => {
  const site = { name: "c.json", usage: true };
  it("accepts a key once per object, the same key in different objects, and any value parseJson accepts", () => {
    expect(parseJsonUniqueKeys('{"a": {"b": 1, "c": {"b": 2}}, "b": [{"a": 1}, {"a": 2}]}', site, "x")).toEqual({
      a: { b: 1, c: { b: 2 } },
      b: [{ a: 1 }, { a: 2 }],
    });
    expect(parseJsonUniqueKeys('[1, "a", null, {}]', site, "x")).toEqual([1, "a", null, {}]);
  });

  it("refuses the first repeat in document order, at any depth, after decoding escapes, as a UsageError when the site says so", () => {
    const nested = error(() => parseJsonUniqueKeys('{"a": {"b": 1,\n "b": 2}, "a": 3}', site, "--config"));
    expect(nested).toBeInstanceOf(UsageError);
    expect(nested.message).toBe('c.json:2:2: "b" is given twice in one object of --config; keep one');
    expect(error(() => parseJsonUniqueKeys('\ufeff{"k": 1, "\\u006b": 2}', { name: "d.json" }, "the data"))).toEqual(
      new InputError('d.json:1:10: "k" is given twice in one object of the data; keep one'),
    );
  });

  it("throws parseJson's errors first", () => {
    expect(error(() => parseJsonUniqueKeys('{"a": 1, "a": }', site, "x")).message).toMatch(/^c\.json:1:15: invalid JSON/);
  });
});

describe("parseJson on arbitrary text (property)", () => {
  it("returns a value or throws InputError with one short line, never anything else", async () => {
    const fc = (await import("fast-check")).default;
    const jsonish = fc.stringMatching(/^[\s[\]{}",:\\a-z0-9.eE+-]*$/);
    const deepish = fc.tuple(fc.nat(2000), fc.constantFrom("[", "{", '{"a":', "[1,"), jsonish).map(([n, open, tail]) => open.repeat(n) + tail);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          jsonish,
          deepish,
          fc.json().map((j) => "\ufeff" + j),
        ),
        (text) => {
          try {
            parseJson(text, { name: "p.json" });
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            const message = (e as Error).message;
            expect(message).not.toContain("\n");
            expect(message.length).toBeLessThan(400);
          }
        },
      ),
      { numRuns: 500, seed: 10 },
    );
  });
});
