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
import { csvHeader, csvParts, ndjsonParts, type Scalar } from "../output/tidy.js";
import { runSteps, type Steps } from "../steps.js";
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
      return [...csvParts(result, params)].join("");
    case "ndjson":
      return [...ndjsonParts(result, params)].join("");
    case "json":
      return jsonPoint(pointObject(params, result));
  }
}

/** A point as it sits in a JSON sweep's "points" array: its parameters and its results. */
export function pointObject(params: Record<string, Scalar>, result: SimResult): Record<string, unknown> {
  const point: Record<string, unknown> = { params, config: result.config, generations: result.generations };
  if (result.extinctions) point.extinctions = result.extinctions;
  return point;
}

/** A point object as it sits in the document's "points" array (indented four spaces). */
export function jsonPoint(point: unknown): string {
  return "    " + JSON.stringify(point, null, 2).replaceAll("\n", "\n    ");
}

/** Elements of a long array written between two pauses of jsonPointSteps: about 3 MB of generations. */
const ELEMENTS_PER_STEP = 1024;

/**
 * jsonPoint(point) for a point read from JSON (no undefined, no toJSON), as pieces pushed onto
 * `pieces`, pausing after every ELEMENTS_PER_STEP elements of an array longer than that: a point
 * of 30,000 generations is 97 MB of text, which one JSON.stringify makes in a second or two. The
 * pieces join to jsonPoint's text (tested): objects are written member by member, a long array
 * element by element, and anything else by JSON.stringify, each indented where it sits.
 */
export function* jsonPointSteps(point: unknown, pieces: string[], elementsPerStep = ELEMENTS_PER_STEP): Steps<void> {
  const parts = ["    "];
  yield* valueSteps(point, "    ", parts, pieces, elementsPerStep);
  pieces.push(parts.join(""));
}

/** `value` written at a line indented by `indent`: onto `parts`, which are moved to `pieces` (as one) at each pause. */
function* valueSteps(value: unknown, indent: string, parts: string[], pieces: string[], step: number): Steps<void> {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > step) {
    for (let i = 0; i < value.length; i++) {
      parts.push(i === 0 ? "[\n" : ",\n", inner, indented(value[i], inner));
      if ((i + 1) % step === 0) {
        pieces.push(parts.join(""));
        parts.length = 0;
        yield;
      }
    }
    parts.push("\n", indent, "]");
  } else if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    const record = value as Record<string, unknown>;
    let first = true;
    for (const key of Object.keys(record)) {
      parts.push(first ? "{\n" : ",\n", inner, JSON.stringify(key), ": ");
      first = false;
      yield* valueSteps(record[key], inner, parts, pieces, step);
    }
    parts.push("\n", indent, "}");
  } else {
    parts.push(indented(value, indent));
  }
}

/** JSON.stringify(value, null, 2) with its lines after the first indented by `indent`. */
const indented = (value: unknown, indent: string): string => JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`);

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
    const [head] = runSteps(this.framePieces(index, [body]));
    return head + body;
  }

  /**
   * A point's body framed (and, in a shard, hashed), as pieces: the body's own pieces (text, or its
   * UTF-8 bytes) after a head, hashed a piece at a time with a pause after each (a point of tens of MB is hashed twice in a shard: its
   * own SHA-256 and the document's).
   */
  *framePieces<T extends string | Uint8Array>(index: number, body: readonly T[]): Steps<(T | string)[]> {
    const first = this.count++ === 0;
    let hash = "";
    if (this.shard) {
      const own = sha256();
      for (const piece of body) {
        own.update(piece);
        yield;
      }
      hash = own.digest("hex");
      this.pointHashes.push(hash);
    }
    const head = this.format === "json" ? (first ? "\n" : ",\n") : this.shard ? `${POINT_LINE}${index}${SHA_MARK}${hash}\n` : "";
    const framed: (T | string)[] = [head, ...body];
    if (this.all) {
      for (const piece of framed) {
        this.all.update(piece);
        yield;
      }
    }
    return framed;
  }

  /** Shards only: the SHA-256 of what has been framed so far (what a json shard's "all" records once its points are framed). */
  checksum(): string {
    return this.all!.copy().digest("hex");
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
}
