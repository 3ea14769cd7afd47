/** Worker thread body: prepares generation 0, then runs replicates from the shared queue until none is left. */

import type { Prepared, ReplicateBlock } from "../core/loop.js";
import { runReplicates } from "../core/loop.js";
import { prepare } from "../core/run.js";
import { machineMemory } from "../machine.js";
import type { WorkerTask } from "./parallel.js";
import { serveTasks } from "./pool-worker.js";
import { ReplicateQueue } from "./replicate-queue.js";

serveTasks<WorkerTask, ReplicateBlock[], number>(
  (task, progress) => {
    const queue = new ReplicateQueue(task.queue);
    const blocks: ReplicateBlock[] = [];
    // A worker that starts once every replicate is taken has nothing to prepare.
    let range = queue.takeChunk();
    if (range === null) return blocks;
    // Without its seed input: this thread sends it nowhere (a text seed is as large as the file, twice over).
    const prepared: Prepared = {
      ...prepare(task.config, task.seed, machineMemory(), task.params0, task.seeded).prepared,
      seed: null,
      describes: task.describes,
    };
    let pending = 0;
    let last = Date.now();
    const tick = () => {
      pending++;
      // Progress is batched: a message per generation would cost more than small generations.
      if (Date.now() - last > 100) {
        progress(pending);
        pending = 0;
        last = Date.now();
      }
    };
    for (; range !== null; range = queue.takeChunk()) blocks.push(runReplicates(prepared, range[0], range[1], tick));
    if (pending > 0) progress(pending);
    return blocks;
  },
  // The blocks' values move to the main thread rather than being copied.
  (blocks) => blocks.flatMap((block) => [...block.values, block.real, block.synthetic].map((v) => v.buffer as ArrayBuffer)),
);
