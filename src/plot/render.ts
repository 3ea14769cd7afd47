/**
 * Rendering a plot specification to SVG with Vega-Lite + Vega, headless (Vega's "none" renderer
 * builds the scene graph and serialises SVG without a canvas or a browser). Both libraries are
 * loaded here, on first use, so that `collapse sim` never pays their ≈0.4 s import.
 */
import type { TopLevelSpec } from "vega-lite";
import { UsageError } from "../errors.js";
import { defaultLayout, type PanelLayout, type PlotSpec, withLayout } from "./spec.js";
import { textWidth } from "./text-width.js";
import type { PlotTitle } from "./title.js";

/** Vega and Vega-Lite warnings (e.g. an unusable scale) collected during one render. */
export interface Rendered {
  readonly svg: string;
  readonly warnings: string[];
}

export async function renderSvg(spec: TopLevelSpec): Promise<Rendered> {
  const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
  // Vega's documented hook for a measure of one's own (as vl-convert does): layout in the font drawn.
  // (The typings leave textMetrics out; vega-scenegraph exports it, and vega re-exports it.)
  (vega as unknown as { textMetrics: { width: typeof textWidth } }).textMetrics.width = textWidth;
  const warnings: string[] = [];
  // A logger that collects instead of printing: stderr belongs to collapse, which decides what to show.
  const logger = vega.logger(vega.Warn);
  logger.warn = (...args: readonly unknown[]) => {
    warnings.push(args.map(String).join(" "));
    return logger;
  };
  const compiled = vl.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  try {
    const svg = await view.toSVG();
    return { svg: svg.endsWith("\n") ? svg : svg + "\n", warnings };
  } finally {
    view.finalize();
  }
}

/** The whole figure's size in pixels (--width, --height); either may be left to the default layout. */
export interface FigureSize {
  readonly width?: number;
  readonly height?: number;
}

/** The smallest plot area a panel may be given to make a figure fit a size. */
export const MIN_PANEL = { width: 80, height: 60 } as const;

/** The width and height of a rendered SVG (its root element's attributes). */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg [^>]*\bwidth="([\d.]+)" height="([\d.]+)"/.exec(svg);
  if (!m) throw new Error("the rendered SVG has no width and height");
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Sizes adding up to `delta` whole pixels more than `sizes`, as equal as whole pixels allow. */
function spread(sizes: readonly number[], delta: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0) + Math.round(delta);
  const base = Math.floor(total / sizes.length);
  const extra = total - base * sizes.length;
  return sizes.map((_, i) => base + (i < extra ? 1 : 0));
}

/**
 * Renders the plot, at exactly `size` when one is given. Axes, titles and the legend take what
 * they need, so the panels get the rest: the figure is drawn, measured, and the panels resized by
 * the difference — again, as their axis labels may change with their size — until it fits; a
 * last pixel or two that whole-pixel panels cannot take goes into the right or bottom padding.
 * The title's lines wrap (the title itself is cut) to fit a given width.
 */
export async function renderPlot(plot: PlotSpec, size: FigureSize = {}): Promise<Rendered> {
  const base = defaultLayout(plot);
  let layout: PanelLayout = size.width === undefined ? base : { ...base, titleWidth: size.width - base.padding.left - base.padding.right };
  let rendered = await renderSvg(withLayout(plot, layout));
  if (size.width === undefined && size.height === undefined) return rendered;
  for (let round = 0; round < 10; round++) {
    const got = svgSize(rendered.svg);
    const dw = size.width === undefined ? 0 : size.width - got.width;
    const dh = size.height === undefined ? 0 : size.height - got.height;
    if (dw === 0 && dh === 0) return rendered;
    if (round < 4 || dw < 0 || dh < 0) {
      // Shrinking late, overshoot a little: the padding then takes the rest.
      const late = round >= 4 ? 2 : 0;
      layout = {
        ...layout,
        columnWidths: spread(layout.columnWidths, dw < 0 ? dw - late * plot.columns : dw),
        rowHeights: spread(layout.rowHeights, dh < 0 ? dh - late * plot.rows : dh),
      };
      await refuseTooSmall(plot, layout, size);
    } else {
      const p = layout.padding;
      layout = { ...layout, padding: { ...p, right: p.right + dw, bottom: p.bottom + dh } };
    }
    rendered = await renderSvg(withLayout(plot, layout));
  }
  throw new Error(`the figure did not settle at ${size.width ?? "its"} × ${size.height ?? "its"} pixels`);
}

/**
 * Refuses a size that leaves the panels smaller than MIN_PANEL, naming the least size that works:
 * the figure measured with every panel at the minimum.
 */
async function refuseTooSmall(plot: PlotSpec, layout: PanelLayout, size: FigureSize): Promise<void> {
  const narrow = size.width !== undefined && Math.min(...layout.columnWidths) < MIN_PANEL.width;
  const low = size.height !== undefined && Math.min(...layout.rowHeights) < MIN_PANEL.height;
  if (!narrow && !low) return;
  const least = svgSize(
    (
      await renderSvg(
        withLayout(plot, {
          ...layout,
          columnWidths: layout.columnWidths.map((w) => Math.max(w, MIN_PANEL.width)),
          rowHeights: layout.rowHeights.map((h) => Math.max(h, MIN_PANEL.height)),
        }),
      )
    ).svg,
  );
  const [flag, asked, need, unit, min, many, what] = narrow
    ? (["--width", size.width!, Math.ceil(least.width), "wide", MIN_PANEL.width, plot.columns > 1, "columns"] as const)
    : (["--height", size.height!, Math.ceil(least.height), "high", MIN_PANEL.height, plot.rows > 1, "rows"] as const);
  throw new UsageError(
    `${flag} ${asked} is too small: the panels would be less than ${min} px ${unit}; give ${flag} ${need} or more${many ? `, or fewer --metrics (fewer ${what})` : ""}`,
  );
}

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** Adds <title> and <desc> as the SVG's first children: viewers show them, screen readers read them. */
export function withTitle(svg: string, title: PlotTitle): string {
  const open = svg.indexOf(">", svg.indexOf("<svg"));
  if (open < 0) return svg;
  return `${svg.slice(0, open + 1)}<title>${escapeHtml(title.title)}</title><desc>${escapeHtml(title.caption)}</desc>${svg.slice(open + 1)}`;
}

/** A self-contained HTML page: the SVG inline, a caption, no scripts and no external resources. */
export function htmlPage(svg: string, title: PlotTitle): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title.title)}</title>
<style>
  body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2rem; color: #222; background: #fff; }
  figure { margin: 0; }
  figure svg { max-width: 100%; height: auto; }
  figcaption { max-width: 60rem; margin-top: 0.75rem; font-size: 0.9rem; color: #555; line-height: 1.4; }
</style>
</head>
<body>
<figure>
${svg.trimEnd()}
<figcaption>${escapeHtml(title.caption)}</figcaption>
</figure>
</body>
</html>
`;
}
