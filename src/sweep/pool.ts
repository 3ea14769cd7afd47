/**
 * Sweep points on worker threads. Each worker runs whole points (one simulation per task, its
 * replicates in-thread) and takes the next point when it is done; finished points are handed to
 * `deliver` strictly in task order, as soon as every earlier one is done — so the output is the
 * same bytes for any number of workers, and streams.
 *
 * Even one job runs on a worker: the main thread stays free to draw progress and to act on Ctrl-C.
 * Only a sweep estimated to take a fraction of a second in all (src/engine/work.ts) runs in this
 * thread, one point after another: a worker would cost more to start than the points take.
 */

import { setImmediate as nextTurn } from "node:timers/promises";
import { runPool } from "../engine/pool.js";
import { fromThreadError, toThreadError } from "../engine/thread-error.js";
import { estimateWork, fitsInThread } from "../engine/work.js";
import { type PointBody, type PointTask, runPoint } from "./point.js";

export type { PointBody, PointTask } from "./point.js";

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
  const work = tasks.reduce((sum, task) => sum + estimateWork(task.config, task.seed?.input ?? null).total, 0);
  if (fitsInThread(work)) return runHere(tasks, deliver, label);
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

/**
 * The points in task order in this thread, each after a turn of the event loop so that progress
 * is drawn and a signal acted on between them. A point's error reads as it would from a worker.
 */
async function runHere(tasks: readonly PointTask[], deliver: (task: PointTask, body: PointBody) => void, label: (index: number) => string): Promise<void> {
  for (const task of tasks) {
    await nextTurn();
    let body: PointBody;
    try {
      body = runPoint(task);
    } catch (e) {
      throw fromThreadError(toThreadError(e), label(task.index));
    }
    deliver(task, body);
  }
}
