/**
 * The coordinator worker of a session (src/engine/session.ts): prepares generation 0 off the main
 * thread, reports what the caller needs, and on "run" runs the replicates — here for one job,
 * else a share here and the rest on replicate workers of its own — then sends the result document.
 */
import { parentPort } from "node:worker_threads";
import type { Prepared } from "../core/loop.js";
import { columnBuffers } from "../core/result-columns.js";
import { prepare } from "../core/run.js";
import { decodeSeed } from "../data/seed-file.js";
import { machineMemory } from "../machine.js";
import { REPLICATE_WORKER, runParallel } from "./parallel.js";
import { progressBatch } from "./progress-batch.js";
import type { CoordinatorMessage, CoordinatorTask } from "./session.js";
import { releaseSpares, startSpares } from "./spare-workers.js";
import { toThreadError } from "./thread-error.js";

const port = parentPort!;
let prepared: Prepared | null = null;
let jobs = 1;

const post = (m: CoordinatorMessage) => port.postMessage(m);

function report(e: unknown): void {
  post({ type: "error", error: toThreadError(e) });
}

port.on("message", (msg: CoordinatorTask | "run") => {
  if (msg !== "run") {
    try {
      jobs = msg.jobs;
      // The replicate workers this run will likely have load their script while generation 0 is
      // prepared here (a mixture's EM on the seed data takes 0.2 s); runParallel lets go of those
      // it does not need as soon as its pool has started, and a failed preparation of them all.
      const others = Math.min(jobs, msg.config.replicates) - 1;
      if (others > 0) startSpares(REPLICATE_WORKER, others);
      // A text arrives as its bytes, decoded here (src/data/seed-file.ts EncodedText); a seed from
      // a source, as null, is drawn here.
      const outcome = prepare(msg.config, msg.seed === null ? null : decodeSeed(msg.seed), machineMemory());
      prepared = outcome.prepared;
      prepared.describes = msg.describes;
      post({ type: "prepared", view: { config: prepared.config, metricNames: prepared.metricNames, notes: outcome.notes } });
    } catch (e) {
      releaseSpares();
      report(e);
    }
    return;
  }
  const { tick, flush } = progressBatch((generations) => post({ type: "progress", generations }));
  // This thread computes too: --jobs N means N threads at work, this one and N − 1 workers.
  const running = runParallel(prepared!, jobs, tick, { inThread: jobs === 1, computesToo: true });
  // The workers have what they need of the seed now (its input, or its data as shaped: Model.shareSeed),
  // and this thread sends it nowhere else: let a large text go.
  prepared!.seed = null;
  running.then((result) => {
    flush();
    // The columns' arrays move to the main thread rather than being copied (result-columns.ts).
    port.postMessage({ type: "result", result } satisfies CoordinatorMessage, columnBuffers(result));
  }, report);
});
