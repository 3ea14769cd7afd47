/**
 * The core's prepare and simulate for tests, with a --data seed read by the data layer first (the
 * core reads no files: ARCHITECTURE §6). Configs without --data pass straight through.
 */
import type { SimConfig } from "../src/config/config.js";
import * as core from "../src/core/run.js";
import type { SeedResult } from "../src/core/seed.js";
import { loadSeedSync } from "../src/data/seed-file.js";
import { getModel } from "../src/models/index.js";

function seedOf(config: SimConfig, seed: SeedResult | null | undefined): SeedResult | null {
  return seed ?? (config.data !== null ? loadSeedSync(getModel(config.model), config) : null);
}

export function prepare(config: SimConfig, seed?: SeedResult | null): core.PrepareOutcome {
  return core.prepare(config, seedOf(config, seed));
}

export function simulate(config: SimConfig, seed?: SeedResult | null): ReturnType<typeof core.simulate> {
  return core.simulate(config, seedOf(config, seed));
}
