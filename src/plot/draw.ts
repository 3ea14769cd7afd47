/**
 * A plot from a results file's bytes to the bytes written: read (load.ts), specified (spec.ts),
 * rendered (render.ts) and, for PNG, rasterised (png.ts). The command line runs it on its own
 * thread for a small file and on a worker (plot/worker.ts) for a large one, where Vega's rendering,
 * one synchronous call that took 5 s for 10⁵ generations, cannot keep a signal waiting.
 */
import { loadPlotBytes } from "./load.js";
import { htmlPage, renderPlot, withTitle } from "./render.js";
import { buildPlotSpec, type PlotOptions } from "./spec.js";

export type PlotFormat = "svg" | "html" | "png";

/** What a plot is drawn from, and how. */
export interface PlotTask {
  /** The file's name, for messages and its extension (a .json file is a document). */
  readonly name: string;
  /** Its bytes, checked to be UTF-8. */
  readonly bytes: Uint8Array;
  readonly options: PlotOptions;
  readonly size: { readonly width?: number | undefined; readonly height?: number | undefined };
  readonly format: PlotFormat;
}

export interface DrawnPlot {
  /** The SVG or HTML text, or the PNG's bytes. */
  readonly payload: string | Uint8Array;
  /** Notes and warnings for stderr, in order: the specification's, Vega's, resvg's. */
  readonly warnings: string[];
}

export async function drawPlot(task: PlotTask): Promise<DrawnPlot> {
  const input = await loadPlotBytes(task.name, task.bytes);
  const plot = buildPlotSpec(input, task.options);
  const rendered = await renderPlot(plot, task.size);
  const svg = withTitle(rendered.svg, plot.title);
  const warnings = [...plot.notes, ...rendered.warnings];
  if (task.format === "png") {
    // resvg loads only for PNG output.
    const { svgToPng } = await import("./png.js");
    const image = await svgToPng(svg, { title: plot.title.title, description: plot.title.caption });
    return { payload: image.png, warnings: [...warnings, ...image.warnings] };
  }
  return { payload: task.format === "html" ? htmlPage(svg, plot.title) : svg, warnings };
}
