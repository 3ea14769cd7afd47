/**
 * Number formatting for human-facing tables (machine formats print full precision): three
 * decimals, so that a column of values lines up and reads at a glance; whole numbers without
 * decimals; large or tiny magnitudes in scientific notation rather than as 0.000.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  // Whole numbers (counts, exact ratios of generation 0) read best without decimals.
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a >= 1e4) return x.toExponential(2).replace("e+", "e");
  if (a >= 100) return x.toFixed(1);
  if (a < 5e-4) return x.toExponential(1);
  return x.toFixed(3);
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
