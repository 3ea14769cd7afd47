/**
 * The library's check() on a sweep baseline: the same report object as for a sim baseline, with
 * `kind: "sweep"` and one entry per point; progress counted in points (no replicates passed).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as Library from "../../src/index.js";
import { tempDir } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";

// The built package (the global setup builds dist/): its worker threads run from dist/ as a user's would.
const { check, passed }: typeof Library = await import(new URL("../../dist/index.js", import.meta.url).href);

describe("check() of a sweep baseline", () => {
  it("re-runs every point and reports per point, in points of progress; a tampered point fails without throwing", async () => {
    const dir = tempDir();
    const path = join(dir, "sweep.json");
    // An unsharded sweep's --format json document is a sweep baseline.
    expect((await cli(["sweep", "--grid", "sample-size=10,30", "-g", "2", "-r", "10", "--format", "json", "-o", path])).status).toBe(0);
    const progress: [number, number, number | undefined][] = [];
    const report = await check(path, {
      jobs: 2,
      assert: ["mean_drift[0] == 0"],
      onProgress: (done, total, replicates) => progress.push([done, total, replicates]),
    });
    expect(report.kind).toBe("sweep");
    expect(passed(report)).toBe(true);
    if (report.kind !== "sweep") return;
    expect(report.points.map((p) => p.label)).toEqual(["point 1 of 2 (sample-size=10)", "point 2 of 2 (sample-size=30)"]);
    expect(report.points.map((p) => p.params)).toEqual([{ sampleSize: 10 }, { sampleSize: 30 }]);
    expect(report.assertions.map((a) => [a.point, a.ok])).toEqual([
      [0, true],
      [1, true],
    ]);
    // Counted in points, as a sweep counts them (no replicates).
    expect(progress).toEqual([
      [1, 2, undefined],
      [2, 2, undefined],
    ]);

    const doc = JSON.parse(readFileSync(path, "utf8"));
    doc.points[1].generations[2].metrics.w2.mean += 1;
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(doc));
    const verdict = await check(bad, { jobs: 1 });
    expect(passed(verdict)).toBe(false);
    expect(verdict.comparison.failures.map((f) => [f.point, f.generation, f.metric])).toEqual([[1, 2, "w2"]]);
  });
});
