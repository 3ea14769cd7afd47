/**
 * Preflight off the main thread: prepares each point it is sent (generation 0 fitted) in order
 * and answers with every point's notes, or with the first point that cannot start.
 */
import { parentPort } from "node:worker_threads";
import type { SimConfig } from "../config/config.js";
import { prepare } from "../core/run.js";
import type { SeedResult } from "../core/seed.js";
import { CollapseError } from "../errors.js";

export interface PreflightItem {
  readonly index: number;
  readonly config: SimConfig;
  readonly seed: SeedResult | undefined;
}

export type PreflightReply =
  | { type: "done"; notes: string[] }
  | { type: "error"; index: number; message: string; exitCode: number | null; stack?: string };

parentPort!.on("message", (items: PreflightItem[]) => {
  const notes: string[] = [];
  for (const item of items) {
    try {
      notes.push(...prepare(item.config, item.seed).notes);
    } catch (e) {
      const reply: PreflightReply = {
        type: "error",
        index: item.index,
        message: (e as Error).message,
        exitCode: e instanceof CollapseError ? e.exitCode : null,
        stack: (e as Error).stack,
      };
      parentPort!.postMessage(reply);
      return;
    }
  }
  parentPort!.postMessage({ type: "done", notes } satisfies PreflightReply);
});
