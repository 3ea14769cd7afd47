/**
 * The command line (its entry in-process, test/cli/in-process.ts): a whole sweep saved as a baseline (`collapse sweep … --save-baseline FILE`) and
 * checked (`collapse check FILE`): every point re-run on the sweep's pool and compared, regressions
 * named by the point's grid values, JUnit and Markdown reports, assertions at every point, and the
 * data of the points held to the rules of a sim baseline (its folder, its SHA-256).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliResult, collapse, ROOT, tempDir } from "./cli.js";
import { cli } from "./in-process.js";

const dir = tempDir();
const SUB = join(dir, "ci");
// One job: the points run on worker threads whatever --jobs says, and a second thread would only add
// its start-up. --jobs is not saved in the baseline, and the check is run with 1 and 2 below.
const GRID = ["--grid", "sample-size=10,40", "--grid", "regime=replace,accumulate", "-g", "3", "-r", "12", "--seed", "ci", "--jobs", "1"];
const BASELINE = join(SUB, "sweep.json");
let doc: any;

/** A copy of the baseline with `edit` applied, next to it. */
function variant(name: string, edit: (d: any) => void): string {
  const copy = JSON.parse(JSON.stringify(doc));
  edit(copy);
  const path = join(SUB, name);
  writeFileSync(path, JSON.stringify(copy, null, 2));
  return path;
}

/** Exit 2, one line on stderr and nothing on stdout; returns the line. */
function refusal(r: CliResult): string {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr.trimEnd();
}

/** `collapse ARGS` (in-process) is refused: see refusal(). */
async function refused(args: string[]): Promise<string> {
  return refusal(await cli(args));
}

beforeAll(async () => {
  mkdirSync(SUB);
  const r = await cli(["sweep", ...GRID, "--save-baseline", BASELINE, "-o", join(dir, "out.csv")]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  doc = JSON.parse(readFileSync(BASELINE, "utf8"));
});

describe("collapse sweep --save-baseline", () => {
  it("writes the sweep's JSON document, and the output is the same bytes as without it", async () => {
    const json = await cli(["sweep", ...GRID, "--format", "json"]);
    expect(readFileSync(BASELINE, "utf8")).toBe(json.stdout);
    expect(Object.keys(doc)).toEqual(["tool", "config", "seed", "grid", "points"]);
    expect(doc.points).toHaveLength(4);
    expect(readFileSync(join(dir, "out.csv"), "utf8")).toBe((await cli(["sweep", ...GRID])).stdout);
  });

  it("refuses --shard (a baseline is the whole sweep) and a baseline path that is stdout", async () => {
    expect(await refused(["sweep", ...GRID, "--shard", "1/2", "--save-baseline", join(dir, "x.json")])).toMatch(
      /--save-baseline saves the whole sweep.*--shard/,
    );
    // "-" names stdout here, but the in-process runner takes any "-" for stdin: a process of its own.
    expect(refusal(collapse(["sweep", ...GRID, "--save-baseline", "-"]))).toMatch(/--save-baseline/);
  });
});

describe("collapse check on a sweep baseline", () => {
  it("re-runs every point and passes, with the same report for any --jobs", async () => {
    const one = await cli(["check", BASELINE, "--jobs", "1"]);
    expect(one.stderr).toBe("");
    expect(one.status).toBe(0);
    expect(one.stdout).toContain("sweep of 4 points over sample-size × regime · gaussian · 3 generations · 12 replicates");
    expect(one.stdout).toContain("compared 224 replicate means at 4 points (4 generations × 14 metrics each)");
    expect(one.stdout).toContain("points: all 4 hold\npassed\n");
    expect((await cli(["check", BASELINE, "--jobs", "2"])).stdout).toBe(one.stdout);
  });

  it("a moved mean fails the check, naming the point by its grid values, in the table, JUnit and the summary", async () => {
    const moved = variant("moved.json", (d) => {
      d.points[2].generations[3].metrics.var_ratio.mean += 1;
    });
    const junit = join(dir, "junit.xml");
    const summary = join(dir, "summary.md");
    const r = await cli(["check", moved, "--junit", junit, "--summary", summary]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("points: 1 of 4 regressed\n  point 3 of 4 (sample-size=40, regime=replace): 1 of 56 means regressed");
    expect(r.stderr.trimEnd()).toBe(
      `collapse: check failed against ${moved}: 1 of 224 means regressed at 1 of 4 points (point 3 of 4 (sample-size=40, regime=replace): var_ratio); see the table on stdout`,
    );
    const xml = readFileSync(junit, "utf8");
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('<testcase name="point 3 of 4 (sample-size=40, regime=replace)" classname="collapse.check.points" time="0">');
    expect(readFileSync(summary, "utf8")).toContain("| point 3 of 4 (sample-size=40, regime=replace) | 3 | `var_ratio` |");
  });

  it("--assert holds or fails at each point, against the point's own generations", async () => {
    const r = await cli(["check", BASELINE, "--assert", "mean_drift[0] == 0", "--assert", "var_ratio[end] < 0.9"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("assertions, at each of the 4 points:\n  ok    mean_drift[0] == 0\n  FAIL  var_ratio[end] < 0.9   at ");
    expect(r.stderr).toMatch(/1 of 2 assertions failed \(at \d of 4 points\)/);
  });

  it("an assertion some point cannot evaluate is a usage error naming the point", async () => {
    const line = await refused(["check", BASELINE, "--assert", "var_ratio[9] < 1"]);
    expect(line).toMatch(/^collapse: point 1 of 4 \(sample-size=10, regime=replace\): --assert "var_ratio\[9\] < 1": /);
  });

  it("--metrics compares only the named metrics at every point", async () => {
    const r = await cli(["check", BASELINE, "--metrics", "var_ratio,w2"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("compared 32 replicate means at 4 points (4 generations × 2 metrics each)");
  });

  it("a shard, or a point edited out of its place, is refused before anything runs", async () => {
    expect(await refused(["check", variant("shard.json", (d) => (d.shard = { index: 1, count: 2 }))])).toMatch(/one shard of a sweep, not the whole sweep/);
    expect(await refused(["check", variant("swapped.json", (d) => d.points.reverse())])).toMatch(/"points\[0\]\.params" must be the grid values of point 1/);
  });
});

describe("data of a sweep baseline", () => {
  const DATA_GRID = ["--grid", "sample-size=10,40", "-g", "2", "-r", "5", "--seed", "data"];
  let saved: string;
  let twoFiles: string;

  beforeAll(async () => {
    copyFileSync(join(ROOT, "fixtures", "heights.txt"), join(SUB, "heights.txt"));
    copyFileSync(join(ROOT, "fixtures", "heights.txt"), join(SUB, "other.txt"));
    saved = join(SUB, "data-sweep.json");
    // Saved from the parent folder: the points record "heights.txt", relative to the baseline.
    const r = await cli(["sweep", "--data", "ci/heights.txt", ...DATA_GRID, "--save-baseline", "ci/data-sweep.json"], { cwd: dir });
    expect(r.status).toBe(0);
    twoFiles = join(SUB, "two-files.json");
    expect(
      (await cli(["sweep", "--grid", "data=ci/heights.txt,ci/other.txt", "-g", "1", "-r", "3", "--save-baseline", "ci/two-files.json"], { cwd: dir })).status,
    ).toBe(0);
  });

  it("records each point's data relative to the baseline's folder, with its SHA-256, and re-runs from any folder", async () => {
    const d = JSON.parse(readFileSync(saved, "utf8"));
    expect(d.config.data).toBe("heights.txt");
    expect(Object.keys(d.config.dataSha256)).toEqual(["heights.txt"]);
    for (const p of d.points) expect(p.config).toMatchObject({ data: "heights.txt", dataSha256: d.config.dataSha256["heights.txt"] });
    const r = await cli(["check", saved]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // A grid over data files keeps its values as given (they name the points); the paths read move.
    const t = JSON.parse(readFileSync(twoFiles, "utf8"));
    expect(t.config.grid.data).toEqual(["ci/heights.txt", "ci/other.txt"]);
    expect(t.points.map((p: any) => p.config.data)).toEqual(["heights.txt", "other.txt"]);
    expect((await cli(["check", twoFiles])).status).toBe(0);
  });

  it("a point's data may not leave the baseline's folder", async () => {
    doc = JSON.parse(readFileSync(saved, "utf8"));
    const escaped = variant("escaped.json", (d) => (d.points[1].config.data = "/etc/passwd"));
    expect(await refused(["check", escaped])).toBe(
      `collapse: ${escaped}: "points[1].config.data" is an absolute path ("/etc/passwd"); a baseline may only name data in its own folder or below; pass --data FILE to collapse check to choose the file`,
    );
    const climbing = variant("climbing.json", (d) => (d.points[0].config.data = "../../x.txt"));
    expect(await refused(["check", climbing])).toMatch(/"points\[0\]\.config\.data" climbs out of the baseline's folder/);
  });

  it("changed data is refused by its SHA-256; --data replaces the one file; a sweep of two files refuses --data", async () => {
    doc = JSON.parse(readFileSync(saved, "utf8"));
    writeFileSync(join(SUB, "changed.txt"), "1\n2\n3\n");
    const changed = variant("changed.json", (d) => {
      for (const p of d.points) p.config.data = "changed.txt";
    });
    expect(await refused(["check", changed])).toMatch(/changed\.txt changed since the baseline was saved \(sha256 [0-9a-f]{12}… ≠ [0-9a-f]{12}…\)/);
    expect((await cli(["check", changed, "--data", join(ROOT, "fixtures", "heights.txt")])).status).toBe(0);
    expect(await refused(["check", twoFiles, "--data", join(ROOT, "fixtures", "heights.txt")])).toMatch(
      /--data replaces the one data file of a baseline, but the sweep .* reads 2 \("heights\.txt", "other\.txt"\); drop --data/,
    );
  });
});
