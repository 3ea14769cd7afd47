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
