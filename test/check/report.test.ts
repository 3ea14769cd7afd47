/** The terminal report, JUnit XML and Markdown summary of a check. */
import { describe, expect, it } from "vitest";
import type { AssertionOutcome } from "../../src/check/assert.js";
import { compareResults } from "../../src/check/compare.js";
import { renderJunit } from "../../src/check/junit.js";
import { type CheckReport, diffTable, distinct, failureLine, passed, renderReport } from "../../src/check/report.js";
import { renderSummary } from "../../src/check/summary.js";
import { DEFAULT_TOLERANCE } from "../../src/check/tolerance.js";
import { fakeResult } from "./fake.js";
import { parseXml, type XmlElement } from "./xml.js";

const base = fakeResult({ var_ratio: [1, 0.9, 0.81], w2: [0, 0.1, 0.2] }, { var_ratio: [0, 0.01, 0.01], w2: [0, 0.01, 0.01] });
const moved = fakeResult({ var_ratio: [1, 0.9, 0.95], w2: [0, 0.1, 0.2] }, { var_ratio: [0, 0.01, 0.01], w2: [0, 0.01, 0.01] });

function report(now = moved, assertions: AssertionOutcome[] = []): CheckReport {
  return {
    kind: "sim",
    baselinePath: "ci/base <&>.json",
    run: "gaussian · seed 1",
    baselineVersion: "0.0.9",
    version: "0.1.0",
    tolerance: DEFAULT_TOLERANCE,
    comparison: compareResults(base, now, DEFAULT_TOLERANCE, ["var_ratio", "w2"]),
    assertions,
    seconds: 1.25,
  };
}

const failedAssertion: AssertionOutcome = { text: 'var_ratio[2] < 0.9 and "x" <> 1', ok: false, values: [{ text: "var_ratio[2]", value: 0.95 }] };
const heldAssertion: AssertionOutcome = { text: "w2[2] > 0.1", ok: true, values: [{ text: "w2[2]", value: 0.2 }] };

describe("terminal report", () => {
  it("a diff table of regressions: generation, metric, baseline, now, diff, allowed", () => {
    const r = report();
    expect(passed(r)).toBe(false);
    const lines = diffTable(r.comparison.failures);
    expect(lines[0]!.split(/\s+/)).toEqual(["generation", "metric", "baseline", "now", "diff", "allowed"]);
    expect(lines[1]!.trim().split(/\s+/)).toEqual(["2", "var_ratio", "0.81", "0.95", "+0.14", "0.0566"]);
    expect(renderReport(r)).toContain("metrics: 1 regressed");
    expect(renderReport(r).trimEnd().endsWith("FAILED")).toBe(true);
    expect(failureLine(r)).toMatch(/^check failed against ci\/base <&>\.json: 1 of 6 means regressed \(var_ratio\)/);
  });

  it("shows just enough digits to tell baseline and now apart", () => {
    expect(distinct(0.95, 0.9500001)).toEqual(["0.95", "0.9500001"]);
    expect(distinct(1, 1 + 2 ** -52)).toEqual(["1", "1.0000000000000002"]);
    expect(distinct(0.123456789, 0.123456789)).toEqual(["0.123457", "0.123457"]);
  });

  it("passes when everything holds, listing assertions with their values", () => {
    const r = report(base, [heldAssertion]);
    expect(passed(r)).toBe(true);
    const text = renderReport(r);
    expect(text).toContain("metrics: all hold");
    expect(text).toMatch(/ok {4}w2\[2\] > 0\.1 {3}\(w2\[2\] = 0\.2\)/);
    expect(text.trimEnd().endsWith("passed")).toBe(true);
    expect(passed(report(base, [failedAssertion]))).toBe(false);
  });
});

describe("JUnit XML", () => {
  const names = (e: XmlElement) => e.children.map((c) => c.name);

  it("has the common shape: testsuites > testsuite > testcase > failure, with consistent counts", () => {
    const root = parseXml(renderJunit(report(moved, [failedAssertion, heldAssertion])));
    expect(root.name).toBe("testsuites");
    expect(root.attributes).toMatchObject({ tests: "4", failures: "2", errors: "0" });
    expect(names(root)).toEqual(["testsuite", "testsuite"]);
    const [metrics, assertions] = root.children as [XmlElement, XmlElement];
    expect(metrics.attributes).toMatchObject({
      name: "collapse check: metrics of ci/base <&>.json",
      tests: "2",
      failures: "1",
      errors: "0",
      skipped: "0",
      time: "1.250",
    });
    expect(names(metrics)).toEqual(["properties", "testcase", "testcase"]);
    const properties = Object.fromEntries(metrics.children[0]!.children.map((p) => [p.attributes.name, p.attributes.value]));
    expect(properties).toMatchObject({ baseline: "ci/base <&>.json", baseline_version: "0.0.9", version: "0.1.0" });
    const [ratio, w2] = metrics.children.slice(1) as [XmlElement, XmlElement];
    expect(ratio.attributes).toMatchObject({ name: "var_ratio", classname: "collapse.check.metrics" });
    expect(names(ratio)).toEqual(["failure"]);
    expect(ratio.children[0]!.attributes.message).toMatch(/1 of 3 generations moved beyond the allowed difference \(first: generation 2\)/);
    expect(ratio.children[0]!.text).toContain("var_ratio");
    expect(names(w2)).toEqual([]);
    expect(names(assertions)).toEqual(["testcase", "testcase"]);
    expect(assertions.attributes).toMatchObject({ tests: "2", failures: "1" });
    expect(assertions.children[0]!.attributes.name).toBe('var_ratio[2] < 0.9 and "x" <> 1');
    expect(assertions.children[0]!.children[0]!.attributes.message).toBe("var_ratio[2] = 0.95");
    expect(names(assertions.children[1]!)).toEqual([]);
  });

  it("the reader used here refuses malformed XML (so the shape test can fail)", () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => parseXml(`${head}<a><b></a></b>`)).toThrow(/does not close/);
    expect(() => parseXml(`${head}<a name="x < y"/>`)).toThrow(/bad character data/);
    expect(() => parseXml(`${head}<a>R&D</a>`)).toThrow(/bad character data/);
    expect(() => parseXml(`${head}<a><b>`)).toThrow(/unclosed/);
    expect(() => parseXml("<a/>")).toThrow(/declaration/);
  });

  it("without assertions: one suite, nothing failed when nothing moved", () => {
    const root = parseXml(renderJunit(report(base)));
    expect(root.attributes).toMatchObject({ tests: "2", failures: "0" });
    expect(names(root)).toEqual(["testsuite"]);
  });
});

describe("Markdown summary", () => {
  it("verdict, regressions table, assertions and a per-metric table", () => {
    const md = renderSummary(report(moved, [failedAssertion]));
    expect(md).toMatch(/^### collapse check: ❌ failed/);
    expect(md).toContain("(baseline written by 0.0.9)");
    expect(md).toContain("| generation | metric | baseline | now | diff | allowed |");
    expect(md).toContain("| 2 | `var_ratio` | 0.81 | 0.95 | +0.14 | 0.0566 |");
    // Angle brackets and quotes stay literal inside a code span.
    expect(md).toContain('| ❌ | `var_ratio[2] < 0.9 and "x" <> 1` | var_ratio[2] = 0.95 |');
    expect(md).toMatch(/\| `w2` \| ✅ identical \|/);
    expect(md).toMatch(/\| `var_ratio` \| ❌ 1 of 3 \|/);
    expect(renderSummary(report(base))).toMatch(/^### collapse check: ✅ passed/);
  });
});
