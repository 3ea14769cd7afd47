/** `simulate(options)`: one simulation from the library, resolving to the `--format json` document. */
import type { SimConfig } from "../config/config.js";
import { rawOptions } from "../config/raw.js";
import { resolveSimConfig } from "../config/resolve.js";
import type { SimResult } from "../core/result.js";
import { jobsOf, progressOf, type RunSettings } from "./run-settings.js";
import { openSession } from "./session.js";

/**
 * Simulation options: the camelCase keys of a `--config` file (and of a results document's
 * `config` block), every one optional. Values are checked exactly as the CLI checks flags.
 * `realFraction` and `filterRecall` take a schedule too: a string ("0.9..0.1", "0.9,0.5,0.2") or,
 * as in a --config file, an array of numbers (one per generation, the last repeated).
 */
export type SimOptions = { readonly [K in Exclude<keyof SimConfig, ScheduleKey>]?: SimConfig[K] | null } & {
  readonly [K in ScheduleKey]?: SimConfig[K] | readonly number[] | null;
};

type ScheduleKey = "realFraction" | "filterRecall";

/** Where messages say a bad option came from. */
const ORIGIN = { kind: "config", file: "options" } as const;

export function resolveOptions(options: SimOptions): SimConfig {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError("simulate expects an object of options, e.g. { generations: 9 }");
  }
  return resolveSimConfig(rawOptions(options as Record<string, unknown>, ORIGIN));
}

/**
 * Runs one simulation. `JSON.stringify` of the result equals `JSON.stringify` of the document
 * `collapse sim --format json` prints for the same options. Rejects with a CollapseError
 * (`exitCode` 2 for bad options or data) like the CLI's one-line messages.
 */
export async function simulate(options: SimOptions = {}, settings: RunSettings = {}): Promise<SimResult> {
  const config = resolveOptions(options);
  const jobs = jobsOf(settings);
  const session = await openSession(config, jobs);
  try {
    for (const note of session.view.notes) settings.onNote?.(note);
    const { replicates, generations } = session.view.config;
    return await session.run(progressOf(settings, replicates, generations));
  } finally {
    session.close();
  }
}
