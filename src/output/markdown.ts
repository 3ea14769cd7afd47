/** A GitHub-flavoured Markdown table of the headline metrics, for READMEs and CI job summaries. */
import type { SimResult } from "../core/result.js";
import { describeRun } from "./describe.js";
import { headlineMetrics } from "./headline.js";
import { formatNumber } from "./numbers.js";
import type { RenderOptions } from "./render-options.js";
import { poorSeedFitLine } from "./seed-fit.js";

const MAX_METRICS = 6;

export function renderMarkdown(result: SimResult, options: RenderOptions): string {
  const gens = result.generations;
  const names = headlineMetrics(Object.keys(gens[0]!.metrics), MAX_METRICS);
  const withTheory = names.filter((n) => gens.some((g) => g.theory?.[n] !== undefined));
  const header = ["generation", ...names.map((n) => `\`${n}\``), ...withTheory.map((n) => `\`${n}\` mean (theory)`)];
  const rows = gens.map((g) => [
    String(g.generation),
    ...names.map((n) => {
      const s = g.metrics[n]!;
      return s.p025 === s.p975 ? formatNumber(s.median) : `${formatNumber(s.median)} [${formatNumber(s.p025)}, ${formatNumber(s.p975)}]`;
    }),
    ...withTheory.map((n) => `${formatNumber(g.metrics[n]!.mean)} (${g.theory?.[n] === undefined ? "–" : formatNumber(g.theory[n]!)})`),
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
    out.push(
      "",
      `First to vanish: ${result.extinctions
        .slice(0, 5)
        .map((e) => `${e.category} (generation ${e.generation})`)
        .join(", ")}.`,
    );
  }
  if (options.showSamples) {
    out.push("");
    for (const g of gens) if (g.sample !== undefined) out.push(`- generation ${g.generation}: ${g.sample}`);
  }
  return out.join("\n") + "\n";
}
