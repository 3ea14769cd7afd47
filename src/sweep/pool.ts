/**
 * Sweep points on worker threads. Each worker runs whole points (one simulation per task, its
 * replicates in-thread) and takes the next point when it is done; finished points are handed to
 * `deliver` strictly in task order, as soon as every earlier one is done — so the output is the
 * same bytes for any number of workers, and streams.
 *
 * Even one job runs on a worker: the main thread stays free to draw progress and to act on Ctrl-C.
 */

import { Worker } from "node:worker_threads";
import type { SimConfig } from "../config/config.js";
import type { SimResult } from "../core/result.js";
import type { SeedResult } from "../core/seed.js";
import { fromThreadError, type ThreadError } from "../core/thread-error.js";
import { trackWorker, untrackWorker } from "../core/workers.js";
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

export type PointMessage = { type: "done"; index: number; body: PointBody } | { type: "error"; index: number; error: ThreadError };

/**
 * Runs `tasks` on up to `jobs` workers. `deliver` receives each point's body in task order;
 * `label` names a point in error messages. Rejects with the first point's error, after stopping
 * every worker.
 */
export function runPoints(
  tasks: readonly PointTask[],
  jobs: number,
  deliver: (task: PointTask, body: PointBody) => void,
  label: (index: number) => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (tasks.length === 0) return resolve();
    const positionOf = new Map(tasks.map((t, i) => [t.index, i]));
    const finished = new Map<number, PointBody>();
    const mine = new Set<Worker>();
    let nextTask = 0;
    let nextDelivery = 0;
    let over = false;

    const retire = (w: Worker) => {
      mine.delete(w);
      untrackWorker(w);
      void w.terminate();
    };
    const fail = (e: unknown) => {
      if (over) return;
      over = true;
      for (const w of [...mine]) retire(w);
      reject(e);
    };
    const feed = (w: Worker) => {
      if (nextTask < tasks.length) w.postMessage(tasks[nextTask++]);
      else retire(w);
    };
    const flush = () => {
      while (finished.has(nextDelivery)) {
        const body = finished.get(nextDelivery)!;
        finished.delete(nextDelivery);
        deliver(tasks[nextDelivery]!, body);
        nextDelivery++;
      }
    };

    const start = () => {
      const w = new Worker(new URL("./worker.js", import.meta.url));
      mine.add(w);
      trackWorker(w);
      w.on("message", (msg: PointMessage) => {
        if (over) return;
        if (msg.type === "error") {
          fail(fromThreadError(msg.error, label(msg.index)));
          return;
        }
        finished.set(positionOf.get(msg.index)!, msg.body);
        try {
          flush();
        } catch (e) {
          return fail(e);
        }
        if (nextDelivery === tasks.length) {
          over = true;
          for (const other of [...mine]) retire(other);
          return resolve();
        }
        feed(w);
      });
      w.on("error", fail);
      w.on("exit", (code) => {
        if (!over && mine.has(w)) fail(new Error(`a sweep worker stopped unexpectedly (exit code ${code})`));
      });
      feed(w);
    };
    for (let i = 0; i < Math.min(jobs, tasks.length); i++) start();
  });
}
