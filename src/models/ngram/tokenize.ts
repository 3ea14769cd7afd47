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
 */

const WORD = /[\p{L}\p{N}']+/gu;

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
