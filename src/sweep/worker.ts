/**
 * Sweep worker thread: runs points, one at a time, and sends back each one's rendered output; a
 * point's replicates may be shared with workers that have no point left, and this worker may be
 * such a helper (shared-point.ts).
 */
import { serveTasks } from "../engine/pool-worker.js";
import { helpPoint, type PointBody, type PointTask, runPoint } from "./point.js";
import type { SharedPoint } from "./shared-point.js";

/**
 * A point's texts are sent as UTF-8 bytes in buffers of their own, which the message moves to the
 * main thread: a string is copied, and a point of 50,000 generations (160 MB of JSON) took the
 * main thread 0.7 s to receive, holding it.
 */
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The buffers of a point's texts, each once (the rows and the baseline may be the same bytes). */
const buffers = (body: PointBody | null): ArrayBuffer[] =>
  body !== null && "rows" in body ? [...new Set([body.rows, body.baseline].flatMap((b) => (b instanceof Uint8Array ? [b.buffer as ArrayBuffer] : [])))] : [];

serveTasks<PointTask, PointBody | null, SharedPoint>((task, announce) => (task.helping ? helpPoint(task) : runPoint(task, announce, utf8)), buffers);
