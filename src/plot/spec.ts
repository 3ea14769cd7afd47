/**
 * The Vega-Lite specification of a results plot: one panel per metric (x = generation), the
 * replicate median as a solid line over its 2.5%–97.5% band; where closed-form theory exists, the
 * theory as a dashed line beside the replicate *mean* as a dotted one (theory gives expectations,
 * and the median of a skewed quantity such as var_ratio sits well below its mean). A sweep or a
 * file of several runs draws one colour per series, with a legend.
 *
 * Pure data in, JSON out: no Vega here, so building a spec costs nothing and is easy to test.
 */
import type { TopLevelSpec } from "vega-lite";
import { UsageError } from "../errors.js";
import { headlineMetrics } from "../output/headline.js";
import type { Scalar } from "../output/tidy.js";
import { didYouMean } from "../suggest.js";
import { DEFAULT_PANELS, MAX_BANDS } from "./defaults.js";
import { labelOf, type PlotInput, type PlotSeries } from "./load.js";
import { describeMetric } from "./metrics.js";
import { PLOT_FONT, textWidth } from "./text-width.js";
import { optionKey, type PlotTitle, plotTitle, wrapPieces } from "./title.js";

export type ScaleChoice = "auto" | "linear" | "log";

export interface PlotOptions {
  /** Metric names to draw; empty for the headline metrics. */
  readonly metrics: readonly string[];
  /** Draw the 2.5%–97.5% band: true, false, or undefined for "when at most MAX_BANDS series". */
  readonly band: boolean | undefined;
  readonly scale: ScaleChoice;
  /** The figure's title instead of the generated one; "" for none (the SVG's <title> keeps the generated one). */
  readonly title?: string;
  /** A sweep's grid axis whose values colour the lines (default: each combination of the others). */
  readonly color?: string;
  /** A sweep's grid axis whose values get panels of their own: a row per metric, a column per value. */
  readonly facet?: string;
}

/** A panel's plot area by default, in pixels (axes, titles and legend come on top). */
export const PANEL_WIDTH = 340;
export const PANEL_HEIGHT = 200;
/** Pixels around the whole figure. */
const PADDING = 12;

/** The pixel sizes of a figure's parts that `withLayout` sets. */
export interface PanelLayout {
  /** Plot-area width of the panels of each column, and height of those of each row. */
  readonly columnWidths: readonly number[];
  readonly rowHeights: readonly number[];
  /** Pixels around the figure on each side. */
  readonly padding: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number };
  /** The width the figure's title lines must keep within (subtitles wrap, the title is cut); none: as built. */
  readonly titleWidth?: number;
}

/** Font sizes of the figure's title and subtitle lines. */
const TITLE_FONT_SIZE = 16;
const SUBTITLE_FONT_SIZE = 12;

/** With scale "auto", a panel turns logarithmic when all its values are positive and span this ratio. */
export const LOG_SPAN = 1e3;

/** Pixels above a panel's plot area that its title keeps clear (more than half a y-axis label). */
const TITLE_GUARD = 8;
const SINGLE_COLORS = { median: "#1f77b4", mean: "#1f77b4", theory: "#d62728" } as const;
const DASH = { median: [1, 0], mean: [2, 3], theory: [7, 4] } as const;

type Kind = keyof typeof DASH;

export interface PlotSpec {
  readonly spec: TopLevelSpec;
  readonly metrics: string[];
  readonly title: PlotTitle;
  /** The grid of panels: panels in a row, and rows (the last row may be short). */
  readonly columns: number;
  readonly rows: number;
  /** Things worth a line on stderr about how the plot was drawn. */
  readonly notes: string[];
}

/** The layout `buildPlotSpec` gives: every panel PANEL_WIDTH × PANEL_HEIGHT, PADDING around. */
export function defaultLayout(plot: Pick<PlotSpec, "columns" | "rows">): PanelLayout {
  return {
    columnWidths: Array(plot.columns).fill(PANEL_WIDTH),
    rowHeights: Array(plot.rows).fill(PANEL_HEIGHT),
    padding: { left: PADDING, top: PADDING, right: PADDING, bottom: PADDING },
  };
}

/** The plot's specification with its panels and padding sized as `layout` says. */
export function withLayout(plot: PlotSpec, layout: PanelLayout): TopLevelSpec {
  // Each panel's spec is copied, never changed: the plot may be laid out again at another size.
  const spec = plot.spec as unknown as { concat: Record<string, unknown>[]; title: Record<string, unknown> };
  const width = layout.titleWidth;
  const title =
    width === undefined
      ? spec.title
      : {
          ...spec.title,
          subtitle: wrapPieces(plot.title.pieces, (line) => textWidth({ fontSize: SUBTITLE_FONT_SIZE }, line) <= width),
          limit: width,
        };
  return {
    ...spec,
    title,
    concat: spec.concat.map((panel, i) => {
      const width = layout.columnWidths[i % plot.columns]!;
      // A title or description wider than its panel is cut to it (…), rather than widen the column.
      return { ...panel, title: { ...(panel.title as object), limit: width }, width, height: layout.rowHeights[Math.floor(i / plot.columns)] };
    }),
    padding: { ...layout.padding },
  } as unknown as TopLevelSpec;
}

/** Every metric name in the input, in first-seen order. */
export function availableMetrics(input: PlotInput): string[] {
  const seen = new Set<string>();
  for (const s of input.series) for (const g of s.generations) for (const m of Object.keys(g.metrics)) seen.add(m);
  return [...seen];
}

function chooseMetrics(input: PlotInput, wanted: readonly string[]): string[] {
  const available = availableMetrics(input);
  if (wanted.length === 0) {
    const headline = headlineMetrics(available, DEFAULT_PANELS);
    return headline.length > 0 ? headline : available.slice(0, DEFAULT_PANELS);
  }
  for (const m of wanted) {
    if (!available.includes(m)) {
      throw new UsageError(`--metrics ${m}: no such metric in ${input.name}${didYouMean(m, available)}; it has ${available.join(", ")}`);
    }
  }
  return [...new Set(wanted)];
}

/** The grid axis `name` (flag or camelCase key) names in the input, as the input spells it. */
function gridAxis(input: PlotInput, name: string, flag: string): string {
  if (input.grid.length === 0) {
    throw new UsageError(`${flag} ${name}: ${input.name} is a single run; ${flag} chooses an axis of a sweep's grid`);
  }
  const found = input.grid.find((g) => g === name || optionKey(g) === optionKey(name));
  if (found === undefined) throw new UsageError(`${flag} ${name}: no such grid axis in ${input.name}; it varies ${input.grid.join(", ")}`);
  return found;
}

/** The params without `axis`. */
function without(params: Record<string, Scalar>, axis: string | null): Record<string, Scalar> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => k !== axis));
}

export function buildPlotSpec(input: PlotInput, options: PlotOptions): PlotSpec {
  const metrics = chooseMetrics(input, options.metrics);
  const colorAxis = options.color === undefined ? null : gridAxis(input, options.color, "--color");
  const facetAxis = options.facet === undefined ? null : gridAxis(input, options.facet, "--facet");
  if (colorAxis !== null && colorAxis === facetAxis) {
    throw new UsageError(`--color and --facet both name ${colorAxis}; choose two different grid axes, or leave one out`);
  }
  const notes: string[] = [];
  // Each series' colour (by default: every parameter the panels do not split) and panel.
  const colorOf = (s: PlotSeries) => (colorAxis !== null ? scalarText(s.params[colorAxis]) : labelOf(without(s.params, facetAxis)));
  const facetOf = (s: PlotSeries) => (facetAxis !== null ? scalarText(s.params[facetAxis]) : "");
  const facets = [...new Set(input.series.map(facetOf))];
  const colors = [...new Set(input.series.map(colorOf))];
  // Series sharing a panel: all of them, or those of one facet.
  const perPanel = Math.max(...facets.map((f) => input.series.filter((s) => facetOf(s) === f).length));
  const multi = colors.length > 1 || perPanel > 1;
  if (colorAxis !== null) {
    const rest = input.grid.filter((g) => g !== colorAxis && g !== facetAxis && new Set(input.series.map((s) => scalarText(s.params[g]))).size > 1);
    if (rest.length > 0) {
      notes.push(`lines of one colour differ in ${rest.join(", ")}; --facet ${rest[0]} draws them in panels of their own`);
    }
  }
  const drawBand = options.band ?? perPanel <= MAX_BANDS;
  const lines: Record<string, string | number>[] = [];
  const bands: Record<string, string | number>[] = [];
  const theoryMetrics = new Set<string>();
  for (const s of input.series) {
    for (const g of s.generations) {
      for (const metric of metrics) {
        if (g.theory?.[metric] !== undefined && Number.isFinite(g.theory[metric])) theoryMetrics.add(metric);
      }
    }
  }
  for (const s of input.series) {
    // "name" becomes each line's accessible label in the SVG (aria-label): "var_ratio median (sample-size=10)".
    const of =
      input.series.length > 1
        ? ` (${Object.entries(s.params)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(", ")})`
        : "";
    for (const g of s.generations) {
      for (const metric of metrics) {
        const m = g.metrics[metric];
        const base = { metric, series: s.label, color: colorOf(s), facet: facetOf(s), generation: g.generation };
        const line = (kind: Kind, value: number) => lines.push({ ...base, kind, value, name: `${metric} ${kind}${of}` });
        if (m && Number.isFinite(m.median)) line("median", m.median);
        if (m && theoryMetrics.has(metric) && Number.isFinite(m.mean)) line("mean", m.mean);
        const t = g.theory?.[metric];
        if (t !== undefined && Number.isFinite(t)) line("theory", t);
        if (drawBand && m && Number.isFinite(m.p025) && Number.isFinite(m.p975)) {
          bands.push({ ...base, lo: m.p025, hi: m.p975, name: `${metric} band 2.5%–97.5%${of}` });
        }
      }
    }
  }
  const kinds: Kind[] = theoryMetrics.size > 0 ? ["median", "mean", "theory"] : ["median"];
  const title = plotTitle(input, theoryMetrics.size > 0, drawBand, options.title);
  const generations = input.series.flatMap((s) => s.generations.map((g) => g.generation));
  const xDomain = [Math.min(...generations), Math.max(...generations)];
  // Legend wording for the line kinds (the data keeps the short names).
  const kindLabels = "datum.label === 'theory' ? 'theory (expectation)' : datum.label === 'mean' ? 'replicate mean' : 'median'";

  const x = {
    field: "generation",
    type: "quantitative",
    title: "generation",
    scale: { domain: xDomain, nice: false },
    axis: { format: "d", tickMinStep: 1 },
  };
  const color =
    colors.length > 1
      ? {
          field: "color",
          type: "nominal",
          title: colorAxis ?? (input.grid.filter((g) => g !== facetAxis).join(", ") || "series"),
          sort: colors,
          scale: { scheme: colors.length > 10 ? "tableau20" : "tableau10" },
          // The bands share this legend; without this their faint fill would set the symbols' opacity.
          legend: { symbolOpacity: 1 },
        }
      : {
          field: "kind",
          type: "nominal",
          title: null,
          scale: { domain: kinds, range: kinds.map((k) => SINGLE_COLORS[k]) },
          legend: kinds.length > 1 ? { labelExpr: kindLabels } : null,
        };
  const strokeDash = {
    field: "kind",
    type: "nominal",
    title: colors.length > 1 ? "line" : null,
    scale: { domain: kinds, range: kinds.map((k) => DASH[k]) },
    legend: kinds.length > 1 ? { labelExpr: kindLabels } : null,
  };

  const panels = metrics.flatMap((metric) => {
    const values = [
      ...lines.filter((r) => r.metric === metric).map((r) => r.value as number),
      ...bands.filter((r) => r.metric === metric).flatMap((r) => [r.lo as number, r.hi as number]),
    ];
    const log = options.scale === "log" || (options.scale === "auto" && isLogWorthy(values));
    if (log && values.some((v) => v <= 0)) {
      throw new UsageError(`--scale log: ${metric} has values ≤ 0, which a log scale cannot show; use --scale linear or leave --metrics out`);
    }
    // Log axes: ticks and grid at whole decades only, all labelled alike (decadeLabels).
    const ticks = log ? decades(values) : [];
    const yAxis = log ? { values: ticks, labelExpr: decadeLabels(ticks) } : {};
    // A metric's panels side by side share their y range, so that heights compare across panels.
    const shared = facetAxis !== null && values.length > 0 ? { domain: [Math.min(...values), Math.max(...values)], nice: true } : {};
    const y = { type: "quantitative", title: metric, scale: log ? { type: "log", ...shared } : { zero: false, ...shared }, axis: yAxis };
    const description = describeMetric(metric);
    return facets.map((facet) => {
      const filter =
        facetAxis === null
          ? [{ filter: { field: "metric", equal: metric } }]
          : [
              {
                filter: {
                  and: [
                    { field: "metric", equal: metric },
                    { field: "facet", equal: facet },
                  ],
                },
              },
            ];
      const layer: unknown[] = [];
      if (drawBand) {
        layer.push({
          data: { name: "bands" },
          transform: filter,
          mark: { type: "area", opacity: multi ? 0.12 : 0.2, ...(colors.length > 1 ? {} : { color: SINGLE_COLORS.median }) },
          encoding: {
            x,
            y: { ...y, field: "lo" },
            y2: { field: "hi" },
            ...(colors.length > 1 ? { color } : {}),
            detail: { field: "series", type: "nominal" },
            description: { field: "name", type: "nominal" },
          },
        });
      }
      layer.push({
        data: { name: "lines" },
        transform: filter,
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x,
          y: { ...y, field: "value" },
          color,
          strokeDash,
          detail: { field: "series", type: "nominal" },
          description: { field: "name", type: "nominal" },
        },
      });
      // Vega sets a panel's title above whatever sticks out of its top (a y-axis label centred on the
      // top tick, or not); this invisible rule sticks out further, so every title sits at one height.
      layer.push({ data: { values: [{}] }, mark: { type: "rule", strokeOpacity: 0, aria: false }, encoding: { y: { value: -TITLE_GUARD } } });
      const text = facetAxis === null ? metric : `${metric} · ${facetAxis}=${facet}`;
      return {
        // Every panel has a subtitle line, so titles with and without a description stand level.
        title: { text, subtitle: description ?? "\u200b", anchor: "start", frame: "group", fontSize: 13, subtitleFontSize: 11 },
        width: PANEL_WIDTH,
        height: PANEL_HEIGHT,
        layer,
      };
    });
  });

  // Facets: a row per metric, a column per facet value. Otherwise two columns of metrics.
  const columns = facetAxis !== null ? facets.length : metrics.length === 1 ? 1 : 2;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: options.title ?? title.title,
      subtitle: title.subtitle,
      anchor: "start",
      fontSize: TITLE_FONT_SIZE,
      subtitleFontSize: SUBTITLE_FONT_SIZE,
      subtitlePadding: 4,
      offset: 14,
    },
    description: title.caption,
    datasets: { lines, bands },
    columns,
    concat: panels,
    resolve: { scale: { y: "independent", color: "shared", strokeDash: "shared" } },
    padding: PADDING,
    background: "white",
    config: {
      font: PLOT_FONT,
      view: { stroke: "#ddd" },
      axis: { labelFontSize: 11, titleFontSize: 11, gridColor: "#eee" },
      legend: { labelFontSize: 11, titleFontSize: 11, symbolStrokeWidth: 2, symbolType: "stroke", symbolSize: 200, labelLimit: 320 },
      concat: { spacing: 28 },
    },
  };
  return { spec: spec as unknown as TopLevelSpec, metrics, title, columns, rows: Math.ceil(panels.length / columns), notes };
}

/** A parameter's value as it shows in a legend or a panel title. */
function scalarText(v: Scalar | undefined): string {
  return v === null || v === undefined ? "–" : String(v);
}

/** True when every value is positive and they span at least LOG_SPAN (a variance collapsing by decades). */
function isLogWorthy(values: number[]): boolean {
  if (values.length === 0) return false;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min > 0 && max / min >= LOG_SPAN;
}

const SUPERSCRIPT: Record<string, string> = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** 10 to the power `e`, written as 10⁻³. */
export function powerOfTen(e: number): string {
  return `10${[...String(e)].map((c) => SUPERSCRIPT[c]).join("")}`;
}

/**
 * A Vega label expression for decade ticks, one style per axis: 0.001 … 1000 written out when
 * every tick lies in that range, else every tick as a power of ten (10⁻⁴ … 10²), never a mix.
 */
export function decadeLabels(ticks: readonly number[]): string {
  const exponents = ticks.map((t) => Math.round(Math.log10(t)));
  if (exponents.every((e) => e >= -3 && e <= 3)) return "format(datum.value, '~g')";
  // The ticks are the exact numbers Number(`1e${e}`) (decades()), so each compares equal to its literal.
  return exponents.reduceRight((rest, e) => `datum.value === 1e${e} ? '${powerOfTen(e)}' : ${rest}`, "format(datum.value, '~g')");
}

/** Powers of ten covering the positive values, every k-th one so that at most eight remain. */
function decades(values: number[]): number[] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [1];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 8));
  const out: number[] = [];
  for (let e = hi; e >= lo; e -= step) out.push(Number(`1e${e}`));
  return out.reverse();
}
