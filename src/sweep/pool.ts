/**
 * Sweep points on worker threads. Each worker runs a point (one simulation per task) and takes the
 * next point when it is done; once no point is left to start, a free worker helps with the
 * replicates of the running point that has the most left (shared-point.ts). Finished points are
 * handed to `deliver` strictly in task order, as soon as every earlier one is done — so the output
 * is the same bytes for any number of workers, and streams.
 *
 * Even one job runs on a worker: the main thread stays free to draw progress and to act on Ctrl-C.
 * Only a sweep estimated to take a fraction of a second in all (src/engine/work.ts) runs in this
 * thread, one point after another: a worker would cost more to start than the points take.
 */

import { setImmediate as nextTurn } from "node:timers/promises";
import { runPool, type TaskSource } from "../engine/pool.js";
import { ReplicateQueue } from "../engine/replicate-queue.js";
import { fromThreadError, toThreadError } from "../engine/thread-error.js";
import { estimateWork, fitsInThread } from "../engine/work.js";
import { type PointBody, type PointTask, runPoint } from "./point.js";
import type { SharedPoint } from "./shared-point.js";

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
  const source = new PointSource(tasks, jobs);
  return runPool<PointTask, PointBody | null, SharedPoint>({
    // Out of this folder and back: the same path from dist/ and from the start-up bundle (scripts/bundle.mjs).
    script: new URL("../sweep/worker.js", import.meta.url),
    tasks: source,
    jobs,
    order,
    // Positions past the points are helpers' tasks, whose work is in their point's result.
    deliver: (body, position) => {
      if (position < tasks.length) {
        source.finished(position);
        deliver(tasks[position]!, body!);
      }
    },
    onProgress: (shared, position) => source.shared(position, shared),
    context: (position) => label(source.pointAt(position).index),
    name: "a sweep worker",
  });
}

/**
 * The tasks of a sweep on workers: every point in order (each may be shared: `jobs` tells it
 * whether there are other workers), then, for each worker that asks, help with the shared point
 * that has the most replicates left, while any has enough left to be worth a worker's start and
 * preparation.
 */
class PointSource implements TaskSource<PointTask> {
  private started = 0;
  /** Points under way that have announced their replicates, by position. */
  private readonly sharing = new Map<number, { task: PointTask; queue: ReplicateQueue; shared: SharedPoint }>();
  /** The point each task position is about (helpers' positions come after the points'). */
  private readonly positions: number[] = [];
  private wake: () => void = () => {};

  constructor(
    private readonly tasks: readonly PointTask[],
    private readonly jobs: number,
  ) {}

  next(): PointTask | undefined {
    if (this.started < this.tasks.length) {
      this.positions.push(this.started);
      return { ...this.tasks[this.started++]!, jobs: this.jobs };
    }
    let best: { position: number; left: number } | null = null;
    for (const [position, point] of this.sharing) {
      const left = point.queue.left();
      if (left >= 2 && (best === null || left > best.left)) best = { position, left };
    }
    if (best === null) return undefined;
    const point = this.sharing.get(best.position)!;
    this.positions.push(best.position);
    return { ...point.task, helping: point.shared };
  }

  onMore(wake: () => void): void {
    this.wake = wake;
  }

  /** A point's owner announced its replicates: an idle worker may help. */
  shared(position: number, shared: SharedPoint): void {
    this.sharing.set(position, { task: this.tasks[position]!, queue: new ReplicateQueue(shared.queue), shared });
    this.wake();
  }

  finished(position: number): void {
    this.sharing.delete(position);
  }

  pointAt(position: number): PointTask {
    return this.tasks[this.positions[position]!]!;
  }
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
