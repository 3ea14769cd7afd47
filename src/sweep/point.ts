/**
 * One sweep point: generation 0 prepared, every replicate run (in this thread, or shared with
 * sweep workers that have no point of their own left: shared-point.ts), and the point's output
 * rendered. A sweep worker (worker.ts) runs it, and so does the calling thread for a sweep too
 * small to be worth a worker (pool.ts).
 */

import { baselineDocument } from "../check/baseline-data.js";
import type { SimConfig } from "../config/config.js";
import { runReplicates } from "../core/loop.js";
import type { ResultColumns } from "../core/result-columns.js";
import { assemble, assembleColumns, prepare } from "../core/run.js";
import type { SeedResult } from "../core/seed.js";
import { estimateWork } from "../engine/work.js";
import { machineMemory } from "../machine.js";
import type { Scalar } from "../output/tidy.js";
import { renderPointBody, type SweepFormat } from "./render.js";
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
 * of the sweep's baseline document; each as text, or as the text's UTF-8 bytes in shared memory
 * when a worker sent it (neither copied nor moved: see worker.ts).
 */
export interface PointText {
  readonly rows: string | Uint8Array;
  readonly baseline: string | Uint8Array | null;
}

/** A point's output: its text, or its results document as columns (format "document"). */
export type PointBody = PointText | ResultColumns;

/**
 * Runs a point; `announce` (on a worker) offers its replicates to idle workers once it is under
 * way. `encode` turns each text into what is returned as soon as it is made (a worker's UTF-8
 * bytes: a point's two texts, of 160 MB each at 50,000 generations, are then never held at once).
 */
export function runPoint(task: PointTask, announce?: (shared: SharedPoint) => void, encode: (text: string) => string | Uint8Array = (text) => text): PointBody {
  const { prepared } = prepare(task.config, task.seed ?? null, machineMemory());
  // CSV and NDJSON rows have no place for each generation's samples: they are not drawn.
  prepared.describes = task.format === "json" || task.format === "document" || task.baselinePath !== undefined;
  const R = prepared.config.replicates;
  const jobs = task.jobs ?? 1;
  const share = announce !== undefined && worthSharing(R, jobs, estimateWork(task.config, task.seed?.input ?? null).total);
  const block = share ? runSharedPoint(prepared, jobs, announce) : runReplicates(prepared, 0, R);
  if (task.format === "document") return assembleColumns(prepared, [block]);
  const result = assemble(prepared, [block]);
  const rows = encode(renderPointBody(task.format, task.params, result));
  if (task.baselinePath === undefined) return { rows, baseline: null };
  const document = baselineDocument(result, task.baselinePath);
  // A JSON sweep whose baseline records the same data path: the same text.
  if (document === result && task.format === "json") return { rows, baseline: rows };
  return { rows, baseline: encode(renderPointBody("json", task.params, document)) };
}

/** Helps with the replicates of a point another worker runs (task.helping): its result is that worker's. */
export function helpPoint(task: PointTask): null {
  const { prepared } = prepare(task.config, task.seed ?? null, machineMemory());
  helpWithPoint(prepared, task.helping!);
  return null;
}
