/**
 * A plot drawn off the main thread (see draw.ts): each task is a file's bytes and the options; the
 * answer, the bytes to write and the warnings to print, or the error, in the pool's protocol.
 */
import { serveTasks } from "../engine/pool-worker.js";
import { type DrawnPlot, drawPlot, type PlotTask } from "./draw.js";

// The answer is copied back, not moved: a PNG is a few MB, and its buffer may be shared.
serveTasks<PlotTask, DrawnPlot>(drawPlot);
