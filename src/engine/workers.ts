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

export function terminateWorkers(): void {
  for (const w of live) void w.terminate();
  live.clear();
}
