/**
 * JUnit XML for CI test reporters, in the common shape (testsuites > testsuite > testcase >
 * failure) that Jenkins, GitLab, GitHub test-report actions and Azure read: one test case per
 * compared metric (all its generations) and one per assertion.
 */
import { type CheckReport, comparedLine, diffTable, valuesText } from "./report.js";

export function renderJunit(r: CheckReport): string {
  const metricCases = r.comparison.metrics.map((m) => {
    const failure =
      m.failures.length === 0
        ? undefined
        : {
            message: `${m.failures.length} of ${m.compared} generations moved beyond the allowed difference (first: generation ${m.failures[0]!.generation})`,
            type: "regression",
            body: diffTable(m.failures).join("\n"),
          };
    return testcase(m.metric, "collapse.check.metrics", failure);
  });
  const assertionCases = r.assertions.map((a) =>
    testcase(
      a.text,
      "collapse.check.assertions",
      a.ok ? undefined : { message: valuesText(a) || "false", type: "assertion", body: `${a.text}\n${valuesText(a)}` },
    ),
  );
  const suites = [
    suite(`collapse check: metrics of ${r.baselinePath}`, metricCases, r.seconds, [
      ["baseline", r.baselinePath],
      ["run", r.run],
      ["compared", comparedLine(r)],
      ["baseline_version", r.baselineVersion],
      ["version", r.version],
    ]),
  ];
  if (assertionCases.length > 0) suites.push(suite(`collapse check: assertions on ${r.baselinePath}`, assertionCases, 0, []));
  return junitDocument([...metricCases, ...assertionCases], suites, r.seconds);
}

/** The XML document around `suites`, which hold `cases`. */
export function junitDocument(cases: readonly Case[], suites: readonly { lines: string[] }[], seconds: number): string {
  const failures = cases.filter((c) => c.failed).length;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="collapse check" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds.toFixed(3)}">`,
    ...suites.flatMap((s) => s.lines),
    `</testsuites>`,
    "",
  ].join("\n");
}

export interface Case {
  readonly failed: boolean;
  readonly lines: string[];
}

export function testcase(name: string, classname: string, failure: { message: string; type: string; body: string } | undefined): Case {
  const open = `    <testcase name="${attr(name)}" classname="${classname}" time="0"`;
  if (!failure) return { failed: false, lines: [`${open}/>`] };
  return {
    failed: true,
    lines: [`${open}>`, `      <failure message="${attr(failure.message)}" type="${failure.type}">${text(failure.body)}</failure>`, `    </testcase>`],
  };
}

export function suite(name: string, cases: readonly Case[], seconds: number, properties: readonly [string, string][]): { lines: string[] } {
  const failures = cases.filter((c) => c.failed).length;
  const lines = [`  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds.toFixed(3)}">`];
  if (properties.length > 0) {
    lines.push(`    <properties>`, ...properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`), `    </properties>`);
  }
  lines.push(...cases.flatMap((c) => c.lines), `  </testsuite>`);
  return { lines };
}

/** Characters XML 1.0 cannot hold at all (control characters other than tab, newline, return). */
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(s: string): string {
  return s.replace(INVALID, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(s: string): string {
  // Newlines in attributes would be normalised to spaces by a reader; write them as references.
  return text(s).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
