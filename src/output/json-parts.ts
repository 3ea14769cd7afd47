/**
 * The JSON document's text (ARCHITECTURE §5) in pieces: exactly JSON.stringify(result, null, 2)
 * followed by a newline, made 64 generations (or 2,048 extinction records) at a time. A run of 10⁵
 * generations is 290 MB of JSON; as one string, then one buffer to write, it held twice that at
 * once; and a categorical run over millions of categories has as many extinction records.
 *
 * Why the pieces join to the same bytes: with an indent of two spaces, an element of the document's
 * `generations` array (depth 2) is the element's own stringification with four more spaces after
 * every line break, and a string value's line breaks are escaped (\n), so every raw line break in
 * it is one of the layout's. The array itself is "[", then the elements each on a new line after
 * ",", then a line break and "]" at depth 1. The same holds of `extinctions`.
 */
import type { SimResult } from "../core/result.js";

/** Elements of the document's arrays per piece: 64 generations are about 100 kB of JSON; 2,048 extinction records about as much. */
const PER_PIECE = { generations: 64, extinctions: 2048 } as const;

/** The document's long arrays, in its key order: made a piece at a time. */
const LONG_ARRAYS = ["generations", "extinctions"] as const;

export function* jsonParts(result: SimResult): Generator<string> {
  // The document with its long arrays empty: each stands at depth 1 as `"key": []`, on a line of
  // its own (a raw line break is only ever the layout's).
  const empty: Record<string, unknown> = { ...result };
  const arrays = LONG_ARRAYS.filter((key) => Array.isArray(result[key]) && result[key]!.length > 0);
  for (const key of arrays) empty[key] = [];
  const skeleton = JSON.stringify(empty, null, 2);
  const marks = arrays.map((key) => skeleton.indexOf(`\n  "${key}": []`));
  const once = (at: number, i: number) => at >= 0 && skeleton.indexOf(`\n  "${arrays[i]}": []`, at + 1) < 0 && (i === 0 || at > marks[i - 1]!);
  // Nothing long (or a layout not as expected): the document in one piece.
  if (arrays.length === 0 || !marks.every(once)) {
    yield `${JSON.stringify(result, null, 2)}\n`;
    return;
  }
  let from = 0;
  for (const [i, key] of arrays.entries()) {
    const open = marks[i]! + `\n  "${key}": [`.length; // at "]"
    yield `${skeleton.slice(from, open)}\n    `;
    yield* elementParts(result[key]!, PER_PIECE[key]);
    yield "\n  ";
    from = open;
  }
  yield `${skeleton.slice(from)}\n`;
}

/** The elements of an array at depth 1, each stringified and indented to depth 2, `perPiece` to a piece. */
function* elementParts(elements: readonly unknown[], perPiece: number): Generator<string> {
  for (let from = 0; from < elements.length; from += perPiece) {
    const piece: string[] = [];
    const to = Math.min(from + perPiece, elements.length);
    for (let g = from; g < to; g++) piece.push(JSON.stringify(elements[g], null, 2).replaceAll("\n", "\n    "));
    yield (from > 0 ? ",\n    " : "") + piece.join(",\n    ");
  }
}
