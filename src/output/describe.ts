/** One-line descriptions of a run, shared by the table and Markdown headers. */
import type { ResolvedConfig } from "../config/config.js";

export function describeRun(c: ResolvedConfig): string {
  return describeRunParts(c).join(" · ");
}

/** The pieces of describeRun, for layouts that wrap them. */
export function describeRunParts(c: ResolvedConfig): string[] {
  const parts = [
    c.model,
    c.data !== null ? `data ${c.data === "-" ? "stdin" : c.data}${c.column !== null ? ` [${c.column}]` : ""}` : `source ${c.source} ×${c.seedSize}`,
    `M=${c.sampleSize}`,
    `${c.generations} generation${c.generations === 1 ? "" : "s"}`,
    `${c.replicates} replicate${c.replicates === 1 ? "" : "s"}`,
    `regime ${c.regime}${c.regime === "mix" || c.regime === "fresh" ? ` (real ${c.realFraction})` : ""}`,
  ];
  if (c.filterRecall > 0) parts.push(`filter recall ${c.filterRecall}`);
  if (c.model === "gaussian" || c.model === "mvn") parts.push(`estimator ${c.estimator}`);
  if (c.truncate !== null) parts.push(`truncate ±${c.truncate}σ`);
  if (c.temperature !== 1) parts.push(`T=${c.temperature}`);
  if (c.topK > 0) parts.push(`top-k ${c.topK}`);
  if (c.topP < 1) parts.push(`top-p ${c.topP}`);
  parts.push(`seed ${c.seed}`);
  return parts;
}
