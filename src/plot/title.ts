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
  /** The subtitle's pieces, to wrap again for a narrower figure: each group starts a line. */
  readonly pieces: readonly SubtitleGroup[];
}

/** Pieces of a subtitle that may share a line, and what joins them there. */
export interface SubtitleGroup {
  readonly parts: readonly string[];
  readonly joiner: string;
}

/**
 * The subtitle's lines, each group's pieces joined greedily while `fits` says the line fits (a
 * piece too wide alone gets a line of its own).
 */
export function wrapPieces(groups: readonly SubtitleGroup[], fits: (line: string) => boolean): string[] {
  const lines: string[] = [];
  for (const { parts, joiner } of groups) {
    let line = "";
    for (const p of parts) {
      const longer = line === "" ? p : `${line}${joiner}${p}`;
      if (line !== "" && !fits(longer)) {
        lines.push(line);
        line = p;
      } else line = longer;
    }
    if (line !== "") lines.push(line);
  }
  return lines;
}

/** The config key a grid name refers to (flag "sample-size" or key "sampleSize"). */
export function optionKey(name: string): string {
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

/** `heading` (--title) replaces the generated title; "" keeps it for the caption (nothing is drawn). */
export function plotTitle(input: PlotInput, withTheory: boolean, withBand: boolean, heading?: string): PlotTitle {
  const c = input.config;
  const skip = new Set(input.grid.map(optionKey));
  const model = c?.model !== undefined && !skip.has("model") ? c.model : undefined;
  let title: string;
  if (input.kind === "sweep") title = `Model collapse${model ? `: ${model}` : ""} — sweep over ${input.grid.join(" × ")}`;
  else if (input.kind === "sim") title = `Model collapse${model ? `: ${model}` : ""}`;
  else title = `Model collapse: ${basename(input.name)}`;
  if (heading !== undefined && heading !== "") title = heading;
  // The title names the model and the x axis the generations: the subtitle says the rest.
  const described = c ? describeRunParts(c, skip, new Set(["model", "generations"])) : [];
  const replicates = c?.replicates !== undefined && !skip.has("replicates") ? `${c.replicates} replicates` : "replicates";
  const legendParts = [
    `solid: median over ${replicates}`,
    ...(withBand ? ["band: 2.5%–97.5%"] : []),
    ...(withTheory ? ["dashed: closed-form expectation, dotted: replicate mean"] : []),
  ];
  const legend = legendParts.join("; ");
  const subtitle = [...wrap(described, 110), legend];
  const caption = `${title}. ${described.length > 0 ? described.join(", ") + ". " : ""}${legend[0]!.toUpperCase()}${legend.slice(1)}.`;
  const pieces = [
    { parts: described, joiner: " · " },
    { parts: legendParts, joiner: "; " },
  ];
  return { title, subtitle, caption, pieces };
}
