/**
 * One simulation as the CLI drives it: prepared first (generation 0 fitted, options fixed by the
 * data), then run. Between the two the caller may stop (--print-config, a bad --assert).
 *
 * Where the work happens is this module's one decision. The calling thread must stay free to
 * answer a signal within a second, so only runs estimated to take a fraction of that from end to
 * end (src/engine/work.ts) are prepared and run here; every other run — fitting generation 0
 * included, which takes seconds for a 20-dimensional mixture — happens on a coordinator worker
 * that runs the replicates itself (one job) or spreads them over replicate workers of its own.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Worker } from "node:worker_threads";
import { workerThreads } from "../builtins.js";
import type { ResolvedConfig, SimConfig } from "../config/config.js";
import type { SimResult } from "../core/result.js";
import { type ResultColumns, resultFromColumnsInSteps } from "../core/result-columns.js";
import { prepare } from "../core/run.js";
import { decodeSeed, type LoadedSeed } from "../data/seed-file.js";
import { machineMemory } from "../machine.js";
import { runParallel } from "./parallel.js";
import { fromThreadError, type ThreadError } from "./thread-error.js";
import { estimateWork, fitsInThread } from "./work.js";
import { trackWorker, untrackWorker } from "./workers.js";

/** What the caller learns once generation 0 is prepared. */
export interface PreparedView {
  readonly config: ResolvedConfig;
  readonly metricNames: readonly string[];
  readonly notes: readonly string[];
}

export interface Session {
  readonly view: PreparedView;
  /** Runs every replicate; `onGeneration` is called once per replicate-generation done. */
  run(onGeneration?: () => void): Promise<SimResult>;
  /** Not wanted after all: release the worker. */
  close(): void;
}

/** Messages of the coordinator worker (src/engine/coordinator.ts). */
export type CoordinatorMessage =
  | { type: "prepared"; view: PreparedView }
  | { type: "progress"; generations: number }
  | { type: "result"; result: ResultColumns }
  | { type: "error"; error: ThreadError };

export interface CoordinatorTask {
  readonly config: SimConfig;
  /** A text still as bytes: the coordinator decodes it (see EncodedText); null: the coordinator draws it from the config's source. */
  readonly seed: LoadedSeed | null;
  readonly jobs: number;
  /** Whether the output shows each generation's samples (Prepared.describes). */
  readonly describes: boolean;
}

/**
 * A coordinator started before its task: it loads its script (about 40 ms) while this thread is
 * still reading the seed data. `close` lets it go if the run turns out to be short after all.
 */
export interface EarlyCoordinator {
  readonly worker: Worker;
  readonly session: Promise<Session>;
  close(): void;
}

export function startCoordinator(): EarlyCoordinator {
  // Out of this folder and back: the same path from dist/ and from the start-up bundle (scripts/bundle.mjs).
  const worker = new (workerThreads().Worker)(new URL("../engine/coordinator.js", import.meta.url));
  trackWorker(worker);
  const { session, close } = coordinatorSession(worker);
  // Its failures reach whoever awaits the session; one that is let go unawaited fails nobody.
  session.catch(() => {});
  return { worker, session, close };
}

/**
 * Prepares a simulation from its config and seed data (null: drawn from the config's source by
 * whichever thread prepares it), in this thread only when the whole run is short; `early`, a
 * coordinator started while the seed data was read, does the rest otherwise. `describes`:
 * whether the result is to carry each generation's samples (Prepared.describes).
 */
export async function startSession(
  config: SimConfig,
  seed: LoadedSeed | null,
  jobs: number,
  early: EarlyCoordinator | null = null,
  describes = true,
): Promise<Session> {
  if (fitsInThread(estimateWork(config, seed?.input ?? null).total)) {
    early?.close();
    const { prepared, notes } = prepare(config, seed === null ? null : decodeSeed(seed), machineMemory());
    prepared.describes = describes;
    return {
      view: { config: prepared.config, metricNames: prepared.metricNames, notes },
      run: async (onGeneration) => resultFromColumnsInSteps(await runParallel(prepared, jobs, onGeneration), nextTurn),
      close: () => {},
    };
  }
  return remoteSession({ config, seed, jobs, describes }, early ?? startCoordinator());
}

function remoteSession(task: CoordinatorTask, coordinator: EarlyCoordinator): Promise<Session> {
  // The seed's arrays, and a text's bytes, move to the worker rather than being copied: this
  // thread no longer needs them.
  coordinator.worker.postMessage(task, seedBuffers(task.seed));
  return coordinator.session;
}

/** The session whose work `worker` (a coordinator) does, once it reports generation 0 prepared. */
function coordinatorSession(worker: Worker): { session: Promise<Session>; close: () => void } {
  let onGeneration: (() => void) | undefined;
  let settleRun: { resolve: (r: SimResult) => void; reject: (e: unknown) => void } | null = null;
  let closed = false;
  const close = () => {
    closed = true;
    untrackWorker(worker);
    void worker.terminate();
  };
  const session = new Promise<Session>((resolvePrepared, rejectPrepared) => {
    const fail = (e: unknown) => {
      close();
      if (settleRun) settleRun.reject(e);
      else rejectPrepared(e);
    };
    worker.on("message", (msg: CoordinatorMessage) => {
      switch (msg.type) {
        case "prepared":
          resolvePrepared({
            view: msg.view,
            run(callback) {
              onGeneration = callback;
              return new Promise<SimResult>((resolve, reject) => {
                settleRun = { resolve, reject };
                worker.postMessage("run");
              });
            },
            close,
          });
          break;
        case "progress":
          for (let i = 0; i < msg.generations; i++) onGeneration?.();
          break;
        case "result":
          close();
          // Made in steps, with turns of the event loop between them: a signal is answered meanwhile.
          if (settleRun) void resultFromColumnsInSteps(msg.result, nextTurn).then(settleRun.resolve, settleRun.reject);
          break;
        case "error":
          fail(fromThreadError(msg.error));
          break;
      }
    });
    worker.on("error", fail);
    // A worker that dies without a word (out of memory, say) must not leave the run waiting.
    worker.on("exit", (code) => {
      if (!closed) fail(new Error(`the simulation thread stopped unexpectedly (exit code ${code})`));
    });
  });
  return { session, close };
}

/** The distinct buffers of a seed's typed arrays, for a zero-copy transfer. */
function seedBuffers(seed: LoadedSeed | null): ArrayBuffer[] {
  return seed === null ? [] : [...new Set(seedArrays(seed).map((a) => a.buffer as ArrayBuffer))];
}

function seedArrays(seed: LoadedSeed): readonly ArrayBufferView[] {
  const input = seed.input;
  switch (input.kind) {
    case "numbers":
      return [input.values];
    case "table":
      return input.columns;
    case "labels":
      return [input.counts];
    case "utf8":
      return [input.bytes];
    case "text":
      return [];
  }
}
