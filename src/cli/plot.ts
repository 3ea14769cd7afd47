/** `collapse plot`: a results file drawn as SVG, a self-contained HTML page, or PNG. */

import { Command, Option } from "commander";
import { readUtf8, type Utf8Bytes } from "../data/read.js";
import { UsageError } from "../errors.js";
import { quote } from "../excerpt.js";
import { chooseFormat, type ExtensionTable } from "../output/format-by-extension.js";
import { checkOutput, writeOutputs } from "../output/write.js";
import { DEFAULT_PANELS, MAX_BANDS } from "../plot/defaults.js";
import type { DrawnPlot, PlotFormat, PlotTask } from "../plot/draw.js";
import type { ScaleChoice } from "../plot/spec.js";

/** The formats of plot/draw.ts (written out here: the plotting modules load only when a plot is drawn). */
const PLOT_FORMATS = ["svg", "html", "png"] as const satisfies readonly PlotFormat[];

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

function readResults(path: string): Promise<Utf8Bytes> {
  return readUtf8(path, "give a results file from collapse sim --format json (or - for stdin)");
}

/**
 * A file from this size is drawn on a worker thread: Vega renders in one synchronous call (5 s for
 * a 10⁵-generation run), which would keep a signal waiting. Smaller ones draw here in under 0.5 s,
 * without a worker's start-up.
 */
const WORKER_BYTES = 1 << 20;

/** The plot, drawn here or on a worker (the plotting code, and through it Vega, loads only then). */
async function draw(task: PlotTask): Promise<DrawnPlot> {
  if (task.bytes.length < WORKER_BYTES) return (await import("../plot/draw.js")).drawPlot(task);
  const { poolResults } = await import("../engine/pool.js");
  const { bytes } = task;
  // The bytes move to the worker when they are a buffer of their own (this thread is done with them).
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const [drawn] = await poolResults<PlotTask, DrawnPlot>({
    script: new URL("../plot/worker.js", import.meta.url),
    tasks: [task],
    jobs: 1,
    name: "the plotting thread",
    transfer: () => (own ? [bytes.buffer as ArrayBuffer] : []),
  });
  return drawn!;
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
      const { bytes, name } = await readResults(path);
      const task: PlotTask = {
        name,
        bytes,
        options: {
          metrics,
          band: o.band as boolean | undefined,
          scale: o.scale as ScaleChoice,
          title,
          color: o.color as string | undefined,
          facet: o.facet as string | undefined,
        },
        size,
        format,
      };
      const { payload, warnings } = await draw(task);
      await writeOutputs([{ output: destination, text: payload }]);
      // Said once the output is written, so that a failed write stays the one line on stderr.
      if (!quiet) {
        if (note !== null) process.stderr.write(`collapse: ${note}\n`);
        for (const w of warnings) process.stderr.write(`collapse: plot: ${w}\n`);
      }
    });
  return cmd;
}
