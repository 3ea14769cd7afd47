/**
 * Opening a simulation session from a configuration: the data layer reads the seed data (a file,
 * stdin or a FIFO, without blocking this thread), the machine's memory is read, and the core
 * prepares and runs on them. The CLI and the library both start here.
 */
import type { SimConfig } from "../config/config.js";
import { checkBeforeDraw } from "../core/run.js";
import { loadSeedAsync } from "../data/seed-file.js";
import { type Session, startSession } from "../engine/session.js";
import { machineMemory } from "../machine.js";
import { getModel } from "../models/index.js";

export async function openSession(config: SimConfig, jobs: number): Promise<Session> {
  checkBeforeDraw(config, machineMemory());
  return startSession(config, await loadSeedAsync(getModel(config.model), config), jobs);
}
