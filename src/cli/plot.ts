/** `collapse plot`: a results file drawn as SVG (or a self-contained HTML page). */

import { extname } from "node:path";
import { Command, Option } from "commander";
import { readText, type TextInput } from "../data/read.js";
import { UsageError } from "../errors.js";
import { checkOutput, writeOutputs } from "../output/write.js";
import { DEFAULT_PANELS, MAX_BANDS } from "../plot/defaults.js";
import type { ScaleChoice } from "../plot/spec.js";

const PLOT_FORMATS = ["svg", "html"] as const;
type PlotFormat = (typeof PLOT_FORMATS)[number];

function readResults(path: string): Promise<TextInput> {
  return readText(path, "give a results file from collapse sim --format json (or - for stdin)");
}

export function plotCommand(): Command {
  const cmd = new Command("plot")
    .description("draw a results file as SVG: one panel per metric, median line and 2.5%–97.5% band over generations")
    .argument("<RESULTS>", "collapse sim --format json output, a sweep document, or --format csv|ndjson rows (- for stdin)")
    .option("--metrics <LIST>", `comma-separated metric names (default: up to ${DEFAULT_PANELS} headline metrics)`)
    .addOption(new Option("--format <F>", "svg or html (a self-contained page); default from the -o extension, else svg").choices(PLOT_FORMATS))
    .option("-o, --output <FILE>", "write to FILE atomically instead of stdout")
    .addOption(
      new Option("--scale <S>", `y scale: linear, log, or auto (log when all values are positive and span 1000×)`)
        .choices(["auto", "linear", "log"])
        .default("auto"),
    )
    .option("--band", `draw the 2.5%–97.5% band for every series (default: only when there are at most ${MAX_BANDS})`)
    .option("--no-band", "draw median lines only")
    .addHelpText(
      "after",
      `
Theory (from --theory runs) is drawn dashed beside the replicate mean (dotted): theory gives
expectations, which the median of a skewed metric (var_ratio) does not track.

Examples:
  collapse sim -g 30 --theory --format json -o run.json && collapse plot run.json -o run.svg
  collapse plot run.json --metrics var_ratio,kl --format html -o run.html
  collapse sim -g 50 --format json | collapse plot - > run.svg`,
    )
    .action(async (path: string) => {
      const o = cmd.opts();
      const output = o.output as string | undefined;
      // The output path is checked before the input is read or drawn, so a bad one fails at once.
      const destination = checkOutput(output);
      const ext = output === undefined ? "" : extname(output).toLowerCase();
      const format: PlotFormat = (o.format as PlotFormat | undefined) ?? (ext === ".html" || ext === ".htm" ? "html" : "svg");
      const metrics =
        o.metrics === undefined
          ? []
          : String(o.metrics)
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== "");
      if (o.metrics !== undefined && metrics.length === 0) throw new UsageError("--metrics is empty; give names such as var_ratio,kl");
      // The plotting code (and through it Vega) loads only when a plot is drawn: other commands start fast.
      const [{ loadPlotInput }, { buildPlotSpec }, { htmlPage, renderSvg, withTitle }] = await Promise.all([
        import("../plot/load.js"),
        import("../plot/spec.js"),
        import("../plot/render.js"),
      ]);
      const input = loadPlotInput(await readResults(path));
      const plot = buildPlotSpec(input, { metrics, band: o.band as boolean | undefined, scale: o.scale as ScaleChoice });
      const rendered = await renderSvg(plot.spec);
      const svg = withTitle(rendered.svg, plot.title);
      for (const w of rendered.warnings) process.stderr.write(`collapse: plot: ${w}\n`);
      await writeOutputs([{ output: destination, text: format === "html" ? htmlPage(svg, plot.title) : svg }]);
    });
  return cmd;
}
