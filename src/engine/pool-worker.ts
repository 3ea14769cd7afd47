/**
 * The worker side of the pool (src/engine/pool.ts): answers each task this thread is sent with what
 * `run` returns, or with the error it throws, after the progress it reports along the way.
 */
import { parentPort } from "node:worker_threads";
import type { PoolMessage } from "./pool.js";
import { toThreadError } from "./thread-error.js";

/**
 * Serves the pool from this worker thread. `run` may return a promise (the answer is posted once it
 * settles). `transfer` lists a result's buffers to move to the pool rather than copy.
 */
export function serveTasks<T, R, P = never>(
  run: (task: T, progress: (p: P) => void) => R | Promise<R>,
  transfer: (result: R) => ArrayBuffer[] = () => [],
): void {
  const port = parentPort!;
  const post = (m: PoolMessage<R, P>, list: ArrayBuffer[] = []) => port.postMessage(m, list);
  const answer = (result: R) => post({ type: "result", result }, transfer(result));
  const fail = (e: unknown) => post({ type: "error", error: toThreadError(e) });
  port.on("message", (task: T) => {
    let result: R | Promise<R>;
    try {
      result = run(task, (progress) => post({ type: "progress", progress }));
    } catch (e) {
      fail(e);
      return;
    }
    if (result instanceof Promise) result.then(answer, fail);
    else answer(result);
  });
}
