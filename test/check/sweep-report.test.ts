/** The report of a sweep baseline's check: points named by grid values, one JUnit case per point, the Markdown summary; merging the points' comparisons. */
import { describe, expect, it } from "vitest";
import type { AssertionOutcome } from "../../src/check/assert.js";
import { type Comparison, compareResults, mergeComparisons, selectSweepMetrics, severity } from "../../src/check/compare.js";
import { type PointCheck, passed, type SweepCheckReport } from "../../src/check/report.js";
import { renderSweepJunit, renderSweepReport, renderSweepSummary, sweepFailureLine } from "../../src/check/sweep-report.js";
import { DEFAULT_TOLERANCE } from "../../src/check/tolerance.js";
import { UsageError } from "../../src/errors.js";
import { fakeResult } from "./fake.js";
import { parseXml, type XmlElement } from "./xml.js";

const se = { var_ratio: [0, 0.01, 0.01], w2: [0, 0.01, 0.01] };
const base = fakeResult({ var_ratio: [1, 0.9, 0.81], w2: [0, 0.1, 0.2] }, se);
const moved = fakeResult({ var_ratio: [1, 0.9, 0.95], w2: [0, 0.1, 0.2] }, se);

function point(index: number, sampleSize: number, now = base, assertions: Omit<AssertionOutcome, "point">[] = []): PointCheck {
  return {
    index,
    label: `point ${index + 1} of 2 (sample-size=${sampleSize})`,
    params: { sampleSize },
    comparison: compareResults(base, now, DEFAULT_TOLERANCE, ["var_ratio", "w2"]),
    assertions: assertions.map((a) => ({ ...a, point: index })),
  };
}

function report(points: PointCheck[]): SweepCheckReport {
  return {
    kind: "sweep",
    baselinePath: "ci/sweep.json",
    run: "sweep of 2 points over sample-size · gaussian · seed 1",
    grid: ["sample-size"],
    baselineVersion: "0.1.0",
    version: "0.1.0",
    tolerance: DEFAULT_TOLERANCE,
    comparison: mergeComparisons(points),
    assertions: points.flatMap((p) => p.assertions),
    points,
    seconds: 2,
  };
}

const ok = (text: string, value: number) => ({ text, ok: true, values: [{ text: "var_ratio[2]", value }] });
const fail = (text: string, value: number) => ({ text, ok: false, values: [{ text: "var_ratio[2]", value }] });

describe("mergeComparisons", () => {
  it("sums the points' comparisons, tagging every row with its point", () => {
    const c = mergeComparisons([point(0, 10), point(1, 100, moved)]);
    expect(c.compared).toBe(12);
    expect(c.generations).toBe(3);
    expect(c.failures).toHaveLength(1);
    expect(c.failures[0]).toMatchObject({ point: 1, generation: 2, metric: "var_ratio" });
    expect(c.metrics.map((m) => [m.metric, m.rows.length, m.failures.length])).toEqual([
      ["var_ratio", 6, 1],
      ["w2", 6, 0],
    ]);
  });
});

describe("mergeComparisons without the rows", () => {
  // Each point's rows are made only when read (1.4 million at 10⁵ generations): merging read them
  // all, 0.7 s for one point of 30,000 generations. Now the merged counts, failures and worst row
  // come from the points' own, which must be what all the rows would give.
  const third = fakeResult({ var_ratio: [1, 0.95, 0.95], w2: [0, 0.2, 0.3] }, se);
  const points = [point(0, 10), point(1, 100, moved), point(2, 50, third), point(3, 20, moved)];

  it("gives each metric the counts, failures, worst row and identity of all its rows", () => {
    for (const m of mergeComparisons(points).metrics) {
      const all = m.rows;
      expect(all.map((r) => r.point)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
      expect(m.compared).toBe(all.length);
      expect(m.failures).toEqual(all.filter((r) => !r.ok));
      // The first of the largest severity, as a point's own worst row is.
      expect(m.worst).toEqual(all.reduce((w, r) => (severity(r) > severity(w) ? r : w)));
      expect(m.identical).toBe(all.every((r) => r.diff === 0));
    }
    expect(mergeComparisons([point(0, 10), point(1, 20)]).metrics.map((m) => m.identical)).toEqual([true, true]);
  });

  it("does not read the points' rows", () => {
    const guarded = points.map((p) => ({
      ...p,
      comparison: {
        ...p.comparison,
        metrics: p.comparison.metrics.map((v) => ({
          ...v,
          get rows(): never {
            throw new Error("a point's rows were read");
          },
        })),
      } satisfies Comparison,
    }));
    expect(() => mergeComparisons(guarded)).not.toThrow();
  });
});

describe("selectSweepMetrics", () => {
  it("keeps at each point the listed metrics it has; a metric no point has is an error", () => {
    const other = fakeResult({ var_ratio: [1, 0.9], modes: [2, 2] });
    expect(selectSweepMetrics([base, other], undefined)).toEqual([
      ["var_ratio", "w2"],
      ["var_ratio", "modes"],
    ]);
    expect(selectSweepMetrics([base, other], "modes,w2")).toEqual([["w2"], ["modes"]]);
    expect(() => selectSweepMetrics([base, other], "kl")).toThrow(UsageError);
    expect(() => selectSweepMetrics([base, other], "kl")).toThrow(/--metrics: unknown metric kl; the baseline has var_ratio, w2, modes/);
  });
});

describe("sweep check report", () => {
  const failing = report([point(0, 10, base, [ok("var_ratio[2] < 0.9", 0.81)]), point(1, 100, moved, [fail("var_ratio[2] < 0.9", 0.95)])]);

  it("terminal: the regressed point by its grid values, its diff table, and where each assertion failed", () => {
    expect(passed(failing)).toBe(false);
    const text = renderSweepReport(failing);
    expect(text).toContain("compared 12 replicate means at 2 points (3 generations × 2 metrics each), |now − baseline| ≤ 4·√(se_now² + se_baseline²)");
    expect(text).toContain("points: 1 of 2 regressed\n  point 2 of 2 (sample-size=100): 1 of 6 means regressed\n    generation  metric");
    expect(text).toMatch(/\n +2 {2}var_ratio +0\.81 {2}0\.95 {2}\+0\.14 +0\.0566\n/);
    expect(text).toContain("  FAIL  var_ratio[2] < 0.9   at 1 of 2: point 2 of 2 (sample-size=100) (var_ratio[2] = 0.95)");
    expect(text.trimEnd().endsWith("FAILED")).toBe(true);
    expect(sweepFailureLine(failing)).toBe(
      "check failed against ci/sweep.json: 1 of 12 means regressed at 1 of 2 points (point 2 of 2 (sample-size=100): var_ratio); 1 of 1 assertion failed (at 1 of 2 points); see the table on stdout",
    );
    const holding = report([point(0, 10), point(1, 100)]);
    expect(passed(holding)).toBe(true);
    expect(renderSweepReport(holding)).toContain("points: all 2 hold\npassed\n");
  });

  it("JUnit: one test case per point, and one per assertion and point", () => {
    const root = parseXml(renderSweepJunit(failing));
    expect(root.attributes).toMatchObject({ tests: "4", failures: "2" });
    const [points, assertions] = root.children as [XmlElement, XmlElement];
    expect(points.attributes).toMatchObject({ name: "collapse check: points of ci/sweep.json", tests: "2", failures: "1" });
    const cases = points.children.filter((c) => c.name === "testcase");
    expect(cases.map((c) => c.attributes.name)).toEqual(["point 1 of 2 (sample-size=10)", "point 2 of 2 (sample-size=100)"]);
    expect(cases.map((c) => c.attributes.classname)).toEqual(["collapse.check.points", "collapse.check.points"]);
    const failure = cases[1]!.children[0]!;
    expect(failure.attributes.message).toBe("1 of 6 means moved beyond the allowed difference (var_ratio; first: generation 2 var_ratio)");
    expect(failure.text).toContain("var_ratio");
    expect(assertions.children.map((c) => c.attributes.name)).toEqual([
      "var_ratio[2] < 0.9 at point 1 of 2 (sample-size=10)",
      "var_ratio[2] < 0.9 at point 2 of 2 (sample-size=100)",
    ]);
  });

  it("Markdown: the verdict, regressions with their point, assertions, and every point's closest call", () => {
    const md = renderSweepSummary(failing);
    expect(md).toMatch(/^### collapse check: ❌ failed\n/);
    expect(md).toContain("| point | generation | metric | baseline | now | diff | allowed |");
    expect(md).toContain("| point 2 of 2 (sample-size=100) | 2 | `var_ratio` | 0.81 | 0.95 | +0.14 | 0.0566 |");
    expect(md).toContain("| ❌ | `var_ratio[2] < 0.9` | 1 of 2 hold | point 2 of 2 (sample-size=100) (var_ratio[2] = 0.95) |");
    expect(md).toContain("| point 1 of 2 (sample-size=10) | ✅ identical | 6 |");
    expect(md).toContain("| point 2 of 2 (sample-size=100) | ❌ 1 of 6 | 6 | `var_ratio` | 2 |");
  });
});
