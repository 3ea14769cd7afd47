/**
 * Number formatting for human-facing tables (machine formats print full precision): three
 * decimals, so that a column of values lines up and reads at a glance; large or tiny magnitudes
 * switch to scientific notation rather than print as 0.000.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e4) return x.toExponential(2).replace("e+", "e");
  if (a >= 100) return x.toFixed(1);
  if (a < 5e-4) return x.toExponential(1);
  return x.toFixed(3);
}
