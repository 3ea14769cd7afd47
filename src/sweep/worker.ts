/**
 * Sweep worker thread: runs points, one at a time, and sends back each one's rendered output; a
 * point's replicates may be shared with workers that have no point left, and this worker may be
 * such a helper (shared-point.ts).
 */
import { serveTasks } from "../engine/pool-worker.js";
import { helpPoint, type PointBody, type PointTask, runPoint } from "./point.js";
import type { SharedPoint } from "./shared-point.js";

// A point's texts go to the main thread as bytes in shared memory (point.ts sharedUtf8).
serveTasks<PointTask, PointBody | null, SharedPoint>((task, announce) => (task.helping ? helpPoint(task) : runPoint(task, announce, true)));
