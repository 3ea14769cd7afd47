/**
 * Sweep worker thread: runs whole points, one at a time, each with all its replicates in this
 * thread, and sends back the point's rendered output.
 */
import { parentPort } from "node:worker_threads";
import { runReplicates } from "../core/loop.js";
import { assemble, prepare } from "../core/run.js";
import { toThreadError } from "../core/thread-error.js";
import { machineMemory } from "../machine.js";
import type { PointMessage, PointTask } from "./pool.js";
import { renderPointBody } from "./render.js";

parentPort!.on("message", (task: PointTask) => {
  let message: PointMessage;
  try {
    const { prepared } = prepare(task.config, task.seed ?? null, machineMemory());
    const result = assemble(prepared, [runReplicates(prepared, 0, prepared.config.replicates)]);
    message = { type: "done", index: task.index, body: task.format === "document" ? result : renderPointBody(task.format, task.params, result) };
  } catch (e) {
    message = { type: "error", index: task.index, error: toThreadError(e) };
  }
  parentPort!.postMessage(message);
});
