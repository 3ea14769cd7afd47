/**
 * How the table and Markdown name a lost category. The result's `extinctions` come most often
 * lost first (the share of chains in which the category died), then by median generation.
 */
import type { ExtinctionRecord } from "../core/result.js";

/** "beagle (97% of chains, median generation 4)"; a share that rounds to 0% or 100% but is not says "<1%" or ">99%". */
export function describeExtinction(e: ExtinctionRecord): string {
  return `${e.category} (${sharePercent(e.replicates)} of chains, median generation ${e.generation})`;
}

function sharePercent(share: number): string {
  const p = Math.round(share * 100);
  if (p === 0 && share > 0) return "<1%";
  if (p === 100 && share < 1) return ">99%";
  return `${p}%`;
}
