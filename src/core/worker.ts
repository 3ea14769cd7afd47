/** Worker thread body: prepares generation 0 once, then runs the replicate ranges it is sent. */
import { parentPort } from "node:worker_threads";
import { machineMemory } from "../machine.js";
import type { Prepared } from "./loop.js";
import { runReplicates } from "./loop.js";
import type { WorkerMessage, WorkerTask } from "./parallel.js";
import { prepare } from "./run.js";
import { toThreadError } from "./thread-error.js";

let prepared: Prepared | null = null;

parentPort!.on("message", (task: WorkerTask) => {
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
  try {
    prepared ??= prepare(task.config, task.seed, machineMemory()).prepared;
    let pending = 0;
    let last = Date.now();
    const block = runReplicates(prepared, task.from, task.to, () => {
      pending++;
      // Progress is batched: a message per generation would cost more than small generations.
      if (Date.now() - last > 100) {
        post({ type: "progress", generations: pending });
        pending = 0;
        last = Date.now();
      }
    });
    if (pending > 0) post({ type: "progress", generations: pending });
    post(
      { type: "block", block },
      block.values.map((v) => v.buffer as ArrayBuffer),
    );
  } catch (e) {
    post({ type: "error", error: toThreadError(e) });
  }
});
