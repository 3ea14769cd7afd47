/**
 * What this machine offers a run: physical memory (or the cgroup's limit when lower) and V8's heap
 * limit. Read here, at the edge, and passed to the core, which touches neither the OS nor the process.
 */
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import type { MachineMemory } from "./core/memory.js";

export function machineMemory(): MachineMemory {
  let total = totalmem();
  // process.constrainedMemory (Node ≥ 19.6) is the cgroup limit; unconstrained it is 0 or ~2^64.
  const probe = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory;
  const limit = typeof probe === "function" ? probe.call(process) : 0;
  if (limit && limit > 0 && limit < total) total = limit;
  return { total, heapLimit: getHeapStatistics().heap_size_limit };
}
