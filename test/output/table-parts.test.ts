/**
 * The terminal table and the Markdown table in pieces (tableParts, markdownParts): the pieces join
 * to the one text, and a long run's text is never made in one go. At 10⁵ generations the cells
 * and lines took about a second, which held the main thread (a signal waited): now a pause (an
 * empty piece, at which the writer takes a turn of its event loop) follows each metric's cells,
 * and the lines come 4,096 generations to a piece.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { LINES_PER_PIECE } from "../../src/output/line-pieces.js";
import { markdownParts, renderMarkdown } from "../../src/output/markdown.js";
import { renderTable, tableParts } from "../../src/output/table.js";
import { flags } from "../helpers.js";
import { simulate } from "../run.js";

const run = (o: Record<string, unknown>) => simulate(resolveSimConfig(flags({ replicates: 2, sampleSize: 10, ...o }))).result;
const options = { color: true, width: 160, showSamples: true, elapsedSeconds: 1.5 };

describe.each([
  ["tableParts", tableParts, renderTable],
  ["markdownParts", markdownParts, renderMarkdown],
] as const)("%s", (_, parts, render) => {
  it.each([
    ["10,000 generations of the mvn, with theory", { model: "mvn", dims: 2, generations: 10_000, theory: true }],
    ["4,095 generations (one line short of a piece)", { generations: 4095 }],
    ["a categorical run with extinctions and samples", { model: "categorical", generations: 40, sampleSize: 100 }],
    // A sample line a generation: the samples come in pieces too.
    ["a categorical run of 5,000 generations, a sample line each", { model: "categorical", generations: 5000, sampleSize: 50 }],
  ])("%s: the pieces join to the whole text, and no piece holds more than 4,096 generations' lines", (__, o) => {
    const r = run(o);
    const pieces = [...parts(r, options)];
    expect(pieces.join("")).toBe(render(r, options));
    // A piece ends with "\n": one more element than lines.
    for (const piece of pieces) expect(piece.split("\n").length - 1).toBeLessThanOrEqual(LINES_PER_PIECE);
    if (r.generations.length > LINES_PER_PIECE) {
      expect(pieces.filter((p) => p !== "").length).toBeGreaterThanOrEqual(Math.ceil(r.generations.length / LINES_PER_PIECE));
    }
    // A pause before any line: the cells (or number styles) of each metric are made between pauses.
    expect(pieces[0]).toBe("");
  });
});
