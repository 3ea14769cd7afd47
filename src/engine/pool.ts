/**
 * The one pool of worker threads: runs a list of tasks on up to `jobs` workers of one script,
 * each worker taking the next task when it is done with one, and hands over the results. It knows
 * nothing of what the tasks are.
 *
 * The protocol (src/engine/pool-worker.ts speaks it for a worker): the pool posts each task as it is;
 * the worker answers with any number of progress messages, then exactly one result or error. A
 * worker runs one task at a time and may keep state from one task to the next. Workers start on
 * the first tasks in order, one each (worker i on task i): a caller may send what every worker
 * needs once, in those tasks only.
 *
 * On the first failure — an error a worker posts, a worker's uncaught exception, a worker that
 * stops without its task's result, a callback that throws — every worker is stopped and the
 * promise rejects with that failure; later ones are ignored. Either way the promise settles once
 * every thread has stopped, and no worker is left tracked (see workers.ts).
 *
 * Users: replicate chunks (parallel.ts), sweep points (sweep/pool.ts) and the sweep's preflight.
 * A session's coordinator worker (session.ts) is not one: it holds a conversation — prepare, then
 * run only if the caller still wants to — rather than running a list of tasks.
 */
import type { Worker } from "node:worker_threads";
import { workerThreads } from "../builtins.js";
import { takeSpare } from "./spare-workers.js";
import { fromThreadError, type ThreadError } from "./thread-error.js";
import { trackWorker, untrackWorker } from "./workers.js";

/**
 * Tasks handed out as workers become free, for work whose next task depends on how the run is
 * going (a sweep's idle workers help with points still running: src/sweep/pool.ts). `next`
 * returns undefined once there is nothing for a worker to do, which retires it; the pool asks
 * again only for workers still running.
 */
export interface TaskSource<T> {
  next(): T | undefined;
  /**
   * Called once with a function to call when `next` may have tasks again after returning
   * undefined: the pool then starts workers for them, up to `jobs` running at once.
   */
  onMore?(wake: () => void): void;
}

/** What a pool worker posts. */
export type PoolMessage<R, P = never> =
  | { readonly type: "progress"; readonly progress: P }
  | { readonly type: "result"; readonly result: R }
  | { readonly type: "error"; readonly error: ThreadError };

export interface PoolOptions<T, R, P = never> {
  /** The worker script. */
  readonly script: URL;
  /** A list, or a source asked for each next task (its n-th task is at position n − 1). */
  readonly tasks: readonly T[] | TaskSource<T>;
  /** At most this many workers run at once, and never more than there are tasks. */
  readonly jobs: number;
  /**
   * "task": each result as soon as it and every earlier task's result are in, so results come in
   * task order whatever the order they finish in. "completion": each result as it comes.
   */
  readonly order: "task" | "completion";
  /** Receives each result and its task's position in `tasks`. If it throws, the pool stops and rejects with that. */
  readonly deliver: (result: R, index: number) => void;
  /** Receives each progress message and the position of the task it is about. If it throws, the pool stops and rejects with that. */
  readonly onProgress?: (progress: P, index: number) => void;
  /** Put before the message of a failure while running the task at `index`, e.g. "point 3 of 8". */
  readonly context?: (index: number) => string;
  /** What a worker is called in the error for one that stops unexpectedly, e.g. "a sweep worker". */
  readonly name?: string;
  /** A task's buffers to move to its worker rather than copy (the caller no longer uses them). */
  readonly transfer?: (task: T) => ArrayBuffer[];
}

/** Runs every task; resolves once each result has been delivered and every worker has stopped. */
export function runPool<T, R, P = never>(options: PoolOptions<T, R, P>): Promise<void> {
  const { script, tasks, order, deliver, onProgress, context } = options;
  const name = options.name ?? "a worker thread";
  const source = isList(tasks) ? listSource(tasks) : tasks;
  return new Promise((resolve, reject) => {
    // Each running worker and the position of the task it is running.
    const running = new Map<Worker, number>();
    const stopping: Promise<unknown>[] = [];
    // In task order: results that came before an earlier one.
    const held = new Map<number, R>();
    let issued = 0;
    let nextInOrder = 0;
    let delivered = 0;
    let over = false;
    /** The next task and its position, or null when the source has none for this worker. */
    const take = (): [T, number] | null => {
      const task = source.next();
      return task === undefined ? null : [task, issued++];
    };

    const retire = (w: Worker) => {
      running.delete(w);
      untrackWorker(w);
      stopping.push(w.terminate());
    };
    const settle = (failure: { error: unknown } | null) => {
      over = true;
      for (const w of [...running.keys()]) retire(w);
      void Promise.allSettled(stopping).then(() => (failure ? reject(failure.error) : resolve()));
    };
    const fail = (error: unknown) => {
      if (!over) settle({ error });
    };
    const withContext = (index: number, message: string) => (context ? `${context(index)}: ${message}` : message);

    const give = (w: Worker, [task, index]: [T, number]) => {
      running.set(w, index);
      w.postMessage(task, options.transfer?.(task) ?? []);
    };
    const feed = (w: Worker) => {
      const next = take();
      if (next === null) retire(w);
      else give(w, next);
    };
    const hand = (result: R, index: number) => {
      if (order === "completion") {
        deliver(result, index);
        delivered++;
        return;
      }
      held.set(index, result);
      while (held.has(nextInOrder)) {
        const next = held.get(nextInOrder)!;
        held.delete(nextInOrder);
        deliver(next, nextInOrder++);
        delivered++;
      }
    };

    const start = (first: [T, number]) => {
      const w = takeSpare(script) ?? new (workerThreads().Worker)(script);
      trackWorker(w);
      w.on("message", (msg: PoolMessage<R, P>) => {
        const index = running.get(w);
        if (over || index === undefined) return;
        try {
          if (msg.type === "progress") onProgress?.(msg.progress, index);
          else if (msg.type === "error") fail(fromThreadError(msg.error, context?.(index)));
          else if (msg.type === "result") {
            // The worker goes on with the next task while this result is handed over.
            feed(w);
            hand(msg.result, index);
            if (running.size === 0 && delivered === issued) settle(null);
          } else fail(new Error(withContext(index, `${name} sent a message the pool does not know`)));
        } catch (e) {
          fail(e);
        }
      });
      w.on("error", fail);
      w.on("messageerror", (e) => {
        const index = running.get(w);
        if (index !== undefined) fail(new Error(withContext(index, `${name} sent a message that could not be read: ${e.message}`)));
      });
      // A worker that dies without a word (out of memory, say) must not leave the pool waiting.
      w.on("exit", (code) => {
        const index = running.get(w);
        if (index !== undefined) fail(new Error(withContext(index, `${name} stopped unexpectedly (exit code ${code})`)));
      });
      give(w, first);
    };
    // A worker is started only for a task it will run.
    const startMore = () => {
      try {
        while (!over && running.size < workerCount(options.jobs)) {
          const first = take();
          if (first === null) break;
          start(first);
        }
      } catch (e) {
        fail(e);
      }
    };
    startMore();
    if (issued === 0 && !over) settle(null);
    source.onMore?.(startMore);
  });
}

/** Runs every task and returns the results in task order. */
export async function poolResults<T, R, P = never>(options: Omit<PoolOptions<T, R, P>, "order" | "deliver">): Promise<R[]> {
  const results: R[] = [];
  await runPool<T, R, P>({ ...options, order: "completion", deliver: (result, index) => (results[index] = result) });
  return results;
}

function isList<T>(tasks: readonly T[] | TaskSource<T>): tasks is readonly T[] {
  return Array.isArray(tasks);
}

function listSource<T>(tasks: readonly T[]): TaskSource<T> {
  let next = 0;
  return { next: () => (next < tasks.length ? tasks[next++] : undefined) };
}

/** A job count as a whole number of at least one. */
function workerCount(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.floor(n)) : 1;
}
