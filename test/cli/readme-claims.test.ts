/**
 * Claims the README makes about what runs show, checked against runs: the typical chain of the
 * quick start (medians of a large run, compared within standard errors), what --top-p 0.95 does to
 * the dog breeds, that w2 is in data units, and that the CI and sweep examples work as written in
 * a fresh folder.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { quantileSorted } from "../../src/stats/quantiles.js";
import { replicateValues, Z } from "../helpers.js";
import { BIN, ROOT, tempDir } from "./cli.js";
import { cli } from "./in-process.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The first fenced block after `marker` (its language tag given). */
function blockAfter(marker: string, lang: string): string {
  const at = README.indexOf(marker);
  expect(at, marker).toBeGreaterThanOrEqual(0);
  const block = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(README.slice(at));
  expect(block, `a ${lang} block after ${marker}`).not.toBeNull();
  return block![1]!;
}

/** A folder with `collapse` on PATH, as a user who installed the package has it. */
function shell(command: string, cwd: string) {
  const bin = join(cwd, ".bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "collapse"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, "collapse"), 0o755);
  return spawnSync("sh", ["-c", command], { cwd, encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
}

/**
 * The sample median and its standard error, √(p(1−p)/n)/f(m) at p = ½, with the density at the
 * median estimated from the spacing of the 45% and 55% quantiles: f ≈ 0.1 / (q55 − q45).
 */
function medianWithSe(x: Float64Array): { median: number; se: number } {
  const sorted = Float64Array.from(x).sort();
  const q = (p: number) => quantileSorted(sorted, p);
  return { median: q(0.5), se: (Math.sqrt(0.25 / x.length) * (q(0.55) - q(0.45))) / 0.1 };
}

describe("quick start: the typical chain after nine generations", () => {
  const shown = blockAfter("pins down the typical chain", "console");
  const stated = (metric: string) => Number(new RegExp(`^${metric},([\\d.]+)$`, "m").exec(shown)![1]);
  const R_README = Number(/-r (\d+)/.exec(shown)![1]);

  it("the README's medians (R = 100000) agree with an independent run, within standard errors", () => {
    // Another seed, 20000 replicates: a new estimate of the same population medians.
    const run = replicateValues({ generations: 9, replicates: 20000, seed: "readme-check" });
    for (const metric of ["var_ratio", "tail_loss_2"]) {
      const { median, se } = medianWithSe(run.values(metric, 9));
      // The README's value is an estimate too: its SE is the same density term over its R.
      const seReadme = se * Math.sqrt(run.replicates / R_README);
      expect(Math.abs(median - stated(metric)), metric).toBeLessThanOrEqual(Z * Math.hypot(se, seReadme));
    }
    // And the prose says the same numbers.
    expect(README).toContain(`\`var_ratio\` ${stated("var_ratio").toFixed(3)}`);
    expect(README).toContain(`\`tail_loss_2\` ${stated("tail_loss_2").toFixed(3)}`);
  });
});

describe("--top-p 0.95 on the dog breeds", () => {
  it("gives the README's table: the rare set empties by generation 3, 178 breeds extinct by generation 5", async () => {
    const shown = blockAfter("so sharp that every chain loses the same breeds", "console");
    const expected = shown
      .split("\n")
      .filter((l) => /^\d+\t/.test(l))
      .map((l) => l.split("\t").map(Number));
    expect(expected).toHaveLength(6);
    const doc = JSON.parse(
      (await cli(["sim", "--model", "categorical", "--data", "fixtures/dog-breeds.csv", "--top-p", "0.95", "-g", "5", "--format", "json", "--quiet"])).stdout,
    );
    const rows = doc.generations.map((g: { generation: number; metrics: Record<string, { median: number }> }) => [
      g.generation,
      g.metrics.extinct!.median,
      g.metrics.tail_mass!.median,
      g.metrics.tail_support!.median,
    ]);
    expect(rows).toEqual(expected);
    // Every chain loses the same breeds: no spread in extinct.
    for (const g of doc.generations) expect(g.metrics.extinct.p025).toBe(g.metrics.extinct.p975);
    expect(rows[1]![3]! * 170).toBeCloseTo(13, 9);
  });
});

describe("w2 is in data units", () => {
  it("scales with the data while mean_drift and the tails do not", async () => {
    const dir = tempDir();
    const data = Array.from({ length: 100 }, (_, i) => String(i + 1)).join("\n");
    const scaled = Array.from({ length: 100 }, (_, i) => String((i + 1) * 1000)).join("\n");
    const run = async (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return JSON.parse((await cli(["sim", "--data", join(dir, name), "-g", "3", "-r", "20", "--format", "json", "--quiet"])).stdout);
    };
    const [a, b] = [await run("data.txt", data), await run("scaled.txt", scaled)];
    const at = (doc: { generations: { metrics: Record<string, { median: number }> }[] }, m: string) => doc.generations[3]!.metrics[m]!.median;
    expect(at(b, "w2") / at(a, "w2")).toBeCloseTo(1000, 6);
    expect(at(b, "mean_drift")).toBeCloseTo(at(a, "mean_drift"), 9);
    expect(at(b, "tail_loss_2")).toBeCloseTo(at(a, "tail_loss_2"), 9);
  });
});

describe("the README's CI and sweep examples, in a fresh folder", () => {
  it("creates ci/ before saving the baseline; without it --save-baseline stops with exit 2", () => {
    const line = blockAfter("Save a baseline once and commit it", "sh").trim();
    expect(line).toMatch(/^mkdir -p ci && collapse sim .*--save-baseline ci\/baseline\.json$/);
    const fresh = tempDir();
    const r = shell(line, fresh);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(fresh, "ci", "baseline.json"))).toBe(true);
    expect(shell("collapse check ci/baseline.json --quiet", fresh).status).toBe(0);
    const without = shell(line.replace(/^mkdir -p ci && /, ""), tempDir());
    expect(without.status).toBe(2);
    expect(without.stderr).toContain("cannot write ci/baseline.json: its directory does not exist");
  });

  it("shows the sweep.json the shard recipes use: examples/engines/sweep.json, 6 points over 4 shards", () => {
    const shown = blockAfter("The examples and recipes below use this `sweep.json`", "json");
    expect(shown).toBe(readFileSync(join(ROOT, "examples", "engines", "sweep.json"), "utf8"));
    const dir = tempDir();
    writeFileSync(join(dir, "sweep.json"), shown);
    const config = JSON.parse(shell("collapse sweep --config sweep.json --print-config", dir).stdout);
    expect(config.grid.sampleSize).toEqual([10, 100, 1000]);
    expect(config.grid.regime).toEqual(["replace", "accumulate"]);
    // The last of 4 shards holds exactly one point (a short run of it: flags override the file).
    const last = shell("collapse sweep --config sweep.json --shard 4/4 -g 1 -r 2", dir);
    expect(last.status, last.stderr).toBe(0);
    const points = new Set(
      last.stdout
        .split("\n")
        .filter((l) => /^\d/.test(l))
        .map((l) => l.split(",").slice(0, 2).join(",")),
    );
    expect(points.size).toBe(1);
  });

  it("the recipes in the README are the lines of the files in examples/engines/", () => {
    const engines = join(ROOT, "examples", "engines");
    // A line ending in a backslash goes on.
    const joined = (text: string) => text.replaceAll("\\\n", "");
    const lines = (file: string) => joined(readFileSync(join(engines, file), "utf8")).split("\n");
    const readme = joined(README);
    const normal = readme.replace(/\s+/g, " ");
    // The Kubernetes pods' command, folded in the manifest.
    const pod = /- >-\n((?: {14}.*\n)+)/
      .exec(readFileSync(join(engines, "k8s-job.yaml"), "utf8"))![1]!
      .replace(/\s+/g, " ")
      .trim();
    expect(normal.includes(pod), `README shows the pods' command: ${pod}`).toBe(true);
    for (const [file, pattern] of [
      ["parallel.sh", /^parallel /],
      ["parallel-hosts.sh", /^parallel /],
      ["slurm.sh", /^(exec collapse|#SBATCH)/],
      ["slurm.sh", /^#\s+(sbatch|jobid=)/],
    ] as const) {
      const wanted = lines(file)
        .filter((l) => pattern.test(l))
        .map((l) => l.replace(/^#\s+/, "").replace(/\s+/g, " "));
      expect(wanted.length, file).toBeGreaterThan(0);
      // The README's forms: fixed shards and hosts where a script takes them as arguments.
      for (const line of wanted) {
        const shown = line.replace('-S "$hosts"', "-S 2/host1,2/host2").replace("::: $shards || :", "::: 1 2 3 4");
        expect(normal.includes(shown), `README shows ${file}'s line: ${shown}`).toBe(true);
      }
    }
  });
});
