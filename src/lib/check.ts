/**
 * `check(baselinePath)`: re-runs a baseline's recorded configuration and compares every metric
 * of every generation, plus assertions — what `collapse check` prints, as a report object.
 */
import { compileAssertions, evaluateAssertions } from "../check/assert.js";
import { baselineDataPath } from "../check/baseline.js";
import { compareResultsInSteps, selectMetrics } from "../check/compare.js";
import type { CheckReport } from "../check/report.js";
import { configChanges, rerunOptions } from "../check/rerun.js";
import { readCheckBaseline } from "../check/sweep-baseline.js";
import { DEFAULT_TOLERANCE, type Tolerance } from "../check/tolerance.js";
import { resolveSimConfig } from "../config/resolve.js";
import { sha256OfSeedFile } from "../data/seed-file.js";
import type { Session } from "../engine/session.js";
import { CollapseError, InputError } from "../errors.js";
import { describeRun } from "../output/describe.js";
import { VERSION } from "../version.js";
import type { CheckOptions } from "./check-options.js";
import { jobsOf, progressOf } from "./run-settings.js";
import { openSession } from "./session.js";

export type { CheckOptions } from "./check-options.js";

/** Warns when a baseline was written by another version of collapse. */
export function versionWarning(version: string, path: string, warn: (message: string) => void): void {
  if (version !== VERSION) {
    warn(`${path} was written by collapse ${version}, this is collapse ${VERSION}; comparing anyway (re-save the baseline once any change is understood)`);
  }
}

/**
 * The comparison of a fresh re-run with the baseline at `path`. It does not throw on a
 * regression: `passed(report)` (or `report.comparison.failures`) says. Bad baselines, options
 * and data reject with a CollapseError (`exitCode` 2).
 */
export async function check(path: string, options: CheckOptions = {}): Promise<CheckReport> {
  const started = performance.now();
  const tolerance: Tolerance = { ...DEFAULT_TOLERANCE, ...options.tolerance };
  const warn = (message: string) => options.onWarning?.(message);
  const baseline = await readCheckBaseline(path);
  versionWarning(baseline.kind === "sweep" ? baseline.sweep.tool.version : baseline.result.tool.version, path, warn);
  // A sweep's points are re-run on the sweep's pool (its module loads only for a sweep).
  if (baseline.kind === "sweep") return (await import("./check-sweep.js")).checkSweep(baseline, options, tolerance, started);
  const recorded = baseline.result;
  const metrics = selectMetrics(recorded, options.metrics);
  // Where the re-run reads its data: checked before anything is read (see baselineDataPath).
  const recordedConfig: Record<string, unknown> = { ...recorded.config, data: baselineDataPath(baseline, options.data) };
  const config = resolveSimConfig(rerunOptions(recordedConfig, path));
  if (config.data !== null) {
    const fix = options.data !== undefined ? "check the path given to --data" : `put it next to ${path}, or pass --data FILE`;
    // Hashed before it is parsed: changed data is named as such, not as whatever it fails to parse as.
    const sha256 = await sha256OfSeedFile(config.data, fix);
    const saved = recordedConfig.dataSha256;
    if (typeof saved === "string" && saved !== sha256) {
      throw new InputError(
        `${config.data} changed since the baseline was saved (sha256 ${sha256.slice(0, 12)}… ≠ ${saved.slice(0, 12)}…); restore it or save a new baseline`,
      );
    }
  }
  let session: Session;
  try {
    // Without each generation's samples: a check compares the metrics only (at -g 100000 they were
    // 1 s of the re-run).
    session = await openSession(config, jobsOf(options), false);
  } catch (e) {
    if (e instanceof CollapseError && e.exitCode === 2) throw new InputError(`${path}: cannot re-run the recorded config: ${e.message}`);
    throw e;
  }
  try {
    const prepared = session.view;
    for (const note of prepared.notes) options.onNote?.(note);
    const changes = configChanges(recordedConfig, prepared.config);
    if (changes.length > 0) warn(`the re-run's config differs from ${path}'s (${changes.join("; ")}); did the seed data change?`);
    const assertions = await compileAssertions(options.assert ?? [], { metrics: prepared.metricNames, generations: prepared.config.generations + 1 });
    const now = await session.run(progressOf(options, prepared.config.replicates, prepared.config.generations));
    const report: CheckReport = {
      kind: "sim",
      baselinePath: path,
      run: describeRun(prepared.config),
      baselineVersion: recorded.tool.version,
      version: VERSION,
      tolerance,
      comparison: await compareResultsInSteps(recorded, now, tolerance, metrics),
      assertions: evaluateAssertions(assertions, now),
      seconds: (performance.now() - started) / 1000,
    };
    if (report.comparison.newMetrics.length > 0) warn(`not in the baseline, so not compared: ${report.comparison.newMetrics.join(", ")}`);
    return report;
  } finally {
    session.close();
  }
}
