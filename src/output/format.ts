/**
 * One formatter per output format behind one interface. Formatters turn a result document into
 * text and know nothing of models or of where the text goes.
 */
import type { SimResult } from "../core/result.js";
import type { Format } from "./format-names.js";
import { jsonParts } from "./json-parts.js";
import { markdownParts } from "./markdown.js";
import type { RenderOptions } from "./render-options.js";
import { tableParts } from "./table.js";
import { csvHeader, csvParts, ndjsonParts } from "./tidy.js";

export { FORMATS, type Format } from "./format-names.js";

export interface Formatter {
  render(result: SimResult, options: RenderOptions): string;
  /** The same text in pieces, each made as it is asked for, to be written one after another (a long run's output is never one string). */
  parts(result: SimResult, options: RenderOptions): Iterable<string>;
}

/** A formatter from its pieces: `render` joins them. */
function inParts(parts: Formatter["parts"]): Formatter {
  return { parts, render: (r, o) => [...parts(r, o)].join("") };
}

export const formatters: Record<Format, Formatter> = {
  table: inParts(tableParts),
  markdown: inParts(markdownParts),
  json: inParts((r) => jsonParts(r)),
  csv: inParts((r) => csvParts(r, {}, csvHeader([]))),
  ndjson: inParts((r) => ndjsonParts(r)),
};
