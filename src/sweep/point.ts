/**
 * One sweep point, run whole: generation 0 prepared, every replicate in this thread, and the
 * point's output rendered. A sweep worker (worker.ts) runs it, and so does the calling thread for
 * a sweep too small to be worth a worker (pool.ts).
 */

import type { SimConfig } from "../config/config.js";
import { runReplicates } from "../core/loop.js";
import type { SimResult } from "../core/result.js";
import { assemble, prepare } from "../core/run.js";
import type { SeedResult } from "../core/seed.js";
import { machineMemory } from "../machine.js";
import type { Scalar } from "../output/tidy.js";
import { renderPointBody, type SweepFormat } from "./render.js";

export interface PointTask {
  /** The point's 0-based index in the sweep. */
  readonly index: number;
  readonly config: SimConfig;
  readonly params: Record<string, Scalar>;
  /** The point's rows in a sweep format, or (for the library) "document": its results document as JSON. */
  readonly format: SweepFormat | "document";
  /** The point's seed data when it comes from --data, read once by the main thread. */
  readonly seed?: SeedResult | undefined;
}

/** A point's output: its rows as text, or its results document (format "document"). */
export type PointBody = string | SimResult;

export function runPoint(task: PointTask): PointBody {
  const { prepared } = prepare(task.config, task.seed ?? null, machineMemory());
  const result = assemble(prepared, [runReplicates(prepared, 0, prepared.config.replicates)]);
  return task.format === "document" ? result : renderPointBody(task.format, task.params, result);
}
