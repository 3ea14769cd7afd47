/**
 * The words around a plot: a title and subtitle lines from the run's configuration (model, seed
 * data, M, replicates, regime, seed), leaving out whatever a sweep varies — those are the legend.
 */

import { basename } from "node:path";
import type { ResolvedConfig } from "../config/config.js";
import { SIM_OPTIONS } from "../config/spec.js";
import type { PlotInput } from "./load.js";

export interface PlotTitle {
  readonly title: string;
  readonly subtitle: string[];
  /** One sentence for an HTML caption or an SVG <desc>. */
  readonly caption: string;
}

/** The config key a grid name refers to (flag "sample-size" or key "sampleSize"). */
function keyOf(name: string): string {
  return SIM_OPTIONS.find((o) => o.flag === name || o.key === name)?.key ?? name;
}

/** The run's description, piece by piece, skipping the keys in `skip` and anything the file lacks. */
function configParts(c: Partial<ResolvedConfig>, skip: ReadonlySet<string>): string[] {
  const has = (k: keyof ResolvedConfig) => !skip.has(k) && c[k] !== undefined && c[k] !== null;
  const parts: string[] = [];
  if (has("data")) parts.push(`data ${c.data === "-" ? "stdin" : c.data}${c.column != null ? ` [${c.column}]` : ""}`);
  else if (has("source")) parts.push(`source ${c.source}${has("seedSize") ? ` ×${c.seedSize}` : ""}`);
  if (has("sampleSize")) parts.push(`M=${c.sampleSize}`);
  if (has("replicates")) parts.push(`${c.replicates} replicate${c.replicates === 1 ? "" : "s"}`);
  if (has("regime")) parts.push(`regime ${c.regime}${c.regime === "mix" || c.regime === "fresh" ? ` (real ${c.realFraction})` : ""}`);
  if (has("filterRecall") && c.filterRecall! > 0) parts.push(`filter recall ${c.filterRecall}`);
  if (has("estimator") && (c.model === "gaussian" || c.model === "mvn" || c.model === "gmm")) parts.push(`estimator ${c.estimator}`);
  if (has("truncate")) parts.push(`truncate ±${c.truncate}σ`);
  if (has("temperature") && c.temperature !== 1) parts.push(`T=${c.temperature}`);
  if (has("topK") && c.topK! > 0) parts.push(`top-k ${c.topK}`);
  if (has("topP") && c.topP! < 1) parts.push(`top-p ${c.topP}`);
  if (has("seed")) parts.push(`seed ${c.seed}`);
  return parts;
}

/** Joins parts with " · " into lines of at most `width` characters. */
function wrap(parts: string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const p of parts) {
    if (line !== "" && line.length + 3 + p.length > width) {
      lines.push(line);
      line = p;
    } else line = line === "" ? p : `${line} · ${p}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

export function plotTitle(input: PlotInput, withTheory: boolean, withBand: boolean): PlotTitle {
  const c = input.config;
  const skip = new Set(input.grid.map(keyOf));
  const model = c?.model !== undefined && !skip.has("model") ? c.model : undefined;
  let title: string;
  if (input.kind === "sweep") title = `Model collapse${model ? `: ${model}` : ""} — sweep over ${input.grid.join(" × ")}`;
  else if (input.kind === "sim") title = `Model collapse${model ? `: ${model}` : ""}`;
  else title = `Model collapse: ${basename(input.name)}`;
  const described = c ? configParts(c, skip) : [];
  const replicates = c?.replicates !== undefined && !skip.has("replicates") ? `${c.replicates} replicates` : "replicates";
  const legend =
    `solid: median over ${replicates}` +
    (withBand ? "; band: 2.5%–97.5%" : "") +
    (withTheory ? "; dashed: closed-form expectation, dotted: replicate mean" : "");
  const subtitle = [...wrap(described, 110), legend];
  const caption = `${title}. ${described.length > 0 ? described.join(", ") + ". " : ""}${legend[0]!.toUpperCase()}${legend.slice(1)}.`;
  return { title, subtitle, caption };
}
