/**
 * The terminal table: one row per generation, the headline metrics as "median [p2.5, p97.5]",
 * and, where theory exists, the replicate mean beside the closed-form expectation.
 * As many metrics as fit the terminal width (at least two).
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { SimResult } from "../core/result.js";
import { TOOL } from "../version.js";
import { bandCell, bandFormatter, formatShare, meanFormatter } from "./cells.js";
import { renderChart } from "./chart.js";
import { describeRunParts } from "./describe.js";
import { describeExtinction } from "./extinctions.js";
import { headlineMetrics } from "./headline.js";
import { rest, whenFull } from "./line-pieces.js";
import { formatDuration } from "./numbers.js";
import type { RenderOptions } from "./render-options.js";
import { poorSeedFitLine } from "./seed-fit.js";

interface Column {
  readonly title: string;
  readonly cells: string[];
  /** Plain-text widths are measured before colour codes are added. */
  readonly paint: (s: string, row: number) => string;
}

/** Columns for one metric: its band, and "mean (theory)" when the result carries theory for it. */
function metricColumns(result: SimResult, name: string, c: ChalkInstance): Column[] {
  const gens = result.generations;
  const first = gens[0]!.metrics[name]!.median;
  const format = bandFormatter(result, name);
  const cells = gens.map((g) => {
    const s = g.metrics[name]!;
    return bandCell(s.median, s.p025, s.p975, format);
  });
  const columns: Column[] = [
    {
      title: name,
      cells,
      // Colour marks the direction of travel from generation 0: the eye finds the trend.
      paint: (s, row) => {
        const m = gens[row]!.metrics[name]!.median;
        const tint = m === first ? c.reset : m < first ? c.yellow : c.cyan;
        const bracket = s.indexOf(" [");
        return bracket < 0 ? tint(s) : tint(s.slice(0, bracket)) + c.dim(s.slice(bracket));
      },
    },
  ];
  if (gens.some((g) => g.theory?.[name] !== undefined)) {
    const mean = meanFormatter(result, name);
    columns.push({
      title: "mean (theory)",
      cells: gens.map((g) => {
        const t = g.theory?.[name];
        return `${mean(g.metrics[name]!.mean)}${t === undefined ? "" : ` (${mean(t)})`}`;
      }),
      paint: (s) => {
        const open = s.indexOf(" (");
        return open < 0 ? s : s.slice(0, open) + c.green(s.slice(open));
      },
    });
  }
  return columns;
}

/**
 * The `real` column: the mean real share of the training sets (ARCHITECTURE §5), for regimes that
 * mix real and synthetic data (every one but replace); null otherwise, or for a document without it.
 */
function realColumn(result: SimResult, c: ChalkInstance): Column | null {
  const gens = result.generations;
  if (result.config.regime === "replace" || gens.some((g) => g.training === undefined)) return null;
  return { title: "real", cells: gens.map((g) => formatShare(g.training!.real_share)), paint: (s) => c.dim(s) };
}

const GAP = 2;

function widthOf(col: Column): number {
  return Math.max(col.title.length, ...col.cells.map((s) => s.length));
}

export function renderTable(result: SimResult, options: RenderOptions): string {
  return [...tableParts(result, options)].join("");
}

/**
 * renderTable's text in pieces, an empty piece being a pause: whoever writes the pieces takes a
 * turn of its event loop at each (src/output/write.ts). At 10⁵ generations a metric's cells take
 * about 0.1 s to make and the lines 0.3 s: made in one go they held the main thread for a second.
 */
export function* tableParts(result: SimResult, options: RenderOptions): Generator<string> {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const gens = result.generations;
  const available = Object.keys(gens[0]!.metrics);
  const genColumn: Column = { title: "gen", cells: gens.map((g) => String(g.generation)), paint: (s) => c.bold(s) };

  // Add metrics in priority order while they fit; always show at least two.
  const columns: Column[] = [genColumn];
  const real = realColumn(result, c);
  if (real !== null) columns.push(real);
  let used = columns.reduce((s, col, i) => s + (i > 0 ? GAP : 0) + widthOf(col), 0);
  const fixed = columns.length;
  for (const name of headlineMetrics(available, available.length)) {
    const cols = metricColumns(result, name, c);
    yield "";
    const need = cols.reduce((s, col) => s + GAP + widthOf(col), 0);
    if (columns.length > fixed + 1 && used + need > options.width) break;
    columns.push(...cols);
    used += need;
  }

  const widths = columns.map(widthOf);
  const line = (cells: string[]) => cells.join(" ".repeat(GAP)).trimEnd();
  const pad = (s: string, w: number, right: boolean) => (right ? s.padStart(w) : s.padEnd(w));
  const out: string[] = [];
  out.push(
    ...wrapParts([`${TOOL.name} sim`, ...describeRunParts(result.config)], options.width).map((l, i) =>
      i === 0 ? c.bold(l.slice(0, 12)) + c.dim(l.slice(12)) : c.dim(l),
    ),
  );
  out.push(line(columns.map((col, i) => c.bold(pad(col.title, widths[i]!, i === 0)))));
  for (let row = 0; row < gens.length; row++) {
    out.push(line(columns.map((col, i) => col.paint(pad(col.cells[row]!, widths[i]!, i === 0), row))));
    yield* whenFull(out);
  }
  out.push(c.dim(`median [2.5%, 97.5%] over ${result.config.replicates} replicates; all metrics: --format json|csv|ndjson`));
  const seedFit = poorSeedFitLine(result);
  if (seedFit !== null) out.push(c.yellow(seedFit));

  if (result.extinctions && result.extinctions.length > 0) {
    // The order of the document: the share of chains in which the category died, then its median generation.
    const first = result.extinctions.slice(0, 5).map(describeExtinction);
    out.push(`lost most often: ${first.join(", ")}${result.extinctions.length > 5 ? `, … ${result.extinctions.length - 5} more` : ""}`);
  }
  // The chart goes under the table (and its notes), before the text samples; machine formats never get it.
  out.push(...renderChart(result, { color: options.color, width: options.width }));
  if (options.showSamples) {
    for (const g of gens) {
      if (g.sample !== undefined) out.push(`${c.bold(`gen ${g.generation}:`)} ${g.sample}`);
      yield* whenFull(out);
    }
  }
  if (options.elapsedSeconds !== undefined) out.push(c.dim(`elapsed ${formatDuration(options.elapsedSeconds)}`));
  yield* rest(out);
}

/** Joins parts with " · ", starting a new line before a part that would pass the width. */
function wrapParts(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    const next = line === "" ? part : `${line} · ${part}`;
    if (line !== "" && next.length > width) {
      lines.push(line);
      line = `  ${part}`;
    } else line = next;
  }
  if (line !== "") lines.push(line);
  return lines;
}
