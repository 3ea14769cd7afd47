import { describe, expect, it } from "vitest";
import { numericColumns, singleColumn } from "../../src/data/numbers.js";
import { decodeUtf8, firstInvalidUtf8 } from "../../src/data/read.js";
import { readTable, sniffFormat, splitLine } from "../../src/data/table.js";
import { InputError } from "../../src/errors.js";
import { inputError } from "../expect-error.js";

const table = (name: string, text: string) => readTable({ name, text });
const values = (name: string, text: string, column: string | null = null) => Array.from(singleColumn(table(name, text), column).values);

describe("reading numeric columns", () => {
  it("reads CSV with and without a header, by name or 1-based index", () => {
    expect(values("a.csv", "x,y\n1,2\n3,4\n", "y")).toEqual([2, 4]);
    expect(values("a.csv", "x,y\n1,2\n3,4\n", "1")).toEqual([1, 3]);
    expect(values("a.csv", "1,2\n3,4\n", "2")).toEqual([2, 4]);
    expect(values("a.csv", 'name,"value, cm"\n"a ""b""",1.5\nc,2\n', "value, cm")).toEqual([1.5, 2]);
  });

  it("reads TSV, TXT, JSON and NDJSON, skipping blank lines, comments and CRLF", () => {
    expect(values("a.tsv", "h\tx\n1\t2\r\n\n3\t4\n", "x")).toEqual([2, 4]);
    expect(values("a.txt", "# heights\n1.5\n\n2.5e1\n")).toEqual([1.5, 25]);
    expect(values("a.json", "[1, 2.5, -3]")).toEqual([1, 2.5, -3]);
    expect(values("a.json", '[{"x": 1, "y": 2}, {"x": 3, "y": 4}]', "y")).toEqual([2, 4]);
    expect(values("a.ndjson", '{"x": 1}\n{"x": 2}\n')).toEqual([1, 2]);
    expect(values("a.ndjson", "1\n2\n")).toEqual([1, 2]);
  });

  it("sniffs the format of stdin", () => {
    expect(values("stdin", "[1,2]")).toEqual([1, 2]);
    expect(values("stdin", "a,b\n1,2\n3,4\n", "b")).toEqual([2, 4]);
    expect(values("stdin", "1\n2\n")).toEqual([1, 2]);
  });

  it("reads stdin and files of other names as the same bytes in a .csv or .tsv file: header, quotes and all", () => {
    // The case: a one-column header on stdin was "x is not a number".
    for (const name of ["stdin", "/dev/fd/63", "heights.dat", "data"]) {
      for (const text of ["x\n1\n2\n3\n", '"x"\n"1"\n2\n"3"\n', "# measured\nx\n1\n\n2\r\n3\n"]) {
        const csv = table("t.csv", text);
        const sniffed = table(name, text);
        expect(sniffed.format, `${name} ${JSON.stringify(text)}`).toBe("csv");
        expect({ names: sniffed.names, hasHeader: sniffed.hasHeader }).toEqual({ names: csv.names, hasHeader: csv.hasHeader });
        expect(values(name, text)).toEqual([1, 2, 3]);
      }
      expect(values(name, "h\tx\n1\t2\n3\t4\n", "x")).toEqual([2, 4]);
    }
    // Bad cells are reported as in a .csv file.
    expect(inputError(() => values("stdin", "x\n1\nabc\n"))).toBe('stdin:3:1: "abc" in column "x" is not a number; fix or remove the row');
    expect(inputError(() => values("stdin", "1\n2,3\n"))).toMatch(/^stdin:2: 2 field\(s\) where the first row has 1/);
    // A .txt file keeps its own rule: one number a line, no header, no quotes.
    expect(inputError(() => values("t.txt", "x\n1\n2\n"))).toMatch(/^t\.txt:1:1: "x" in column 1 is not a number/);
  });

  it("sniffs JSON from [ and {, TSV from a tab in the first line, and CSV otherwise", () => {
    expect(sniffFormat("  \n[1, 2]")).toBe("json");
    expect(sniffFormat('{"x": 1}\n{"x": 2}')).toBe("ndjson");
    expect(sniffFormat("a\tb\n1\t2")).toBe("tsv");
    expect(sniffFormat("a,b\tc\n")).toBe("tsv");
    expect(sniffFormat("a,b\n1,2")).toBe("csv");
    expect(sniffFormat("x\n1\t2\n")).toBe("csv");
    expect(sniffFormat("1.5")).toBe("csv");
  });

  it("unquotes RFC 4180 fields: delimiters and doubled quotes inside quotes, spaces around them", () => {
    expect(splitLine('"a, b","say ""hi""",c', ",")?.fields).toEqual(["a, b", 'say "hi"', "c"]);
    expect(splitLine('a, "b" ,"c"', ",")?.fields).toEqual(["a", "b", "c"]);
    expect(splitLine('"a\tb"\t2', "\t")?.fields).toEqual(["a\tb", "2"]);
    expect(splitLine('5" tall,"",', ",")?.fields).toEqual(['5" tall', "", ""]);
    expect(splitLine('"open,1', ",")).toBeNull();
    expect(splitLine('"a" b,1', ",")).toBeNull();
    expect(values("stdin", 'name, "value, cm"\n"p", "1.5"\nq,2\n', "value, cm")).toEqual([1.5, 2]);
  });

  it("names file:line:column and the fix for bad cells", () => {
    expect(inputError(() => values("d.csv", "x\n12.5\nabc\n"))).toBe('d.csv:3:1: "abc" in column "x" is not a number; fix or remove the row');
    expect(inputError(() => values("d.csv", "x,y\n1,2\n3,\n", "y"))).toMatch(/^d\.csv:3:3: an empty value in column "y"/);
    expect(inputError(() => values("d.txt", "1\nNaN\n"))).toMatch(/^d\.txt:2:1: "NaN" .* not a finite number/);
    expect(inputError(() => values("d.txt", "1\ninf\n"))).toMatch(/not a finite number/);
    expect(inputError(() => values("d.csv", "x,y\n1,2\n3\n", "x"))).toMatch(/^d\.csv:3: 1 field\(s\) where the header has 2/);
    expect(inputError(() => values("d.json", "[1, 2,]"))).toMatch(/^d\.json:1:\d+: invalid JSON/);
    expect(inputError(() => values("d.json", '{"a": 1}'))).toMatch(/expected a JSON array/);
    expect(inputError(() => values("d.json", '[1, "x"]'))).toMatch(/^d\.json: element 2: "x" in column 1 is not a number/);
    expect(inputError(() => values("d.ndjson", "1\n{\n"))).toMatch(/^d\.ndjson:2:2: invalid JSON line/);
  });

  it("rejects empty files, header-only files and ambiguous columns", () => {
    expect(inputError(() => table("e.csv", ""))).toMatch(/e\.csv is empty/);
    expect(inputError(() => table("e.csv", "x,y\n"))).toMatch(/no data rows after its header/);
    expect(inputError(() => values("e.csv", "x,y\n1,2\n"))).toMatch(/choose one with --column/);
    expect(inputError(() => values("e.csv", "x,y\n1,2\n", "z"))).toMatch(/--column z: no such column in e\.csv; it has columns "x", "y"/);
    expect(inputError(() => values("e.csv", "x,y\n1,2\n", "3"))).toMatch(/no such column/);
  });

  it("takes every numeric column for multivariate models and reports the others", () => {
    const t = numericColumns(table("m.csv", "name,a,b\np,1,2\nq,3,4\n"), null);
    expect(t.names).toEqual(["a", "b"]);
    expect(t.skipped).toEqual(["name"]);
    expect(Array.from(t.columns[1]!)).toEqual([2, 4]);
  });
});

describe("columns a model option names (OptionSpec.seedColumn: linreg's --target)", () => {
  const csv = "id,a,b,y\np,1,2,3\nq,4,5,6\n";
  const target = (value: string, label = "--target") => [{ value, label }];

  it("come last, out of the default selection, by name or 1-based index", () => {
    const t = numericColumns(table("t.csv", csv), null, target("y"));
    expect([t.names, t.skipped]).toEqual([["a", "b", "y"], ["id"]]);
    expect(Array.from(t.columns[2]!)).toEqual([3, 6]);
    expect(numericColumns(table("t.csv", csv), "b", target("2")).names).toEqual(["b", "a"]);
    expect(numericColumns(table("t.csv", csv), null, target("a")).names).toEqual(["b", "y", "a"]);
  });

  it("are named by their option when unknown or also chosen by --column", () => {
    expect(inputError(() => numericColumns(table("t.csv", csv), null, target("z", "the default --target")))).toBe(
      'the default --target z: no such column in t.csv; it has columns "id", "a", "b", "y" (or 1..4)',
    );
    expect(inputError(() => numericColumns(table("t.csv", csv), "a,y", target("y")))).toBe(
      '--column y: column "y" of t.csv is the one --target names; remove it from --column',
    );
    expect(inputError(() => numericColumns(table("t.csv", csv), "a", target("id")))).toMatch(/"p" in column "id" is not a number/);
  });
});

describe("UTF-8 validation", () => {
  it("finds the first invalid byte and reports line, column and offset", () => {
    const bytes = new Uint8Array([0x61, 0x0a, 0x62, 0xff, 0x63]);
    expect(firstInvalidUtf8(bytes)).toBe(3);
    expect(inputError(() => decodeUtf8(bytes, "t.txt"))).toBe("t.txt:2:2: invalid UTF-8 byte 0xff at byte offset 3; re-save the file as UTF-8");
  });

  it("accepts valid multi-byte text and rejects overlong forms, surrogates and truncation", () => {
    expect(firstInvalidUtf8(new TextEncoder().encode("é–€𝄞 ok"))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0xc0, 0xaf]))).toBe(0); // overlong '/'
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(1); // UTF-16 surrogate
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(1); // truncated at end
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x31]), "bom")).toBe("1");
  });
});

describe("JSON error positions", () => {
  it("points at the first invalid character, on any line", async () => {
    const { jsonErrorOffset, jsonErrorWhere } = await import("../../src/data/json-error.js");
    expect(jsonErrorOffset("[1, 2]")).toBe(-1);
    expect(jsonErrorOffset('{"a": [true, null, -1.5e3, "x\\n"]}')).toBe(-1);
    expect(jsonErrorOffset("[1, 2,]")).toBe(6);
    expect(jsonErrorWhere("f.json", '{\n  "a": 1,\n  "b": tru\n}')).toBe("f.json:3:8");
    expect(jsonErrorOffset("[1] x")).toBe(4);
    expect(jsonErrorOffset('"abc')).toBe(4);
  });
});

describe("hostile tables", () => {
  it("a column chosen by a name two columns share is an error naming both", () => {
    const msg = inputError(() => values("d.csv", "x,y,x\n1,2,3\n4,5,6\n", "x"));
    expect(msg).toBe('--column x: columns 1 and 3 of d.csv are both named "x"; rename one, or choose by number (1 or 3)');
    // Choosing by number, or another name, is unambiguous.
    expect(values("d.csv", "x,y,x\n1,2,3\n4,5,6\n", "3")).toEqual([3, 6]);
    expect(values("d.csv", "x,y,x\n1,2,3\n4,5,6\n", "y")).toEqual([2, 5]);
    expect(inputError(() => numericColumns(table("d.csv", "x,y,x\n1,2,3\n4,5,6\n"), "y,x"))).toMatch(/columns 1 and 3 of d\.csv/);
  });

  it("a record without a field named like an inherited property reports it missing", () => {
    for (const field of ["constructor", "toString", "__proto__", "valueOf", "hasOwnProperty"]) {
      expect(inputError(() => values("r.ndjson", `{"x":1,"${field}":2}\n{"x":2}\n`, "x"))).toBe(
        `r.ndjson:2: field "${field}" is missing; every record needs the fields of the first`,
      );
      expect(inputError(() => values("r.json", `[{"x":1,"${field}":2},{"x":2}]`, "x"))).toMatch(new RegExp(`element 2: field "${field}" is missing`));
    }
    // Present as an own field, it is read like any other.
    expect(values("r.ndjson", '{"x":1,"__proto__":5}\n{"x":2,"__proto__":6}\n', "__proto__")).toEqual([5, 6]);
  });

  it("JSON data: byte-order mark accepted, depth limited, NDJSON errors at line and column", () => {
    expect(values("b.json", "\ufeff[1,2]")).toEqual([1, 2]);
    expect(inputError(() => values("b.json", "[".repeat(600) + "]".repeat(600)))).toBe(
      "b.json:1:513: JSON nested deeper than 512 levels; flatten the document",
    );
    expect(inputError(() => values("b.ndjson", "1\n  [1,,2]\n"))).toMatch(/^b\.ndjson:2:6: invalid JSON line \(.*\); each line must be one JSON value$/);
  });

  it("quotes at most a short excerpt of a cell, a name or a record", () => {
    const big = "a".repeat(1_000_000);
    expect(inputError(() => values("c.csv", `x\n1\n${big}\n`)).length).toBeLessThan(250);
    expect(inputError(() => values("c.csv", `x\n1\n${big}\n`, "nope")).length).toBeLessThan(300);
    const wide = Array.from({ length: 1000 }, (_, i) => `column_${i}`).join(",");
    const row = Array.from({ length: 1000 }, () => "1").join(",");
    expect(inputError(() => values("w.csv", `${wide}\n${row}\n`, "nope")).length).toBeLessThan(300);
    expect(inputError(() => values("j.ndjson", `{"x":1}\n[${"1,".repeat(100_000)}1]\n`)).length).toBeLessThan(250);
  });
});

describe("tables from arbitrary text (property)", () => {
  it("every format reads or throws InputError with one short line, never anything else", async () => {
    const fc = (await import("fast-check")).default;
    const cellish = fc
      .array(
        fc.constantFrom(
          "1",
          "-2.5e3",
          "x",
          ",",
          "\t",
          "\n",
          '"',
          '""',
          "#",
          "[",
          "]",
          "{",
          "}",
          ":",
          '"x"',
          "1e400",
          "nan",
          " ",
          "\r\n",
          "constructor",
          "\ufeff",
        ),
        { maxLength: 200 },
      )
      .map((p) => p.join(""));
    const names = ["d.csv", "d.tsv", "d.txt", "d.json", "d.ndjson", "stdin"];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.oneof(fc.string({ unit: "binary" }), cellish),
        fc.constantFrom(null, "1", "2", "x", "constructor"),
        (name, text, column) => {
          try {
            singleColumn(table(name, text), column);
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            expect((e as Error).message).not.toContain("\n");
            expect((e as Error).message.length).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 600, seed: 10 },
    );
  });
});
