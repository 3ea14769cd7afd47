import { MODELS } from "../models/index.js";

/** From this magnitude on, numbers print in scientific notation ("2.50e6"). */
const SCIENTIFIC_FROM = 1e6;

/**
 * Number formatting for human-facing tables (machine formats print full precision): three
 * decimals, so that a column of values lines up and reads at a glance; whole numbers without
 * decimals; one decimal from 100 on (`9855.2`, `10123.4`); magnitudes of 10⁶ and more, and tiny
 * ones, in scientific notation rather than as long digits or 0.000.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const a = Math.abs(x);
  if (a >= SCIENTIFIC_FROM) return scientific(x);
  // Whole numbers (counts, exact ratios of generation 0) read best without decimals.
  if (Number.isInteger(x)) return String(x);
  if (a >= 100) return x.toFixed(1);
  if (a < 5e-4) return x.toExponential(1);
  return x.toFixed(3);
}

function scientific(x: number): string {
  return x.toExponential(2).replace("e+", "e");
}

/**
 * Metrics that count things (categories, words, n-grams, mixture modes). Their medians and
 * quantiles may fall between two counts (23.475 is interpolated between the 23rd and 24th
 * replicate), but they read as counts: whole numbers bare, anything else with one decimal, never
 * in scientific notation (`9855.2` beside `10012`, not beside `1.00e4`).
 */
const COUNT_METRICS: ReadonlySet<string> = new Set(MODELS.flatMap((m) => m.counts ?? []));

export function isCountMetric(name: string): boolean {
  return COUNT_METRICS.has(name);
}

/** A count: "31", "23.5", "199993" — never with an exponent. */
export function formatCount(x: number): string {
  if (!Number.isFinite(x)) return formatNumber(x);
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/**
 * One formatter for every value of a column (or a chart axis), so that a column never mixes
 * styles: a count metric prints as counts (formatCount); any other column prints its values of
 * 100 or more with one decimal (`9855.2`, `10123.4`) unless one of its values reaches 10⁶, and
 * then every such value with an exponent (`9.86e3`, `1.01e4`, `2.50e6`). Values below 100 are
 * formatNumber's (three decimals; tiny ones with an exponent).
 */
export function columnFormatter(values: Iterable<number>, count = false): (x: number) => string {
  if (count) return formatCount;
  let big = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > big) big = Math.abs(v);
  if (big < SCIENTIFIC_FROM) return formatNumber;
  return (x) => (Number.isFinite(x) && Math.abs(x) >= 100 ? scientific(x) : formatNumber(x));
}

/**
 * A duration for people (the table's last line, progress): "0.04 s" under a second, "9.7 s"
 * under ten seconds, "27 s" under a minute, then "4 min 05 s" and "2 h 03 min".
 */
export function formatDuration(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  if (s < 0.995) return `${s.toFixed(2)} s`;
  if (s < 9.95) return `${s.toFixed(1)} s`;
  if (s < 59.5) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
