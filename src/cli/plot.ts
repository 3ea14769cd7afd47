/** `collapse plot`: a results file drawn as SVG, a self-contained HTML page, or PNG. */

import { Command, Option } from "commander";
import { readText, type TextInput } from "../data/read.js";
import { UsageError } from "../errors.js";
import { quote } from "../excerpt.js";
import { chooseFormat, type ExtensionTable } from "../output/format-by-extension.js";
import { checkOutput, type Payload, writeOutputs } from "../output/write.js";
import { DEFAULT_PANELS, MAX_BANDS } from "../plot/defaults.js";
import type { ScaleChoice } from "../plot/spec.js";

const PLOT_FORMATS = ["svg", "html", "png"] as const;
type PlotFormat = (typeof PLOT_FORMATS)[number];

const PLOT_EXTENSIONS: ExtensionTable<PlotFormat> = { ".svg": "svg", ".html": "html", ".htm": "html", ".png": "png" };

/** Bounds of --width and --height: a readable figure, and a PNG that fits in memory (4 bytes a pixel). */
const MIN_SIZE = 100;
const MAX_SIZE = 10000;
const FIGURE = "Figure:";

function pixels(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value).trim();
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(n >= MIN_SIZE && n <= MAX_SIZE)) throw new UsageError(`${flag} must be a whole number of pixels from ${MIN_SIZE} to ${MAX_SIZE}, got ${quote(s)}`);
  return n;
}

function heading(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(s)) throw new UsageError(`--title must be one line of text without control characters, got ${quote(s)}`);
  return s.trim();
}

function readResults(path: string): Promise<TextInput> {
  return readText(path, "give a results file from collapse sim --format json (or - for stdin)");
}

export function plotCommand(): Command {
  const cmd = new Command("plot")
    .description("draw a results file as SVG, HTML or PNG: one panel per metric, median line and 2.5%–97.5% band over generations")
    .argument("<RESULTS>", "collapse sim --format json output, a sweep document, or --format csv|ndjson rows (- for stdin)")
    .option("--metrics <LIST>", `comma-separated metric names (default: up to ${DEFAULT_PANELS} headline metrics)`)
    .addOption(
      new Option("--format <F>", "svg, html (a self-contained page) or png; default from the -o extension (.svg, .html or .htm, .png), else svg").choices(
        PLOT_FORMATS,
      ),
    )
    .option("-o, --output <FILE>", "write to FILE atomically instead of stdout")
    .addOption(
      new Option("--scale <S>", `y scale: linear, log, or auto (log when all values are positive and span 1000×)`)
        .choices(["auto", "linear", "log"])
        .default("auto"),
    )
    .option("--band", `draw the 2.5%–97.5% band for every series (default: only when a panel holds at most ${MAX_BANDS} series)`)
    .option("--no-band", "draw median lines only")
    .addOption(
      new Option("--width <PX>", `the whole figure's width in pixels (${MIN_SIZE}–${MAX_SIZE}); the panels take what axes, titles and legend leave`).helpGroup(
        FIGURE,
      ),
    )
    .addOption(new Option("--height <PX>", `the whole figure's height in pixels (${MIN_SIZE}–${MAX_SIZE})`).helpGroup(FIGURE))
    .addOption(new Option("--title <TEXT>", 'the figure\'s title instead of the generated one ("" for none)').helpGroup(FIGURE))
    .addOption(new Option("--color <AXIS>", "sweeps: the grid axis whose values colour the lines (default: each combination of the axes)").helpGroup(FIGURE))
    .addOption(
      new Option("--facet <AXIS>", "sweeps: the grid axis whose values get panels of their own: a row per metric, a column per value").helpGroup(FIGURE),
    )
    .option("--quiet", "no notes or warnings on stderr")
    .addHelpText(
      "after",
      `
Theory (from --theory runs) is drawn dashed beside the replicate mean (dotted): theory gives
expectations, which the median of a skewed metric (var_ratio) does not track.

--width and --height size the whole figure, exactly: the panels get what axes, titles and the
legend leave (a size that leaves a panel smaller than 80 x 60 px is refused).

Sweeps: each combination of the grid's values is one series, one colour, by default.
--color AXIS colours by one axis instead; --facet AXIS splits the panels by another (a row per
metric, a column per value, sharing their y range); each series keeps its band (shown by
default while a panel holds at most ${MAX_BANDS} series). AXIS is a grid option, as sample-size or
sampleSize.

PNG is the SVG's picture, pixel for pixel, drawn by resvg with the system's fonts (DejaVu Sans
where installed). It is binary: it goes to -o FILE or to a pipe or file on stdout, and is refused
when stdout is a terminal. An -o extension other than .svg, .html, .htm or .png writes SVG,
with a note.

Examples:
  collapse sim -g 30 --theory -o run.json && collapse plot run.json -o run.svg
  collapse plot run.json --metrics var_ratio,kl -o run.html
  collapse plot run.json -o run.png --width 1200 --height 800 --title "M = 25, 50 generations"
  collapse plot sweep.json --facet regime --color sample-size -o sweep.png
  collapse sim -g 50 --format json | collapse plot - > run.svg`,
    )
    .action(async (path: string) => {
      const o = cmd.opts();
      const output = o.output as string | undefined;
      const quiet = o.quiet === true;
      // The output path is checked before the input is read or drawn, so a bad one fails at once.
      const destination = checkOutput(output);
      const size = { width: pixels("--width", o.width), height: pixels("--height", o.height) };
      const title = heading(o.title);
      const { format, note } = chooseFormat<PlotFormat>(o.format as PlotFormat | undefined, output, PLOT_EXTENSIONS, "svg", [""]);
      if (format === "png" && destination.kind === "stdout" && process.stdout.isTTY === true) {
        throw new UsageError("--format png is binary and stdout is a terminal; give -o FILE.png or redirect stdout (> plot.png)");
      }
      const metrics =
        o.metrics === undefined
          ? []
          : String(o.metrics)
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== "");
      if (o.metrics !== undefined && metrics.length === 0) throw new UsageError("--metrics is empty; give names such as var_ratio,kl");
      // The plotting code (and through it Vega) loads only when a plot is drawn: other commands start fast.
      const [{ loadPlotInput }, { buildPlotSpec }, { htmlPage, renderPlot, withTitle }] = await Promise.all([
        import("../plot/load.js"),
        import("../plot/spec.js"),
        import("../plot/render.js"),
      ]);
      const input = loadPlotInput(await readResults(path));
      const plot = buildPlotSpec(input, {
        metrics,
        band: o.band as boolean | undefined,
        scale: o.scale as ScaleChoice,
        title,
        color: o.color as string | undefined,
        facet: o.facet as string | undefined,
      });
      const rendered = await renderPlot(plot, size);
      const svg = withTitle(rendered.svg, plot.title);
      const warnings = [...plot.notes, ...rendered.warnings];
      let payload: Payload;
      if (format === "png") {
        // resvg loads only for PNG output.
        const { svgToPng } = await import("../plot/png.js");
        const image = await svgToPng(svg, { title: plot.title.title, description: plot.title.caption });
        warnings.push(...image.warnings);
        payload = image.png;
      } else payload = format === "html" ? htmlPage(svg, plot.title) : svg;
      await writeOutputs([{ output: destination, text: payload }]);
      // Said once the output is written, so that a failed write stays the one line on stderr.
      if (!quiet) {
        if (note !== null) process.stderr.write(`collapse: ${note}\n`);
        for (const w of warnings) process.stderr.write(`collapse: plot: ${w}\n`);
      }
    });
  return cmd;
}
