/**
 * The terminal chart under the table: the headline metrics over generations, drawn in Unicode
 * braille (2×4 dots per character cell) — the replicate median as a line, the p2.5–p97.5 band as a
 * light stipple behind it. Panels sit side by side, as many as the width allows; where the width
 * is short (or there are too few generations for a line to mean much) each metric gets a one-line
 * sparkline (▁▂▃▄▅▆▇█) instead. Colour marks the trend, as in the table: yellow when the last
 * median is below generation 0's, cyan when above; without colour the same characters remain.
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { SimResult } from "../core/result.js";
import { headlineMetrics } from "./headline.js";
import { columnFormatter, isCountMetric } from "./numbers.js";

export interface ChartOptions {
  readonly color: boolean;
  /** Columns available; every line of the chart is at most this long. */
  readonly width: number;
}

/** One metric's replicate summaries over generations 0…G (NaN where a value is missing). */
export interface ChartSeries {
  readonly name: string;
  readonly median: Float64Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/** Narrower than this, braille panels give way to sparklines. */
export const MIN_CHART_WIDTH = 48;
/** Fewer generations than this draw sparklines: two or three points make no line worth a panel. */
const MIN_GENERATIONS = 3;
const MIN_PANEL = 36;
const MAX_PANEL = 90;
const PANEL_GAP = 3;
const PLOT_ROWS = 8;
const MAX_METRICS = 3;

/** The headline metrics of a result as chart series (at most `count`). */
export function chartSeries(result: SimResult, count: number): ChartSeries[] {
  const gens = result.generations;
  if (gens.length === 0) return [];
  const names = headlineMetrics(Object.keys(gens[0]!.metrics), count);
  return names.map((name) => {
    const n = gens.length;
    const median = new Float64Array(n);
    const lo = new Float64Array(n);
    const hi = new Float64Array(n);
    gens.forEach((g, i) => {
      const s = g.metrics[name];
      median[i] = finite(s?.median);
      lo[i] = finite(s?.p025);
      hi[i] = finite(s?.p975);
    });
    return { name, median, lo, hi };
  });
}

function finite(x: number | null | undefined): number {
  return typeof x === "number" && Number.isFinite(x) ? x : NaN;
}

/**
 * The chart as lines of text (empty when there is nothing to draw: no generations after 0, or
 * no finite values). Every line is at most `options.width` characters.
 */
export function renderChart(result: SimResult, options: ChartOptions): string[] {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const series = chartSeries(result, MAX_METRICS).filter((s) => s.median.some((v) => !Number.isNaN(v)));
  if (series.length === 0 || series[0]!.median.length < 2) return [];
  const generations = series[0]!.median.length - 1;
  if (options.width < MIN_CHART_WIDTH || generations < MIN_GENERATIONS) return sparklines(series, options.width, c);

  const count = Math.max(1, Math.min(series.length, Math.floor((options.width + PANEL_GAP) / (MIN_PANEL + PANEL_GAP))));
  const panelWidth = Math.min(MAX_PANEL, Math.floor((options.width - PANEL_GAP * (count - 1)) / count));
  const panels = series.slice(0, count).map((s) => panel(s, panelWidth, c));
  const out: string[] = [""];
  for (let row = 0; row < panels[0]!.length; row++) {
    out.push(
      panels
        .map((p) => p[row]!)
        .join(" ".repeat(PANEL_GAP))
        .trimEnd(),
    );
  }
  const replicates = result.config.replicates;
  out.push(c.dim(fit(`line: median · dots: 2.5% and 97.5% quantiles over ${replicates} replicate${replicates === 1 ? "" : "s"}`, options.width)));
  return out;
}

/** Yellow when the metric ends below where it started, cyan when above, plain when level. */
function trendColor(s: ChartSeries, c: ChalkInstance): ChalkInstance {
  const first = firstFinite(s.median);
  const last = lastFinite(s.median);
  if (Number.isNaN(first) || Number.isNaN(last) || first === last) return c.reset;
  return last < first ? c.yellow : c.cyan;
}

function firstFinite(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]!)) return a[i]!;
  return NaN;
}

function lastFinite(a: Float64Array): number {
  for (let i = a.length - 1; i >= 0; i--) if (!Number.isNaN(a[i]!)) return a[i]!;
  return NaN;
}

/** "1 → 0.783": where the median started and ended, both in one number style. */
function travel(s: ChartSeries): string {
  const ends = [firstFinite(s.median), lastFinite(s.median)];
  const format = columnFormatter(ends, isCountMetric(s.name));
  return `${format(ends[0]!)} → ${format(ends[1]!)}`;
}

/** Truncates plain text to `width` characters (with an ellipsis). */
function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + "…";
}

// ---------------------------------------------------------------------------------------------
// Sparklines

const BLOCKS = "▁▂▃▄▅▆▇█";

/** One line per metric: name, the medians as block heights (scaled to their own range), travel. */
function sparklines(series: ChartSeries[], width: number, c: ChalkInstance): string[] {
  const nameWidth = Math.max(...series.map((s) => s.name.length));
  const out: string[] = [""];
  for (const s of series) {
    const tail = travel(s);
    const room = width - nameWidth - 2 - 2 - tail.length;
    if (room < 4) {
      // Too narrow for a sparkline beside the numbers: the numbers alone still say where it went.
      out.push(fit(`${s.name}  ${tail}`, width));
      continue;
    }
    const spark = sparkline(s.median, Math.min(room, s.median.length));
    out.push(`${c.bold(s.name.padEnd(nameWidth))}  ${trendColor(s, c)(spark)}  ${c.dim(tail)}`);
  }
  return out;
}

/**
 * `length` block characters for the values, scaled so that the smallest is ▁ and the largest █;
 * when there are more values than characters, character i shows value round(i·(n−1)/(length−1)).
 * Missing values print as a space.
 */
export function sparkline(values: Float64Array, length: number): string {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let out = "";
  for (let i = 0; i < length; i++) {
    const v = values[length === 1 ? 0 : Math.round((i * (n - 1)) / (length - 1))]!;
    if (Number.isNaN(v)) out += " ";
    else out += BLOCKS[max > min ? Math.round(((v - min) / (max - min)) * (BLOCKS.length - 1)) : BLOCKS.length >> 1];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Braille panels

/**
 * A grid of braille cells addressed by dot: x in [0, 2·cols), y in [0, 4·rows), y = 0 at the top.
 * Each cell remembers the strongest layer drawn into it (band < line) so it can be coloured.
 */
class BrailleCanvas {
  readonly bits: Uint8Array;
  readonly layer: Uint8Array;

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.bits = new Uint8Array(cols * rows);
    this.layer = new Uint8Array(cols * rows);
  }

  /** Bit of dot (dx, dy) within a cell, by the Unicode braille numbering (dots 1–8). */
  private static readonly DOT = [
    [0x01, 0x08],
    [0x02, 0x10],
    [0x04, 0x20],
    [0x40, 0x80],
  ] as const;

  set(x: number, y: number, layer: number): void {
    if (x < 0 || y < 0 || x >= this.cols * 2 || y >= this.rows * 4) return;
    const cell = (y >> 2) * this.cols + (x >> 1);
    this.bits[cell]! |= BrailleCanvas.DOT[y & 3]![x & 1]!;
    if (layer > this.layer[cell]!) this.layer[cell] = layer;
  }

  /**
   * A straight line from (x0, y0) to (x1, y1), one dot per step of the longer axis, two dots
   * thick (the dot below too) so that it reads as a line beside the single-dot band edges.
   */
  line(x0: number, y0: number, x1: number, y1: number, layer: number): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    const bottom = this.rows * 4 - 1;
    for (let i = 0; i <= steps; i++) {
      const x = Math.round(x0 + ((x1 - x0) * i) / steps);
      const y = Math.round(y0 + ((y1 - y0) * i) / steps);
      this.set(x, y, layer);
      // At the bottom edge the second dot goes above, so the line never leaves the plot.
      this.set(x, y < bottom ? y + 1 : y - 1, layer);
    }
  }

  row(r: number, paint: (text: string, layer: number) => string): string {
    let out = "";
    let run = "";
    let runLayer = -1;
    for (let col = 0; col < this.cols; col++) {
      const cell = r * this.cols + col;
      const layer = this.bits[cell] === 0 ? 0 : this.layer[cell]!;
      if (layer !== runLayer && run !== "") {
        out += paint(run, runLayer);
        run = "";
      }
      runLayer = layer;
      run += String.fromCharCode(0x2800 + this.bits[cell]!);
    }
    return run === "" ? out : out + paint(run, runLayer);
  }
}

const BAND = 1;
const LINE = 2;

/** Linear or log10: the vertical axis, as a map from values to a transformed coordinate and back. */
interface Scale {
  readonly log: boolean;
  /** Transformed range [min, max] covered by the plot. */
  readonly min: number;
  readonly max: number;
  readonly to: (v: number) => number;
  readonly from: (t: number) => number;
}

/** Log scale takes over when all values are positive and span at least this ratio (a collapsing variance). */
const LOG_SPAN = 1e3;

/**
 * The scale for a series: over its medians and band together; log10 when every value is positive
 * and they span LOG_SPAN or more (otherwise the median would hug the bottom under a wide band);
 * widened a little when the values are all equal.
 */
function scaleFor(s: ChartSeries): Scale {
  let min = Infinity;
  let max = -Infinity;
  for (const a of [s.median, s.lo, s.hi]) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > 0 && max / min >= LOG_SPAN) {
    return { log: true, min: Math.log10(min), max: Math.log10(max), to: Math.log10, from: (t) => 10 ** t };
  }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  return { log: false, min, max, to: (v) => v, from: (t) => t };
}

/** One metric's panel: title, PLOT_ROWS rows of braille with y labels, x axis and its labels. */
function panel(s: ChartSeries, width: number, c: ChalkInstance): string[] {
  const scale = scaleFor(s);
  const yDots = PLOT_ROWS * 4;
  // The top and bottom labels are the plotted range itself (the top dot is its maximum, the
  // bottom dot its minimum: the highest band edge and the lowest, not the centres of those rows);
  // the middle label is the value at the centre of its row (dot 4r + 1.5). One number style for
  // the three, counts as counts.
  const valueAtDot = (y: number) => scale.from(scale.max - (y / (yDots - 1)) * (scale.max - scale.min));
  const mid = PLOT_ROWS >> 1;
  const labelRows = [0, mid, PLOT_ROWS - 1];
  const labelValues = [valueAtDot(0), valueAtDot(4 * mid + 1.5), valueAtDot(yDots - 1)];
  const format = columnFormatter(labelValues, isCountMetric(s.name));
  const labels = labelValues.map(format);
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const cols = width - labelWidth - 2;
  const canvas = new BrailleCanvas(cols, PLOT_ROWS);
  const xDots = cols * 2;
  const generations = s.median.length - 1;
  const xOf = (g: number) => Math.round((g * (xDots - 1)) / generations);
  const yOf = (v: number) => Math.round(((scale.max - scale.to(v)) / (scale.max - scale.min)) * (yDots - 1));

  // The band: its two edges as dotted lines (every other dot column), so that the median stays
  // the one solid line and reads without colour.
  for (let x = 0; x < xDots; x += 2) {
    const t = (x * generations) / (xDots - 1);
    const g = Math.min(generations - 1, Math.floor(t));
    const f = t - g;
    const lo = s.lo[g]! + (s.lo[g + 1]! - s.lo[g]!) * f;
    const hi = s.hi[g]! + (s.hi[g + 1]! - s.hi[g]!) * f;
    if (!Number.isNaN(lo)) canvas.set(x, yOf(lo), BAND);
    if (!Number.isNaN(hi)) canvas.set(x, yOf(hi), BAND);
  }
  // The median: straight segments between consecutive generations (gaps where values are missing).
  for (let g = 1; g <= generations; g++) {
    const a = s.median[g - 1]!;
    const b = s.median[g]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    canvas.line(xOf(g - 1), yOf(a), xOf(g), yOf(b), LINE);
  }
  // A value with no neighbour to join still shows, as a dot.
  for (let g = 0; g <= generations; g++) {
    const v = s.median[g]!;
    const alone = (g === 0 || Number.isNaN(s.median[g - 1]!)) && (g === generations || Number.isNaN(s.median[g + 1]!));
    if (alone && !Number.isNaN(v)) canvas.set(xOf(g), yOf(v), LINE);
  }

  const tint = trendColor(s, c);
  const paint = (text: string, layer: number) => (layer === LINE ? tint(text) : layer === BAND ? c.dim(text) : text);
  const title = fit(scale.log ? `${s.name} (log scale)` : s.name, width);
  const rest = width - title.length - 2;
  const lines = [c.bold(title) + (rest >= 5 ? "  " + tint(fit(travel(s), rest)) : "")];
  for (let r = 0; r < PLOT_ROWS; r++) {
    const label = labels[labelRows.indexOf(r)] ?? "";
    const tick = label === "" ? "│" : "┤";
    lines.push(c.dim(label.padStart(labelWidth) + " " + tick) + canvas.row(r, paint));
  }
  lines.push(c.dim(" ".repeat(labelWidth + 1) + "└" + "─".repeat(cols)));
  const left = "0";
  const right = String(generations);
  const middle = "generation";
  const inner = cols - left.length - right.length;
  const axis =
    inner >= middle.length + 2
      ? left + " ".repeat((inner - middle.length) >> 1) + middle + " ".repeat(inner - middle.length - ((inner - middle.length) >> 1)) + right
      : left + " ".repeat(Math.max(1, inner)) + right;
  lines.push(c.dim(" ".repeat(labelWidth + 2) + axis));
  // Pad to the panel width so that panels side by side line up (plain widths, before colour).
  const plain = [title.length + (rest >= 5 ? 2 + fit(travel(s), rest).length : 0), ...Array(PLOT_ROWS).fill(width), width, labelWidth + 2 + axis.length];
  return lines.map((l, i) => l + " ".repeat(Math.max(0, width - plain[i]!)));
}
