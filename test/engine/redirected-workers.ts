/**
 * Worker threads for tests that run the engine in-process: a worker made from a src/ module runs
 * its build in dist/ (the suite builds it first), or `redirect.script` when a test sets one (a
 * throwaway script that misbehaves); every worker made is in `redirect.made`, every message posted
 * to one in `redirect.posted`. A test file installs it
 * with (the engine loads node:worker_threads through src/builtins.ts, on first use)
 *   vi.mock("../../src/builtins.js", async (original) => (await import("./redirected-workers.js")).redirectedBuiltins(original));
 * and calls resetRedirect() after each test.
 */
import type * as WorkerThreads from "node:worker_threads";
import type * as Builtins from "../../src/builtins.js";
import { terminateWorkers } from "../../src/engine/workers.js";

export const redirect = { script: null as URL | null, made: [] as WorkerThreads.Worker[], posted: [] as unknown[] };

export async function redirectedBuiltins(importOriginal: () => Promise<unknown>): Promise<typeof Builtins> {
  const builtins = (await importOriginal()) as typeof Builtins;
  const real = builtins.workerThreads();
  class Redirected extends real.Worker {
    constructor(url: string | URL, options?: WorkerThreads.WorkerOptions) {
      super(redirect.script ?? new URL(String(url).replace(/\/src\/(.*)\.js$/, "/dist/$1.js")), options);
      redirect.made.push(this);
    }
    override postMessage(message: unknown, transfer?: readonly WorkerThreads.Transferable[]): void {
      redirect.posted.push(message);
      super.postMessage(message, transfer);
    }
  }
  const redirected = { ...real, Worker: Redirected } as typeof WorkerThreads;
  return { ...builtins, workerThreads: () => redirected };
}

/** Stops every worker a test left and forgets the redirection. */
export function resetRedirect(): void {
  terminateWorkers();
  redirect.script = null;
  redirect.made = [];
  redirect.posted = [];
}
