/** Worker thread body: prepares generation 0, then runs replicates from the shared queue until none is left. */

import type { Prepared, ReplicateBlock } from "../core/loop.js";
import { runReplicates } from "../core/loop.js";
import { prepare } from "../core/run.js";
import { machineMemory } from "../machine.js";
import type { WorkerTask } from "./parallel.js";
import { serveTasks } from "./pool-worker.js";
import { progressBatch } from "./progress-batch.js";
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
    const { tick, flush } = progressBatch(progress);
    for (; range !== null; range = queue.takeChunk()) blocks.push(runReplicates(prepared, range[0], range[1], tick));
    flush();
    return blocks;
  },
  // The blocks' values move to the main thread rather than being copied.
  (blocks) => blocks.flatMap((block) => [...block.values, block.real, block.synthetic].map((v) => v.buffer as ArrayBuffer)),
);
