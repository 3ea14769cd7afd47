/**
 * Input quoted in a message is cut short: an error line names the offending value, it does not
 * echo it. A 100 MB cell or a pasted document would otherwise become a 100 MB line on stderr.
 */

/** How many characters of input a message may quote. */
export const EXCERPT_CHARS = 120;

/**
 * `text` itself when it has at most `max` characters; else its start and its end with "…" in the
 * cut (the end often says what went wrong: a closing bracket, a last field), `max` in all.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 3);
  let head = max - 1 - tail;
  let from = text.length - tail;
  // Never split a UTF-16 surrogate pair: half a character would print as a replacement glyph.
  if (isHigh(text.charCodeAt(head - 1))) head--;
  if (isLow(text.charCodeAt(from))) from++;
  return `${text.slice(0, head)}…${text.slice(from)}`;
}

/** Marks a non-finite number inside a value for `quote`, which JSON would print as null. */
const NON_FINITE = "\u0000";

/**
 * A value as JSON for a message (strings quoted and escaped), cut short like `excerpt`. Numbers
 * JSON has no spelling for (NaN, ±Infinity: from the library, never from a file) are named as
 * JavaScript prints them, not as null.
 */
export function quote(value: unknown, max = EXCERPT_CHARS): string {
  if (typeof value === "string") return JSON.stringify(excerpt(value, max));
  if (typeof value === "number") return String(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? `${NON_FINITE}${v}${NON_FINITE}` : v))?.replace(
      /"\\u0000(NaN|-?Infinity)\\u0000"/g,
      "$1",
    );
  } catch {
    text = undefined; // cycles or BigInt cannot come from JSON.parse; say something rather than throw
  }
  return excerpt(text ?? String(value), max);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
