/**
 * `check` of a sweep baseline: every point re-run from its recorded config on the sweep's worker
 * pool (`--jobs`), compared with the same statistical rule as a sim baseline (compare.ts,
 * tolerance.ts), and every assertion evaluated at every point. Nothing runs before every point's
 * data path, data hash, re-run config and assertions are checked, and every point prepared.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { type Assertion, compileAssertions, evaluateAssertions } from "../check/assert.js";
import { baselineDataPath } from "../check/baseline.js";
import { compareResultsInSteps, mergeComparisons, metricNamesOf, selectSweepMetrics } from "../check/compare.js";
import type { PointCheck, SweepCheckReport } from "../check/report.js";
import { configChanges, rerunOptions } from "../check/rerun.js";
import { type SweepBaseline, type SweepDocument, sweepPointLabel } from "../check/sweep-baseline.js";
import type { Tolerance } from "../check/tolerance.js";
import type { ResolvedConfig, SimConfig } from "../config/config.js";
import { resolveSimConfig } from "../config/resolve.js";
import { findOption } from "../config/spec.js";
import type { SimResult } from "../core/result.js";
import { type ResultColumns, resultFromColumnsInSteps } from "../core/result-columns.js";
import { sha256OfSeedFile } from "../data/seed-file.js";
import { CollapseError, InputError, UsageError } from "../errors.js";
import { quote } from "../excerpt.js";
import { describeRunParts } from "../output/describe.js";
import { atPoint } from "../sweep/plan.js";
import { runPoints } from "../sweep/pool.js";
import { VERSION } from "../version.js";
import type { CheckOptions } from "./check-options.js";
import { jobsOf } from "./run-settings.js";

export async function checkSweep(baseline: SweepBaseline, options: CheckOptions, tolerance: Tolerance, started: number): Promise<SweepCheckReport> {
  const { path, sweep } = baseline;
  const warn = (message: string) => options.onWarning?.(message);
  const label = (index: number) => sweepPointLabel(sweep, index);
  const recorded: SimResult[] = sweep.points.map((p) => ({ tool: sweep.tool, config: p.config, seed: p.config.seed, generations: p.generations }));
  const metrics = selectSweepMetrics(recorded, options.metrics);

  if (options.data !== undefined) {
    const files = [...new Set(recorded.map((r) => r.config.data).filter((d): d is string => d !== null))];
    if (files.length > 1) {
      throw new UsageError(
        `--data replaces the one data file of a baseline, but the sweep ${path} reads ${files.length} (${files
          .slice(0, 3)
          .map((f) => quote(f, 40))
          .join(", ")}${files.length > 3 ? ", …" : ""}); drop --data and keep the files in the baseline's folder`,
      );
    }
  }
  // Where each point reads its data, as for a sim baseline: checked before anything is read.
  const recordedConfigs = recorded.map(
    (r, i): Record<string, unknown> => ({ ...r.config, data: baselineDataPath({ path, result: r }, options.data, `points[${i}].config.data`) }),
  );
  const configs: SimConfig[] = recordedConfigs.map((c, i) => {
    try {
      return resolveSimConfig(rerunOptions(c, path));
    } catch (e) {
      throw atPoint(label(i), e);
    }
  });
  await checkDataHashes(configs, recordedConfigs, path, options.data !== undefined);
  const assertions = await compilePerPoint(options.assert ?? [], recorded, label);

  // The engine loads only when a check runs.
  const { preflight } = await import("../sweep/preflight.js");
  let ready: Awaited<ReturnType<typeof preflight>>;
  try {
    ready = await preflight(
      configs.map((config, index) => ({ index, config })),
      label,
    );
  } catch (e) {
    if (e instanceof CollapseError && e.exitCode === 2) throw new InputError(`${path}: cannot re-run the recorded config: ${e.message}`);
    throw e;
  }
  for (const note of ready.notes) options.onNote?.(note);
  const tasks = configs.map((config, index) => ({
    index,
    config,
    params: sweep.points[index]!.params,
    format: "document" as const,
    seed: ready.seeds.get(index),
  }));
  const results = new Array<ResultColumns>(tasks.length);
  let done = 0;
  await runPoints(
    tasks,
    jobsOf(options),
    (task, body) => {
      results[task.index] = body as ResultColumns;
      // Points, as a sweep counts them: no replicates.
      options.onProgress?.(++done, tasks.length);
    },
    label,
    "completion",
  );

  const points: PointCheck[] = [];
  for (const [i, columns] of results.entries()) {
    // The document's objects made a few thousand generations at a time, with turns between.
    const now = await resultFromColumnsInSteps(columns, nextTurn);
    const changes = configChanges(recordedConfigs[i]!, now.config);
    if (changes.length > 0) warn(`${label(i)}: the re-run's config differs from ${path}'s (${changes.join("; ")}); did the seed data change?`);
    points.push({
      index: i,
      label: label(i),
      params: sweep.points[i]!.params,
      comparison: await compareResultsInSteps(recorded[i]!, now, tolerance, metrics[i]!),
      assertions: evaluateAssertions(assertions[i]!, now).map((a) => ({ ...a, point: i })),
    });
  }
  const comparison = mergeComparisons(points);
  if (comparison.newMetrics.length > 0) warn(`not in the baseline, so not compared: ${comparison.newMetrics.join(", ")}`);
  return {
    kind: "sweep",
    baselinePath: path,
    run: describeSweep(sweep),
    grid: gridFlags(sweep),
    baselineVersion: sweep.tool.version,
    version: VERSION,
    tolerance,
    comparison,
    assertions: points.flatMap((p) => p.assertions),
    points,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Each data file the points read is hashed once, before it is parsed, and must have the SHA-256
 * every point that reads it recorded: changed data is named as such.
 */
async function checkDataHashes(configs: readonly SimConfig[], recorded: readonly Record<string, unknown>[], path: string, override: boolean): Promise<void> {
  const hashes = new Map<string, string>();
  const fix = override ? "check the path given to --data" : `put it next to ${path}, or pass --data FILE`;
  for (const [i, config] of configs.entries()) {
    if (config.data === null) continue;
    let sha256 = hashes.get(config.data);
    if (sha256 === undefined) {
      sha256 = await sha256OfSeedFile(config.data, fix);
      hashes.set(config.data, sha256);
    }
    const saved = recorded[i]!.dataSha256;
    if (typeof saved === "string" && saved !== sha256) {
      throw new InputError(
        `${config.data} changed since the baseline was saved (sha256 ${sha256.slice(0, 12)}… ≠ ${saved.slice(0, 12)}…); restore it or save a new baseline`,
      );
    }
  }
}

/**
 * The assertions compiled for each point, against the point's own metrics and generations (so
 * `metric[end]` is each point's last generation). One that cannot hold at some point (a metric the
 * point's model lacks, a generation beyond its last) is a usage error naming the point.
 */
async function compilePerPoint(texts: readonly string[], recorded: readonly SimResult[], label: (i: number) => string): Promise<Assertion[][]> {
  const cache = new Map<string, Assertion[]>();
  const out: Assertion[][] = [];
  for (const [i, result] of recorded.entries()) {
    const context = { metrics: metricNamesOf(result), generations: result.generations.length };
    const key = JSON.stringify(context);
    let compiled = cache.get(key);
    if (compiled === undefined) {
      try {
        compiled = await compileAssertions(texts, context);
      } catch (e) {
        throw atPoint(label(i), e);
      }
      cache.set(key, compiled);
    }
    out.push(compiled);
  }
  return out;
}

/** The grid's option flags, in grid order. */
function gridFlags(sweep: SweepDocument): string[] {
  return sweep.grid.map((key) => findOption(key)?.flag ?? key);
}

/** "sweep of 6 points over sample-size × regime · gaussian · source normal(0,1) ×100 · … · seed 1". */
function describeSweep(sweep: SweepDocument): string {
  const shared = describeRunParts(sweep.config as Partial<ResolvedConfig>, new Set(sweep.grid));
  const n = sweep.points.length;
  return [`sweep of ${n} point${n === 1 ? "" : "s"} over ${gridFlags(sweep).join(" × ")}`, ...shared].join(" · ");
}
