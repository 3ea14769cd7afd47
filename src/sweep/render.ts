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
 * `# point P sha256=H` before each point's rows (P 0-based, H the SHA-256 of those rows) and a
 * last line `# collapse-sweep end sha256=H` (H the SHA-256 of every byte before that line);
 * json adds a "shard" object before "points" and, after them, "sha256": {"points": [H per point],
 * "all": H of the document's text up to the end of its last point}. The checksums let merge find a
 * shard damaged or edited in transit (they are not signatures: whoever edits a file can recompute
 * them). Unsharded output has none of these.
 */
import type { Hash } from "node:crypto";
import { sha256 } from "../builtins.js";
import type { SimResult } from "../core/result.js";
import { csvHeader, csvRow, ndjsonRow, renderRows, type Scalar, tidyRows } from "../output/tidy.js";
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
/** Follows the point number on a point line and END_LINE on the end line of a csv/ndjson shard. */
export const SHA_MARK = " sha256=";

/** Lower-case hex SHA-256 of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return sha256().update(text).digest("hex");
}

/** One point's part of the output, without framing. */
export function renderPointBody(format: SweepFormat, params: Record<string, Scalar>, result: SimResult): string {
  switch (format) {
    case "csv":
      return renderRows(tidyRows(result, params), csvRow);
    case "ndjson":
      return renderRows(tidyRows(result, params), ndjsonRow);
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
  /** Shards only: the SHA-256 of the last point's body. */
  lastPointHash(): string | undefined {
    return this.pointHashes.at(-1);
  }

  /** Shards only: the running SHA-256 of what has been framed, and each point's own. */
  private readonly all: Hash | null;
  private readonly pointHashes: string[] = [];

  constructor(
    private readonly format: SweepFormat,
    private readonly head: SweepHead,
    private readonly shard: ShardMeta | null,
  ) {
    this.all = shard ? sha256() : null;
  }

  opening(): string {
    return this.hashed(this.open());
  }

  point(index: number, body: string): string {
    return this.hashed(this.framePoint(index, body));
  }

  /** Shards end with their checksums (see the module comment). */
  closing(): string {
    const { format, count } = this;
    if (format === "json") {
      const close = count > 0 ? "\n  ]" : "]";
      if (!this.all) return close + "\n}\n";
      // As JSON.stringify(…, null, 2) would write the key inside the document.
      const tail = JSON.stringify({ sha256: { points: this.pointHashes, all: this.all.digest("hex") } }, null, 2);
      return `${close},\n${tail.slice(2, -2)}\n}\n`;
    }
    return this.all ? `${END_LINE}${SHA_MARK}${this.all.digest("hex")}\n` : "";
  }

  private hashed(text: string): string {
    this.all?.update(text);
    return text;
  }

  private open(): string {
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

  private framePoint(index: number, body: string): string {
    const first = this.count++ === 0;
    if (!this.shard) return this.format === "json" ? (first ? "\n" : ",\n") + body : body;
    const hash = sha256Hex(body);
    this.pointHashes.push(hash);
    if (this.format === "json") return (first ? "\n" : ",\n") + body;
    return `${POINT_LINE}${index}${SHA_MARK}${hash}\n${body}`;
  }
}
