/**
 * Live worker threads of this process (simulation replicates, sweep points), so that an interrupt
 * can stop them at once. Kept apart from the engines so the entry point can import it cheaply.
 */
import type { Worker } from "node:worker_threads";

const live = new Set<Worker>();

export function trackWorker(worker: Worker): void {
  live.add(worker);
}

export function untrackWorker(worker: Worker): void {
  live.delete(worker);
}

/** The workers tracked now (a copy): tests check that none is left behind. */
export function liveWorkers(): Worker[] {
  return [...live];
}

/** Stops every tracked worker at once; the promise settles when all of them have stopped. */
export function terminateWorkers(): Promise<void> {
  const stopping = [...live].map((w) => w.terminate());
  live.clear();
  return Promise.allSettled(stopping).then(() => {});
}
