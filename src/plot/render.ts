/**
 * Rendering a plot specification to SVG with Vega-Lite + Vega, headless (Vega's "none" renderer
 * builds the scene graph and serialises SVG without a canvas or a browser). Both libraries are
 * loaded here, on first use, so that `collapse sim` never pays their ≈0.4 s import.
 */
import type { TopLevelSpec } from "vega-lite";
import { BOLD, CHARS, REGULAR } from "./font-widths.js";
import type { PlotTitle } from "./title.js";

/** The font the figure asks for first; text is measured with its widths. */
export const PLOT_FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

const CHAR_INDEX = new Map([...CHARS].map((c, i) => [c, i]));
/** A character missing from the table counts as a typical one, 0.6 em. */
const OTHER_WIDTH = 600;

/** The text properties of a Vega scene item that its width depends on. */
export interface TextItem {
  readonly fontSize?: number | string | null;
  readonly fontWeight?: number | string | null;
  readonly limit?: number | null;
}

const isBold = (weight: TextItem["fontWeight"]) =>
  weight === "bold" || weight === "bolder" || (weight !== null && weight !== undefined && Number(weight) >= 600);

/**
 * The width in pixels of a line of text in DejaVu Sans (PLOT_FONT), for Vega's layout. Vega without
 * a canvas guesses 0.8 em a character, which over-measures titles by half and leaves wide gutters
 * between panels; this measures with the font's own advance widths (no kerning: a few per cent at
 * most). Text wider than its item's `limit` counts as the limit, as Vega will cut it there.
 */
export function textWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize !== null && item.fontSize !== undefined ? Number(item.fontSize) || 0 : 11;
  const line = text === null || text === undefined ? "" : String(text).trim();
  const widths = isBold(item.fontWeight) ? BOLD : REGULAR;
  let units = 0;
  for (const c of line) {
    const i = CHAR_INDEX.get(c);
    units += i === undefined ? OTHER_WIDTH : widths[i]!;
  }
  const width = (units * size) / 1000;
  const limit = Number(item.limit);
  return limit > 0 ? Math.min(width, limit) : width;
}

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
