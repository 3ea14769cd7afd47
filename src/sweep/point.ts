/**
 * One sweep point: generation 0 prepared, every replicate run (in this thread, or shared with
 * sweep workers that have no point of their own left: shared-point.ts), and the point's output
 * rendered. A sweep worker (worker.ts) runs it, and so does the calling thread for a sweep too
 * small to be worth a worker (pool.ts).
 */

import { baselineDocument } from "../check/baseline-data.js";
import type { SimConfig } from "../config/config.js";
import { runReplicates } from "../core/loop.js";
import type { SimResult } from "../core/result.js";
import type { ResultColumns } from "../core/result-columns.js";
import { assemble, assembleColumns, prepare } from "../core/run.js";
import type { SeedResult } from "../core/seed.js";
import { estimateWork } from "../engine/work.js";
import { machineMemory } from "../machine.js";
import type { Scalar } from "../output/tidy.js";
import { jsonPointSteps, pointObject, renderPointBody, type SweepFormat } from "./render.js";
import { helpWithPoint, runSharedPoint, type SharedPoint, worthSharing } from "./shared-point.js";

export interface PointTask {
  /** The point's 0-based index in the sweep. */
  readonly index: number;
  readonly config: SimConfig;
  readonly params: Record<string, Scalar>;
  /**
   * The point's rows in a sweep format, or (for the library) "document": its results document, as
   * columns (core/result-columns.ts: numbers in typed arrays, quick to send; the receiver makes the
   * document's objects, in steps if it must answer signals).
   */
  readonly format: SweepFormat | "document";
  /** Also render the point's part of the sweep's baseline saved at this path (`--save-baseline`). */
  readonly baselinePath?: string;
  /** The point's seed data when it comes from --data, read once by the main thread. */
  readonly seed?: SeedResult | undefined;
  /** On a worker: how many sweep workers there are (a point is shared only when there are others). */
  readonly jobs?: number;
  /** Set when this worker is to help with a point another worker runs, not run it. */
  readonly helping?: SharedPoint;
}

/**
 * A point's output in a sweep format: its rows and, when asked (PointTask.baselinePath), its part
 * of the sweep's baseline document; each as text, or, when a worker made it, as the text's UTF-8
 * bytes in pieces in shared memory (see sharedUtf8).
 */
export interface PointText {
  readonly rows: string | readonly Uint8Array[];
  readonly baseline: string | readonly Uint8Array[] | null;
}

/** A point's output: its text, or its results document as columns (format "document"). */
export type PointBody = PointText | ResultColumns;

/**
 * Runs a point; `announce` (on a worker) offers its replicates to idle workers once it is under
 * way. With `bytes` (on a worker) its texts are made as UTF-8 bytes in shared memory, a JSON
 * text a piece at a time (jsonPointSteps): a point of 50,000 generations is 160 MB of JSON, which
 * as one string is twice that (it holds characters beyond Latin-1), and its two texts were held at
 * once.
 */
export function runPoint(task: PointTask, announce?: (shared: SharedPoint) => void, bytes = false): PointBody {
  const { prepared } = prepare(task.config, task.seed ?? null, machineMemory());
  // CSV and NDJSON rows have no place for each generation's samples: they are not drawn.
  prepared.describes = task.format === "json" || task.format === "document" || task.baselinePath !== undefined;
  const R = prepared.config.replicates;
  const jobs = task.jobs ?? 1;
  const share = announce !== undefined && worthSharing(R, jobs, estimateWork(task.config, task.seed?.input ?? null).total);
  const block = share ? runSharedPoint(prepared, jobs, announce) : runReplicates(prepared, 0, R);
  if (task.format === "document") return assembleColumns(prepared, [block]);
  const result = assemble(prepared, [block]);
  const text = (format: SweepFormat, of: SimResult) => (bytes ? textBytes(format, task.params, of) : renderPointBody(format, task.params, of));
  const rows = text(task.format, result);
  if (task.baselinePath === undefined) return { rows, baseline: null };
  const document = baselineDocument(result, task.baselinePath);
  // A JSON sweep whose baseline records the same data path: the same text.
  if (document === result && task.format === "json") return { rows, baseline: rows };
  return { rows, baseline: text("json", document) };
}

/**
 * renderPointBody's text as UTF-8 bytes in shared memory: a JSON point in pieces as it is made. (A
 * generator on a worker, which steps.ts warns costs compile time: none showed on the 8-point JSON
 * sweep, 1.92 against 1.96 s.)
 */
function textBytes(format: SweepFormat, params: Record<string, Scalar>, result: SimResult): Uint8Array[] {
  if (format !== "json") return [sharedUtf8(renderPointBody(format, params, result))];
  const pieces: string[] = [];
  const out: Uint8Array[] = [];
  const steps = jsonPointSteps(pointObject(params, result), pieces);
  for (let done = false; !done; ) {
    done = steps.next().done === true;
    for (const piece of pieces) out.push(sharedUtf8(piece));
    pieces.length = 0;
  }
  return out;
}

/**
 * A text's UTF-8 bytes in shared memory, which a message to the main thread neither copies nor
 * moves: a string is copied, and a point of 50,000 generations (160 MB of JSON) took the main
 * thread 0.7 s to receive, holding it. Not moved either: once a buffer is moved out of a thread,
 * V8 checks its every typed-array access for moved buffers, and a worker's next points drew their
 * samples 18% slower (measured).
 */
function sharedUtf8(text: string): Uint8Array {
  const bytes = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(text)));
  bytes.write(text);
  return bytes;
}

/** Helps with the replicates of a point another worker runs (task.helping): its result is that worker's. */
export function helpPoint(task: PointTask): null {
  const { prepared } = prepare(task.config, task.seed ?? null, machineMemory());
  helpWithPoint(prepared, task.helping!);
  return null;
}
