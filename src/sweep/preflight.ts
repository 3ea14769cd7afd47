/**
 * Checks, before any point runs, that every point this process will run can start: its model
 * exists, its seed data reads, and its options agree with the data (prepare() fits generation 0).
 * A bad combination is reported with its point, and no work — no output file — is started.
 */
import type { SimConfig } from "../config/config.js";
import { prepare } from "../core/run.js";
import type { SeedResult } from "../core/seed.js";
import { loadSeedAsync, seedFileKey } from "../data/seed-file.js";
import { poolResults } from "../engine/pool.js";
import { fromThreadError } from "../engine/thread-error.js";
import { estimateWork, fitsInThread } from "../engine/work.js";
import { machineMemory } from "../machine.js";
import { getModel } from "../models/index.js";
import { atPoint } from "./plan.js";
import type { PreflightItem, PreflightOutcome } from "./preflight-worker.js";

/**
 * Returns the notes (ignored columns and the like) of all the points, each once, and the seed data
 * read for the points that have --data, by point index: the workers receive it rather than read
 * the file again (stdin or a FIFO can be read only once).
 *
 * Seed files are read here, asynchronously. Generation 0 is fitted here only when the fit is
 * estimated short (src/engine/work.ts); the others (a 20-dimensional mixture takes seconds) are
 * prepared on a worker, so that this thread stays free to answer a signal.
 */
export async function preflight(
  points: readonly { index: number; config: SimConfig }[],
  label: (index: number) => string,
): Promise<{ notes: string[]; seeds: Map<number, SeedResult> }> {
  // A seed file is read once for all the points that share it (its content does not depend on the seed).
  const files = new Map<string, SeedResult>();
  const notes = new Set<string>();
  const seeds = new Map<number, SeedResult>();
  const costly: PreflightItem[] = [];
  let fittedHere = 0;
  for (const { index, config } of points) {
    try {
      const model = getModel(config.model);
      let seed: SeedResult | undefined;
      if (config.data !== null) {
        const key = seedFileKey(model, config);
        seed = files.get(key) ?? (await loadSeedAsync(model, config));
        files.set(key, seed);
        seeds.set(index, seed);
      }
      // Fits here add up: together they must stay short.
      const fit = estimateWork(config, seed?.input ?? null).fit;
      if (fitsInThread(fittedHere + fit)) {
        fittedHere += fit;
        for (const note of prepare(config, seed ?? null, machineMemory()).notes) notes.add(note);
      } else costly.push({ index, config, seed });
    } catch (e) {
      throw atPoint(label(index), e);
    }
  }
  if (costly.length > 0) for (const note of await prepareOffThread(costly, label)) notes.add(note);
  return { notes: [...notes], seeds };
}

/** Prepares the points in order on one worker (the pool's, for its handling of a worker that fails or dies). */
async function prepareOffThread(items: PreflightItem[], label: (index: number) => string): Promise<string[]> {
  const [outcome] = await poolResults<PreflightItem[], PreflightOutcome>({
    // Out of this folder and back: the same path from dist/ and from the start-up bundle (scripts/bundle.mjs).
    script: new URL("../sweep/preflight-worker.js", import.meta.url),
    tasks: [items],
    jobs: 1,
    name: "the sweep's preflight worker",
  });
  if ("error" in outcome!) throw fromThreadError(outcome.error, label(outcome.index));
  return outcome!.notes;
}
