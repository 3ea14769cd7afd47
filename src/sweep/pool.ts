/**
 * Sweep points on worker threads. Each worker runs whole points (one simulation per task, its
 * replicates in-thread) and takes the next point when it is done; finished points are handed to
 * `deliver` strictly in task order, as soon as every earlier one is done — so the output is the
 * same bytes for any number of workers, and streams.
 *
 * Even one job runs on a worker: the main thread stays free to draw progress and to act on Ctrl-C.
 */

import type { SimConfig } from "../config/config.js";
import type { SimResult } from "../core/result.js";
import type { SeedResult } from "../core/seed.js";
import { runPool } from "../engine/pool.js";
import type { Scalar } from "../output/tidy.js";
import type { SweepFormat } from "./render.js";

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

/**
 * Runs `tasks` on up to `jobs` workers. `deliver` receives each point's body in task order (or,
 * with `order` "completion", as each finishes); `label` names a point in error messages. Rejects
 * with the first point's error, after stopping every worker.
 */
export function runPoints(
  tasks: readonly PointTask[],
  jobs: number,
  deliver: (task: PointTask, body: PointBody) => void,
  label: (index: number) => string,
  order: "task" | "completion" = "task",
): Promise<void> {
  return runPool<PointTask, PointBody>({
    // Out of this folder and back: the same path from dist/ and from the start-up bundle (scripts/bundle.mjs).
    script: new URL("../sweep/worker.js", import.meta.url),
    tasks,
    jobs,
    order,
    deliver: (body, position) => deliver(tasks[position]!, body),
    context: (position) => label(tasks[position]!.index),
    name: "a sweep worker",
  });
}
