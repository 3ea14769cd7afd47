/**
 * Comparing a re-run with its baseline: every (generation, metric) replicate mean, under a
 * Tolerance. Pure: the CLI decides how to show the verdict.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { SimResult } from "../core/result.js";
import { UsageError } from "../errors.js";
import { didYouMean } from "../suggest.js";
import { allowedDifference, holds, type Tolerance } from "./tolerance.js";

/** One compared replicate mean. `now` is NaN and `missing` true when the re-run lacks it. */
export interface ComparisonRow {
  readonly generation: number;
  readonly metric: string;
  readonly baseline: number;
  readonly now: number;
  /** now − baseline. */
  readonly diff: number;
  readonly allowed: number;
  readonly ok: boolean;
  readonly missing: boolean;
  /** Sweep baselines: the index of the point the row belongs to. */
  readonly point?: number;
}

/** All the generations of one metric. */
export interface MetricVerdict {
  readonly metric: string;
  readonly rows: readonly ComparisonRow[];
  readonly failures: readonly ComparisonRow[];
  /** The row closest to (or furthest beyond) its allowed difference: largest |diff| / allowed. */
  readonly worst: ComparisonRow;
}

export interface Comparison {
  readonly metrics: readonly MetricVerdict[];
  /** Every failing row, by generation then metric order. */
  readonly failures: readonly ComparisonRow[];
  readonly compared: number;
  readonly generations: number;
  /** Metrics the re-run reports that the baseline does not have (not compared). */
  readonly newMetrics: readonly string[];
}

/** The metric names of a result, in its order. */
export function metricNamesOf(result: SimResult): string[] {
  return Object.keys(result.generations[0]?.metrics ?? {});
}

/**
 * The metrics to compare: all of the baseline's, or those of a --metrics list (comma-separated),
 * each of which must be one of the baseline's (UsageError naming the unknown one and the known).
 */
export function selectMetrics(baseline: SimResult, list: string | undefined): string[] {
  return pickMetrics(metricNamesOf(baseline), list);
}

/** The names of a --metrics list among `known` (all of them without a list), in `known`'s order. */
function pickMetrics(known: readonly string[], list: string | undefined): string[] {
  if (list === undefined) return [...known];
  const wanted = [
    ...new Set(
      list
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    ),
  ];
  if (wanted.length === 0) throw new UsageError(`--metrics needs at least one metric name, e.g. --metrics var_ratio,w2; known: ${known.join(", ")}`);
  for (const name of wanted) {
    if (!known.includes(name)) throw new UsageError(`--metrics: unknown metric ${name}${didYouMean(name, known)}; the baseline has ${known.join(", ")}`);
  }
  return known.filter((n) => wanted.includes(n));
}

export function compareResults(baseline: SimResult, now: SimResult, tolerance: Tolerance, metrics: readonly string[]): Comparison {
  return comparisonOf(
    baseline,
    now,
    metrics.map((metric) => compareMetric(baseline, now, tolerance, metric)),
  );
}

/**
 * compareResults with a turn of the event loop before each metric: at 10⁵ generations a metric's
 * rows take 0.2 s and all of them 2–3 s, which a signal must not wait for.
 */
export async function compareResultsInSteps(baseline: SimResult, now: SimResult, tolerance: Tolerance, metrics: readonly string[]): Promise<Comparison> {
  const verdicts: MetricVerdict[] = [];
  for (const metric of metrics) {
    await nextTurn();
    verdicts.push(compareMetric(baseline, now, tolerance, metric));
  }
  return comparisonOf(baseline, now, verdicts);
}

/** Every generation of one metric. */
function compareMetric(baseline: SimResult, now: SimResult, tolerance: Tolerance, metric: string): MetricVerdict {
  const rows = baseline.generations.map((b): ComparisonRow => {
    const bs = b.metrics[metric]!;
    const ns = now.generations[b.generation]?.metrics[metric];
    if (ns === undefined) {
      return {
        generation: b.generation,
        metric,
        baseline: bs.mean,
        now: NaN,
        diff: NaN,
        allowed: allowedDifference(tolerance, bs.mean, bs.se, 0),
        ok: false,
        missing: true,
      };
    }
    const allowed = allowedDifference(tolerance, bs.mean, bs.se, ns.se);
    return {
      generation: b.generation,
      metric,
      baseline: bs.mean,
      now: ns.mean,
      diff: ns.mean - bs.mean,
      allowed,
      ok: holds(bs.mean, ns.mean, allowed),
      missing: false,
    };
  });
  const bad = rows.filter((r) => !r.ok);
  return { metric, rows, failures: bad, worst: rows.reduce((w, r) => (severity(r) > severity(w) ? r : w)) };
}

/** The comparison made of the metrics' verdicts (in the order compared). */
function comparisonOf(baseline: SimResult, now: SimResult, verdicts: readonly MetricVerdict[]): Comparison {
  const failures: ComparisonRow[] = [];
  for (let g = 0; g < baseline.generations.length; g++) for (const v of verdicts) if (!v.rows[g]!.ok) failures.push(v.rows[g]!);
  const known = new Set(metricNamesOf(baseline));
  return {
    metrics: verdicts,
    failures,
    compared: verdicts.length * baseline.generations.length,
    generations: baseline.generations.length,
    newMetrics: metricNamesOf(now).filter((n) => !known.has(n)),
  };
}

/** |diff| / allowed; a failure outranks every success. */
export function severity(r: ComparisonRow): number {
  if (!r.ok) return Number.isFinite(r.diff) && r.allowed > 0 ? Math.max(1 + Number.EPSILON, Math.abs(r.diff) / r.allowed) : Infinity;
  if (r.diff === 0 || Number.isNaN(r.diff)) return 0;
  return r.allowed > 0 ? Math.abs(r.diff) / r.allowed : 0;
}

/**
 * The metrics to compare at each point of a sweep: all of each point's, or those of a --metrics
 * list, each of which must be some point's (a grid over models gives points different metrics).
 * A point compares the listed metrics it has.
 */
export function selectSweepMetrics(points: readonly SimResult[], list: string | undefined): string[][] {
  if (list === undefined) return points.map(metricNamesOf);
  const wanted = new Set(pickMetrics([...new Set(points.flatMap(metricNamesOf))], list));
  return points.map((p) => metricNamesOf(p).filter((n) => wanted.has(n)));
}

/**
 * The comparison of a whole sweep from its points' (in point order): every row tagged with its
 * point; one verdict per metric over all the points that have it; `generations` the largest
 * point's.
 */
export function mergeComparisons(points: readonly { readonly index: number; readonly comparison: Comparison }[]): Comparison {
  const rowsByMetric = new Map<string, ComparisonRow[]>();
  const failures: ComparisonRow[] = [];
  const newMetrics = new Set<string>();
  let compared = 0;
  let generations = 0;
  for (const { index, comparison } of points) {
    compared += comparison.compared;
    generations = Math.max(generations, comparison.generations);
    for (const name of comparison.newMetrics) newMetrics.add(name);
    for (const verdict of comparison.metrics) {
      const rows = rowsByMetric.get(verdict.metric) ?? [];
      rowsByMetric.set(verdict.metric, rows);
      for (const row of verdict.rows) rows.push({ ...row, point: index });
    }
    for (const row of comparison.failures) failures.push({ ...row, point: index });
  }
  const metrics = [...rowsByMetric].map(([metric, rows]): MetricVerdict => {
    const bad = rows.filter((r) => !r.ok);
    return { metric, rows, failures: bad, worst: rows.reduce((w, r) => (severity(r) > severity(w) ? r : w)) };
  });
  return { metrics, failures, compared, generations, newMetrics: [...newMetrics] };
}
