/**
 * The verdict of `collapse check` and its terminal rendering: a header, the diff table of
 * regressions (generation, metric, baseline, now, diff, allowed) and the assertions.
 */
import type { AssertionOutcome } from "./assert.js";
import type { Comparison, ComparisonRow } from "./compare.js";
import { describeTolerance, type Tolerance } from "./tolerance.js";

interface CheckReportBase {
  readonly baselinePath: string;
  /** One line describing the run (describeRun of the config; a sweep's: its grid and shared options). */
  readonly run: string;
  readonly baselineVersion: string;
  readonly version: string;
  readonly tolerance: Tolerance;
  /** Every compared mean (a sweep's: of every point, each row tagged with its `point`). */
  readonly comparison: Comparison;
  /** Each assertion's outcome (a sweep's: at every point, each tagged with its `point`). */
  readonly assertions: readonly AssertionOutcome[];
  /** Wall time of the re-run, seconds. */
  readonly seconds: number;
}

/** The check of a sim baseline. */
export interface SimCheckReport extends CheckReportBase {
  readonly kind: "sim";
}

/** One point of a sweep baseline, checked as a sim baseline would be. */
export interface PointCheck {
  /** 0-based position in the sweep. */
  readonly index: number;
  /** "point 3 of 8 (sample-size=100, regime=mix)". */
  readonly label: string;
  /** The point's grid values by option key. */
  readonly params: Readonly<Record<string, string | number | boolean | null>>;
  readonly comparison: Comparison;
  readonly assertions: readonly AssertionOutcome[];
}

/** The check of a sweep baseline: every point, and the whole. */
export interface SweepCheckReport extends CheckReportBase {
  readonly kind: "sweep";
  /** The grid's option flags (sample-size), in grid order. */
  readonly grid: readonly string[];
  readonly points: readonly PointCheck[];
}

/** What collapse check reports: `kind` says whether the baseline was one simulation or a sweep. */
export type CheckReport = SimCheckReport | SweepCheckReport;

/** Regression rows printed in the terminal; the rest are counted (JUnit and the summary have all). */
export const MAX_TABLE_ROWS = 40;

export function passed(r: CheckReport): boolean {
  return r.comparison.failures.length === 0 && r.assertions.every((a) => a.ok);
}

/** One line for stderr when the check fails. */
export function failureLine(r: CheckReport): string {
  const parts: string[] = [];
  const { failures, compared } = r.comparison;
  if (failures.length > 0) {
    const metrics = [...new Set(failures.map((f) => f.metric))];
    parts.push(`${failures.length} of ${compared} means regressed (${metrics.join(", ")})`);
  }
  const failed = r.assertions.filter((a) => !a.ok).length;
  if (failed > 0) parts.push(`${failed} of ${r.assertions.length} assertion${r.assertions.length === 1 ? "" : "s"} failed`);
  return `check failed against ${r.baselinePath}: ${parts.join("; ")}; see the table on stdout`;
}

export function comparedLine(r: CheckReport): string {
  const c = r.comparison;
  const metrics = c.metrics.length;
  return `${c.compared} replicate means (${c.generations} generations × ${metrics} metric${metrics === 1 ? "" : "s"}), ${describeTolerance(r.tolerance)}`;
}

export function renderReport(r: CheckReport): string {
  const out = [`collapse check · ${r.baselinePath}`, r.run, `compared ${comparedLine(r)}`];
  const failures = r.comparison.failures;
  if (failures.length === 0) out.push("metrics: all hold");
  else {
    out.push(`metrics: ${failures.length} regressed`, ...diffTable(failures.slice(0, MAX_TABLE_ROWS)).map((l) => `  ${l}`));
    if (failures.length > MAX_TABLE_ROWS) out.push(`  … and ${failures.length - MAX_TABLE_ROWS} more (all of them: --junit FILE or --summary FILE)`);
  }
  if (r.assertions.length > 0) {
    out.push("assertions:");
    for (const a of r.assertions) out.push(`  ${a.ok ? "ok  " : "FAIL"}  ${a.text}${a.values.length > 0 ? `   (${valuesText(a)})` : ""}`);
  }
  out.push(passed(r) ? "passed" : "FAILED");
  return out.join("\n") + "\n";
}

/** "var_ratio[9] = 0.9170, …": what an assertion's comparisons saw. */
export function valuesText(a: AssertionOutcome): string {
  return a.values.map((v) => `${v.text} = ${short(v.value, 6)}`).join(", ");
}

export const TABLE_HEADER = ["generation", "metric", "baseline", "now", "diff", "allowed"] as const;

/** Cells of one regression row, numbers shown with just enough digits to tell baseline from now. */
export function rowCells(row: ComparisonRow): string[] {
  const [baseline, now] = row.missing ? [short(row.baseline, 6), "missing"] : distinct(row.baseline, row.now);
  const diff = row.missing ? "" : (row.diff > 0 ? "+" : "") + short(row.diff, 3);
  return [String(row.generation), row.metric, baseline, now, diff, short(row.allowed, 3)];
}

/** An aligned plain-text table: numbers right-aligned, the metric name left-aligned. */
export function diffTable(rows: readonly ComparisonRow[]): string[] {
  const cells = [TABLE_HEADER as readonly string[], ...rows.map(rowCells)];
  const widths = TABLE_HEADER.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  return cells.map((r) =>
    r
      .map((cell, c) => (c === 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
}

/** x with `digits` significant digits, trailing zeros dropped: 0.07300 → "0.073". */
export function short(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  return String(Number(x.toPrecision(digits)));
}

/** a and b with the fewest significant digits (at least 4) that show them different. */
export function distinct(a: number, b: number): [string, string] {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return [short(a, 6), short(b, 6)];
  for (let p = 4; p <= 17; p++) {
    const [sa, sb] = [short(a, p), short(b, p)];
    if (sa !== sb || p === 17) return [sa, sb];
  }
  return [short(a, 17), short(b, 17)];
}
