/**
 * Worker threads for tests that run the engine in-process: a worker made from a src/ module runs
 * its build in dist/ (the suite builds it first), or `redirect.script` when a test sets one (a
 * throwaway script that misbehaves); every worker made is in `redirect.made`. A test file installs it
 * with
 *   vi.mock("node:worker_threads", async (original) => (await import("./redirected-workers.js")).redirectedWorkerThreads(original));
 * and calls resetRedirect() after each test.
 */
import type * as WorkerThreads from "node:worker_threads";
import { terminateWorkers } from "../../src/engine/workers.js";

export const redirect = { script: null as URL | null, made: [] as WorkerThreads.Worker[] };

export async function redirectedWorkerThreads(importOriginal: () => Promise<unknown>): Promise<typeof WorkerThreads> {
  const real = (await importOriginal()) as typeof WorkerThreads;
  class Redirected extends real.Worker {
    constructor(url: string | URL, options?: WorkerThreads.WorkerOptions) {
      super(redirect.script ?? new URL(String(url).replace(/\/src\/(.*)\.js$/, "/dist/$1.js")), options);
      redirect.made.push(this);
    }
  }
  return { ...real, default: { ...real, Worker: Redirected }, Worker: Redirected } as typeof WorkerThreads;
}

/** Stops every worker a test left and forgets the redirection. */
export function resetRedirect(): void {
  terminateWorkers();
  redirect.script = null;
  redirect.made = [];
}
