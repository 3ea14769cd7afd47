/**
 * Sweep worker thread: runs whole points, one at a time, each with all its replicates in this
 * thread, and sends back the point's rendered output.
 */
import { runReplicates } from "../core/loop.js";
import { assemble, prepare } from "../core/run.js";
import { serveTasks } from "../engine/pool-worker.js";
import { machineMemory } from "../machine.js";
import type { PointBody, PointTask } from "./pool.js";
import { renderPointBody } from "./render.js";

serveTasks<PointTask, PointBody>((task) => {
  const { prepared } = prepare(task.config, task.seed ?? null, machineMemory());
  const result = assemble(prepared, [runReplicates(prepared, 0, prepared.config.replicates)]);
  return task.format === "document" ? result : renderPointBody(task.format, task.params, result);
});
