/**
 * The cells of the human-facing tables (terminal and Markdown): a metric's band and its
 * "mean (theory)", each column in one number style (see columnFormatter).
 */
import type { SimResult } from "../core/result.js";
import { columnFormatter, formatNumber, isCountMetric } from "./numbers.js";

/** "median [p2.5, p97.5]", or the median alone when the band has no width. */
export function bandCell(median: number, lo: number, hi: number, format: (x: number) => string = formatNumber): string {
  return lo === hi ? format(median) : `${format(median)} [${format(lo)}, ${format(hi)}]`;
}

/** One number style for a metric's band column: counts as counts, and no mix of 9855.2 and 1.01e4. */
export function bandFormatter(result: SimResult, name: string): (x: number) => string {
  return columnFormatter(
    result.generations.flatMap((g) => {
      const s = g.metrics[name]!;
      return [s.median, s.p025, s.p975];
    }),
    isCountMetric(name),
  );
}

/** The same for a metric's "mean (theory)" column. */
export function meanFormatter(result: SimResult, name: string): (x: number) => string {
  return columnFormatter(
    result.generations.flatMap((g) => [g.metrics[name]!.mean, g.theory?.[name] ?? 0]),
    isCountMetric(name),
  );
}

/** A share as a percentage: 100%, 33.3%, 0.5%; below 0.05% with two significant digits. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return "–";
  const pct = share * 100;
  if (pct === 0 || pct === 100) return `${pct}%`;
  return pct < 0.05 ? `${Number(pct.toPrecision(2))}%` : `${pct.toFixed(1)}%`;
}
