/**
 * The words around a plot: a title and subtitle lines from the run's configuration (model, seed
 * data, M, replicates, regime, seed), leaving out whatever a sweep varies — those are the legend.
 */

import { basename } from "node:path";
import { SIM_OPTIONS } from "../config/spec.js";
import { describeRunParts } from "../output/describe.js";
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
  // The title names the model and the x axis the generations: the subtitle says the rest.
  const described = c ? describeRunParts(c, skip, new Set(["model", "generations"])) : [];
  const replicates = c?.replicates !== undefined && !skip.has("replicates") ? `${c.replicates} replicates` : "replicates";
  const legend =
    `solid: median over ${replicates}` +
    (withBand ? "; band: 2.5%–97.5%" : "") +
    (withTheory ? "; dashed: closed-form expectation, dotted: replicate mean" : "");
  const subtitle = [...wrap(described, 110), legend];
  const caption = `${title}. ${described.length > 0 ? described.join(", ") + ". " : ""}${legend[0]!.toUpperCase()}${legend.slice(1)}.`;
  return { title, subtitle, caption };
}
