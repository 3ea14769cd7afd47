/** Worker thread body: prepares generation 0 once, then runs the replicate ranges it is sent. */

import type { Prepared, ReplicateBlock } from "../core/loop.js";
import { runReplicates } from "../core/loop.js";
import { prepare } from "../core/run.js";
import { machineMemory } from "../machine.js";
import type { WorkerTask } from "./parallel.js";
import { serveTasks } from "./pool-worker.js";

let prepared: Prepared | null = null;

serveTasks<WorkerTask, ReplicateBlock, number>(
  (task, progress) => {
    if (prepared === null) {
      if (task.seed === undefined) throw new Error("a replicate worker's first task came without the seed data");
      // Without its seed input: this thread sends it nowhere (a text seed is as large as the file, twice over).
      prepared = { ...prepare(task.config, task.seed, machineMemory(), task.params0).prepared, seed: null };
    }
    let pending = 0;
    let last = Date.now();
    const block = runReplicates(prepared, task.from, task.to, () => {
      pending++;
      // Progress is batched: a message per generation would cost more than small generations.
      if (Date.now() - last > 100) {
        progress(pending);
        pending = 0;
        last = Date.now();
      }
    });
    if (pending > 0) progress(pending);
    return block;
  },
  // The block's values move to the main thread rather than being copied.
  (block) => [...block.values, block.real, block.synthetic].map((v) => v.buffer as ArrayBuffer),
);
