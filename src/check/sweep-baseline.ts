/**
 * Sweep baselines: the JSON document of a whole sweep (`collapse sweep … --save-baseline FILE`, or
 * `--format json` unsharded), which `collapse check` re-runs point by point. Like a sim baseline it
 * is untrusted input, so it is validated strictly before anything runs, and one line names the
 * first bad field:
 *
 * - only the keys tool, config, seed, grid and points (a shard, which carries "shard" and
 *   "sha256", is refused: merge the shards first);
 * - `grid` lists option keys, the same as `config.grid`'s, each axis a non-empty list of values;
 * - `points` holds every point of the grid, in grid order (the first axis varying slowest), each
 *   with exactly the grid values of its place (`params`), its results document (`config`,
 *   `generations`: validated as a sim baseline's), and the seed the sweep derives from the master
 *   seed and those values (the master seed itself under `config.commonSeed`), so a point cannot
 *   be swapped, dropped or edited into another;
 * - a point that read a --data file records its SHA-256 (the re-run compares it).
 */

import type { ResolvedConfig } from "../config/config.js";
import { findOption } from "../config/spec.js";
import type { ExtinctionRecord, GenerationResult } from "../core/result.js";
import { InputError } from "../errors.js";
import type { Scalar } from "../output/tidy.js";
import { describePoint, MAX_POINTS, pointSeed } from "../sweep/plan.js";
import { type Baseline, dataPathFor, describe, isObject, isSha256, isTool, readBaselineJson, validateResult } from "./baseline.js";

const REGENERATE = "regenerate it with collapse sweep … --save-baseline FILE";
const KEYS = ["tool", "config", "seed", "grid", "points"];
const POINT_KEYS = new Set(["params", "config", "generations", "extinctions"]);

/** One point of a sweep document. */
export interface SweepPointDocument {
  readonly params: Record<string, Scalar>;
  readonly config: ResolvedConfig;
  readonly generations: GenerationResult[];
  readonly extinctions?: ExtinctionRecord[];
}

/** The JSON document of a whole sweep (src/sweep/render.ts). */
export interface SweepDocument {
  readonly tool: { name: string; version: string };
  /** The options every point shares (null: varies), the master seed and `grid`, the values of each axis. */
  readonly config: Record<string, unknown> & { seed: string; grid: Record<string, Scalar[]> };
  readonly seed: string;
  /** The axes' option keys, in grid order. */
  readonly grid: readonly string[];
  readonly points: readonly SweepPointDocument[];
}

export interface SweepBaseline {
  readonly kind: "sweep";
  readonly path: string;
  readonly sweep: SweepDocument;
}

/** What `collapse check` reads: a sim baseline or a sweep baseline. */
export type CheckBaseline = ({ readonly kind: "sim" } & Baseline) | SweepBaseline;

/** A sweep document has points or a grid, and no generations of its own. */
export function isSweepDocument(doc: unknown): boolean {
  return isObject(doc) && !("generations" in doc) && ("points" in doc || "grid" in doc);
}

/** Reads a baseline of either kind, validated (InputError, exit 2, naming the first bad field). */
export async function readCheckBaseline(path: string): Promise<CheckBaseline> {
  const doc = await readBaselineJson(path);
  if (isSweepDocument(doc)) return { kind: "sweep", path, sweep: validateSweep(doc, path) };
  return { kind: "sim", path, result: validateResult(doc, path) };
}

/** The grid values of point `index` (mixed radix, the last axis varying fastest). */
export function gridParams(sweep: Pick<SweepDocument, "grid" | "config">, index: number): Record<string, Scalar> {
  const params: Record<string, Scalar> = {};
  let rest = index;
  for (let a = sweep.grid.length - 1; a >= 0; a--) {
    const key = sweep.grid[a]!;
    const values = sweep.config.grid[key]!;
    params[key] = values[rest % values.length]!;
    rest = Math.floor(rest / values.length);
  }
  // In grid order.
  return Object.fromEntries(sweep.grid.map((k) => [k, params[k]!]));
}

/** "point 3 of 8 (sample-size=100, regime=mix)", as the sweep names its points. */
export function sweepPointLabel(sweep: SweepDocument, index: number): string {
  const axes = sweep.grid.map((key) => ({ spec: { key, flag: findOption(key)?.flag ?? key } }));
  return describePoint(axes, sweep.points[index]!.params, index, sweep.points.length);
}

/** Checks that `doc` is a whole sweep's document (see the module comment); returns it typed. */
export function validateSweep(doc: unknown, path: string): SweepDocument {
  const bad = (field: string, want: string, got: unknown): never => {
    throw new InputError(`${path}: ${field} must be ${want}, got ${describe(got)}; ${REGENERATE}`);
  };
  if (!isObject(doc)) return bad("the document", "a JSON object (a collapse sweep document)", doc);
  if ("shard" in doc || "sha256" in doc) {
    throw new InputError(
      `${path} is one shard of a sweep, not the whole sweep; merge every shard with collapse merge and check the merged file, or save a baseline with collapse sweep … --save-baseline FILE`,
    );
  }
  const extra = Object.keys(doc).find((k) => !KEYS.includes(k));
  if (extra !== undefined) return bad("the keys of the document", `only ${KEYS.join(", ")} (a sweep document)`, extra);
  if (!isTool(doc.tool)) return bad('"tool"', '{"name": "collapse", "version": "…"}', doc.tool);
  const config = doc.config;
  if (!isObject(config)) return bad('"config"', "an object of the options every point shares", config);
  if (typeof config.seed !== "string") return bad('"config.seed"', "the sweep's seed", config.seed);
  if (doc.seed !== config.seed) return bad('"seed"', `the sweep's seed, as in config.seed (${describe(config.seed)})`, doc.seed);
  if (config.commonSeed !== undefined && typeof config.commonSeed !== "boolean") return bad('"config.commonSeed"', "true or false", config.commonSeed);
  const hashes = config.dataSha256;
  if (hashes !== undefined && (!isObject(hashes) || !Object.values(hashes).every(isSha256))) {
    return bad('"config.dataSha256"', "an object mapping each data file to its SHA-256", hashes);
  }
  const grid = doc.grid;
  if (!Array.isArray(grid) || grid.length === 0) return bad('"grid"', "a non-empty list of the grid's option keys", grid);
  grid.forEach((key: unknown, a) => {
    if (typeof key !== "string" || findOption(key) === undefined) return bad(`"grid[${a}]"`, "an option key such as sampleSize", key);
    if (grid.indexOf(key) !== a) return bad(`"grid[${a}]"`, "a key not listed before", key);
  });
  const axes = config.grid;
  if (!isObject(axes) || Object.keys(axes).join() !== grid.join())
    return bad('"config.grid"', `an object of the values of ${grid.join(", ")}, in that order`, axes);
  let total = 1;
  for (const key of grid as string[]) {
    const values = axes[key];
    if (!Array.isArray(values) || values.length === 0) return bad(`"config.grid.${key}"`, "a non-empty list of values", values);
    const odd = values.find((v) => !isScalar(v));
    if (odd !== undefined) return bad(`"config.grid.${key}"`, "a list of numbers, strings or booleans", odd);
    total *= values.length;
    if (total > MAX_POINTS) return bad('"config.grid"', `at most ${MAX_POINTS} points`, `${total} or more`);
  }
  const points = doc.points;
  if (!Array.isArray(points) || points.length !== total) {
    const count = (n: number) => `${n} point${n === 1 ? "" : "s"}`;
    return bad('"points"', `${count(total)} (every point of the grid)`, Array.isArray(points) ? count(points.length) : points);
  }
  const sweep = doc as unknown as SweepDocument;
  points.forEach((point: unknown, i) => {
    const at = (field: string) => `"points[${i}]${field}"`;
    if (!isObject(point)) return bad(at(""), "a point object", point);
    const extraKey = Object.keys(point).find((k) => !POINT_KEYS.has(k));
    if (extraKey !== undefined) return bad(`the keys of ${at("")}`, "only params, config, generations, extinctions", extraKey);
    const want = gridParams(sweep, i);
    const params = point.params;
    if (!isObject(params) || JSON.stringify(params) !== JSON.stringify(want)) {
      return bad(at(".params"), `the grid values of point ${i + 1} in grid order (${describe(want)})`, params);
    }
    validateResult({ tool: doc.tool, config: point.config, generations: point.generations }, path, { prefix: `points[${i}].`, regenerate: REGENERATE });
    const pc = point.config as Record<string, unknown>;
    if (config.commonSeed === true ? pc.seed !== config.seed : pc.seed !== pointSeed(config.seed as string, want)) {
      const want =
        config.commonSeed === true
          ? "the sweep's seed (config.commonSeed: every point shares it)"
          : "the seed the sweep derives from its seed and the point's grid values";
      return bad(at(".config.seed"), want, pc.seed);
    }
    if (typeof pc.data === "string" && pc.data !== "-" && pc.dataSha256 === undefined) {
      return bad(at(".config.dataSha256"), "the SHA-256 of the point's data file (a sweep records it)", undefined);
    }
    if (point.extinctions !== undefined && !Array.isArray(point.extinctions)) return bad(at(".extinctions"), "a list", point.extinctions);
  });
  return sweep;
}

function isScalar(x: unknown): x is Scalar {
  return typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x));
}

/**
 * The document `collapse sweep … --save-baseline FILE` writes: the sweep's JSON document, its data
 * paths (the shared `config.data`, the keys of `config.dataSha256` and each point's `config.data`)
 * rewritten relative to FILE's folder, where collapse check reads them (each point's by
 * baselineDocument). Grid values and `params` stay as given: they name the points and derive their
 * seeds.
 */
export function sweepBaselineConfig(config: Record<string, unknown>, baselinePath: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  if (typeof config.data === "string") out.data = dataPathFor(config.data, baselinePath);
  if (isObject(config.dataSha256)) {
    out.dataSha256 = Object.fromEntries(Object.entries(config.dataSha256).map(([path, hash]) => [dataPathFor(path, baselinePath), hash]));
  }
  return out;
}
