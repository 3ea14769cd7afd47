/**
 * Sweeps from the library, and the planning the CLI's `collapse sweep` shares with it: the grid
 * resolved into points, every --data file hashed, every point checked before any runs.
 */

import { setImmediate as nextTurn } from "node:timers/promises";
import { rawOptions } from "../config/raw.js";
import type { RawOption } from "../config/resolve.js";
import type { SimResult } from "../core/result.js";
import { type ResultColumns, resultFromColumnsInSteps } from "../core/result-columns.js";
import { sha256OfSeedFile } from "../data/seed-file.js";
import type { Scalar } from "../output/tidy.js";
import { type GridAxis, parseGridConfig } from "../sweep/grid.js";
import { atPoint, planSweep, pointLabel, type SweepPlan, type SweepPlanOptions } from "../sweep/plan.js";
import { type PointTask, runPoints } from "../sweep/pool.js";
import { type Shard, shardPoints } from "../sweep/shard.js";
import { jobsOf, type RunSettings } from "./run-settings.js";
import type { SimOptions } from "./simulate.js";

/** A planned sweep, checked and ready to run: the tasks of the points this process runs. */
export interface ReadySweep {
  readonly plan: SweepPlan;
  readonly tasks: PointTask[];
  /** Notes for stderr, each once (ignored columns and the like). */
  readonly notes: string[];
  /** Names a point in messages: "point 3 of 8 (sample-size=100, regime=mix)". */
  readonly label: (index: number) => string;
}

/** Plans the sweep of `given` options over `axes`, its --data files hashed (the sweep hash covers them). */
export async function planWithData(given: ReadonlyMap<string, RawOption>, axes: readonly GridAxis[], options: SweepPlanOptions = {}): Promise<SweepPlan> {
  // The sweep hash covers each --data file's content: shards of different data never merge.
  const hashes = await dataHashes(planSweep(given, axes, undefined, options));
  return planSweep(given, axes, (path) => hashes.get(path)!, options);
}

/**
 * The tasks of `plan`'s points that this process runs (only the `shard`'s when given), each
 * checked to start (seed data read, generation 0 fitted), so that a bad point fails before any
 * output is written.
 */
export async function readySweep(plan: SweepPlan, format: PointTask["format"], shard: Shard | null): Promise<ReadySweep> {
  const indices = shard ? shardPoints(plan.points.length, shard) : plan.points.map((p) => p.index);
  const label = (index: number) => pointLabel(plan, index);
  // The engine loads only when a sweep runs, so --help and the other commands start fast.
  const { preflight } = await import("../sweep/preflight.js");
  const { notes, seeds } = await preflight(
    indices.map((i) => plan.points[i]!),
    label,
  );
  const tasks = indices.map((i) => ({ index: i, config: plan.points[i]!.config, params: plan.points[i]!.params, format, seed: seeds.get(i) }));
  return { plan, tasks, notes, label };
}

/**
 * The SHA-256 of every --data file the sweep's points read (the sweep hash covers them, so shards
 * of different data do not merge), hashed as streams before the plan that records them.
 */
async function dataHashes(draft: SweepPlan): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const point of draft.points) {
    const path = point.config.data;
    if (path === null || hashes.has(path)) continue;
    try {
      hashes.set(path, await sha256OfSeedFile(path));
    } catch (e) {
      throw atPoint(pointLabel(draft, point.index), e);
    }
  }
  return hashes;
}

/** Sweep options: the shared simulation options and a grid, as in a sweep's `--config` file. */
export type SweepOptions = SimOptions & {
  /** Option name (camelCase or kebab) → its values: a list, or a string in --grid syntax ("10:50:10"). */
  readonly grid: Readonly<Record<string, readonly (string | number | boolean)[] | string>>;
  /** Every point shares the seed data and the replicate streams (common random numbers). */
  readonly commonSeed?: boolean;
};

/** One finished point: its place in the grid, its grid values, and its results document. */
export interface SweepPointResult {
  /** 0-based position in the sweep's order (the first grid option varying slowest). */
  readonly index: number;
  /** The point's grid values by camelCase key. */
  readonly params: Record<string, Scalar>;
  /** The point's results document, the same as `simulate` gives for the point's config. */
  readonly result: SimResult;
}

export interface SweepSettings extends RunSettings {
  /** Run only this round-robin slice of the points (as `--shard i/n`). */
  readonly shard?: Shard;
  /**
   * "finish" (default): each point as soon as it finishes; "grid": in grid order, each as soon as
   * it and every earlier point are done, so the sequence is the same for any `jobs`. The points
   * themselves are the same either way.
   */
  readonly order?: "finish" | "grid";
}

/**
 * Runs a sweep and yields its points as they finish (see SweepSettings.order). Breaking out of
 * the loop stops every worker at the next point that finishes.
 */
export async function* sweep(options: SweepOptions, settings: SweepSettings = {}): AsyncGenerator<SweepPointResult> {
  if (options === null || typeof options !== "object" || options.grid === undefined) {
    throw new TypeError("sweep expects options with a grid, e.g. { grid: { sampleSize: [10, 100] } }");
  }
  const { grid, commonSeed, ...shared } = options;
  const given = rawOptions(shared as Record<string, unknown>, { kind: "config", file: "options" });
  const plan = await planWithData(given, parseGridConfig(grid, "options"), { commonSeed: commonSeed === true });
  const ready = await readySweep(plan, "document", settings.shard ?? null);
  for (const note of ready.notes) settings.onNote?.(note);

  const queue: { index: number; params: SweepPointResult["params"]; columns: ResultColumns }[] = [];
  let wake: (() => void) | null = null;
  let stopped = false;
  let done = 0;
  const finished = runPoints(
    ready.tasks,
    jobsOf(settings),
    (task, body) => {
      // A consumer that left the loop stops the pool at the next delivery.
      if (stopped) throw new SweepStopped();
      queue.push({ index: task.index, params: task.params, columns: body as ResultColumns });
      settings.onProgress?.(++done, ready.tasks.length);
      wake?.();
    },
    ready.label,
    settings.order === "grid" ? "task" : "completion",
  );
  let failure: { error: unknown } | null = null;
  let over = false;
  finished
    .then(
      () => (over = true),
      (error) => {
        over = true;
        if (!(error instanceof SweepStopped)) failure = { error };
      },
    )
    .finally(() => wake?.());
  try {
    while (true) {
      while (queue.length > 0) {
        const { index, params, columns } = queue.shift()!;
        // The document's objects made a few thousand generations at a time, with turns between.
        yield { index, params, result: await resultFromColumnsInSteps(columns, nextTurn) };
      }
      if (failure) throw (failure as { error: unknown }).error;
      if (over) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    stopped = true;
  }
}

class SweepStopped extends Error {}
