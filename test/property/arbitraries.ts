/**
 * Inputs for the property tests: arbitrary strings, arbitrary bytes, and "almost valid" texts
 * assembled from the tokens the loaders care about (so that the parsers get past their first line).
 * Every property runs with the fixed seed SEED, so a failure reproduces exactly.
 */
import fc from "fast-check";
import { CollapseError } from "../../src/errors.js";

/** The fast-check seed of every property here: runs are reproducible. */
export const SEED = 20_261_203;

/** Options for fc.assert: the fixed seed, and enough runs to matter while staying fast. */
export const RUNS = { seed: SEED, numRuns: 300 } as const;

const TOKENS = [
  "0",
  "1",
  "-2.5",
  "3e2",
  "1e400",
  "-1e400",
  "1e-300",
  "1e300",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "0x10",
  ".5",
  "5.",
  "abc",
  "x",
  "y",
  "label",
  "count",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  ",",
  ",",
  "\t",
  ";",
  " ",
  "  ",
  "\n",
  "\n",
  "\n",
  "\r\n",
  "\r",
  "#",
  "# comment\n",
  '"',
  '""',
  "'",
  "[",
  "]",
  "{",
  "}",
  ":",
  "null",
  "true",
  "false",
  '"x"',
  '"x":',
  '{"x":',
  "[1,",
  "\\",
  "\\u0000",
  "\uFEFF",
  "\u00e9",
  "\u2019",
  "\u{1F600}",
  "\u0000",
  "normal(",
  "mixture(",
  "zipf(",
  "*",
  ")",
  "(",
];

/** Texts built from the tokens above: mostly well-formed enough to reach deep into a parser. */
export const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((parts) => parts.join(""));

/** Any string: random code points (lone surrogates included), or token soup. */
export const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ maxLength: 200 }), tokenText, tokenText);

/** Any bytes: random, or token soup with a few bytes replaced by arbitrary ones (often invalid UTF-8). */
export const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(tokenText, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 })).map(([text, flips]) => {
    const b = Buffer.from(text, "utf8");
    for (const [at, v] of flips) if (b.length > 0) b[at % b.length] = v;
    return new Uint8Array(b);
  }),
);

/**
 * Runs `f`; a CollapseError (a user-fixable error) is fine, any other exception is not. With
 * `oneLine`, the error's message must also be one line (stderr gets exactly one).
 */
export function onlyCollapseErrors<T>(f: () => T, oneLine = false): T | CollapseError {
  try {
    return f();
  } catch (e) {
    if (e instanceof CollapseError) {
      if (oneLine && /[\n\r]/.test(e.message)) throw new Error(`a message of more than one line: ${JSON.stringify(e.message.slice(0, 300))}`);
      return e;
    }
    throw e;
  }
}

/** The async form of onlyCollapseErrors. */
export async function onlyCollapseErrorsAsync<T>(f: () => Promise<T>): Promise<T | CollapseError> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof CollapseError) return e;
    throw e;
  }
}
