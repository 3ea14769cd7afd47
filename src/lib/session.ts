/**
 * Opening a simulation session from a configuration: the data layer reads the seed data (a file,
 * stdin or a FIFO, without blocking this thread), the machine's memory is read, and the core
 * prepares and runs on them. The CLI and the library both start here.
 */
import type { SimConfig } from "../config/config.js";
import { checkBeforeDraw } from "../core/run.js";
import { type LoadedSeed, loadSessionSeed, seedFileBytes } from "../data/seed-file.js";
import { type Session, startCoordinator, startSession } from "../engine/session.js";
import { likelyOffThread } from "../engine/work.js";
import { machineMemory } from "../machine.js";
import { getModel } from "../models/index.js";

/** `describes`: whether the result is to carry each generation's samples (Prepared.describes). */
export async function openSession(config: SimConfig, jobs: number, describes = true): Promise<Session> {
  checkBeforeDraw(config, machineMemory());
  // A run that will likely need a coordinator thread starts it now, so that it loads its script
  // while this thread reads the seed data (40 ms sooner at work on a novel-length text).
  const early = likelyOffThread(config, seedFileBytes(config)) ? startCoordinator() : null;
  let seed: LoadedSeed | null;
  try {
    // A text stays bytes here: the thread that prepares the run decodes it. A seed drawn from a
    // source, for a run that goes to the coordinator, is drawn there (null): 4·10⁶ draws over
    // 2·10⁶ categories held this thread 0.65 s, then were sent to the coordinator as 2·10⁶ labels.
    seed = early !== null && config.data === null ? null : await loadSessionSeed(getModel(config.model), config);
  } catch (e) {
    early?.close();
    throw e;
  }
  return startSession(config, seed, jobs, early, describes);
}
