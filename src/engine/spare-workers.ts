/**
 * Worker threads started before a pool has tasks for them: a thread that knows a pool will soon
 * run (a coordinator about to prepare generation 0, which takes a while) starts the pool's workers
 * first, so that they load their script meanwhile instead of after (about 40 ms each). The pool
 * (pool.ts) takes one of these in place of a new worker; whatever is not taken is stopped by
 * releaseSpares. A spare that stopped before it was taken is not handed out: the pool starts a
 * new worker instead, whose failure it then reports.
 */
import type { Worker } from "node:worker_threads";
import { workerThreads } from "../builtins.js";
import { trackWorker, untrackWorker } from "./workers.js";

interface Spare {
  readonly worker: Worker;
  stopped: boolean;
}

const spares = new Map<string, Spare[]>();

/** A spare's error listener until a pool takes it: its failures are its own, noted by its exit. */
const ignore = () => {};

/** Starts `count` workers of `script` for a pool to take. */
export function startSpares(script: URL, count: number): void {
  for (let i = 0; i < count; i++) {
    const worker = new (workerThreads().Worker)(script);
    trackWorker(worker);
    const spare: Spare = { worker, stopped: false };
    worker.on("error", ignore);
    worker.once("exit", () => {
      spare.stopped = true;
    });
    spares.set(script.href, [...(spares.get(script.href) ?? []), spare]);
  }
}

/** A running spare worker of `script`, now the caller's; undefined when there is none. */
export function takeSpare(script: URL): Worker | undefined {
  const waiting = spares.get(script.href) ?? [];
  for (let spare = waiting.shift(); spare !== undefined; spare = waiting.shift()) {
    spare.worker.off("error", ignore);
    if (!spare.stopped) return spare.worker;
    untrackWorker(spare.worker);
  }
  return undefined;
}

/** Stops every spare no pool took. */
export function releaseSpares(): void {
  for (const waiting of spares.values()) {
    for (const { worker } of waiting) {
      untrackWorker(worker);
      void worker.terminate();
    }
  }
  spares.clear();
}
