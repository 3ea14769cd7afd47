/**
 * Text widths for the figure's layout, in the font it asks for first. Pure: no Vega here, so the
 * specification can wrap its title lines with it, and render.ts hands it to Vega.
 */
import { BOLD, CHARS, REGULAR } from "./font-widths.js";

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
