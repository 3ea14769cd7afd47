/**
 * The built `collapse sweep` and `collapse merge`, as scripts and job runners use them, run through
 * the entry in-process (test/cli/in-process.ts). A signal during a streamed sweep, with a process
 * of its own: test/cli/outputs.test.ts.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./cli.js";
import { cli } from "./in-process.js";

// Small points: the tests are about plumbing (order, seeds, shards), not statistics. One job: a
// sweep's points run on worker threads whatever --jobs says, and a second thread would only add
// its start-up; the first test gives --jobs 3 after these (the last value counts).
const SMALL = ["-g", "3", "-r", "5", "--seed-size", "30", "--jobs", "1"];
const GRID = ["--grid", "sample-size=10,20,30", "--grid", "regime=replace,accumulate"];

async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

async function usageFailure(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^collapse: /);
  return lines[0]!;
}

describe("collapse sweep: determinism", () => {
  it("writes the same bytes for any --jobs, in grid order", async () => {
    const one = await ok(["sweep", ...GRID, ...SMALL, "--jobs", "1"]);
    const three = await ok(["sweep", ...GRID, ...SMALL, "--jobs", "3"]);
    expect(three).toBe(one);
    const lines = one.trimEnd().split("\n");
    expect(lines[0]).toBe("sampleSize,regime,generation,metric,mean,sd,se,median,p025,p975,theory,real,synthetic,real_share");
    // Leading columns change point by point in grid order: sample size slowest.
    const order = [...new Set(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(",")))];
    expect(order).toEqual(["10,replace", "10,accumulate", "20,replace", "20,accumulate", "30,replace", "30,accumulate"]);
  });

  it("a point is the simulation of its recorded config: collapse sim with its seed gives its numbers", async () => {
    const doc = JSON.parse(await ok(["sweep", "--grid", "sample-size=10,20", ...SMALL, "--format", "json"]));
    expect(Object.keys(doc)).toEqual(["tool", "config", "seed", "grid", "points"]);
    expect(doc.config.grid).toEqual({ sampleSize: [10, 20] });
    const point = doc.points[1];
    expect(point.params).toEqual({ sampleSize: 20 });
    expect(point.config.seed).not.toBe(doc.seed);
    const sim = JSON.parse(await ok(["sim", ...SMALL, "--sample-size", "20", "--seed", point.config.seed, "--format", "json"]));
    expect(sim.config).toEqual(point.config);
    expect(sim.generations).toEqual(point.generations);
  });

  it("adding a grid value changes no other point", async () => {
    const before = JSON.parse(await ok(["sweep", "--grid", "sample-size=10,20", ...SMALL, "--format", "json"]));
    const after = JSON.parse(await ok(["sweep", "--grid", "sample-size=5,10,15,20", ...SMALL, "--format", "json"]));
    expect(after.points[1]).toEqual(before.points[0]);
    expect(after.points[3]).toEqual(before.points[1]);
    expect(after.points[0].generations).not.toEqual(before.points[0].generations);
  });
});

describe("collapse sweep --shard and collapse merge", () => {
  const dir = tempDir();
  const shardsOf = async (format: string, n: number, extra: string[] = [], tag = "part") => {
    const paths: string[] = [];
    for (let k = 0; k < n; k++) {
      const path = join(dir, `${tag}-${k + 1}.${format}`);
      await ok(["sweep", ...GRID, ...SMALL, "--format", format, "--shard", `${k + 1}/${n}`, "--jobs", "1", "-o", path, ...extra]);
      paths.push(path);
    }
    return paths;
  };
  let csvShards: string[] = [];

  it("merged shards are byte-identical to the unsharded sweep (csv, json)", async () => {
    csvShards = await shardsOf("csv", 3);
    const wholeCsv = await ok(["sweep", ...GRID, ...SMALL, "--format", "csv"]);
    expect(await ok(["merge", ...[...csvShards].reverse()])).toBe(wholeCsv);
    const merged = join(dir, "merged.csv");
    await ok(["merge", ...csvShards, "-o", merged]);
    expect(readFileSync(merged, "utf8")).toBe(wholeCsv);
    expect(await ok(["merge", ...(await shardsOf("json", 2))])).toBe(await ok(["sweep", ...GRID, ...SMALL, "--format", "json"]));
  });

  it("merge rejects a missing or foreign shard and exits 2", async () => {
    const [a, b, c] = csvShards.length === 3 ? csvShards : await shardsOf("csv", 3);
    expect(await usageFailure(["merge", a!, c!])).toBe("collapse: shard 2 of 3 missing; run collapse sweep … --shard 2/3 and merge every shard");
    const foreign = (await shardsOf("csv", 2, ["--seed", "2"], "other"))[1]!;
    expect(await usageFailure(["merge", a!, foreign, c!])).toMatch(
      /other-2\.csv comes from another sweep than .*part-1\.csv \(config hash [0-9a-f]{16}, not [0-9a-f]{16}\)/,
    );
    expect(await usageFailure(["merge", a!, b!, b!, c!])).toMatch(/are both shard 2\/3; give each shard once/);
    expect(await usageFailure(["merge", a!, b!, join(dir, "nope.csv")])).toMatch(/cannot read .*nope\.csv: no such file; check the shard paths/);
  });
});

describe("collapse sweep --shard as job engines give it", () => {
  it("a shard with no points says so in one line and still writes the header-only shard merge expects", async () => {
    const dir = tempDir();
    // 6 points over 8 shards: shards 7 and 8 are empty.
    const paths: string[] = [];
    for (let k = 1; k <= 8; k++) {
      const path = join(dir, `part-${k}.csv`);
      const r = await cli(["sweep", ...GRID, ...SMALL, "--shard", `${k}/8`, "--jobs", "1", "-o", path]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe(
        k <= 6
          ? ""
          : `collapse: shard ${k}/8 has no points (the grid has 6 points, fewer than 8 shards); wrote a header-only shard, which merge still expects\n`,
      );
      paths.push(path);
    }
    expect(
      readFileSync(paths[7]!, "utf8")
        .split("\n")
        .filter((l) => !l.startsWith("#")),
    ).toEqual(["sampleSize,regime,generation,metric,mean,sd,se,median,p025,p975,theory,real,synthetic,real_share", ""]);
    expect(await ok(["merge", ...paths])).toBe(await ok(["sweep", ...GRID, ...SMALL]));
    // --quiet silences the note, as it does every note.
    expect(await ok(["sweep", ...GRID, ...SMALL, "--shard", "8/8", "--quiet"])).toContain("# collapse-sweep end sha256=");
  });

  it("a bad --shard is one line, exit 2, naming the engines' slips (a 0-based index, n from a re-run)", async () => {
    const expects = (got: string) => `collapse: --shard expects i/n with 1 <= i <= n (e.g. --shard 2/4 runs the second of four slices), got "${got}"`;
    expect(await usageFailure(["sweep", ...GRID, "--shard", "3/1"])).toBe(
      `${expects("3/1")}: every shard of a sweep takes the same n, and a re-run of Slurm array task 3 alone sees SLURM_ARRAY_TASK_COUNT=1; fix n in the script`,
    );
    expect(await usageFailure(["sweep", ...GRID, "--shard", "0/4"])).toBe(
      `${expects("0/4")}: shards count from 1, so an index counting from 0 (Kubernetes' JOB_COMPLETION_INDEX) needs 1 added`,
    );
    // What an unset variable leaves behind.
    expect(await usageFailure(["sweep", ...GRID, "--shard", "3/"])).toBe(expects("3/"));
    expect(await usageFailure(["sweep", ...GRID, "--shard", "/4"])).toBe(expects("/4"));
    expect(await usageFailure(["sweep", ...GRID, "--shard", "1/0"])).toBe(expects("1/0"));
    expect(await usageFailure(["sweep", ...GRID, "--shard", "1/2000000"])).toBe(`${expects("1/2000000")}: at most 1000000 shards`);
  });
});

describe("collapse sweep: errors before any work", () => {
  it("grid parsing errors: one line, exit 2", async () => {
    expect(await usageFailure(["sweep", "--grid", "sample-size=10,x"])).toBe('collapse: --grid sample-size expects a number, got "x"');
    // (Every grid error is unit-tested in test/sweep/grid.test.ts; these check the command's plumbing.)
    expect(await usageFailure(["sweep", "--grid", "sample-size=10:1:1"])).toMatch(/range "10:1:1": stop 1 is below start 10/);
    expect(await usageFailure(["sweep", "-g", "3"])).toMatch(/needs at least one --grid/);
    expect(await usageFailure(["sweep", ...GRID, "--format", "table"])).toMatch(/--format must be one of csv, ndjson, json, got "table"; see --help/);
  });

  it("a bad combination names its point, exits 2 and leaves no -o file", async () => {
    const dir = tempDir();
    const out = join(dir, "out.csv");
    const line = await usageFailure([
      "sweep",
      "--grid",
      "regime=mix",
      "--grid",
      "sample-size=10,200",
      "--real-fraction",
      "0.3",
      "--seed-size",
      "50",
      "-o",
      out,
    ]);
    expect(line).toBe(
      "collapse: point 2 of 2 (regime=mix, sample-size=200): --regime mix keeps 60 real samples (--real-fraction 0.3 of --sample-size 200) but the seed data has 50; lower one of them",
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reads the grid from a --config file; --print-config shows the shared config", async () => {
    const dir = tempDir();
    const config = join(dir, "sweep.json");
    writeFileSync(
      config,
      JSON.stringify({ generations: 3, replicates: 5, seedSize: 30, grid: { "sample-size": "10:30:10", regime: ["replace", "accumulate"] } }),
    );
    expect(await ok(["sweep", "--config", config])).toBe(await ok(["sweep", ...GRID, ...SMALL]));
    const shown = JSON.parse(await ok(["sweep", "--config", config, "--print-config"]));
    expect(shown).toMatchObject({ generations: 3, replicates: 5, seed: "1", grid: { sampleSize: [10, 20, 30], regime: ["replace", "accumulate"] } });
  });
});

describe("collapse sweep: shared options that apply at some points only", () => {
  it("drops --real-fraction at replace points and uses it at mix points", async () => {
    const r = await cli(["sweep", "--grid", "regime=replace,mix", "--real-fraction", "0.3", "-g", "2", "-r", "5", "--format", "json"]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.points.map((p: { config: { regime: string; realFraction: number } }) => [p.config.regime, p.config.realFraction])).toEqual([
      ["replace", 0.1],
      ["mix", 0.3],
    ]);
  });

  it("rejects an option that applies at no point of the grid", async () => {
    const r = await cli(["sweep", "--grid", "sample-size=10,20", "--real-fraction", "0.3", "-g", "2", "-r", "5"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^collapse: --real-fraction applies at no point of this grid/);
  });
});

// The n-gram model's default --data is the corpus bundled with the package, which sim finds from
// any working directory; the sweep hashes its data files first, and must hash that same file.
describe("collapse sweep of the bundled corpus, run outside the package", () => {
  it("finds the corpus wherever it runs from", async () => {
    const r = await cli(["sweep", "--model", "ngram", "--grid", "generations=1,2", "-r", "2", "--quiet"], { cwd: tempDir() });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^generations,generation,metric,/);
  });
});
