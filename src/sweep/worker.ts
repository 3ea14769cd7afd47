/**
 * Sweep worker thread: runs whole points, one at a time, each with all its replicates in this
 * thread, and sends back the point's rendered output.
 */
import { serveTasks } from "../engine/pool-worker.js";
import { type PointBody, type PointTask, runPoint } from "./point.js";

serveTasks<PointTask, PointBody>(runPoint);
