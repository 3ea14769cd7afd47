/**
 * The verdict of `collapse check` on a sweep baseline, in the three shapes of a sim check (a
 * terminal report, JUnit XML, a Markdown summary). The unit is the point, named by its grid values
 * ("point 3 of 8 (sample-size=100, regime=mix)"): the terminal and the summary list each regressed
 * point with its diff table; JUnit has one test case per point (its failure lists every regressed
 * mean of the point) and one per assertion and point.
 */
import type { AssertionOutcome } from "./assert.js";
import { severity } from "./compare.js";
import { type Case, junitDocument, suite, testcase } from "./junit.js";
import { diffTable, MAX_TABLE_ROWS, type PointCheck, passed, rowCells, type SweepCheckReport, TABLE_HEADER, valuesText } from "./report.js";
import { describeTolerance } from "./tolerance.js";

/** Points (with a failed assertion, or regressed) named in one line before "… and N more". */
const MAX_NAMED = 3;

/** "520 replicate means at 4 points (10 generations × 13 metrics each), |now − baseline| ≤ …". */
export function sweepComparedLine(r: SweepCheckReport): string {
  const shapes = new Set(r.points.map((p) => `${p.comparison.generations} generations × ${plural(p.comparison.metrics.length, "metric")}`));
  const each = shapes.size === 1 ? ` (${[...shapes][0]} each)` : "";
  return `${r.comparison.compared} replicate means at ${plural(r.points.length, "point")}${each}, ${describeTolerance(r.tolerance)}`;
}

/** The points with a regressed mean. */
function failedPoints(r: SweepCheckReport): PointCheck[] {
  return r.points.filter((p) => p.comparison.failures.length > 0);
}

/** One line for stderr when the check fails. */
export function sweepFailureLine(r: SweepCheckReport): string {
  const parts: string[] = [];
  const regressed = failedPoints(r);
  if (regressed.length > 0) {
    const named = regressed.slice(0, MAX_NAMED).map((p) => `${p.label}: ${[...new Set(p.comparison.failures.map((f) => f.metric))].join(", ")}`);
    const more = regressed.length > MAX_NAMED ? `; … and ${regressed.length - MAX_NAMED} more` : "";
    parts.push(
      `${r.comparison.failures.length} of ${r.comparison.compared} means regressed at ${regressed.length} of ${plural(r.points.length, "point")} (${named.join("; ")}${more})`,
    );
  }
  const texts = assertionTexts(r);
  const failed = texts.filter((t) => r.assertions.some((a) => a.text === t && !a.ok));
  if (failed.length > 0) {
    const at = new Set(r.assertions.filter((a) => !a.ok).map((a) => a.point)).size;
    parts.push(`${failed.length} of ${plural(texts.length, "assertion")} failed (at ${at} of ${plural(r.points.length, "point")})`);
  }
  return `check failed against ${r.baselinePath}: ${parts.join("; ")}; see the table on stdout`;
}

export function renderSweepReport(r: SweepCheckReport): string {
  const out = [`collapse check · ${r.baselinePath}`, r.run, `compared ${sweepComparedLine(r)}`];
  const regressed = failedPoints(r);
  if (regressed.length === 0) out.push(`points: all ${r.points.length} hold`);
  else {
    out.push(`points: ${regressed.length} of ${r.points.length} regressed`);
    let rows = 0;
    for (const p of regressed) {
      const { failures, compared } = p.comparison;
      out.push(`  ${p.label}: ${failures.length} of ${compared} means regressed`);
      const room = Math.max(0, MAX_TABLE_ROWS - rows);
      if (room > 0) out.push(...diffTable(failures.slice(0, room)).map((l) => `    ${l}`));
      if (failures.length > room) out.push(`    … and ${failures.length - room} more (all of them: --junit FILE or --summary FILE)`);
      rows += Math.min(room, failures.length);
    }
  }
  const texts = assertionTexts(r);
  if (texts.length > 0) {
    out.push(`assertions, at each of the ${plural(r.points.length, "point")}:`);
    for (const text of texts) {
      const failed = r.assertions.filter((a) => a.text === text && !a.ok);
      if (failed.length === 0) {
        out.push(`  ok    ${text}`);
        continue;
      }
      const named = failed.slice(0, MAX_NAMED).map((a) => `${labelOf(r, a)}${a.values.length > 0 ? ` (${valuesText(a)})` : ""}`);
      const more = failed.length > MAX_NAMED ? `; … and ${failed.length - MAX_NAMED} more` : "";
      out.push(`  FAIL  ${text}   at ${failed.length} of ${r.points.length}: ${named.join("; ")}${more}`);
    }
  }
  out.push(passed(r) ? "passed" : "FAILED");
  return out.join("\n") + "\n";
}

export function renderSweepJunit(r: SweepCheckReport): string {
  const pointCases = r.points.map((p) => {
    const { failures, compared } = p.comparison;
    const failure =
      failures.length === 0
        ? undefined
        : {
            message: `${failures.length} of ${compared} means moved beyond the allowed difference (${[...new Set(failures.map((f) => f.metric))].join(", ")}; first: generation ${failures[0]!.generation} ${failures[0]!.metric})`,
            type: "regression",
            body: diffTable(failures).join("\n"),
          };
    return testcase(p.label, "collapse.check.points", failure);
  });
  const assertionCases: Case[] = r.assertions.map((a) =>
    testcase(
      `${a.text} at ${labelOf(r, a)}`,
      "collapse.check.assertions",
      a.ok ? undefined : { message: valuesText(a) || "false", type: "assertion", body: `${a.text}\n${valuesText(a)}` },
    ),
  );
  const suites = [
    suite(`collapse check: points of ${r.baselinePath}`, pointCases, r.seconds, [
      ["baseline", r.baselinePath],
      ["run", r.run],
      ["compared", sweepComparedLine(r)],
      ["baseline_version", r.baselineVersion],
      ["version", r.version],
    ]),
  ];
  if (assertionCases.length > 0) suites.push(suite(`collapse check: assertions on ${r.baselinePath}`, assertionCases, 0, []));
  return junitDocument([...pointCases, ...assertionCases], suites, r.seconds);
}

/** Regression rows in the summary; GitHub caps a step summary at 1 MiB. */
const MAX_SUMMARY_ROWS = 200;

export function renderSweepSummary(r: SweepCheckReport): string {
  const ok = passed(r);
  const out = [
    `### collapse check: ${ok ? "✅ passed" : "❌ failed"}`,
    "",
    `\`${code(r.baselinePath)}\` · ${cell(r.run)} · collapse ${r.version}${r.baselineVersion !== r.version ? ` (baseline written by ${r.baselineVersion})` : ""}`,
    "",
    `Compared ${sweepComparedLine(r)}.`,
  ];
  if (!ok) out.push("", `**${cell(sweepFailureLine(r).replace(/; see the table on stdout$/, ""))}**`);
  const failures = r.comparison.failures;
  if (failures.length > 0) {
    out.push("", "#### Regressions", "", row(["point", ...TABLE_HEADER]), row(["---", ...TABLE_HEADER.map((_, i) => (i === 1 ? "---" : "---:"))]));
    for (const f of failures.slice(0, MAX_SUMMARY_ROWS)) {
      out.push(row([cell(r.points[f.point!]!.label), ...rowCells(f).map((c, i) => (i === 1 ? `\`${c}\`` : c))]));
    }
    if (failures.length > MAX_SUMMARY_ROWS) out.push("", `… and ${failures.length - MAX_SUMMARY_ROWS} more.`);
  }
  const texts = assertionTexts(r);
  if (texts.length > 0) {
    out.push("", "#### Assertions", "", row(["", "assertion", "points", "where it failed"]), row(["---", "---", "---:", "---"]));
    for (const text of texts) {
      const all = r.assertions.filter((a) => a.text === text);
      const failed = all.filter((a) => !a.ok);
      const where = failed.slice(0, MAX_NAMED).map((a) => `${labelOf(r, a)}${a.values.length > 0 ? ` (${valuesText(a)})` : ""}`);
      if (failed.length > MAX_NAMED) where.push(`… and ${failed.length - MAX_NAMED} more`);
      out.push(row([failed.length === 0 ? "✅" : "❌", `\`${code(text)}\``, `${all.length - failed.length} of ${all.length} hold`, cell(where.join("; "))]));
    }
  }
  out.push(
    "",
    "<details><summary>Every point: its closest call</summary>",
    "",
    row(["point", "status", "compared", "metric", "generation", "baseline", "now", "diff", "allowed"]),
    row(["---", "---", "---:", "---", "---:", "---:", "---:", "---:", "---:"]),
  );
  for (const p of r.points) {
    const { metrics, failures, compared } = p.comparison;
    const status = failures.length > 0 ? `❌ ${failures.length} of ${compared}` : metrics.every((m) => m.identical) ? "✅ identical" : "✅";
    if (metrics.length === 0) {
      out.push(row([cell(p.label), status, "0", "", "", "", "", "", ""]));
      continue;
    }
    const worst = metrics.map((m) => m.worst).reduce((w, x) => (severity(x) > severity(w) ? x : w));
    const [generation, metric, baseline, now, diff, allowed] = rowCells(worst);
    out.push(row([cell(p.label), status, String(compared), `\`${metric}\``, generation!, baseline!, now!, diff!, allowed!]));
  }
  out.push("", "</details>", "");
  return out.join("\n");
}

/** The distinct assertion texts, in the order given. */
function assertionTexts(r: SweepCheckReport): string[] {
  return [...new Set(r.assertions.map((a) => a.text))];
}

function labelOf(r: SweepCheckReport, a: AssertionOutcome): string {
  return a.point === undefined ? "" : r.points[a.point]!.label;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
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
