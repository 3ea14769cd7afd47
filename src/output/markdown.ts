/** A GitHub-flavoured Markdown table of the headline metrics, for READMEs and CI job summaries. */
import type { SimResult } from "../core/result.js";
import { bandCell, bandFormatter, formatShare, meanFormatter } from "./cells.js";
import { describeRun } from "./describe.js";
import { describeExtinction } from "./extinctions.js";
import { headlineMetrics } from "./headline.js";
import type { RenderOptions } from "./render-options.js";
import { poorSeedFitLine } from "./seed-fit.js";

const MAX_METRICS = 6;

export function renderMarkdown(result: SimResult, options: RenderOptions): string {
  const gens = result.generations;
  const names = headlineMetrics(Object.keys(gens[0]!.metrics), MAX_METRICS);
  const withTheory = names.filter((n) => gens.some((g) => g.theory?.[n] !== undefined));
  // The real share of the training sets, as in the terminal table: every regime but replace.
  const real = result.config.regime !== "replace" && gens.every((g) => g.training !== undefined);
  const header = ["generation", ...(real ? ["real"] : []), ...names.map((n) => `\`${n}\``), ...withTheory.map((n) => `\`${n}\` mean (theory)`)];
  // One number style per column, as in the terminal table.
  const band = new Map(names.map((n) => [n, bandFormatter(result, n)]));
  const mean = new Map(withTheory.map((n) => [n, meanFormatter(result, n)]));
  const rows = gens.map((g) => [
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
  ]);
  const out = [
    `**collapse sim** · ${describeRun(result.config)}`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? " ---: " : " --- ")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    `Cells: median [2.5%, 97.5%] over ${result.config.replicates} replicates.`,
  ];
  const seedFit = poorSeedFitLine(result);
  if (seedFit !== null) out.push("", `**${seedFit.replace(/^seed fit poor/, "Seed fit poor")}.**`);
  if (result.extinctions && result.extinctions.length > 0) {
    out.push("", `Lost most often: ${result.extinctions.slice(0, 5).map(describeExtinction).join(", ")}.`);
  }
  if (options.showSamples) {
    out.push("");
    for (const g of gens) if (g.sample !== undefined) out.push(`- generation ${g.generation}: ${g.sample}`);
  }
  return out.join("\n") + "\n";
}
