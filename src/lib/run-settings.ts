/** How a library call runs — never what it computes: results do not depend on these. */
import { availableParallelism } from "node:os";

export interface RunSettings {
  /** Worker threads (default: the number of cores). */
  readonly jobs?: number;
  /**
   * Called as work finishes: `done` of `total` replicate-generations (sweeps: points).
   * Simulations also pass their `replicates`: `done / replicates` is the generations done per
   * chain, on average.
   */
  readonly onProgress?: (done: number, total: number, replicates?: number) => void;
  /** Called with each note the CLI would print on stderr (ignored columns and the like). */
  readonly onNote?: (note: string) => void;
}

export function jobsOf(settings: RunSettings): number {
  const jobs = settings.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a whole number >= 1, got ${String(settings.jobs)}`);
  return jobs;
}

/** A progress counter for the replicate-generations of a simulation that reports to the settings' callback. */
export function progressOf(settings: RunSettings, replicates: number, generations: number): () => void {
  let done = 0;
  const total = replicates * generations;
  const report = settings.onProgress;
  return report ? () => report(++done, total, replicates) : () => {};
}
