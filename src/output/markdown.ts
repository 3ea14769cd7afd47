/** A GitHub-flavoured Markdown table of the headline metrics, for READMEs and CI job summaries. */
import type { GenerationResult, SimResult } from "../core/result.js";
import { bandCell, bandFormatter, formatShare, meanFormatter } from "./cells.js";
import { describeRun } from "./describe.js";
import { describeExtinction } from "./extinctions.js";
import { headlineMetrics } from "./headline.js";
import { rest, whenFull } from "./line-pieces.js";
import type { RenderOptions } from "./render-options.js";
import { poorSeedFitLine } from "./seed-fit.js";

const MAX_METRICS = 6;

export function renderMarkdown(result: SimResult, options: RenderOptions): string {
  return [...markdownParts(result, options)].join("");
}

/** renderMarkdown's text in pieces, an empty piece being a pause (see table.ts tableParts). */
export function* markdownParts(result: SimResult, options: RenderOptions): Generator<string> {
  const gens = result.generations;
  const names = headlineMetrics(Object.keys(gens[0]!.metrics), MAX_METRICS);
  const withTheory = names.filter((n) => gens.some((g) => g.theory?.[n] !== undefined));
  // The real share of the training sets, as in the terminal table: every regime but replace.
  const real = result.config.regime !== "replace" && gens.every((g) => g.training !== undefined);
  const header = ["generation", ...(real ? ["real"] : []), ...names.map((n) => `\`${n}\``), ...withTheory.map((n) => `\`${n}\` mean (theory)`)];
  // One number style per column, as in the terminal table: each a pass over the generations.
  const band = new Map<string, ReturnType<typeof bandFormatter>>();
  for (const n of names) {
    band.set(n, bandFormatter(result, n));
    yield "";
  }
  const mean = new Map<string, ReturnType<typeof meanFormatter>>();
  for (const n of withTheory) {
    mean.set(n, meanFormatter(result, n));
    yield "";
  }
  const cells = (g: GenerationResult) => [
    String(g.generation),
    ...(real ? [formatShare(g.training!.real_share)] : []),
    ...names.map((n) => {
      const s = g.metrics[n]!;
      return bandCell(s.median, s.p025, s.p975, band.get(n));
    }),
    ...withTheory.map((n) => {
      const f = mean.get(n)!;
      return `${f(g.metrics[n]!.mean)} (${g.theory?.[n] === undefined ? "–" : f(g.theory[n]!)})`;
    }),
  ];
  const out = [
    `**collapse sim** · ${describeRun(result.config)}`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? " ---: " : " --- ")).join("|")}|`,
  ];
  for (let row = 0; row < gens.length; row++) {
    out.push(`| ${cells(gens[row]!).join(" | ")} |`);
    yield* whenFull(out);
  }
  out.push("", `Cells: median [2.5%, 97.5%] over ${result.config.replicates} replicates.`);
  const seedFit = poorSeedFitLine(result);
  if (seedFit !== null) out.push("", `**${seedFit.replace(/^seed fit poor/, "Seed fit poor")}.**`);
  if (result.extinctions && result.extinctions.length > 0) {
    out.push("", `Lost most often: ${result.extinctions.slice(0, 5).map(describeExtinction).join(", ")}.`);
  }
  if (options.showSamples) {
    out.push("");
    for (const g of gens) {
      if (g.sample !== undefined) out.push(`- generation ${g.generation}: ${g.sample}`);
      yield* whenFull(out);
    }
  }
  yield* rest(out);
}
