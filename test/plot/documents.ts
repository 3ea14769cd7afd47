/**
 * Results documents for plot tests, made in-process (the core's simulate, as `collapse sim --format
 * json` and `collapse sweep --format json` would write them), and a plot rendered in-process.
 */
import type { SimResult } from "../../src/core/result.js";
import { resolveOptions, type SimOptions } from "../../src/lib/simulate.js";
import { loadPlotInput } from "../../src/plot/load.js";
import { renderSvg, withTitle } from "../../src/plot/render.js";
import { buildPlotSpec, type PlotOptions } from "../../src/plot/spec.js";
import { TOOL } from "../../src/version.js";
import { simulate } from "../run.js";

export function simResult(options: SimOptions): SimResult {
  return simulate(resolveOptions(options)).result;
}

/** The text `collapse sim --format json` writes. */
export function simDoc(options: SimOptions): string {
  return JSON.stringify(simResult(options), null, 2) + "\n";
}

/** A sweep document over `grid` (option key → values), every other option from `base`. */
export function sweepDoc(base: SimOptions, grid: Record<string, readonly (string | number)[]>): string {
  const keys = Object.keys(grid);
  let combos: Record<string, string | number>[] = [{}];
  for (const k of keys) combos = combos.flatMap((c) => grid[k]!.map((v) => ({ ...c, [k]: v })));
  const points = combos.map((params) => {
    const r = simResult({ ...base, ...params } as SimOptions);
    return { params, config: r.config, generations: r.generations };
  });
  return JSON.stringify({ tool: { ...TOOL }, config: simResult(base).config, seed: "1", grid: keys, points }, null, 2) + "\n";
}

/** For beforeAll hooks: making documents (and drawing them) can take a while on a busy machine. */
export const HOOK_TIMEOUT = 60_000;

export const PLOT_DEFAULTS: PlotOptions = { metrics: [], band: undefined, scale: "auto" };

/** Draws a results text as `collapse plot` does, in-process. */
export async function plotSvg(name: string, text: string, options: Partial<PlotOptions> = {}) {
  const plot = buildPlotSpec(loadPlotInput({ name, text }), { ...PLOT_DEFAULTS, ...options });
  const { svg, warnings } = await renderSvg(plot.spec);
  return { svg: withTitle(svg, plot.title), warnings, plot };
}

/** The figure's size from the SVG's root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg [^>]*width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(svg);
  if (!m) throw new Error("no width and height on the root <svg>");
  return { width: Number(m[1]), height: Number(m[2]) };
}
