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
  /** Every generation's row (made on first use: at 10⁵ generations they are 1.4 million objects). */
  readonly rows: readonly ComparisonRow[];
  readonly failures: readonly ComparisonRow[];
  /** The row closest to (or furthest beyond) its allowed difference: largest |diff| / allowed. */
  readonly worst: ComparisonRow;
  /** How many generations were compared (rows.length). */
  readonly compared: number;
  /** Whether every mean is the baseline's exactly (a NaN against a NaN counts as equal). */
  readonly identical: boolean;
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

/**
 * Every generation of one metric, into columns: a row object is made for the failures and the
 * worst row only, and for all of them when `rows` is first read (the reports read the counts).
 */
function compareMetric(baseline: SimResult, now: SimResult, tolerance: Tolerance, metric: string): MetricVerdict {
  const generations = baseline.generations;
  const n = generations.length;
  const base = new Float64Array(n);
  const current = new Float64Array(n);
  const allowed = new Float64Array(n);
  const ok = new Uint8Array(n);
  const missing = new Uint8Array(n);
  let worst = 0;
  let worstSeverity = -1;
  let identical = true;
  const failing: number[] = [];
  for (let k = 0; k < n; k++) {
    const b = generations[k]!;
    const bs = b.metrics[metric]!;
    const ns = now.generations[b.generation]?.metrics[metric];
    base[k] = bs.mean;
    if (ns === undefined) {
      current[k] = NaN;
      allowed[k] = allowedDifference(tolerance, bs.mean, bs.se, 0);
      missing[k] = 1;
    } else {
      current[k] = ns.mean;
      allowed[k] = allowedDifference(tolerance, bs.mean, bs.se, ns.se);
      ok[k] = holds(bs.mean, ns.mean, allowed[k]!) ? 1 : 0;
    }
    const diff = current[k]! - base[k]!;
    if (!(diff === 0 || (Number.isNaN(base[k]) && Number.isNaN(current[k])))) identical = false;
    if (ok[k] === 0) failing.push(k);
    const s = severityOf(ok[k] === 1, diff, allowed[k]!);
    if (s > worstSeverity) {
      worst = k;
      worstSeverity = s;
    }
  }
  const row = (k: number): ComparisonRow => ({
    generation: generations[k]!.generation,
    metric,
    baseline: base[k]!,
    now: current[k]!,
    diff: current[k]! - base[k]!,
    allowed: allowed[k]!,
    ok: ok[k] === 1,
    missing: missing[k] === 1,
  });
  const failures = failing.map(row);
  let rows: ComparisonRow[] | null = null;
  return {
    metric,
    get rows() {
      rows ??= Array.from({ length: n }, (_, k) => row(k));
      return rows;
    },
    failures,
    worst: row(worst),
    compared: n,
    identical,
  };
}

/**
 * One metric's verdicts at several points as one, each row marked with its point: the counts,
 * failures and worst row from the points' own (the first of the largest severity, as each point's
 * is), and every row only when `rows` is first read (a point of 10⁵ generations has 10⁵ of them).
 */
function mergedVerdict(metric: string, parts: readonly { readonly index: number; readonly verdict: MetricVerdict }[]): MetricVerdict {
  const marked = (row: ComparisonRow, point: number): ComparisonRow => ({ ...row, point });
  let worst = parts[0]!;
  for (const part of parts) if (severity(part.verdict.worst) > severity(worst.verdict.worst)) worst = part;
  let rows: ComparisonRow[] | null = null;
  return {
    metric,
    get rows() {
      rows ??= parts.flatMap(({ index, verdict }) => verdict.rows.map((row) => marked(row, index)));
      return rows;
    },
    failures: parts.flatMap(({ index, verdict }) => verdict.failures.map((row) => marked(row, index))),
    worst: marked(worst.verdict.worst, worst.index),
    compared: parts.reduce((sum, { verdict }) => sum + verdict.compared, 0),
    identical: parts.every(({ verdict }) => verdict.identical),
  };
}

/** The comparison made of the metrics' verdicts (in the order compared). */
function comparisonOf(baseline: SimResult, now: SimResult, verdicts: readonly MetricVerdict[]): Comparison {
  // Every failure, by generation then metric: each verdict's failures are in generation order.
  const failures: ComparisonRow[] = [];
  const next = verdicts.map(() => 0);
  for (const b of baseline.generations) {
    verdicts.forEach((v, i) => {
      const f = v.failures[next[i]!];
      if (f !== undefined && f.generation === b.generation) {
        failures.push(f);
        next[i]!++;
      }
    });
  }
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
  return severityOf(r.ok, r.diff, r.allowed);
}

function severityOf(ok: boolean, diff: number, allowed: number): number {
  if (!ok) return Number.isFinite(diff) && allowed > 0 ? Math.max(1 + Number.EPSILON, Math.abs(diff) / allowed) : Infinity;
  if (diff === 0 || Number.isNaN(diff)) return 0;
  return allowed > 0 ? Math.abs(diff) / allowed : 0;
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
  const byMetric = new Map<string, { index: number; verdict: MetricVerdict }[]>();
  const failures: ComparisonRow[] = [];
  const newMetrics = new Set<string>();
  let compared = 0;
  let generations = 0;
  for (const { index, comparison } of points) {
    compared += comparison.compared;
    generations = Math.max(generations, comparison.generations);
    for (const name of comparison.newMetrics) newMetrics.add(name);
    for (const verdict of comparison.metrics) {
      const at = byMetric.get(verdict.metric);
      if (at) at.push({ index, verdict });
      else byMetric.set(verdict.metric, [{ index, verdict }]);
    }
    for (const row of comparison.failures) failures.push({ ...row, point: index });
  }
  const metrics = [...byMetric].map(([metric, parts]) => mergedVerdict(metric, parts));
  return { metrics, failures, compared, generations, newMetrics: [...newMetrics] };
}
