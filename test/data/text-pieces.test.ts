/**
 * A text read in pieces: a file of 512 MiB or more is more text than one string holds (V8's
 * limit), so a text model's seed and a CSV or NDJSON shard are decoded a piece at a time
 * (decodePieces) and read across the cuts (the tokenizers, PieceLines). Every reader over pieces
 * must give what it gives for the whole text as one string, wherever the cuts fall: these
 * properties cut random texts at random places, down to one byte or one character a piece.
 */
import { constants } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { PieceLines } from "../../src/data/piece-lines.js";
import { decodeCheckedUtf8, decodePieces } from "../../src/data/read.js";
import { MAX_STRING_LENGTH, TextTooLong, tokenIds } from "../../src/models/ngram/tokenize.js";
import { ngram } from "../../src/models/ngram.js";
import { inputError } from "../expect-error.js";
import { withRunContext } from "../helpers.js";

/** Characters that matter to the readers: line ends, spaces, letters that lower-case with context, surrogate pairs, BOMs. */
const UNITS = ["a", "Z", "7", "'", "’", " ", "  ", "\n", "\r\n", "\t", ",", "é", "Σ", "ΟΔΟΣ", "İ", "ß", "中", "😀", "𝐀", "\ufeff", "\u00a0", "\u3000", "#"];
const texts = fc.array(fc.constantFrom(...UNITS), { maxLength: 60 }).map((parts) => parts.join(""));

/** `text` cut at the given fractions of its length (UTF-16 units: a surrogate pair may be split). */
function cutUnits(text: string, at: number[]): string[] {
  const cuts = [...new Set(at.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    pieces.push(text.slice(from, cut));
    from = cut;
  }
  return pieces;
}

/** `text` cut between code points (as a decoder's pieces are), at the given fractions. */
function cutCodePoints(text: string, at: number[]): string[] {
  const points = Array.from(text);
  const cuts = [...new Set(at.map((f) => Math.floor(f * points.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const cut of [...cuts, points.length]) {
    pieces.push(points.slice(from, cut).join(""));
    from = cut;
  }
  return pieces;
}

const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

describe("decodePieces", () => {
  it("gives decodeCheckedUtf8's text in pieces, for any piece size (BOMs and multi-byte characters cut)", () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 1, max: 12 }), (text, size) => {
        const bytes = Buffer.from(text, "utf8");
        const pieces = decodePieces(bytes, size);
        expect(pieces.join("")).toBe(decodeCheckedUtf8(bytes, "t.txt"));
        // Each piece is whole characters: no lone half of a surrogate pair at a cut.
        for (const piece of pieces) expect(Buffer.from(piece, "utf8").toString("utf8")).toBe(piece);
      }),
      { numRuns: 600, seed: 20261204 },
    );
  });

  it("is one piece below the piece size, none for no bytes", () => {
    expect(decodePieces(Buffer.from("abc\n"))).toEqual(["abc\n"]);
    expect(decodePieces(new Uint8Array(0))).toEqual([]);
  });
});

describe("PieceLines", () => {
  it("gives text.split('\\n') across any cuts, knows the last line, and the text before any line", () => {
    fc.assert(
      fc.property(texts, fractions, fc.integer({ min: 1, max: 9 }), (text, at, size) => {
        const pieces = cutCodePoints(text, at);
        const lines = new PieceLines(pieces);
        const expected = text.split("\n");
        let offset = 0;
        for (let k = 0; k < expected.length; k++) {
          expect(lines.next()).toBe(expected[k]);
          expect(lines.done).toBe(k === expected.length - 1);
          // What comes before this line, in chunks of about `size` cut after line ends.
          const before = [...lines.before(lines.start, size)];
          expect(before.join("")).toBe(text.slice(0, offset));
          offset += expected[k]!.length + 1;
        }
        expect(lines.next()).toBeNull();
      }),
      { numRuns: 600, seed: 20261204 },
    );
  });
});

describe("tokenIds over pieces", () => {
  it("gives the whole text's ids and vocabulary, word and char, cut anywhere (a surrogate pair too)", () => {
    fc.assert(
      fc.property(texts, fractions, fc.constantFrom("word" as const, "char" as const), (text, at, kind) => {
        const whole = tokenIds(text, kind);
        const cut = tokenIds(cutUnits(text, at), kind);
        expect(cut.words).toEqual(whole.words);
        expect(Array.from(cut.ids)).toEqual(Array.from(whole.ids));
      }),
      { numRuns: 1000, seed: 20261204 },
    );
  });

  it("takes V8's string limit as it is", () => {
    expect(MAX_STRING_LENGTH).toBe(constants.MAX_STRING_LENGTH);
  });

  it("refuses a word run longer than one string, with the file named (the char tokenizer reads it)", () => {
    // Two pieces of 2²⁸ letters with no space or line break: together more than a string holds.
    const half = "a".repeat(2 ** 28);
    expect(() => tokenIds([half, half], "word")).toThrow(TextTooLong);
    const config = withRunContext({ ...resolveSimConfig(new Map([["model", { value: "ngram", origin: { kind: "flag" } }]])), sampleSize: 100 });
    expect(inputError(() => ngram.seed({ kind: "text", text: [half, half], name: "big.txt" }, config))).toMatch(
      /^big\.txt: a run of more than \d+ characters with no space or line break/,
    );
  });
});
