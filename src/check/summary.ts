/**
 * A Markdown summary of a check, for a CI job summary (e.g. GitHub's $GITHUB_STEP_SUMMARY):
 * the verdict, the regressions, the assertions, and one row per metric with its closest call.
 */
import { type CheckReport, comparedLine, failureLine, passed, rowCells, TABLE_HEADER, valuesText } from "./report.js";

/** Regression rows in the summary; GitHub caps a step summary at 1 MiB. */
const MAX_SUMMARY_ROWS = 200;

export function renderSummary(r: CheckReport): string {
  const ok = passed(r);
  const out = [
    `### collapse check: ${ok ? "✅ passed" : "❌ failed"}`,
    "",
    `\`${code(r.baselinePath)}\` · ${r.run} · collapse ${r.version}${r.baselineVersion !== r.version ? ` (baseline written by ${r.baselineVersion})` : ""}`,
    "",
    `Compared ${comparedLine(r)}.`,
  ];
  if (!ok) out.push("", `**${failureLine(r).replace(/; see the table on stdout$/, "")}**`);
  const failures = r.comparison.failures;
  if (failures.length > 0) {
    out.push("", "#### Regressions", "", row([...TABLE_HEADER]), row(TABLE_HEADER.map((_, i) => (i === 1 ? "---" : "---:"))));
    for (const f of failures.slice(0, MAX_SUMMARY_ROWS)) out.push(row(rowCells(f).map((c, i) => (i === 1 ? `\`${c}\`` : c))));
    if (failures.length > MAX_SUMMARY_ROWS) out.push("", `… and ${failures.length - MAX_SUMMARY_ROWS} more.`);
  }
  if (r.assertions.length > 0) {
    out.push("", "#### Assertions", "", row(["", "assertion", "values"]), row(["---", "---", "---"]));
    for (const a of r.assertions) out.push(row([a.ok ? "✅" : "❌", `\`${code(a.text)}\``, cell(valuesText(a))]));
  }
  out.push(
    "",
    "<details><summary>Every metric: its closest call</summary>",
    "",
    row(["metric", "status", "generation", "baseline", "now", "diff", "allowed"]),
    row(["---", "---", "---:", "---:", "---:", "---:", "---:"]),
  );
  for (const m of r.comparison.metrics) {
    const [generation, , baseline, now, diff, allowed] = rowCells(m.worst);
    const status = m.failures.length > 0 ? `❌ ${m.failures.length} of ${m.compared}` : m.identical ? "✅ identical" : "✅";
    out.push(row([`\`${m.metric}\``, status, generation!, baseline!, now!, diff!, allowed!]));
  }
  out.push("", "</details>", "");
  return out.join("\n");
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** Text in a table cell: a pipe would end the cell. */
function cell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

/** Text in inline code inside a table: backticks cannot be escaped, pipes must be. */
function code(s: string): string {
  return s.replace(/`/g, "'").replace(/\|/g, "\\|");
}
