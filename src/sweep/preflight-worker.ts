/**
 * Preflight off the main thread: prepares each point it is sent (generation 0 fitted) in order
 * and answers with every point's notes, or with the first point that cannot start.
 */
import type { SimConfig } from "../config/config.js";
import { prepare } from "../core/run.js";
import type { SeedResult } from "../core/seed.js";
import { serveTasks } from "../engine/pool-worker.js";
import { type ThreadError, toThreadError } from "../engine/thread-error.js";
import { machineMemory } from "../machine.js";

export interface PreflightItem {
  readonly index: number;
  readonly config: SimConfig;
  readonly seed: SeedResult | undefined;
}

/** Every point's notes, or the first point that cannot start: an answer about the points, not a failure of the worker. */
export type PreflightOutcome = { readonly notes: string[] } | { readonly index: number; readonly error: ThreadError };

serveTasks<PreflightItem[], PreflightOutcome>((items) => {
  const notes: string[] = [];
  for (const item of items) {
    try {
      notes.push(...prepare(item.config, item.seed ?? null, machineMemory()).notes);
    } catch (e) {
      return { index: item.index, error: toThreadError(e) };
    }
  }
  return { notes };
});
