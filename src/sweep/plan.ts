/**
 * A sweep's plan: every point of the grid, its checked configuration and its seed, and the
 * sweep's shared configuration and hash — all decided before any simulation runs.
 *
 * - Order: lexicographic in grid order, the first axis varying slowest.
 * - Seeds: point p runs with seed deriveSeed(S, "point", canonical(p)), where S is the master seed
 *   and canonical(p) lists the point's grid values by sorted camelCase key, each value in JSON
 *   (shortest round-trip numbers): `regime="mix",sampleSize=100`. The seed depends only on the
 *   point's own values, so adding a value to an axis changes no other point, and the spelling of a
 *   value (1e2, 100, a range) or the order of the --grid flags does not matter.
 *   With --common-seed every point runs with S itself (common random numbers).
 */

import { sha256 } from "../builtins.js";
import type { SimConfig } from "../config/config.js";
import { coerceOption, type RawOption, resolveSimConfig, where } from "../config/resolve.js";
import { findOption } from "../config/spec.js";
import { CollapseError, UsageError } from "../errors.js";
import { excerpt } from "../excerpt.js";
import type { Scalar } from "../output/tidy.js";
import { deriveSeed } from "../stats/rng.js";
import { TOOL } from "../version.js";
import type { GridAxis } from "./grid.js";

/** Beyond this many points a sweep holds too many configurations in memory; split it. */
export const MAX_POINTS = 100_000;

export interface SweepPoint {
  /** 0-based position in the sweep's order. */
  readonly index: number;
  /** The point's grid values by camelCase key, in grid order. */
  readonly params: Record<string, Scalar>;
  /** The point's configuration; `seed` is the point's derived seed. */
  readonly config: SimConfig;
}

/** The `config` block of a sweep: options shared by every point (null: varies by point), and the grid. */
export type SweepConfig = Record<string, unknown> & { seed: string; grid: Record<string, Scalar[]> };

export interface SweepPlan {
  readonly axes: readonly GridAxis[];
  readonly points: readonly SweepPoint[];
  /** The master seed S. */
  readonly seed: string;
  readonly config: SweepConfig;
  /**
   * Identifies the sweep (tool version, shared options, grid, seed, and the SHA-256 of every --data
   * file, which config.dataSha256 records): shards of one sweep share it.
   */
  readonly hash: string;
}

/** The canonical text of a point's grid values (see the module comment). */
export function canonicalParams(params: Record<string, Scalar>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${JSON.stringify(params[k])}`)
    .join(",");
}

export function pointSeed(master: string, params: Record<string, Scalar>): string {
  return deriveSeed(master, "point", canonicalParams(params));
}

/** A point as users name it in messages: "point 3 of 8 (sample-size=100, regime=mix)". */
export function describePoint(
  axes: readonly { readonly spec: { readonly flag: string; readonly key: string } }[],
  params: Record<string, Scalar>,
  index: number,
  total: number,
): string {
  // Values are input (a --grid source can be any length): each is cut short.
  const values = axes.map((a) => `${a.spec.flag}=${excerpt(String(params[a.spec.key]), 60)}`).join(", ");
  return `point ${index + 1} of ${total} (${values})`;
}

export function pointLabel(plan: SweepPlan, index: number): string {
  return describePoint(plan.axes, plan.points[index]!.params, index, plan.points.length);
}

/** Prefixes a user error with the point it concerns (same error class and exit code). */
export function atPoint(what: string, e: unknown): unknown {
  if (e instanceof CollapseError) e.message = `${what}: ${e.message}`;
  return e;
}

/**
 * The options given both as a grid axis and as a single value: the command line overrides the
 * config file (as everywhere); from the same source it is an error.
 */
function reconcile(base: ReadonlyMap<string, RawOption>, axes: readonly GridAxis[]): { base: Map<string, RawOption>; axes: GridAxis[] } {
  const fixed = new Map(base);
  const kept: GridAxis[] = [];
  for (const axis of axes) {
    const single = fixed.get(axis.spec.key);
    if (!single) {
      kept.push(axis);
      continue;
    }
    const axisFromFile = axis.origin.file !== undefined;
    const singleFromFile = single.origin.kind === "config";
    if (axisFromFile === singleFromFile) {
      throw new UsageError(`${where(axis.spec, single.origin)} and ${where(axis.spec, axis.origin)} both set ${axis.spec.key}; keep one`);
    }
    if (singleFromFile) {
      fixed.delete(axis.spec.key);
      kept.push(axis);
    }
    // else: a flag fixes the value and replaces the config file's axis.
  }
  return { base: fixed, axes: kept };
}

/**
 * `hashData(path)` gives the SHA-256 of a --data file's content (the caller reads it: the plan does
 * no I/O). Every file any point reads is hashed, whichever shard runs: shards of one sweep must
 * agree on the hash. Without `hashData` (tests of the plan alone) nothing is recorded.
 */
export function planSweep(
  given: ReadonlyMap<string, RawOption>,
  allAxes: readonly GridAxis[],
  hashData?: (path: string) => string,
  options: SweepPlanOptions = {},
): SweepPlan {
  const { base, axes } = reconcile(given, allAxes);
  if (axes.length === 0) {
    throw new UsageError(
      'collapse sweep needs at least one --grid NAME=VALUES (or a "grid" in --config), e.g. --grid sample-size=10,100; for a single run use collapse sim',
    );
  }
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_POINTS) {
    throw new UsageError(`the grid has ${total} points, more than ${MAX_POINTS}; split it into several sweeps`);
  }
  const seedRaw = base.get("seed");
  const master = seedRaw ? (coerceOption(findOption("seed")!, seedRaw) as string) : resolveSimConfig(new Map()).seed;

  const points: SweepPoint[] = [];
  // Shared options that do not apply at some points are dropped there (see resolveSimConfig);
  // one that applies at no point is the user's mistake and gets the usual error.
  const sharedKeys = new Set(base.keys());
  const appliesSomewhere = new Set<string>();
  for (let index = 0; index < total; index++) {
    const params: Record<string, Scalar> = {};
    const raw = new Map(base);
    // Mixed radix, last axis fastest.
    let rest = index;
    const picks = new Array<number>(axes.length);
    for (let a = axes.length - 1; a >= 0; a--) {
      const n = axes[a]!.values.length;
      picks[a] = rest % n;
      rest = Math.floor(rest / n);
    }
    axes.forEach((axis, a) => {
      const value = axis.values[picks[a]!]!;
      params[axis.spec.key] = value;
      raw.set(axis.spec.key, { value, origin: axis.origin });
    });
    let config: SimConfig;
    const dropped = new Set<string>();
    try {
      config = resolveSimConfig(raw, { keys: sharedKeys, dropped });
    } catch (e) {
      throw atPoint(describePoint(axes, params, index, total), e);
    }
    for (const key of sharedKeys) if (!dropped.has(key)) appliesSomewhere.add(key);
    if (config.data === "-") {
      throw new UsageError(`--data - (stdin) cannot be read by every point of a sweep; save it to a file and pass its path`);
    }
    points.push({ index, params, config: { ...config, seed: options.commonSeed ? master : pointSeed(master, params) } });
  }

  for (const key of sharedKeys) {
    if (!appliesSomewhere.has(key)) {
      throw new UsageError(
        `${where(findOption(key)!, base.get(key)!.origin)} applies at no point of this grid (it needs another --model or --regime); remove it`,
      );
    }
  }
  const config = withDataHashes(sharedConfig(points, axes, master, options.commonSeed === true), points, hashData, (i) =>
    describePoint(axes, points[i]!.params, i, total),
  );
  return { axes, points, seed: master, config, hash: sweepHash(TOOL, config) };
}

/**
 * Adds `dataSha256`: {path: SHA-256} for every distinct --data file, in point order, right after
 * `data` (or before the grid when data is a grid axis). A sweep without data files is unchanged.
 */
function withDataHashes(
  config: SweepConfig,
  points: readonly SweepPoint[],
  hashData: ((path: string) => string) | undefined,
  label: (index: number) => string,
): SweepConfig {
  if (!hashData) return config;
  const hashes: Record<string, string> = {};
  for (const point of points) {
    const path = point.config.data;
    if (path === null || Object.hasOwn(hashes, path)) continue;
    try {
      hashes[path] = hashData(path);
    } catch (e) {
      throw atPoint(label(point.index), e);
    }
  }
  if (Object.keys(hashes).length === 0) return config;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "grid" && !("data" in config)) out.dataSha256 = hashes;
    out[key] = value;
    if (key === "data") out.dataSha256 = hashes;
  }
  return out as SweepConfig;
}

/**
 * The options every point shares, in the order of a sim config: a value when all points agree,
 * null when it varies (a model-dependent default); grid options are left to `grid`.
 */
function sharedConfig(points: readonly SweepPoint[], axes: readonly GridAxis[], master: string, commonSeed: boolean): SweepConfig {
  const gridKeys = new Set(axes.map((a) => a.spec.key));
  const first = points[0]!.config as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    if (gridKeys.has(key)) continue;
    if (key === "seed") {
      out.seed = master;
      continue;
    }
    const text = JSON.stringify(first[key]);
    const same = points.every((p) => JSON.stringify((p.config as unknown as Record<string, unknown>)[key]) === text);
    out[key] = same ? first[key] : null;
  }
  const grid: Record<string, Scalar[]> = {};
  for (const axis of axes) grid[axis.spec.key] = [...axis.values];
  // Recorded only when set, so that sweeps without it keep their bytes (and their hash).
  return { ...out, seed: master, ...(commonSeed ? { commonSeed: true } : {}), grid };
}

export interface SweepPlanOptions {
  /**
   * Every point runs with the master seed itself: the same seed data and the same replicate
   * streams (common random numbers), so differences between points are the parameters' alone.
   */
  readonly commonSeed?: boolean;
}

/** The first 16 hex digits of SHA-256 over the tool and the sweep's config block. */
export function sweepHash(tool: { name: string; version: string }, config: unknown): string {
  return sha256().update(JSON.stringify({ tool, config })).digest("hex").slice(0, 16);
}
