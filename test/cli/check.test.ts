/**
 * `collapse sim --save-baseline / --assert` and `collapse check`, as a CI job runs them, through the
 * built entry in-process (cli(), test/cli/in-process.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseXml } from "../check/xml.js";
import { tempDir } from "./cli.js";
import { cli } from "./in-process.js";

const dir = tempDir();
const BASELINE = join(dir, "baseline.json");
// Small, so that every spawn stays well under a second of simulation.
const RUN = ["sim", "-g", "5", "-r", "40", "--seed", "ci"];
let doc: any;

/** A copy of the baseline with `edit` applied, written next to it. */
function variant(name: string, edit: (d: any) => void): string {
  const copy = JSON.parse(JSON.stringify(doc));
  edit(copy);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(copy, null, 2));
  return path;
}

beforeAll(async () => {
  const r = await cli([...RUN, "--format", "csv", "--save-baseline", BASELINE]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout.split("\n")[0]).toMatch(/^generation,metric,mean/); // the normal output is untouched
  doc = JSON.parse(readFileSync(BASELINE, "utf8"));
});

describe("collapse sim --save-baseline and --assert", () => {
  it("saves the JSON results document: tool, config, seed, seed_fit and every generation", async () => {
    expect(Object.keys(doc)).toEqual(["tool", "config", "seed", "seed_fit", "generations"]);
    expect(doc.config).toMatchObject({ generations: 5, replicates: 40, seed: "ci" });
    expect(doc.generations).toHaveLength(6);
  });

  it("a failed assertion exits 1 after printing the normal output, naming the assertion and its value on stderr", async () => {
    const r = await cli([...RUN, "--format", "csv", "--assert", "var_ratio[5] < 3", "--assert", "mean_drift[0] == 0", "--assert", "var_ratio[5] > 3"]);
    expect(r.status).toBe(1);
    expect(r.stdout.split("\n")[0]).toMatch(/^generation,metric,mean/);
    // One line, like every failure: the failed assertion with its value, then the count.
    expect(r.stderr).toMatch(/^collapse: assertion failed: var_ratio\[5\] > 3 \(var_ratio\[5\] = [\d.]+\) — 1 of 3 assertions failed\n$/);
  });

  it("a bad expression exits 2 before running, naming the problem", async () => {
    const r = await cli([...RUN, "--assert", "var_ratio[9] < 1"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('collapse: --assert "var_ratio[9] < 1": index 9 is outside 0…5; generations are numbered from 0 (use end for the last)\n');
  });
});

describe("collapse check", () => {
  it("an unchanged run passes: exit 0, quiet stderr, JUnit XML and a Markdown summary", async () => {
    const junit = join(dir, "junit.xml");
    const summary = join(dir, "summary.md");
    const r = await cli(["check", BASELINE, "--assert", "last(var_ratio) < 3", "--junit", junit, "--summary", summary]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^collapse check · .*baseline\.json\n/);
    expect(r.stdout).toContain("metrics: all hold");
    expect(r.stdout.trimEnd().endsWith("passed")).toBe(true);
    const xml = parseXml(readFileSync(junit, "utf8"));
    expect(xml.name).toBe("testsuites");
    const metrics = Object.keys(doc.generations[0].metrics);
    expect(xml.attributes).toMatchObject({ tests: String(metrics.length + 1), failures: "0" });
    expect(xml.children.map((s) => s.name)).toEqual(["testsuite", "testsuite"]);
    const cases = xml.children[0]!.children.filter((c) => c.name === "testcase").map((c) => c.attributes.name);
    expect(cases).toEqual(metrics);
    expect(xml.children[1]!.children[0]!.attributes.name).toBe("last(var_ratio) < 3");
    expect(readFileSync(summary, "utf8")).toMatch(/^### collapse check: ✅ passed/);
  });

  it("a perturbed baseline fails with exit 1 and a diff table naming the metric; an old version warns", async () => {
    const path = variant("perturbed.json", (d) => {
      d.tool.version = "0.0.1";
      d.generations[4].metrics.w2.mean += 1;
    });
    const r = await cli(["check", path]);
    expect(r.status).toBe(1);
    const table = r.stdout.split("\n").filter((l) => /^\s+\d+\s+\w/.test(l) || /generation\s+metric/.test(l));
    expect(table[0]!.trim().split(/\s+/)).toEqual(["generation", "metric", "baseline", "now", "diff", "allowed"]);
    expect(table[1]!.trim().split(/\s+/).slice(0, 2)).toEqual(["4", "w2"]);
    expect(table[1]!.trim().split(/\s+/)[4]).toBe("-1");
    expect(r.stderr).toContain("collapse: warning: " + path + " was written by collapse 0.0.1, this is collapse ");
    expect(r.stderr).toMatch(/collapse: check failed against .*perturbed\.json: 1 of \d+ means regressed \(w2\)/);
  });

  it("--metrics restricts the comparison", async () => {
    const path = variant("w2-moved.json", (d) => (d.generations[4].metrics.w2.mean += 1));
    const r = await cli(["check", path, "--metrics", "var_ratio,kl"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/compared 12 replicate means \(6 generations × 2 metrics\)/);
  });

  it("statistical edge: a move of 0.99 of z·√(se_now² + se_base²) holds, 1.01 of it fails", async () => {
    // The re-run reproduces the baseline exactly, so se_now = se_base = se and allowed = 4·√2·se (+ a 1e-9 floor).
    const se = doc.generations[5].metrics.var_ratio.se as number;
    expect(se).toBeGreaterThan(0);
    const allowed = 4 * Math.sqrt(2) * se;
    const inside = variant("inside.json", (d) => (d.generations[5].metrics.var_ratio.mean += 0.99 * allowed));
    const outside = variant("outside.json", (d) => (d.generations[5].metrics.var_ratio.mean += 1.01 * allowed));
    expect((await cli(["check", inside])).status).toBe(0);
    const r = await cli(["check", outside]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\n\s+5\s+var_ratio\s/);
  });

  it("tolerance edge: |now − baseline| = rtol·|baseline| holds, less rtol fails", async () => {
    // var_ratio is exactly 1 at generation 0; a baseline of 2 is 1 away, and 0.5·|2| = 1 exactly.
    const path = variant("gen0.json", (d) => (d.generations[0].metrics.var_ratio.mean = 2));
    const at = await cli(["check", path, "--mode", "tolerance", "--rtol", "0.5", "--atol", "0"]);
    expect(at.status).toBe(0);
    const beyond = await cli(["check", path, "--mode", "tolerance", "--rtol", "0.49", "--atol", "0"]);
    expect(beyond.status).toBe(1);
    expect(beyond.stdout).toMatch(/\n\s+0\s+var_ratio\s+2\s+1\s+-1\s+0\.98\n/);
  });

  it("assertions: a failure exits 1 and is listed; a bad one exits 2 naming the problem", async () => {
    const failed = await cli(["check", BASELINE, "--assert", "var_ratio[end] > 3"]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/FAIL {2}var_ratio\[end\] > 3 {3}\(var_ratio\[end\] = [\d.]+\)/);
    expect(failed.stderr).toMatch(/1 of 1 assertion failed/);
    const bad = await cli(["check", BASELINE, "--assert", "var_rati[5] < 1"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^collapse: --assert "var_rati\[5\] < 1": unknown metric var_rati \(did you mean var_ratio\?\); known: mean, std, var_ratio, /);
  });

  it("a bad baseline file exits 2 with one line naming it", async () => {
    const notJson = join(dir, "broken.json");
    writeFileSync(notJson, '{"tool": {"name": "collapse"}');
    const broken = await cli(["check", notJson]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^collapse: .*broken\.json:1:\d+: baseline is not valid JSON .*; regenerate it with collapse sim --save-baseline FILE\n$/);
    const missing = await cli(["check", join(dir, "absent.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read baseline .*absent\.json: no such file/);
    const badConfig = await cli(["check", variant("bad-config.json", (d) => (d.config.replicates = 0))]);
    expect(badConfig.status).toBe(2);
    expect(badConfig.stderr).toMatch(/bad-config\.json: "replicates" must be a whole number >= 1 .*got 0\n$/);
  });

  it("--help documents the indexing rule, the default mode and the exit codes", async () => {
    const r = await cli(["check", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/metric\[g\]\s+generation g, numbered from 0/);
    expect(r.stdout).toMatch(/statistical \(default\)/);
    expect(r.stdout).toMatch(/Defaults: z = 4/);
    expect(r.stdout).toMatch(/Exit codes: 0 all hold, 1 a regression or a failed assertion/);
  });
});

// M = 2 collapses the variance to exactly 0 within a few dozen generations: log_var_ratio is −∞ and
// kl ∞ from there on, which the baseline (JSON) records as null.
describe("collapse check on a run whose metrics became infinite", () => {
  it("passes against its own baseline", async () => {
    const baseline = join(dir, "collapsed.json");
    const run = ["sim", "-m", "2", "-g", "50", "-r", "3", "--seed", "ci"];
    expect((await cli([...run, "--format", "csv", "--save-baseline", baseline])).status).toBe(0);
    expect(readFileSync(baseline, "utf8")).toMatch(/"mean": null/);
    const r = await cli(["check", baseline]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("collapse check of a baseline of the bundled corpus, outside the package", () => {
  it("re-runs it from the corpus the package holds", async () => {
    const elsewhere = tempDir();
    const run = ["sim", "--model", "ngram", "-g", "2", "-r", "2", "--seed", "ci"];
    expect((await cli([...run, "--format", "csv", "--save-baseline", "ngram.json"], { cwd: elsewhere })).status).toBe(0);
    const r = await cli(["check", "ngram.json"], { cwd: elsewhere });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
