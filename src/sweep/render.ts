/**
 * The text of a sweep, written piece by piece as points finish: an opening, one body per point in
 * point order, a closing. Workers render the bodies; the main thread frames them.
 *
 * - csv: the tidy header (one leading column per grid option, camelCase), then each point's rows.
 * - ndjson: each point's rows, grid values first in every record.
 * - json: one document {tool, config, seed, grid, points: [{params, config, generations, extinctions?}]},
 *   byte for byte JSON.stringify(document, null, 2) + "\n".
 *
 * A shard (`--shard i/n`) carries what `collapse merge` needs to check and reassemble it:
 * csv and ndjson add `#` lines — a first line `# collapse-sweep {…}` (format, grid, shard), a line
 * `# point P` before each point's rows (P 0-based) and a last line `# collapse-sweep end`;
 * json adds a "shard" object before "points". Unsharded output has none of these.
 */
import type { SimResult } from "../core/result.js";
import { csvHeader, csvRow, ndjsonRow, tidyRows, type Scalar } from "../output/tidy.js";
import type { ShardMeta } from "./shard.js";

export const SWEEP_FORMATS = ["csv", "ndjson", "json"] as const;
export type SweepFormat = (typeof SWEEP_FORMATS)[number];

/** The head of a sweep document (everything but the points). */
export interface SweepHead {
  readonly tool: { name: string; version: string };
  readonly config: unknown;
  readonly seed: string;
  /** Grid option keys, in grid order. */
  readonly grid: readonly string[];
}

export const SHARD_LINE = "# collapse-sweep ";
export const POINT_LINE = "# point ";
export const END_LINE = "# collapse-sweep end";

/** One point's part of the output, without framing. */
export function renderPointBody(format: SweepFormat, params: Record<string, Scalar>, result: SimResult): string {
  switch (format) {
    case "csv": {
      let out = "";
      for (const row of tidyRows(result, params)) out += csvRow(row);
      return out;
    }
    case "ndjson": {
      let out = "";
      for (const row of tidyRows(result, params)) out += ndjsonRow(row);
      return out;
    }
    case "json": {
      const point: Record<string, unknown> = { params, config: result.config, generations: result.generations };
      if (result.extinctions) point.extinctions = result.extinctions;
      return jsonPoint(point);
    }
  }
}

/** A point object as it sits in the document's "points" array (indented four spaces). */
export function jsonPoint(point: unknown): string {
  return "    " + JSON.stringify(point, null, 2).replaceAll("\n", "\n    ");
}

/** Frames point bodies into the output of a sweep or of one shard of it. */
export class SweepFramer {
  private count = 0;

  constructor(
    private readonly format: SweepFormat,
    private readonly head: SweepHead,
    private readonly shard: ShardMeta | null,
  ) {}

  opening(): string {
    const { format, head, shard } = this;
    if (format === "json") {
      const doc: Record<string, unknown> = { tool: head.tool, config: head.config, seed: head.seed, grid: head.grid };
      if (shard) doc.shard = shard;
      doc.points = [];
      const text = JSON.stringify(doc, null, 2);
      // Ends in `"points": []\n}`: keep the open bracket, points follow.
      return text.slice(0, text.length - "]\n}".length);
    }
    const meta = shard ? `${SHARD_LINE}${JSON.stringify({ format, grid: head.grid, shard })}\n` : "";
    return format === "csv" ? meta + csvHeader(head.grid) : meta;
  }

  point(index: number, body: string): string {
    const first = this.count++ === 0;
    if (this.format === "json") return (first ? "\n" : ",\n") + body;
    return this.shard ? `${POINT_LINE}${index}\n${body}` : body;
  }

  closing(): string {
    if (this.format === "json") return this.count > 0 ? "\n  ]\n}\n" : "]\n}\n";
    return this.shard ? END_LINE + "\n" : "";
  }
}
