/**
 * Sweep worker thread: runs points, one at a time, and sends back each one's rendered output; a
 * point's replicates may be shared with workers that have no point left, and this worker may be
 * such a helper (shared-point.ts).
 */
import { serveTasks } from "../engine/pool-worker.js";
import { helpPoint, type PointBody, type PointTask, runPoint } from "./point.js";
import type { SharedPoint } from "./shared-point.js";

/**
 * A point's texts are sent as UTF-8 bytes in shared memory, which the message neither copies nor
 * moves: a string is copied, and a point of 50,000 generations (160 MB of JSON) took the main
 * thread 0.7 s to receive, holding it. Not moved either: once a buffer is moved out of a thread,
 * V8 checks its every typed-array access for moved buffers, and this worker's next points drew
 * their samples 18% slower (measured).
 */
function sharedUtf8(text: string): Uint8Array {
  const bytes = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(text)));
  bytes.write(text);
  return bytes;
}

serveTasks<PointTask, PointBody | null, SharedPoint>((task, announce) => (task.helping ? helpPoint(task) : runPoint(task, announce, sharedUtf8)));
