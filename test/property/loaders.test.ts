/**
 * Property: every seed-data loader, given arbitrary strings or arbitrary bytes (decoded by
 * decodeUtf8), either returns a result or throws a CollapseError (exit 2, one line) — never a
 * TypeError, RangeError or any other exception. Seed: SEED in arbitraries.ts (fixed).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/config.js";
import { type RawOption, resolveSimConfig } from "../../src/config/resolve.js";
import { readLabels } from "../../src/data/labels.js";
import { numericColumns, singleColumn } from "../../src/data/numbers.js";
import { decodeUtf8, type NamedText as TextInput } from "../../src/data/read.js";
import { readTable } from "../../src/data/table.js";
import { ngram } from "../../src/models/ngram.js";
import { withRunContext } from "../helpers.js";
import { anyBytes, anyText, onlyCollapseErrors, RUNS } from "./arbitraries.js";

/** A seed file's text through `load`, as the CLI would: decoded from bytes, or given as a string. */
function fromBytes(name: string, bytes: Uint8Array, load: (input: TextInput) => unknown): void {
  onlyCollapseErrors(() => load({ name, text: decodeUtf8(bytes, name) }));
}

/** What `collapse sim --data FILE` does with a table: one numeric column, or all of them (mvn). */
function loadTable(input: TextInput): void {
  const table = onlyCollapseErrors(() => readTable(input));
  if (table instanceof Error) return;
  onlyCollapseErrors(() => singleColumn(table, null));
  onlyCollapseErrors(() => singleColumn(table, "x"));
  onlyCollapseErrors(() => singleColumn(table, "2"));
  onlyCollapseErrors(() => numericColumns(table, null));
}

const ngramConfig = (o: Record<string, unknown>) => {
  const raw = new Map<string, RawOption>(Object.entries({ model: "ngram", ...o }).map(([k, v]) => [k, { value: v, origin: { kind: "flag" } }]));
  return withRunContext({ ...resolveSimConfig(raw), sampleSize: 100 } as ResolvedConfig);
};
const WORD = ngramConfig({});
const CHAR = ngramConfig({ tokens: "char", order: 3 });

function loadText(input: TextInput): void {
  for (const config of [WORD, CHAR]) onlyCollapseErrors(() => ngram.seed({ kind: "text", text: input.text, name: input.name }, config));
}

const TABLE_FORMATS = ["d.csv", "d.tsv", "d.json", "d.ndjson", "d.txt", "stdin"] as const;

describe("property: table loaders (CSV, TSV, JSON, NDJSON, txt, sniffed stdin)", () => {
  for (const name of TABLE_FORMATS) {
    it(`${name}: arbitrary strings give a table or a CollapseError`, () => {
      fc.assert(
        fc.property(anyText, (text) => loadTable({ name, text })),
        RUNS,
      );
    });
    it(`${name}: arbitrary bytes give a table or a CollapseError`, () => {
      fc.assert(
        fc.property(anyBytes, (bytes) => fromBytes(name, bytes, loadTable)),
        RUNS,
      );
    });
  }
});

describe("property: label loader (categorical)", () => {
  for (const name of ["l.txt", "l.csv", "l.tsv", "l.json", "stdin"]) {
    it(`${name}: arbitrary strings give labels or a CollapseError`, () => {
      fc.assert(
        fc.property(anyText, (text) => void onlyCollapseErrors(() => readLabels({ name, text }))),
        RUNS,
      );
    });
    it(`${name}: arbitrary bytes give labels or a CollapseError`, () => {
      fc.assert(
        fc.property(anyBytes, (bytes) => fromBytes(name, bytes, readLabels)),
        RUNS,
      );
    });
  }
});

describe("property: text corpus (ngram, word and char tokens)", () => {
  it("arbitrary strings give training data or a CollapseError", () => {
    fc.assert(
      fc.property(anyText, (text) => loadText({ name: "t.txt", text })),
      RUNS,
    );
  });
  it("arbitrary bytes give training data or a CollapseError", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => fromBytes("t.txt", bytes, loadText)),
      RUNS,
    );
  });
});
