import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type LabelOptions, readLabels, readLabelsStream } from "../../src/data/labels.js";
import { readTextSync as readText } from "../../src/data/read.js";
import { InputError } from "../../src/errors.js";
import { tempDir } from "../cli/cli.js";
import { inputError } from "../expect-error.js";

const read = (name: string, text: string, options: Partial<LabelOptions> = {}) => {
  const { labels, counts } = readLabels({ name, text }, { column: null, countColumn: null, duplicates: "error", ...options });
  return Object.fromEntries(labels.map((l, i) => [l, counts[i]]));
};
const order = (name: string, text: string) => readLabels({ name, text }).labels;

describe("label files", () => {
  it("reads one label per line, counting repeats, in first-appearance order", () => {
    expect(read("a.txt", "red\nblue\n\nred\r\n  green \nred\n")).toEqual({ red: 3, blue: 1, green: 1 });
    expect(order("a.txt", "red\nblue\nred\ngreen\n")).toEqual(["red", "blue", "green"]);
    // A .txt line with a comma is one label; a one-column CSV is a label list too.
    expect(read("a.txt", "a,b\na,b\nc\n")).toEqual({ "a,b": 2, c: 1 });
    expect(read("a.csv", "x\ny\nx\n")).toEqual({ x: 2, y: 1 });
  });

  it("reads label,count tables with and without a header, CSV quotes and TSV", () => {
    expect(read("a.csv", "breed,count\nLab,10\nPug,2\n")).toEqual({ Lab: 10, Pug: 2 });
    expect(read("a.csv", "Lab,10\nPug,2\n")).toEqual({ Lab: 10, Pug: 2 });
    expect(read("a.csv", 'label,n\n"Griffon, Brussels",3\nPug,0\nLab,1e3\n')).toEqual({ "Griffon, Brussels": 3, Pug: 0, Lab: 1000 });
    expect(read("a.tsv", "label\tcount\nLab\t10\nPug\t2\n")).toEqual({ Lab: 10, Pug: 2 });
    expect(read("stdin", "label,count\nLab,10\nPug,2\n")).toEqual({ Lab: 10, Pug: 2 });
  });

  it("reads JSON arrays of labels and {label: count} objects", () => {
    expect(read("a.json", '["a", "b", "a", 3]')).toEqual({ a: 2, b: 1, "3": 1 });
    expect(read("a.json", '{"a": 5, "b": 0, "c": 2}')).toEqual({ a: 5, b: 0, c: 2 });
    expect(read("stdin", '["x", "y"]')).toEqual({ x: 1, y: 1 });
  });

  it("reads the bundled fixtures", () => {
    const breeds = readLabels(readText("fixtures/dog-breeds.csv"));
    expect(breeds.labels.length).toBe(readFileSync("fixtures/dog-breeds.csv", "utf8").trim().split("\n").length - 1);
    expect(breeds.labels[0]).toBe("Labrador Retriever");
    expect(Math.min(...breeds.counts)).toBeGreaterThanOrEqual(1);
    const words = readLabels(readText("fixtures/words.txt"));
    expect(words.counts.reduce((s, c) => s + c, 0)).toBe(readFileSync("fixtures/words.txt", "utf8").trim().split("\n").length);
  });

  it("rejects negative, fractional and non-numeric counts with file:line", () => {
    expect(inputError(() => readLabels(readText("fixtures/bad/negative-count.csv")))).toMatch(/negative-count\.csv:3: count -3 is negative/);
    expect(inputError(() => readLabels(readText("fixtures/bad/fractional-count.csv")))).toMatch(/fractional-count\.csv:3: count 2\.5 is not a whole number/);
    expect(inputError(() => read("a.csv", "label,count\na,1\nb,x\n"))).toMatch(/a\.csv:3: count "x" is not a number/);
    expect(inputError(() => read("a.csv", "label,count\na,1\nb,\n"))).toMatch(/a\.csv:3: an empty count/);
    expect(inputError(() => read("a.json", '{\n"a": 1,\n"b": -2\n}'))).toMatch(/^a\.json:3:6: "b": count -2 is negative/);
    expect(inputError(() => read("a.json", '{"a": 1.5, "b": 2}'))).toMatch(/count 1\.5 is not a whole number/);
  });

  it("rejects duplicate labels in a count table, naming both lines", () => {
    expect(inputError(() => readLabels(readText("fixtures/bad/duplicate-label.csv")))).toMatch(
      /duplicate-label\.csv:4: label "a" already appeared at fixtures\/bad\/duplicate-label\.csv:2/,
    );
  });

  it("rejects empty files, too few categories, wide tables, ragged rows and bad JSON", () => {
    expect(inputError(() => readLabels(readText("fixtures/bad/empty.csv")))).toMatch(/empty/);
    expect(inputError(() => read("a.csv", "label,count\n"))).toMatch(/no data rows after its header/);
    expect(inputError(() => read("a.csv", "label,count\na,0\nb,4\n"))).toMatch(/1 category with a positive count/);
    expect(inputError(() => read("a.csv", "a,1,2\n"))).toBe(
      'a.csv:1: 3 columns ("a", "1", "2"); choose the label column with --column and any count column with --count-column',
    );
    expect(inputError(() => read("a.csv", "a,1\nb\n"))).toMatch(/a\.csv:2: 1 field\(s\) where the first row has 2/);
    expect(inputError(() => read("a.csv", 'a,1\n"b,2\n'))).toMatch(/a\.csv:2: unbalanced double quote/);
    expect(inputError(() => read("a.csv", "a,1\n ,2\n"))).toMatch(/a\.csv:2: empty label/);
    expect(inputError(() => read("a.json", '["a", {"b": 1}]'))).toMatch(/^a\.json:1:7: element 2: .* is not a label/);
    expect(inputError(() => read("a.json", "[1, 2"))).toMatch(/a\.json.*invalid JSON/);
    expect(inputError(() => read("a.json", "42"))).toMatch(/expected a JSON array of labels or an object/);
    expect(inputError(() => read("a.ndjson", '"a"\n"b"\n'))).toMatch(/NDJSON is not read as labels/);
  });
});

describe("stdin and files of other names are read as a .csv file", () => {
  it("unquotes one-label-per-line input, and a label holding a comma is quoted", () => {
    expect(read("stdin", '"setosa"\n"versicolor"\nsetosa\n')).toEqual({ setosa: 2, versicolor: 1 });
    expect(read("stdin", 'Lab\n"Griffon, Brussels"\n"say ""hi"""\n')).toEqual({ Lab: 1, "Griffon, Brussels": 1, 'say "hi"': 1 });
    expect(inputError(() => read("stdin", "Lab\nGriffon, Brussels\n"))).toBe(
      'stdin:2: 2 field(s) where the first row has 1; fix the row (put a label holding a comma in double quotes: "a, b")',
    );
    // A .txt file is read as it is: a line is a label, quotes and commas included.
    expect(read("l.txt", '"setosa"\na, b\n')).toEqual({ '"setosa"': 1, "a, b": 1 });
  });

  it("reads a JSON object of counts from stdin (it was refused as NDJSON)", () => {
    expect(read("stdin", '{"a": 2, "b": 1}')).toEqual({ a: 2, b: 1 });
    expect(read("stdin", '{\n  "a": 2,\n  "b": 1\n}\n')).toEqual({ a: 2, b: 1 });
    expect(inputError(() => read("l.ndjson", '{"a": 2}\n'))).toMatch(/NDJSON is not read as labels/);
  });
});

describe("the first row: a header only when it must be one", () => {
  it("one label per line: every line is a label, unless --column names the first line", () => {
    expect(read("stdin", "species\nsetosa\nsetosa\nvirginica\n")).toEqual({ species: 1, setosa: 2, virginica: 1 });
    expect(read("stdin", "species\nsetosa\nsetosa\nvirginica\n", { column: "species" })).toEqual({ setosa: 2, virginica: 1 });
    expect(read("l.csv", '"species"\nsetosa\nvirginica\n', { column: "species" })).toEqual({ setosa: 1, virginica: 1 });
    expect(read("l.txt", "species\nsetosa\nvirginica\n", { column: "species" })).toEqual({ setosa: 1, virginica: 1 });
    // By number, the first line stays a label: a real label is never dropped.
    expect(read("stdin", "species\nsetosa\nvirginica\n", { column: "1" })).toEqual({ species: 1, setosa: 1, virginica: 1 });
    expect(read("stdin", "1\n2\n1\n", { column: "1" })).toEqual({ "1": 2, "2": 1 });
    expect(inputError(() => read("stdin", "setosa\nvirginica\n", { column: "species" }))).toBe(
      '--column species: no such column in stdin; it has columns "setosa" (or 1..1)',
    );
  });

  it("a table with counts: a header when its count is not a number, or when a column is named", () => {
    expect(read("t.csv", "name,sex,births\nAda,F,5\nBo,M,3\n", { column: "1", countColumn: "3" })).toEqual({ Ada: 5, Bo: 3 });
    expect(read("t.csv", "Ada,F,5\nBo,M,3\n", { column: "1", countColumn: "3" })).toEqual({ Ada: 5, Bo: 3 });
    expect(read("t.csv", "name,2019\nAda,5\nBo,3\n", { column: "name" })).toEqual({ Ada: 1, Bo: 1 });
    // With only --count-column, the label column of a two-column table is the other one.
    expect(read("t.csv", "n,breed\n3,pug\n1,lab\n", { countColumn: "1" })).toEqual({ pug: 3, lab: 1 });
    expect(read("t.csv", "n,breed\n3,pug\n1,lab\n", { countColumn: "n" })).toEqual({ pug: 3, lab: 1 });
  });

  it("a table without counts: each row is one observation of its label column", () => {
    const people = "name,sex\nAda,F\nBo,M\nAda,F\n";
    expect(read("p.csv", people, { column: "name" })).toEqual({ Ada: 2, Bo: 1 });
    expect(read("p.csv", people, { column: "sex" })).toEqual({ F: 2, M: 1 });
    // By number there is no telling a header from a row: name the column to skip one.
    expect(read("p.csv", people, { column: "2" })).toEqual({ sex: 1, F: 2, M: 1 });
  });
});

describe("--column, --count-column and --duplicates on a table", () => {
  const births = "name,sex,births\nAda,F,5\nBo,M,3\nAda,M,2\n";
  const options = { column: "name", countColumn: "births" };

  it("picks the label and count columns by name or number, and sums repeated labels with --duplicates sum", () => {
    expect(read("b.csv", births, { ...options, duplicates: "sum" })).toEqual({ Ada: 7, Bo: 3 });
    expect(read("b.csv", births, { column: "1", countColumn: "3", duplicates: "sum" })).toEqual({ Ada: 7, Bo: 3 });
    expect(read("b.tsv", births.replaceAll(",", "\t"), { ...options, duplicates: "sum" })).toEqual({ Ada: 7, Bo: 3 });
    expect(read("stdin", births, { ...options, duplicates: "sum" })).toEqual({ Ada: 7, Bo: 3 });
    expect(readLabels({ name: "b.csv", text: births }, { ...options, duplicates: "sum" }).labels).toEqual(["Ada", "Bo"]);
    expect(read("b.csv", births, { column: "sex", countColumn: "births", duplicates: "sum" })).toEqual({ F: 5, M: 5 });
    // Observations are always counted: --duplicates is about rows that carry counts.
    expect(read("b.csv", births, { column: "name", duplicates: "error" })).toEqual({ Ada: 2, Bo: 1 });
  });

  it("a repeated label with --duplicates error names both lines and suggests --duplicates sum", () => {
    expect(inputError(() => read("b.csv", births, options))).toBe(
      'b.csv:4: label "Ada" already appeared at b.csv:2; pass --duplicates sum to add their counts, or merge the two rows or rename one',
    );
    expect(inputError(() => read("b.csv", "breed,count\npug,1\nlab,2\npug,3\n"))).toMatch(
      /^b\.csv:4: label "pug" already appeared at b\.csv:2; pass --duplicates sum/,
    );
    expect(read("b.csv", "breed,count\npug,1\nlab,2\npug,3\n", { duplicates: "sum" })).toEqual({ pug: 4, lab: 2 });
  });

  it("an unknown column lists the header's columns; a non-count names file:line and its column", () => {
    expect(inputError(() => read("b.csv", births, { column: "nme", countColumn: "births" }))).toBe(
      '--column nme: no such column in b.csv; it has columns "name", "sex", "births" (or 1..3)',
    );
    expect(inputError(() => read("b.csv", births, { column: "name", countColumn: "count" }))).toBe(
      '--count-column count: no such column in b.csv; it has columns "name", "sex", "births" (or 1..3)',
    );
    expect(inputError(() => read("b.csv", births, { column: "name", countColumn: "9" }))).toMatch(/^--count-column 9: no such column in b\.csv/);
    expect(inputError(() => read("b.csv", births, { column: "name", countColumn: "sex" }))).toBe(
      'b.csv:2: count "F" in column "sex" is not a number; counts are whole numbers of occurrences (0, 1, 2, …)',
    );
    expect(inputError(() => read("b.csv", "name,births\nAda,5\nBo,-1\n", options))).toBe(
      'b.csv:3: count -1 in column "births" is negative; counts are occurrences (0 or more)',
    );
    expect(inputError(() => read("b.csv", "Ada,F,5\nBo,M,2.5\n", { column: "1", countColumn: "3" }))).toBe(
      "b.csv:2: count 2.5 in column 3 is not a whole number; counts are occurrences, not frequencies",
    );
  });

  it("refuses a wide table without --column, one column for both, and columns in JSON", () => {
    expect(inputError(() => read("b.csv", births))).toBe(
      'b.csv:1: 3 columns ("name", "sex", "births"); choose the label column with --column and any count column with --count-column',
    );
    expect(inputError(() => read("b.csv", births, { countColumn: "births" }))).toMatch(/^b\.csv:1: 3 columns/);
    expect(inputError(() => read("b.csv", births, { column: "births", countColumn: "3" }))).toBe(
      "--column births and --count-column 3 both choose column 3 of b.csv; choose two different columns",
    );
    expect(inputError(() => read("l.csv", "a\nb\n", { countColumn: "1" }))).toBe(
      "--count-column 1: column 1 is the only column of l.csv, which leaves none for the labels; give a label column too",
    );
    expect(inputError(() => read("l.json", '["a", "b"]', { column: "1" }))).toBe(
      "--column 1: l.json is JSON (an array of labels or an object of counts), which has no columns; remove --column, or give a CSV or TSV table",
    );
    expect(inputError(() => read("b.csv", "name,name,n\nAda,Ada,1\n", { column: "name", countColumn: "n" }))).toMatch(
      /^--column name: columns 1 and 2 of b\.csv are both named "name"/,
    );
  });

  it("--duplicates sum adds a JSON object's repeated keys, each value read from its own text", () => {
    expect(read("d.json", '{"a": 1, "b": 2, "a": 3}', { duplicates: "sum" })).toEqual({ a: 4, b: 2 });
    expect(read("d.json", '{"a": 1,\n "b": 2,\n "a" : 3e1 ,\n "a": 0}', { duplicates: "sum" })).toEqual({ a: 31, b: 2 });
    expect(read("d.json", '{"a": 1, "a ": 2, "b": 1}', { duplicates: "sum" })).toEqual({ a: 3, b: 1 });
    expect(inputError(() => read("d.json", '{"a": "x", "b": 2, "a": 3}', { duplicates: "sum" }))).toBe(
      'd.json:1:7: "a": count "x" is not a number; counts are whole numbers of occurrences (0, 1, 2, …)',
    );
    // Labels keep the object's own order (integer-like keys first, as before).
    expect(readLabels({ name: "o.json", text: '{"b": 1, "2": 1, "b": 1}' }, { column: null, countColumn: null, duplicates: "sum" }).labels).toEqual(["2", "b"]);
  });
});

describe("JSON label errors name file:line:column, like JSON syntax errors", () => {
  // The position is the offending value's first character (a count, an array element) or the
  // opening quote of the offending key; columns count UTF-16 code units, as parseJson's do.
  it("a negative, fractional, non-numeric or out-of-range count: where the count is", () => {
    expect(inputError(() => read("c.json", '{\n  "a": 4,\n  "b":   -2\n}'))).toBe('c.json:3:10: "b": count -2 is negative; counts are occurrences (0 or more)');
    expect(inputError(() => read("c.json", '{"a": 4, "b": 2.5}'))).toBe(
      'c.json:1:15: "b": count 2.5 is not a whole number; counts are occurrences, not frequencies',
    );
    expect(inputError(() => read("c.json", '{"a": 4,\n\t"b": "many"}'))).toBe(
      'c.json:2:7: "b": count "many" is not a number; counts are whole numbers of occurrences (0, 1, 2, …)',
    );
    expect(inputError(() => read("c.json", '{"a": 4, "b": 1e400}'))).toBe(
      'c.json:1:15: "b": count Infinity is out of range; counts are whole numbers below 2^53',
    );
  });

  it("a label that is not a string (or a finite number): where the element is", () => {
    expect(inputError(() => read("l.json", '[\n  "a",\n  "b",\n    true\n]'))).toBe(
      'l.json:4:5: element 3: true is not a label; a JSON array holds labels (strings), e.g. ["a", "b", "a"]',
    );
    expect(inputError(() => read("l.json", '["a", "b", null]'))).toMatch(/^l\.json:1:12: element 3: null is not a label/);
    expect(inputError(() => read("l.json", '["a",\n ["b"]]'))).toMatch(/^l\.json:2:2: element 2: \["b"\] is not a label/);
    expect(inputError(() => read("l.json", '["a", {"b": 1}]'))).toMatch(/^l\.json:1:7: element 2: \{"b":1\} is not a label/);
  });

  it("an empty label: where the element or the key is", () => {
    expect(inputError(() => read("e.json", '["a", "b",\n   "  "]'))).toBe("e.json:2:4: element 3: empty label; name the category or remove it");
    expect(inputError(() => read("e.json", '{"a": 1,\n  " ": 2}'))).toBe("e.json:2:3: empty label; name the category or remove it");
  });

  it("a duplicate label: where both keys are, repeated keys (which JSON.parse would merge) included", () => {
    expect(inputError(() => read("d.json", '{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}'))).toBe(
      'd.json:4:3: label "a" already appeared at d.json:2:3; pass --duplicates sum to add their counts, or merge the two entries or rename one',
    );
    // The same label once escaped: the keys are compared decoded.
    expect(inputError(() => read("d.json", '{"a": 1, "b": 2, "\\u0061": 3}'))).toMatch(/^d\.json:1:18: label "a" already appeared at d\.json:1:2;/);
    // Equal once trimmed.
    expect(inputError(() => read("d.json", '{"a": 1,\n"b": 1,\n   "a ": 4}'))).toBe(
      'd.json:3:4: label "a" already appeared at d.json:1:2; pass --duplicates sum to add their counts, or merge the two entries or rename one',
    );
  });

  it("a document that is neither an array nor an object: where the value starts", () => {
    expect(inputError(() => read("s.json", '\n\n   "just a string"'))).toBe(
      's.json:3:4: expected a JSON array of labels or an object {"label": count}, got "just a string"',
    );
  });

  it("positions skip strings holding brackets, quotes and commas, and do not count a byte-order mark", () => {
    expect(inputError(() => read("q.json", '{"[a, \\"b\\"]": 1, "}": 2, "c": -1}'))).toMatch(/^q\.json:1:32: "c": count -1 is negative/);
    expect(inputError(() => read("q.json", '\ufeff{"a": 1, "b": -1}'))).toMatch(/^q\.json:1:15: "b": count -1 is negative/);
    expect(inputError(() => read("stdin", '["a", "b", false]'))).toMatch(/^stdin:1:12: element 3: false is not a label/);
  });
});

describe("the most distinct labels (MAX_DISTINCT_LABELS: a Map holds at most 2²⁴ entries)", () => {
  const limited = { column: null, countColumn: null, duplicates: "error" as const, maxLabels: 3 };

  it("refuses the label past it with its place, in every format", () => {
    const past = "more than 3 distinct labels, the most a file may hold; merge rare labels into one";
    // Repeats of the first three are counted; the fourth distinct label is refused where it is.
    expect(inputError(() => readLabels({ name: "a.txt", text: "a\nb\na\nc\nb\nd\n" }, limited))).toMatch(`a.txt:6: ${past}`);
    expect(inputError(() => readLabels({ name: "a.csv", text: "label,count\na,1\nb,2\nc,3\nd,4\n" }, limited))).toMatch(`a.csv:5: ${past}`);
    expect(inputError(() => readLabels({ name: "a.json", text: '["a", "b", "c",\n "a", "d"]' }, limited))).toMatch(`a.json:2:7: element 5: ${past}`);
    expect(inputError(() => readLabels({ name: "a.json", text: '{"a": 1, "b": 2,\n "c": 3, "d": 4}' }, limited))).toMatch(
      new RegExp(`^a\\.json:2:10: ${past}`),
    );
    expect(read("a.txt", "a\nb\na\nc\nb\n", { maxLabels: 3 })).toEqual({ a: 2, b: 2, c: 1 });
  });

  it("holds when the file is streamed", async () => {
    const file = join(tempDir(), "labels.txt");
    writeFileSync(file, "x\ny\nz\nx\nw\n");
    await expect(readLabelsStream(file, limited)).rejects.toThrow(`${file}:5: more than 3 distinct labels`);
  });
});

describe("hostile label files", () => {
  it("JSON labels: byte-order mark accepted, depth limited, keys located on their line", () => {
    expect(read("b.json", '\ufeff{"a": 2, "b": 3}')).toEqual({ a: 2, b: 3 });
    expect(inputError(() => read("b.json", "[".repeat(600)))).toBe("b.json:1:513: JSON nested deeper than 512 levels; flatten the document");
    expect(inputError(() => read("b.json", '{\n"a": 2,\n"b": -1\n}'))).toMatch(/^b\.json:3:6: "b": count -1 is negative/);
    expect(inputError(() => read("b.json", '{\n"a": 2,\n"b": 1,\n"1": 1,\n" a": 4\n}'))).toMatch(/^b\.json:5:1: label "a" already appeared at b\.json:2:1/);
  });

  it("quotes at most a short excerpt of a label or a count", () => {
    const long = "b".repeat(1_000_000);
    expect(inputError(() => read("l.csv", `label,count\n${long},x\n`)).length).toBeLessThan(300);
    expect(inputError(() => read("l.csv", `label,count\na,1\nb,${"9".repeat(100_000)}.5\n`)).length).toBeLessThan(300);
    expect(inputError(() => read("l.json", `[${JSON.stringify({ k: long })}]`)).length).toBeLessThan(300);
    expect(inputError(() => read("l.csv", `${long},1\n${long},2\n`)).length).toBeLessThan(300);
  });
});

describe("labels from arbitrary text (property)", () => {
  it("every format reads or throws InputError with one short line, never anything else", async () => {
    const fc = (await import("fast-check")).default;
    const labelish = fc
      .array(fc.constantFrom("a", "b", ",", "\t", "\n", '"', "1", "-1", "1.5", "[", "]", "{", "}", ":", '"a"', " ", "count", "__proto__"), { maxLength: 200 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(
        fc.constantFrom("l.csv", "l.tsv", "l.txt", "l.json", "l.ndjson", "stdin"),
        fc.oneof(fc.string({ unit: "binary" }), labelish),
        fc.record({
          column: fc.constantFrom(null, "1", "2", "a", "count"),
          countColumn: fc.constantFrom(null, "1", "2", "3", "count"),
          duplicates: fc.constantFrom("error" as const, "sum" as const),
        }),
        (name, text, options) => {
          try {
            readLabels({ name, text }, options);
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
