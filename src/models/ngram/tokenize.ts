/**
 * Tokenizers of the n-gram model and the integer encoding of a text against a vocabulary.
 *
 * - word: the text is lower-cased, the typographic apostrophe ’ becomes ', and a token is a
 *   maximal run of letters, digits and apostrophes (Unicode \p{L}, \p{N}, '); everything else —
 *   punctuation, whitespace, symbols — separates tokens and is dropped. Numbers are tokens like
 *   words ("1140", "12th"). On ASCII text this is exactly the Python reference's
 *   re.findall(r"[a-z0-9']+", text.lower()).
 * - char: every Unicode code point is a token, case and punctuation kept; each run of
 *   whitespace (newlines included) becomes one space, and leading/trailing whitespace is dropped.
 *
 * `tokenIds` reads a text in one pass straight into ids and its vocabulary, with no array of token
 * strings: a novel's 200k tokens (or 50 MB of text's 9 million) would otherwise be as many
 * strings on the heap. `tokenize` and `encode` spell out the same definition for tests.
 */

import { type TextPieces, textLength } from "../model.js";

const WORD = /[\p{L}\p{N}']+/gu;

/** The most UTF-16 units a string may hold: V8's limit on 64-bit machines (node:buffer's constants.MAX_STRING_LENGTH). */
export const MAX_STRING_LENGTH = 2 ** 29 - 24;

export const TOKENIZERS = ["word", "char"] as const;
export type Tokens = (typeof TOKENIZERS)[number];

export function tokenize(text: string, kind: Tokens): string[] {
  if (kind === "word")
    return (
      text
        .toLowerCase()
        .replace(/\u2019/g, "'")
        .match(WORD) ?? []
    );
  const squeezed = text.replace(/\s+/g, " ").trim();
  return Array.from(squeezed);
}

/** What joins tokens back into text for display: a space between words, nothing between characters. */
export function joinerOf(kind: Tokens): string {
  return kind === "word" ? " " : "";
}

/** A vocabulary: ids 0…V−1 in order of first appearance. */
export interface Vocabulary {
  readonly words: string[];
  readonly index: Map<string, number>;
}

/** The vocabulary of `tokens` (first appearance first) and the tokens as ids. */
export function encode(tokens: readonly string[]): { vocabulary: Vocabulary; ids: Int32Array } {
  const index = new Map<string, number>();
  const words: string[] = [];
  const ids = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let id = index.get(t);
    if (id === undefined) {
      id = words.length;
      index.set(t, id);
      words.push(t);
    }
    ids[i] = id;
  }
  return { vocabulary: { words, index }, ids };
}

/** Tokens as ids of an existing vocabulary; tokens outside it get the id V (unknown). */
export function encodeWith(tokens: readonly string[], vocabulary: Vocabulary): Int32Array {
  const unknown = vocabulary.words.length;
  const ids = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) ids[i] = vocabulary.index.get(tokens[i]!) ?? unknown;
  return ids;
}

/** A text as ids 0…V−1 in order of first appearance (a view of a longer buffer: copy what you keep), and the token strings by id. */
export interface TokenIds {
  readonly ids: Int32Array;
  readonly words: string[];
}

/** An Int32Array that doubles as it fills. */
class IdBuffer {
  ids: Int32Array;
  length = 0;
  /** `expected`: the most ids there will be, when known (no doubling, no copies). */
  constructor(expected = 1 << 12) {
    this.ids = new Int32Array(Math.max(1, expected));
  }
  push(id: number): void {
    if (this.length === this.ids.length) {
      const more = new Int32Array(2 * this.ids.length);
      more.set(this.ids);
      this.ids = more;
    }
    this.ids[this.length++] = id;
  }
  /** The ids so far, a view (the caller copies what it keeps). */
  done(): Int32Array {
    return this.ids.subarray(0, this.length);
  }
}

/** tokenize + encode in one pass: the same ids and vocabulary, without the token strings in between. */
export function tokenIds(text: TextPieces, kind: Tokens): TokenIds {
  const pieces = typeof text === "string" ? [text] : text;
  return kind === "word" ? wordIds(pieces) : charIds(pieces);
}

/** Chunks of about this many UTF-16 units are lower-cased and tokenized at a time. */
const CHUNK_UNITS = 1 << 20;

/** A string that holds its own characters (not a slice of a longer one). */
function flat(t: string): string {
  return t.length < 13 ? t : (JSON.parse(JSON.stringify(t)) as string);
}

const SPACE = 32;
const NEWLINE = 10;

/**
 * Where a text may be cut for lower-casing and tokenizing apart: after a space or a line break.
 * No token holds either, and lower-casing depends on context only for a final sigma, whose
 * context either ends (a full stop would not: it is case-ignorable).
 */
function isBreak(c: number): boolean {
  return c === SPACE || c === NEWLINE;
}

function wordIds(pieces: readonly string[]): TokenIds {
  const vocabulary = new WordTable();
  const out = new IdBuffer();
  // What follows a piece's last break may be the start of a word the next piece ends: carried over.
  let carry = "";
  for (const piece of pieces) {
    const first = firstBreak(piece);
    if (first < 0) {
      carry = joined(carry, piece);
      continue;
    }
    const head = carry + piece.slice(0, first + 1);
    scanRange(head, 0, head.length, vocabulary, out);
    const last = lastBreak(piece);
    scanRange(piece, first + 1, last + 1, vocabulary, out);
    carry = piece.slice(last + 1);
  }
  scanRange(carry, 0, carry.length, vocabulary, out);
  return { ids: out.done(), words: vocabulary.words };
}

/** The index of the first space or line break in `s`, −1 if there is none. */
function firstBreak(s: string): number {
  const space = s.indexOf(" ");
  const newline = s.indexOf("\n");
  return space < 0 ? newline : newline < 0 ? space : Math.min(space, newline);
}

/** The index of the last space or line break in `s`, −1 if there is none. */
function lastBreak(s: string): number {
  return Math.max(s.lastIndexOf(" "), s.lastIndexOf("\n"));
}

/** a + b, or a TextTooLong error where one string cannot hold them. */
function joined(a: string, b: string): string {
  if (a.length + b.length > MAX_STRING_LENGTH) throw new TextTooLong();
  return a + b;
}

/** A run of text with no space or line break longer than a string can hold: it cannot be lower-cased. */
export class TextTooLong extends Error {
  constructor() {
    super(`a run of more than ${MAX_STRING_LENGTH} characters with no space or line break`);
  }
}

/** The words of text[from, to), which ends at a break or at the text's end, lower-cased a chunk at a time. */
function scanRange(text: string, from: number, to: number, vocabulary: WordTable, out: IdBuffer): void {
  while (from < to) {
    let end = Math.min(to, from + CHUNK_UNITS);
    while (end < to && !isBreak(text.charCodeAt(end - 1))) end++;
    scanWords(
      text
        .slice(from, end)
        .toLowerCase()
        .replace(/\u2019/g, "'"),
      vocabulary,
      out,
    );
    from = end;
  }
}

/**
 * The tokens of a lower-cased chunk, as WORD matches them (maximal runs of \p{L}, \p{N} and ',
 * a surrogate pair being one code point), read character by character into ids: no string is
 * made for a token already in the vocabulary. Matching with WORD made an array of every token's
 * string, and looking each up hashed it again: 130 ms for a novel's 200k tokens in a fresh process.
 */
function scanWords(s: string, vocabulary: WordTable, out: IdBuffer): void {
  const n = s.length;
  let i = 0;
  // ASCII is tested inline, the rest by wordCharWidth: a call per character costs much in the
  // seconds before this loop is optimised, all a one-off run has.
  for (;;) {
    // Skip to the start of a token.
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 128 ? ASCII_WORD[c] === 1 : wordCharWidth(s, i) > 0) break;
    }
    if (i >= n) return;
    const start = i;
    let hash = 0x811c9dc5;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        if (ASCII_WORD[c] === 0) break;
        hash = Math.imul(hash ^ c, 0x01000193);
        i++;
      } else {
        const width = wordCharWidth(s, i);
        if (width === 0) break;
        hash = Math.imul(hash ^ c, 0x01000193);
        if (width === 2) hash = Math.imul(hash ^ s.charCodeAt(i + 1), 0x01000193);
        i += width;
      }
    }
    out.push(vocabulary.id(s, start, i, hash));
  }
}

/** How many UTF-16 units the token character at s[i] takes (1, or 2 for a surrogate pair), 0 if none starts there. */
function wordCharWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c]!;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const low = s.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return isWordCodePoint(0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00)) ? 2 : 0;
  }
  // A lone surrogate is no letter: WORD, with the u flag, reads it as a code point of its own.
  let known = basicPlaneWord[c]!;
  if (known === UNKNOWN) known = basicPlaneWord[c] = isWordCodePoint(c) ? 1 : 0;
  return known;
}

const UNKNOWN = 2;
/** Per ASCII code: 1 for a-z, 0-9 and ' (a lower-cased chunk has no A-Z), else 0. */
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, c) => (/[a-z0-9']/.test(String.fromCharCode(c)) ? 1 : 0));
/** Per unit of the basic plane: 1 if \p{L} or \p{N}, 0 if not, UNKNOWN until first met. */
const basicPlaneWord = new Uint8Array(65536).fill(UNKNOWN);
const astralWord = new Map<number, boolean>();
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function isWordCodePoint(cp: number): boolean {
  if (cp < 0x10000) return LETTER_OR_DIGIT.test(String.fromCharCode(cp));
  let known = astralWord.get(cp);
  if (known === undefined) astralWord.set(cp, (known = LETTER_OR_DIGIT.test(String.fromCodePoint(cp))));
  return known;
}

/** A vocabulary being read: ids in order of first appearance, found from a token's place in a chunk. */
class WordTable {
  readonly words: string[] = [];
  /** Each word's hash, by id. */
  private readonly hashes = new IdBuffer(1 << 10);
  /** Open addressing: id + 1 per slot, 0 when empty; at most half full. */
  private slots = new Int32Array(1 << 11);

  /** The id of s[start, end), whose hash is `hash`; a new id (and the token's string) if it is new. */
  id(s: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return this.add(s.slice(start, end), hash, slot);
      const id = entry - 1;
      if (this.hashes.ids[id] === hash && sameChars(this.words[id]!, s, start, length)) return id;
    }
  }

  private add(token: string, hash: number, slot: number): number {
    const id = this.words.length;
    // A copy: a substring may keep the whole chunk it was cut from alive.
    this.words.push(flat(token));
    this.hashes.push(hash);
    this.slots[slot] = id + 1;
    if (2 * (id + 1) > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let id = 0; id < this.words.length; id++) {
      let slot = this.hashes.ids[id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

function sameChars(word: string, s: string, start: number, length: number): boolean {
  if (word.length !== length) return false;
  for (let k = 0; k < length; k++) if (word.charCodeAt(k) !== s.charCodeAt(start + k)) return false;
  return true;
}

/** Per UTF-16 unit: whether /\s/ matches it (built on the first non-ASCII character). */
let whitespace: Uint8Array | null = null;

function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  if (whitespace === null) {
    whitespace = new Uint8Array(65536);
    for (let u = 0; u < 65536; u++) whitespace[u] = /\s/.test(String.fromCharCode(u)) ? 1 : 0;
  }
  return whitespace[c] === 1;
}

function charIds(pieces: readonly string[]): TokenIds {
  // Ids of the basic plane's characters in an array, of the others in a map.
  const bmp = new Int32Array(65536).fill(-1);
  const astral = new Map<number, number>();
  const words: string[] = [];
  // A character is at least one UTF-16 unit, a whitespace run one space: at most text.length ids,
  // a bound close to the count for prose, so the ids are never copied (a novel's 1.2M ids were
  // written to 2M slots after three copies).
  const out = new IdBuffer(textLength(pieces));
  let space = false;
  // A surrogate pair cut between two pieces: the first half, put before the next piece.
  let high = "";
  for (let p = 0; p < pieces.length; p++) {
    let text = high === "" ? pieces[p]! : high + pieces[p]!;
    high = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff && p + 1 < pieces.length) {
      high = text.slice(-1);
      text = text.slice(0, -1);
    }
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (isSpace(c)) {
        // A run of whitespace is one space, and only between two other characters.
        space = out.length > 0;
        continue;
      }
      if (space) {
        space = false;
        let id = bmp[32]!;
        if (id < 0) {
          id = bmp[32] = words.length;
          words.push(" ");
        }
        out.push(id);
      }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
          let id = astral.get(c);
          if (id === undefined) {
            id = words.length;
            astral.set(c, id);
            words.push(String.fromCodePoint(c));
          }
          out.push(id);
          continue;
        }
      }
      let id = bmp[c]!;
      if (id < 0) {
        id = bmp[c] = words.length;
        words.push(String.fromCharCode(c));
      }
      out.push(id);
    }
  }
  return { ids: out.done(), words };
}
