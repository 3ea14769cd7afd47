/**
 * Replicates spread over worker threads. Each worker prepares the same generation 0 from the same
 * seed input and runs whole replicates on their own derived streams, so the assembled result is
 * byte-identical for any number of workers.
 */
import { Worker } from "node:worker_threads";
import type { SimConfig } from "../config/config.js";
import { CollapseError } from "../errors.js";
import { runReplicates, type Prepared, type ReplicateBlock } from "./loop.js";
import { threadsThatFit } from "./memory.js";
import type { SimResult } from "./result.js";
import { assemble } from "./run.js";
import type { SeedResult } from "./seed.js";
import { trackWorker, untrackWorker } from "./workers.js";

/** Below this many sampled values in all, threads cost more to start than they save. */
const PARALLEL_THRESHOLD = 4_000_000;

export interface WorkerTask {
  readonly config: SimConfig;
  readonly seed: SeedResult;
  readonly from: number;
  readonly to: number;
}

export type WorkerMessage =
  | { type: "progress"; generations: number }
  | { type: "block"; block: ReplicateBlock }
  | { type: "error"; message: string; exitCode: number | null; stack?: string };


export async function runParallel(p: Prepared, jobs: number, onGeneration?: () => void): Promise<SimResult> {
  const { replicates, generations, sampleSize } = p.config;
  const work = replicates * generations * sampleSize;
  // Short runs stay in this thread. Long ones always go to workers, even with --jobs 1, so that
  // this thread stays free to draw progress and to act on Ctrl-C at once.
  if (work < PARALLEL_THRESHOLD) return assemble(p, [runReplicates(p, 0, replicates, onGeneration)]);
  // Fewer workers when each one's copy of the data would not fit (results do not depend on it).
  const workers = threadsThatFit(p.config, p.shape, Math.max(1, Math.min(jobs, replicates)));

  // More chunks than workers keeps both cores busy when replicates finish at different speeds.
  const chunkCount = Math.min(replicates, workers * 4);
  const chunks: [number, number][] = [];
  for (let i = 0; i < chunkCount; i++) {
    chunks.push([Math.floor((i * replicates) / chunkCount), Math.floor(((i + 1) * replicates) / chunkCount)]);
  }
  const blocks: ReplicateBlock[] = [];
  let next = 0;
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const take = () => chunks[next++];
      let chunk = take();
      if (!chunk) return resolve();
      const worker = new Worker(new URL("./worker.js", import.meta.url));
      trackWorker(worker);
      const send = (c: [number, number]) =>
        worker.postMessage({ config: p.config, seed: p.seed, from: c[0], to: c[1] } satisfies WorkerTask);
      worker.on("message", (msg: WorkerMessage) => {
        if (msg.type === "progress") for (let i = 0; i < msg.generations; i++) onGeneration?.();
        else if (msg.type === "block") {
          blocks.push(msg.block);
          chunk = take();
          if (chunk) send(chunk);
          else {
            untrackWorker(worker);
            void worker.terminate().then(() => resolve());
          }
        } else {
          untrackWorker(worker);
          void worker.terminate();
          reject(msg.exitCode !== null ? new CollapseError(msg.message, msg.exitCode) : new Error(msg.stack ?? msg.message));
        }
      });
      worker.on("error", (e) => {
        untrackWorker(worker);
        reject(e);
      });
      send(chunk);
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  return assemble(p, blocks);
}
