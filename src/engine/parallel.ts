/**
 * Replicates spread over worker threads. Each worker prepares the same generation 0 from the same
 * seed input and runs whole replicates on their own derived streams, so the assembled result is
 * byte-identical for any number of workers.
 */
import type { SimConfig } from "../config/config.js";
import { type Prepared, type ReplicateBlock, runReplicates } from "../core/loop.js";
import { threadsThatFit } from "../core/memory.js";
import type { SimResult } from "../core/result.js";
import { assemble } from "../core/run.js";
import type { SeedResult } from "../core/seed.js";
import { poolResults } from "./pool.js";
import { estimateWork, fitsInThread } from "./work.js";

/** Whether a prepared run is small enough to run in this thread (src/engine/work.ts). */
export function staysInThread(p: Prepared): boolean {
  return fitsInThread(estimateWork(p.config, p.seed.input).total);
}

export interface WorkerTask {
  readonly config: SimConfig;
  readonly seed: SeedResult;
  readonly from: number;
  readonly to: number;
  /** Generation 0's parameters when the model shares its fit (Model.shareFit): the worker does not refit them. */
  readonly params0?: unknown;
}

/**
 * Runs every replicate of a prepared simulation. `offMainThread` (a coordinator worker) runs them
 * here whenever one thread would do them all: with one job, one replicate, or memory for one copy.
 */
export async function runParallel(p: Prepared, jobs: number, onGeneration?: () => void, options: { offMainThread?: boolean } = {}): Promise<SimResult> {
  const { replicates } = p.config;
  // Fewer workers when each one's copy of the data would not fit (results do not depend on it).
  const workers = threadsThatFit(p.config, p.footprint, p.shape, Math.max(1, Math.min(jobs, replicates)), p.machine);
  // Short runs stay in this thread. Others go to workers, even with --jobs 1, when this is the
  // main thread: it must stay free to draw progress and to act on a signal at once.
  if ((options.offMainThread && workers === 1) || staysInThread(p)) return assemble(p, [runReplicates(p, 0, replicates, onGeneration)]);

  // More chunks than workers keeps both cores busy when replicates finish at different speeds.
  const chunkCount = Math.min(replicates, workers * 4);
  const chunks: [number, number][] = [];
  for (let i = 0; i < chunkCount; i++) {
    chunks.push([Math.floor((i * replicates) / chunkCount), Math.floor(((i + 1) * replicates) / chunkCount)]);
  }
  const blocks = await poolResults<WorkerTask, ReplicateBlock, number>({
    // Out of this folder and back: the same path from dist/ and from the start-up bundle (scripts/bundle.mjs).
    script: new URL("../engine/worker.js", import.meta.url),
    tasks: chunks.map(([from, to]) => ({ config: p.config, seed: p.seed, from, to, params0: p.model.shareFit ? p.params0 : undefined })),
    jobs: workers,
    // A worker reports the replicate-generations it has done since its last report.
    onProgress: (generations) => {
      for (let i = 0; i < generations; i++) onGeneration?.();
    },
    name: "a replicate worker",
  });
  return assemble(p, blocks);
}
