/**
 * Replicates spread over worker threads. Each worker prepares the same generation 0 from the same
 * seed input and runs whole replicates on their own derived streams, taken from one queue
 * (replicate-queue.ts), so the assembled result is byte-identical for any number of workers.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { SimConfig } from "../config/config.js";
import { type Prepared, type ReplicateBlock, ReplicateRunner, runReplicates } from "../core/loop.js";
import { threadsThatFit } from "../core/memory.js";
import type { ResultColumns } from "../core/result-columns.js";
import { assembleColumns } from "../core/run.js";
import type { SeedResult, SeedShell } from "../core/seed.js";
import { poolResults } from "./pool.js";
import { type QueueHandle, ReplicateQueue } from "./replicate-queue.js";
import { releaseSpares } from "./spare-workers.js";
import { splitsSummaries, startSummaryWorker, summariesOnTwoThreads } from "./summaries.js";
import { estimateWork, fitsInThread } from "./work.js";
import { terminateWorkers } from "./workers.js";

/**
 * Whether a prepared run is small enough to run in this thread (src/engine/work.ts). A thread that
 * has let its seed input go (a coordinator, once its workers have it) estimates from the config.
 */
export function staysInThread(p: Prepared): boolean {
  return fitsInThread(estimateWork(p.config, p.seed?.input ?? null).total);
}

/** The replicate workers' script. Out of this folder and back: the same path from dist/ and from the start-up bundle (scripts/bundle.mjs). */
export const REPLICATE_WORKER = new URL("../engine/worker.js", import.meta.url);

/** A replicate worker's one task: prepare generation 0, then run replicates from the queue until none is left. */
export interface WorkerTask {
  readonly config: SimConfig;
  /** Without its input when the model shares its seed data as shaped (`seeded`). */
  readonly seed: SeedResult | SeedShell;
  /** The seed data as shaped here, when the model shares it (Model.shareSeed): the worker does not shape it again. */
  readonly seeded?: unknown;
  readonly queue: QueueHandle;
  /** Generation 0's parameters when the model shares its fit (Model.shareFit): the worker does not refit them. */
  readonly params0?: unknown;
  /** Whether replicate 0 draws each generation's samples (Prepared.describes). */
  readonly describes: boolean;
}

export interface ParallelOptions {
  /** Run every replicate in this thread, whatever their cost (for a thread that is not the main one). */
  readonly inThread?: boolean;
  /**
   * This thread is a worker itself (a session's coordinator), free to block: it counts as one of
   * the `jobs` threads and runs a share of the replicates while jobs − 1 workers run the rest,
   * rather than wait beside `jobs` workers while holding its own copy of generation 0. The
   * workers have their first tasks (and the seed) when the promise is returned.
   */
  readonly computesToo?: boolean;
}

/** Runs every replicate of a prepared simulation: the result document, its generations as columns (resultFromColumns makes the document). */
export async function runParallel(p: Prepared, jobs: number, onGeneration?: () => void, options: ParallelOptions = {}): Promise<ResultColumns> {
  const { replicates } = p.config;
  // Short runs stay in this thread. Others always go to workers, even with --jobs 1, so that
  // the main thread stays free to draw progress and to act on a signal at once.
  if (options.inThread || staysInThread(p)) {
    releaseSpares();
    return assembleColumns(p, [runReplicates(p, 0, replicates, onGeneration)]);
  }
  // Fewer workers when each one's copy of the data would not fit (results do not depend on it).
  const workers = threadsThatFit(p.config, p.footprint, p.shape, Math.max(1, Math.min(jobs, replicates)), p.machine);
  if (options.computesToo) return runHereAndOnWorkers(p, workers, jobs, onGeneration);
  const blocks = runOnWorkers(p, ReplicateQueue.create(0, replicates, workers), workers, onGeneration);
  // The pool took the spare workers it needed as it started: let the rest go now, not hold them
  // through a run that found fewer threads fit in memory.
  releaseSpares();
  return assembleColumns(p, await blocks);
}

/**
 * Every replicate, some in this thread and the rest on `threads` − 1 workers at the same time, all
 * taking from one queue. This thread runs one replicate at a time and yields between them, so
 * that the workers' progress and results are handled meanwhile, and stops at the first replicate
 * boundary after a worker has failed (the pool has stopped the others) rather than finish first.
 * A large run's summaries are then made by two threads of the `jobs` (summaries.ts).
 */
async function runHereAndOnWorkers(p: Prepared, threads: number, jobs: number, onGeneration?: () => void): Promise<ResultColumns> {
  const queue = ReplicateQueue.create(0, p.config.replicates, threads);
  const others = threads > 1 ? runOnWorkers(p, queue, threads - 1, onGeneration) : Promise.resolve([]);
  // The pool took the spare workers it needed as it started (spare-workers.ts): let the rest go.
  releaseSpares();
  // A large run's summaries are made by two threads at its end: that worker loads meanwhile.
  const split = splitsSummaries(p, jobs);
  if (split) startSummaryWorker();
  // Awaited below; a failure here first must not leave the workers' rejection unhandled.
  let failed = false;
  others.catch(() => {
    failed = true;
  });
  const blocks: ReplicateBlock[] = [];
  try {
    // Chunks as a worker takes them, each one block, whose replicates this thread runs one at a
    // time: a block per replicate made the run's summaries gather 500 blocks at -g 1000 -r 1000.
    chunks: for (let range = queue.takeChunk(); range !== null; range = queue.takeChunk()) {
      const runner = new ReplicateRunner(p, range[0], range[1]);
      for (;;) {
        // First: the caller gets the promise once the workers have their tasks (see coordinator.ts).
        await nextTurn();
        // A worker's failure ends the run now: awaiting `others` rejects with it.
        if (failed) break chunks;
        if (!runner.runNext(onGeneration)) break;
      }
      blocks.push(runner.block);
    }
  } catch (e) {
    // The only workers this thread started are the replicate workers and the summary worker: stop them.
    void terminateWorkers();
    throw e;
  }
  const all = [...blocks, ...(await others)];
  return assembleColumns(p, all, split ? await summariesOnTwoThreads(p, all) : undefined);
}

/** The queue's replicates on `workers` replicate workers, each taking from it until none is left. */
async function runOnWorkers(p: Prepared, queue: ReplicateQueue, workers: number, onGeneration?: () => void): Promise<ReplicateBlock[]> {
  const seed = p.seed;
  if (seed === null) throw new Error("runOnWorkers: this thread kept no seed input to send");
  const params0 = p.model.shareFit ? p.params0 : undefined;
  const describes = p.describes !== false;
  const task: WorkerTask = p.model.shareSeed
    ? {
        config: p.config,
        seed: { ...seed, input: null },
        seeded: p.model.shareSeed({ data: p.data0, heldOut: p.heldOut }),
        queue: queue.handle,
        params0,
        describes,
      }
    : { config: p.config, seed, queue: queue.handle, params0, describes };
  const perWorker = await poolResults<WorkerTask, ReplicateBlock[], number>({
    script: REPLICATE_WORKER,
    tasks: Array.from({ length: workers }, () => task),
    jobs: workers,
    // A worker reports the replicate-generations it has done since its last report.
    onProgress: (generations) => {
      for (let i = 0; i < generations; i++) onGeneration?.();
    },
    name: "a replicate worker",
  });
  return perWorker.flat();
}
