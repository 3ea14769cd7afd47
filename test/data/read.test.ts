/**
 * The streaming readers: UTF-8 decoded chunk by chunk gives the text (and the error positions)
 * of a whole-file decode, and streamed numeric tables read the values readTable reads.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { type LabelOptions, readLabels, readLabelsStream } from "../../src/data/labels.js";
import { numericColumns, singleColumn } from "../../src/data/numbers.js";
import { readNumericTable } from "../../src/data/numeric-table.js";
import { decodeCheckedUtf8, decodeUtf8, maxInputBytes, readText, readUtf8, Utf8Stream } from "../../src/data/read.js";
import { decodeSeed, loadSeedAsync, loadSessionSeed } from "../../src/data/seed-file.js";
import { readTable } from "../../src/data/table.js";
import { getModel } from "../../src/models/index.js";
import { tempDir } from "../cli/cli.js";
import { inputError } from "../expect-error.js";
import { flags } from "../helpers.js";

/** Decodes `bytes` fed in pieces cut at the given offsets. */
function streamed(bytes: Uint8Array, cuts: number[], name = "t.txt"): string {
  const s = new Utf8Stream(name);
  let text = "";
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    text += s.push(bytes.subarray(from, cut));
    from = cut;
  }
  s.end();
  return text;
}

describe("Utf8Stream", () => {
  const text = "\uFEFFx,é\n1,€\n2,𝄞 ok\n";
  const bytes = new TextEncoder().encode(text);

  it("gives the whole decode's text for every single cut and every pair of cuts (multi-byte characters split)", () => {
    const whole = decodeUtf8(bytes, "t.txt");
    for (let a = 0; a <= bytes.length; a++) {
      expect(streamed(bytes, [a])).toBe(whole);
      for (let b = a; b <= bytes.length; b++) expect(streamed(bytes, [a, b])).toBe(whole);
    }
  });

  it("names the same line, column and offset as the whole decode for a bad byte anywhere, however the input is cut", () => {
    for (let at = 0; at < bytes.length; at++) {
      const bad = bytes.slice();
      bad[at] = 0xff;
      const expected = inputError(() => decodeUtf8(bad, "t.txt"));
      for (let cut = 0; cut <= bad.length; cut++) expect(inputError(() => streamed(bad, [cut]))).toBe(expected);
    }
  });

  it("reports a character cut short at the very end", () => {
    const truncated = new Uint8Array([0x31, 0x0a, 0xe2, 0x82]);
    expect(inputError(() => streamed(truncated, [3]))).toBe(inputError(() => decodeUtf8(truncated, "t.txt")));
  });
});

describe("a text read as bytes, decoded later (readUtf8, loadSessionSeed)", () => {
  const dir = tempDir();
  // A byte-order mark, two- three- and four-byte characters, and more than one read's worth (1 MiB).
  const text = `\uFEFF${"Château — the tower’s bells 𝄞 rang.\n".repeat(40_000)}`;
  const file = join(dir, "text.txt");
  writeFileSync(file, text);

  it("gives readText's text and hash", async () => {
    const bytes = await readUtf8(file);
    const whole = await readText(file);
    expect(decodeCheckedUtf8(bytes.bytes, "t.txt")).toBe(whole.text);
    expect(bytes.sha256).toBe(whole.sha256);
    expect(bytes.name).toBe(whole.name);
  });

  it("refuses invalid UTF-8 as readText does, naming the same place", async () => {
    const bad = join(dir, "bad.txt");
    writeFileSync(bad, Buffer.concat([Buffer.from("line one\nline two "), Buffer.from([0xc3, 0x28]), Buffer.from(" end\n")]));
    const message = await readText(bad).catch((e: Error) => e.message);
    // 0xc3 opens a two-byte character; 0x28, the 11th byte of line 2, cannot continue it.
    expect(message).toMatch(/bad\.txt:2:11: invalid UTF-8 byte 0x28/);
    await expect(readUtf8(bad)).rejects.toThrow(message);
  });

  it("decodes to the seed loadSeedAsync reads, for a text model; other models' seeds are read as before", async () => {
    const config = resolveSimConfig(flags({ model: "ngram", data: file }));
    const encoded = await loadSessionSeed(getModel("ngram"), config);
    expect(encoded.input.kind).toBe("utf8");
    expect(decodeSeed(encoded)).toEqual(await loadSeedAsync(getModel("ngram"), config));
    const numbers = join(dir, "numbers.txt");
    writeFileSync(numbers, "1\n2\n3.5\n");
    const gaussian = resolveSimConfig(flags({ data: numbers }));
    const seed = await loadSessionSeed(getModel("gaussian"), gaussian);
    expect(decodeSeed(seed)).toBe(seed);
    expect(seed).toEqual(await loadSeedAsync(getModel("gaussian"), gaussian));
  });
});

describe("streamed numeric tables", () => {
  const files: Record<string, string> = {
    "a.csv": "x,y\n1,2\n# comment\n\n3,4e2\r\n-5,.5\n",
    "b.tsv": "1\t2\n3\t4\n",
    "c.txt": "  1.5\n2\n\n3\n",
    d: "p,q\n1,oops\n2,3\n",
    "e.json": "[1, 2, 3.5]",
    "f.ndjson": '{"a": 1, "b": 2}\n{"a": 3, "b": 4}\n',
    "g.csv": '"x","y"\n"1",2\n3,"4"\n',
    // No telling extension: sniffed as CSV or TSV, a header detected as in a .csv file.
    h: "x\n1\n2\n",
    "i.dat": '"x"\t"y"\n1\t"2"\n',
  };
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

  it.each(Object.keys(files))("%s: the same columns, names and errors as readTable", async (name) => {
    const path = join(dir, name);
    const streamedTable = await readNumericTable(path);
    const whole = readTable({ name: path, text: files[name]! });
    expect(streamedTable.names).toEqual(whole.names);
    expect(streamedTable.hasHeader).toBe(whole.hasHeader);
    const a = (() => {
      try {
        return numericColumns(streamedTable, null);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    const b = (() => {
      try {
        return numericColumns(whole, null);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(a).toEqual(b);
    for (const column of whole.names) {
      const one = (t: Parameters<typeof singleColumn>[0]) => {
        try {
          return Array.from(singleColumn(t, column).values);
        } catch (e) {
          return (e as Error).message;
        }
      };
      expect(one(streamedTable)).toEqual(one(whole));
    }
  });

  it("empty and header-only files are refused as readTable refuses them", async () => {
    writeFileSync(join(dir, "empty.csv"), " \n\n");
    writeFileSync(join(dir, "header.csv"), "a,b\n");
    await expect(readNumericTable(join(dir, "empty.csv"))).rejects.toThrow(/empty\.csv is empty/);
    await expect(readNumericTable(join(dir, "header.csv"))).rejects.toThrow(/header\.csv has no data rows after its header/);
  });

  it("enforces the input limit while reading, naming the limit and how to raise it", async () => {
    writeFileSync(join(dir, "big.txt"), "1\n".repeat(5000));
    await expect(readText(join(dir, "big.txt"), "fix", 4096)).rejects.toThrow(/big\.txt is larger than the 4 KiB input limit; .*COLLAPSE_MAX_INPUT=16K/);
    expect(maxInputBytes({ COLLAPSE_MAX_INPUT: "4G" })).toBe(4 * 2 ** 30);
    expect(maxInputBytes({ COLLAPSE_MAX_INPUT: "1500" })).toBe(1500);
    expect(maxInputBytes({})).toBe(2 ** 30);
    expect(() => maxInputBytes({ COLLAPSE_MAX_INPUT: "lots" })).toThrow(/COLLAPSE_MAX_INPUT=lots is not a size/);
  });
});

describe("streamed labels", () => {
  const files: Record<string, string> = {
    "one.txt": "a\nb\n\na\r\n c \nb",
    "counts.csv": "breed,count\npug,3\nbeagle,0\ncollie,5\n",
    "counts.tsv": "pug\t3\ncollie\t5\n",
    "array.json": '["a", "b", "a"]',
    "dup.csv": "x,1\ny,2\nx,3\n",
    "wide.csv": "a,1,2\n",
    "frac.csv": "a,1\nb,2.5\n",
    sniffed: "red\ngreen\nred\n",
    "quoted-stdin-like": '"species"\n"setosa"\nvirginica\n',
    "births.csv": "name,sex,births\nAda,F,5\nBo,M,3\nAda,M,2\n",
    "object-like": '{"a": 2, "b": 1, "a": 1}',
  };
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

  it.each(Object.keys(files))("%s: the labels, counts and errors of readLabels on the whole text", async (name) => {
    const path = join(dir, name);
    const whole = (() => {
      try {
        const r = readLabels({ name: path, text: files[name]! });
        return { labels: r.labels, counts: Array.from(r.counts) };
      } catch (e) {
        return (e as Error).message;
      }
    })();
    const streamedCounts = await readLabelsStream(path).then(
      (r) => ({ labels: r.labels, counts: Array.from(r.counts) }),
      (e: Error) => e.message,
    );
    expect(streamedCounts).toEqual(whole);
  });

  const OPTIONS: LabelOptions[] = [
    { column: "species", countColumn: null, duplicates: "error" },
    { column: "name", countColumn: "births", duplicates: "error" },
    { column: "name", countColumn: "births", duplicates: "sum" },
    { column: "1", countColumn: "3", duplicates: "sum" },
    { column: "2", countColumn: null, duplicates: "error" },
    { column: null, countColumn: null, duplicates: "sum" },
  ];
  it.each(OPTIONS.flatMap((o) => Object.keys(files).map((name) => [name, o] as const)))(
    "%s with %j: the labels, counts and errors of readLabels on the whole text",
    async (name, options) => {
      const path = join(dir, name);
      const whole = (() => {
        try {
          const r = readLabels({ name: path, text: files[name]! }, options);
          return { labels: r.labels, counts: Array.from(r.counts) };
        } catch (e) {
          return (e as Error).message;
        }
      })();
      const streamedCounts = await readLabelsStream(path, options).then(
        (r) => ({ labels: r.labels, counts: Array.from(r.counts) }),
        (e: Error) => e.message,
      );
      expect(streamedCounts).toEqual(whole);
    },
  );
});
