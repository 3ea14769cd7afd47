/**
 * Checks, before any point runs, that every point this process will run can start: its model
 * exists, its seed data reads, and its options agree with the data (prepare() fits generation 0).
 * A bad combination is reported with its point, and no work — no output file — is started.
 */
import type { SimConfig } from "../config/config.js";
import { prepare } from "../core/run.js";
import { loadSeedAsync, type SeedResult } from "../core/seed.js";
import { getModel } from "../models/index.js";
import { atPoint } from "./plan.js";

/**
 * Returns the notes (ignored columns and the like) of all the points, each once, and the seed data
 * read for the points that have --data, by point index: the workers receive it rather than read
 * the file again (stdin or a FIFO can be read only once).
 */
export async function preflight(
  points: readonly { index: number; config: SimConfig }[],
  label: (index: number) => string,
): Promise<{ notes: string[]; seeds: Map<number, SeedResult> }> {
  // A seed file is read once for all the points that share it (its content does not depend on the seed).
  const files = new Map<string, SeedResult>();
  const notes = new Set<string>();
  const seeds = new Map<number, SeedResult>();
  for (const { index, config } of points) {
    try {
      const model = getModel(config.model);
      let seed: SeedResult | undefined;
      if (config.data !== null) {
        const key = JSON.stringify([model.input, config.data, config.column]);
        seed = files.get(key) ?? (await loadSeedAsync(model, config));
        files.set(key, seed);
        seeds.set(index, seed);
      }
      for (const note of prepare(config, seed).notes) notes.add(note);
    } catch (e) {
      throw atPoint(label(index), e);
    }
  }
  return { notes: [...notes], seeds };
}
