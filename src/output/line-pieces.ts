/**
 * A long text made of lines, handed on in pieces of about LINES_PER_PIECE lines: the terminal and
 * Markdown tables of 10⁵ generations are made a piece at a time, so that whoever writes them takes
 * a turn of its event loop between pieces (src/output/write.ts).
 */

/** Lines per piece: a few hundred kB of a table. */
export const LINES_PER_PIECE = 4096;

/** The lines gathered so far as one piece (each ending in "\n"), once there are enough; `out` is then emptied. */
export function* whenFull(out: string[]): Generator<string> {
  if (out.length >= LINES_PER_PIECE) yield* rest(out);
}

/** What is left of the lines as a last piece (none when nothing is). */
export function* rest(out: string[]): Generator<string> {
  if (out.length === 0) return;
  yield `${out.join("\n")}\n`;
  out.length = 0;
}
