/**
 * The JSON document's text (ARCHITECTURE §5) in pieces: exactly JSON.stringify(result, null, 2)
 * followed by a newline, made 64 generations at a time. A run of 10⁵ generations is
 * 290 MB of JSON; as one string, then one buffer to write, it held twice that at once.
 *
 * Why the pieces join to the same bytes: with an indent of two spaces, an element of the document's
 * `generations` array (depth 2) is the element's own stringification with four more spaces after
 * every line break, and a string value's line breaks are escaped (\n), so every raw line break in
 * it is one of the layout's. The array itself is "[", then the elements each on a new line after
 * ",", then a line break and "]" at depth 1.
 */
import type { SimResult } from "../core/result.js";

/** Generations per piece: about 100 kB of JSON. */
const GENERATIONS_PER_PIECE = 64;

/** The place of the generations array in the document stringified with none (a raw line break: only the layout has one). */
const EMPTY_GENERATIONS = '\n  "generations": []';

export function* jsonParts(result: SimResult): Generator<string> {
  const { generations } = result;
  const skeleton = JSON.stringify({ ...result, generations: [] }, null, 2);
  const at = skeleton.indexOf(EMPTY_GENERATIONS);
  // No generations (or a layout not as expected): the document in one piece.
  if (generations.length === 0 || at < 0 || skeleton.indexOf(EMPTY_GENERATIONS, at + 1) >= 0) {
    yield `${JSON.stringify(result, null, 2)}\n`;
    return;
  }
  const open = at + EMPTY_GENERATIONS.length - 1; // at "]"
  yield `${skeleton.slice(0, open)}\n    `;
  for (let from = 0; from < generations.length; from += GENERATIONS_PER_PIECE) {
    const piece: string[] = [];
    const to = Math.min(from + GENERATIONS_PER_PIECE, generations.length);
    for (let g = from; g < to; g++) piece.push(JSON.stringify(generations[g], null, 2).replaceAll("\n", "\n    "));
    yield (from > 0 ? ",\n    " : "") + piece.join(",\n    ");
  }
  yield `\n  ${skeleton.slice(open)}\n`;
}
