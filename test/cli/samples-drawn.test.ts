/**
 * Each generation's samples are drawn only for an output that shows them (src/cli/sim.ts,
 * src/sweep/point.ts): the JSON document, a --save-baseline beside any format, and --show-samples'
 * table or markdown. Checked on runs big enough to go to a coordinator and a replicate worker, so
 * that the choice crosses threads. That a run without samples has the same numbers otherwise is
 * checked on the loop itself (test/core/notes-and-samples.test.ts, describes = false).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collapseAsync, tempDir } from "./cli.js";

// 22 million draws, estimated above the main thread's limit (src/engine/work.ts): a coordinator and a
// replicate worker with --jobs 2.
const RUN = ["sim", "-g", "4", "-r", "8", "-m", "700000", "--jobs", "2", "--quiet"];

describe("samples drawn for the outputs that show them", () => {
  it("JSON has a sample in every generation; --save-baseline beside CSV has them too", async () => {
    const dir = tempDir();
    const baseline = join(dir, "base.json");
    const [json, csv] = await Promise.all([
      collapseAsync([...RUN, "--format", "json"]),
      collapseAsync([...RUN, "--format", "csv", "--save-baseline", baseline]),
    ]);
    expect(json.status).toBe(0);
    expect(csv.status).toBe(0);
    const samples = (doc: { generations: { sample?: string }[] }) => doc.generations.map((g) => g.sample);
    const fromJson = samples(JSON.parse(json.stdout));
    expect(fromJson).toHaveLength(5);
    for (const s of fromJson) expect(s).toMatch(/…$/);
    expect(samples(JSON.parse(readFileSync(baseline, "utf8")))).toEqual(fromJson);
  });

  it("--show-samples prints them under the table and in markdown; without it the table has none", async () => {
    const [table, markdown, plain] = await Promise.all([
      collapseAsync([...RUN, "--show-samples"]),
      collapseAsync([...RUN, "--format", "markdown", "--show-samples"]),
      collapseAsync([...RUN]),
    ]);
    expect(table.stdout.match(/gen \d+: .*…/g)).toHaveLength(5);
    expect(markdown.stdout.match(/- generation \d+: .*…/g)).toHaveLength(5);
    expect(plain.stdout).not.toMatch(/gen \d+: .*…/);
  });

  it("a JSON sweep's points carry them; a CSV sweep's rows are the same numbers", async () => {
    // Estimated above the same limit: each point on a sweep worker.
    const sweep = ["sweep", "--grid", "sample-size=600000,700000", "-g", "4", "-r", "8", "--jobs", "2", "--quiet"];
    const [json, csv] = await Promise.all([collapseAsync([...sweep, "--format", "json"]), collapseAsync([...sweep, "--format", "csv"])]);
    const doc = JSON.parse(json.stdout) as { points: { generations: { sample?: string; metrics: Record<string, { mean: number }> }[] }[] };
    for (const point of doc.points) for (const g of point.generations) expect(g.sample).toMatch(/…$/);
    // The CSV's mean of var_ratio at the last generation of the first point is the JSON's.
    const row = csv.stdout.split("\n").find((l) => l.startsWith("600000,3,var_ratio,"));
    expect(row).toBeDefined();
    expect(Number(row!.split(",")[3])).toBe(doc.points[0]!.generations[3]!.metrics.var_ratio!.mean);
  });
});
