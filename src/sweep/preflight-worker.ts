/**
 * Preflight off the main thread: prepares each point it is sent (generation 0 fitted) in order
 * and answers with every point's notes, or with the first point that cannot start.
 */
import { parentPort } from "node:worker_threads";
import type { SimConfig } from "../config/config.js";
import { prepare } from "../core/run.js";
import type { SeedResult } from "../core/seed.js";
import { type ThreadError, toThreadError } from "../core/thread-error.js";
import { machineMemory } from "../machine.js";

export interface PreflightItem {
  readonly index: number;
  readonly config: SimConfig;
  readonly seed: SeedResult | undefined;
}

export type PreflightReply = { type: "done"; notes: string[] } | { type: "error"; index: number; error: ThreadError };

parentPort!.on("message", (items: PreflightItem[]) => {
  const notes: string[] = [];
  for (const item of items) {
    try {
      notes.push(...prepare(item.config, item.seed ?? null, machineMemory()).notes);
    } catch (e) {
      parentPort!.postMessage({ type: "error", index: item.index, error: toThreadError(e) } satisfies PreflightReply);
      return;
    }
  }
  parentPort!.postMessage({ type: "done", notes } satisfies PreflightReply);
});
