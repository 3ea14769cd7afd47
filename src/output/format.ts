/**
 * One formatter per output format behind one interface. Formatters turn a result document into
 * text and know nothing of models or of where the text goes.
 */
import type { SimResult } from "../core/result.js";
import type { Format } from "./format-names.js";
import { renderMarkdown } from "./markdown.js";
import type { RenderOptions } from "./render-options.js";
import { renderTable } from "./table.js";
import { csvHeader, csvRow, ndjsonRow, renderRows, tidyRows } from "./tidy.js";

export { FORMATS, type Format } from "./format-names.js";

export interface Formatter {
  render(result: SimResult, options: RenderOptions): string;
}

export const formatters: Record<Format, Formatter> = {
  table: { render: renderTable },
  markdown: { render: (r, o) => renderMarkdown(r, o) },
  json: { render: (r) => JSON.stringify(r, null, 2) + "\n" },
  csv: { render: (r) => renderRows(tidyRows(r), csvRow, csvHeader([])) },
  ndjson: { render: (r) => renderRows(tidyRows(r), ndjsonRow) },
};
