/**
 * How far a replicate mean may move from its baseline before `collapse check` calls it a regression.
 *
 * statistical (default):  allowed = z·√(se_now² + se_base²) + atol + rtol·|baseline|
 * tolerance:              allowed = atol + rtol·|baseline|
 *
 * A value holds when |now − baseline| ≤ allowed. The statistical term is the z-score test of a
 * difference of two independent means; the atol/rtol floor covers quantities with no replicate
 * spread (generation 0, se = 0), where only floating-point noise can differ. Defaults: z = 4
 * (two-sided p ≈ 6.3e-5 per comparison, so below 1% false alarms over ~150 comparisons even if a
 * change re-draws every random number), rtol = 1e-9, atol = 1e-12 (equal up to rounding).
 */

export const MODES = ["statistical", "tolerance"] as const;
export type Mode = (typeof MODES)[number];

export interface Tolerance {
  readonly mode: Mode;
  readonly z: number;
  readonly rtol: number;
  readonly atol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { mode: "statistical", z: 4, rtol: 1e-9, atol: 1e-12 };

/** The largest |now − baseline| that still holds. */
export function allowedDifference(t: Tolerance, baseline: number, seBaseline: number, seNow: number): number {
  const floor = t.atol + t.rtol * Math.abs(baseline);
  if (t.mode === "tolerance") return floor;
  const se = Math.sqrt(finiteOr0(seBaseline) ** 2 + finiteOr0(seNow) ** 2);
  return t.z * se + floor;
}

/**
 * Whether `now` holds against `baseline`. A baseline's NaN is JSON's null, which spells NaN,
 * Infinity and −Infinity alike: any of them in the re-run holds against it (a variance that
 * collapsed to 0 makes log_var_ratio −∞ in the run and null in its baseline). An infinity equals
 * itself; otherwise any NaN or infinity is a regression.
 */
export function holds(baseline: number, now: number, allowed: number): boolean {
  if (Number.isNaN(baseline)) return !Number.isFinite(now);
  if (Number.isNaN(now)) return false;
  if (!Number.isFinite(baseline) || !Number.isFinite(now)) return baseline === now;
  return Math.abs(now - baseline) <= allowed;
}

/** One line describing the rule, for reports: "|now − baseline| ≤ 4·√(se_now² + se_base²) + 1e-9·|baseline| + 1e-12". */
export function describeTolerance(t: Tolerance): string {
  const floor = `${t.rtol}·|baseline| + ${t.atol}`;
  return t.mode === "statistical" ? `|now − baseline| ≤ ${t.z}·√(se_now² + se_baseline²) + ${floor}` : `|now − baseline| ≤ ${floor}`;
}

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
