/**
 * The built `collapse sim`, as scripts and people use it. Most tests run its entry in-process
 * (cli(), test/cli/in-process.ts: the same parsing, messages and exit codes without starting Node);
 * stdin, pipes and signals spawn the binary (collapse(), start()).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir } from "./cli.js";
import { cli } from "./in-process.js";
import { cpuSeconds, handlesSignals, signalAndWait, start, waitUntil } from "./process.js";

const SUMMARY = ["mean", "sd", "se", "median", "p025", "p975"];

describe("collapse sim: default run and formats", () => {
  it("runs with no options but --generations 9 and prints a table of 10 generations", async () => {
    const r = await cli(["sim", "--generations", "9"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^collapse sim · gaussian · source normal\(0,1\) ×100 · M=100 · 9 generations/);
    expect(r.stdout).toContain("200 replicates");
    const header = lines.findIndex((l) => /^gen\s+var_ratio/.test(l));
    expect(header).toBeGreaterThan(0);
    for (let g = 0; g <= 9; g++) expect(lines[header + 1 + g]).toMatch(new RegExp(`^\\s*${g}\\s`));
    expect(lines.every((l) => l.length <= 80)).toBe(true);
  });

  it("json: one document with tool, config (every resolved option), seed, seed_fit and G+1 generations", async () => {
    const r = await cli(["sim", "-g", "4", "-r", "30", "--format", "json", "--theory"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["tool", "config", "seed", "seed_fit", "generations"]);
    expect(doc.tool).toEqual({ name: "collapse", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(doc.config).toMatchObject({
      model: "gaussian",
      generations: 4,
      sampleSize: 100,
      seedSize: 100,
      replicates: 30,
      seed: "1",
      source: "normal(0,1)",
      estimator: "mle",
      regime: "replace",
      tailK: [2, 3],
      theory: true,
    });
    expect(doc.seed).toBe("1");
    expect(doc.generations).toHaveLength(5);
    const metrics = doc.generations[2].metrics;
    for (const name of [
      "mean",
      "std",
      "var_ratio",
      "mean_drift",
      "w2",
      "kl",
      "tail_mass_2",
      "tail_mass_centered_2",
      "tail_loss_2",
      "tail_mass_3",
      "tail_mass_centered_3",
      "tail_loss_3",
    ]) {
      expect(Object.keys(metrics[name])).toEqual(SUMMARY);
    }
    expect(doc.generations[2].theory.var_ratio).toBeCloseTo(0.99 ** 2, 12);
  });

  it("csv: tidy long rows with a header, one row per generation and metric, theory column", async () => {
    const r = await cli(["sim", "-g", "3", "-r", "20", "--format", "csv", "--theory"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("generation,metric,mean,sd,se,median,p025,p975,theory,real,synthetic,real_share");
    const json = JSON.parse((await cli(["sim", "-g", "3", "-r", "20", "--format", "json", "--theory"])).stdout);
    const metricCount = Object.keys(json.generations[0].metrics).length;
    expect(lines).toHaveLength(1 + 4 * metricCount);
    const row = lines.find((l) => l.startsWith("2,var_ratio,"))!.split(",");
    expect(Number(row[2])).toBe(json.generations[2].metrics.var_ratio.mean);
    expect(Number(row[8])).toBe(json.generations[2].theory.var_ratio);
    expect(lines.find((l) => l.startsWith("2,kl,"))!.split(",")[8]).toBe(""); // no theory for kl
  });

  it("ndjson: one JSON object per row with the same numbers", async () => {
    const r = await cli(["sim", "-g", "2", "-r", "10", "--format", "ndjson"]);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(Object.keys(rows[0])).toEqual(["generation", "metric", ...SUMMARY, "theory", "real", "synthetic", "real_share"]);
    expect(rows.filter((x) => x.metric === "var_ratio").map((x) => x.generation)).toEqual([0, 1, 2]);
    expect(rows[0].theory).toBeNull();
  });

  it("markdown: a GitHub table", async () => {
    const r = await cli(["sim", "-g", "2", "-r", "10", "--format", "markdown"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\| generation \| `var_ratio` \|/m);
    expect(r.stdout).toMatch(/^\| ---: \|/m);
  });
});

describe("collapse sim: determinism", () => {
  it("same options and seed give the same bytes; another seed does not", async () => {
    const a = await cli(["sim", "-g", "5", "-r", "50", "--format", "csv", "--seed", "abc"]);
    const b = await cli(["sim", "-g", "5", "-r", "50", "--format", "csv", "--seed", "abc"]);
    const c = await cli(["sim", "-g", "5", "-r", "50", "--format", "csv", "--seed", "abd"]);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it("the output does not depend on --jobs (replicates split over worker threads)", async () => {
    // 40 × 10 × 10000 = 4·10⁶ sampled values: above the threshold where workers are used.
    const args = ["sim", "-g", "10", "-r", "40", "-m", "10000", "--format", "json"];
    const one = await cli([...args, "--jobs", "1"]);
    const two = await cli([...args, "--jobs", "2"]);
    const three = await cli([...args, "--jobs", "3"]);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(three.stdout).toBe(one.stdout);
  });

  it("a config file gives the same result as the same flags, and flags override it", async () => {
    const dir = tempDir();
    const config = join(dir, "c.json");
    writeFileSync(config, JSON.stringify({ generations: 3, replicates: 25, sampleSize: 40, seed: "cfg" }));
    const viaFile = await cli(["sim", "--config", config, "--format", "csv"]);
    const viaFlags = await cli(["sim", "-g", "3", "-r", "25", "-m", "40", "--seed", "cfg", "--format", "csv"]);
    expect(viaFile.stdout).toBe(viaFlags.stdout);
    const overridden = JSON.parse((await cli(["sim", "--config", config, "-g", "5", "--print-config"])).stdout);
    expect(overridden).toMatchObject({ generations: 5, replicates: 25, sampleSize: 40, seed: "cfg" });
  });

  // --print-config and a results document's "config" record every option, those of other models at
  // their defaults, and with --data the file's hash and row count: README says they can be passed back.
  it.each([
    ["gaussian", ["-g", "3", "-r", "20", "--seed", "back"]],
    ["categorical from a file", ["--model", "categorical", "--data", "fixtures/dog-breeds.csv", "-g", "3", "-r", "10"]],
    ["ngram, the bundled corpus", ["--model", "ngram", "-g", "2", "-r", "2", "--temperature", "0.8"]],
  ])("%s: --print-config and the document's config, given back with --config, run the same simulation", async (_, flags) => {
    const dir = tempDir();
    const direct = await cli(["sim", ...flags, "--format", "json"]);
    expect(direct.status, direct.stderr).toBe(0);
    const printed = join(dir, "printed.json");
    writeFileSync(printed, (await cli(["sim", ...flags, "--print-config"])).stdout);
    const recorded = join(dir, "recorded.json");
    writeFileSync(recorded, JSON.stringify(JSON.parse(direct.stdout).config));
    for (const config of [printed, recorded]) {
      const again = await cli(["sim", "--config", config, "--format", "json"]);
      expect(again.stderr).toBe("");
      expect(again.stdout).toBe(direct.stdout);
    }
  });

  it("a hand-written option of another model is still refused unless it is that option's default", async () => {
    const dir = tempDir();
    const config = join(dir, "c.json");
    writeFileSync(config, JSON.stringify({ temperature: 0.5 }));
    const r = await cli(["sim", "--config", config]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/"temperature" does not apply to --model gaussian/);
    writeFileSync(config, JSON.stringify({ temperature: 1, seedSize: 50 }));
    expect((await cli(["sim", "--config", config, "-g", "1", "-r", "2", "--format", "csv"])).status).toBe(0);
  });
});

describe("collapse sim: seed data files", () => {
  it("reads a CSV column by name, a headerless TXT and stdin", async () => {
    const dir = tempDir();
    const csv = join(dir, "h.csv");
    writeFileSync(csv, "id,height\n1,170.5\n2,182\n3,165.25\n4,177\n");
    const r = await cli(["sim", "--data", csv, "--column", "height", "-g", "2", "-r", "5", "--format", "json"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.config).toMatchObject({ data: csv, column: "height", seedSize: 4, sampleSize: 4, source: null });
    expect(doc.generations[0].metrics.mean.mean).toBeCloseTo((170.5 + 182 + 165.25 + 177) / 4, 12);
    const stdin = await cli(["sim", "--data", "-", "-g", "2", "-r", "5", "--format", "json"], { input: "170.5\n182\n165.25\n177\n" });
    expect(JSON.parse(stdin.stdout).generations[0].metrics.mean.mean).toBeCloseTo(173.6875, 12);
  });
});

/** Runs a failing command and checks the contract: exit 2, one line on stderr, no stack trace, no stdout. */
async function expectUsageError(args: string[], pattern: RegExp, input?: string | Buffer): Promise<void> {
  const r = await cli(args, { input });
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^collapse: /);
  expect(lines[0]).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  expect(lines[0]).toMatch(pattern);
}

describe("collapse sim: bad input exits 2 with one clear line", () => {
  const dir = tempDir();
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it("bad data files name file:line:column and the fix", async () => {
    await expectUsageError(["sim", "--data", file("empty.csv", "")], /empty\.csv is empty/);
    await expectUsageError(["sim", "--data", file("header.csv", "x\n")], /no data rows after its header/);
    await expectUsageError(["sim", "--data", file("nan.csv", "x\n12.5\nabc\n")], /nan\.csv:3:1: "abc" in column "x" is not a number; fix or remove the row/);
    await expectUsageError(["sim", "--data", file("nan.txt", "1\nNaN\n")], /nan\.txt:2:1: "NaN" in column 1 is not a finite number/);
    await expectUsageError(["sim", "--data", file("single.txt", "42\n")], /holds a single value; a Gaussian needs at least two/);
    await expectUsageError(["sim", "--data", file("same.txt", "3\n3\n3\n")], /all 3 values are equal/);
    await expectUsageError(
      ["sim", "--data", file("bad.txt", Buffer.from([0x31, 0x0a, 0x32, 0xff, 0x0a]))],
      /bad\.txt:2:2: invalid UTF-8 byte 0xff at byte offset 3/,
    );
    await expectUsageError(["sim", "--data", file("two.csv", "a,b\n1,2\n3,4\n")], /two\.csv has columns "a", "b".*choose one with --column/);
    await expectUsageError(["sim", "--data", file("bad.json", "[1, 2,"), "-g", "1"], /bad\.json:1:7: invalid JSON/);
    await expectUsageError(["sim", "--data", join(dir, "missing.csv")], /cannot read .*missing\.csv: no such file/);
    await expectUsageError(["sim", "--data", "-"], /stdin is empty/, "");
  });

  it("bad options say what is allowed", async () => {
    await expectUsageError(["sim", "-g", "2.5"], /--generations must be a whole number/);
    await expectUsageError(["sim", "-m", "1e12"], /--sample-size must be a whole number >= 2 and <= 100000000/);
    await expectUsageError(["sim", "-r", "0"], /--replicates must be a whole number >= 1/);
    await expectUsageError(["sim", "--tail-k", "2,-1"], /--tail-k must be a number > 0/);
    await expectUsageError(["sim", "--source", "normal(0,-1)"], /--source "normal\(0,-1\)": sigma must be > 0/);
    await expectUsageError(["sim", "--source", "cauchy(0,1)"], /unknown distribution "cauchy"/);
    await expectUsageError(["sim", "--data", "x.csv", "--source", "normal(0,1)"], /--data and --source both give seed data/);
    await expectUsageError(["sim", "--top-k", "3"], /--top-k does not apply to --model gaussian/);
    await expectUsageError(["sim", "--model", "weird"], /--model must be one of gaussian, mvn, gmm, categorical, ngram, kde, linreg, got "weird"; see --help/);
    await expectUsageError(["sim", "--frobnicate"], /unknown option '--frobnicate'/);
    await expectUsageError(["sim", "--jobs", "0"], /--jobs must be a whole number from 1 to 256/);
  });

  it("a bad --config file names file:line:column", async () => {
    const config = file("bad-config.json", '{\n  "generations": 3,\n  "replicates": ,\n}');
    await expectUsageError(["sim", "--config", config], /bad-config\.json:3:17: invalid JSON in --config/);
    const typo = file("typo.json", '{"generatons": 3}');
    await expectUsageError(["sim", "--config", typo], /typo\.json: unknown option "generatons"/);
  });

  it("a --config key given twice in one object is refused at its second place: JSON would keep the last unseen", async () => {
    // A config may come from a pull request: a reviewer reading "generations": 9 near the top
    // would not see a second "generations" further down, which JSON.parse alone would obey.
    const twice = file("twice.json", '{\n  "generations": 9,\n  "replicates": 5,\n  "generations": 3\n}');
    await expectUsageError(["sim", "--config", twice], /twice\.json:4:3: "generations" is given twice in one object of --config; keep one/);
    // Written differently, the same key (JSON escapes decode first).
    const escaped = file("escaped.json", '{"seed": "1", "s\\u0065ed": "2"}');
    await expectUsageError(["sim", "--config", escaped], /escaped\.json:1:15: "seed" is given twice/);
    // At any depth: a sweep's grid.
    const grid = file("grid.json", '{"grid": {"sampleSize": [10], "regime": "mix", "sampleSize": [20]}}');
    const r = await cli(["sweep", "--config", grid]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^collapse: .*grid\.json:1:48: "sampleSize" is given twice in one object of --config; keep one/);
  });
});

describe("collapse sim: output files and streams", () => {
  it("-o writes the file atomically and prints nothing; a failing run leaves no file", async () => {
    const dir = tempDir();
    const out = join(dir, "run.json");
    const ok = await cli(["sim", "-g", "2", "-r", "5", "--format", "json", "-o", out]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe("");
    expect(existsSync(out)).toBe(true);
    const bad = join(dir, "bad.json");
    expect((await cli(["sim", "-g", "x", "-o", bad])).status).toBe(2);
    expect(existsSync(bad)).toBe(false);
    expect(readdirSync(dir)).toEqual(["run.json"]); // no temporary files left behind
    await expectUsageError(["sim", "-g", "1", "-o", join(dir, "no", "such", "dir.json")], /cannot write .*: its directory does not exist/);
  });

  it("ends quietly when the reader closes the pipe (| head)", () => {
    // One run: head keeps two lines and closes the pipe; bash then reports collapse's own status.
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" sim -g 500 -r 20 --format csv | head -n 2; echo "exit \${PIPESTATUS[0]}"`], {
      encoding: "utf8",
      cwd: ROOT,
    });
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("generation,metric,mean,sd,se,median,p025,p975,theory,real,synthetic,real_share");
    expect(lines.at(-1)).toBe("exit 0");
    expect(r.stderr).toBe("");
  });

  it("colours only when asked: FORCE_COLOR forces, NO_COLOR, FORCE_COLOR=0 and --no-color switch off, pipes get none", async () => {
    const ESC = "\u001b[";
    expect((await cli(["sim", "-g", "2", "-r", "5"])).stdout).not.toContain(ESC);
    expect((await cli(["sim", "-g", "2", "-r", "5"], { env: { FORCE_COLOR: "1" } })).stdout).toContain(ESC);
    expect((await cli(["sim", "-g", "2", "-r", "5"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } })).stdout).not.toContain(ESC);
    expect((await cli(["sim", "-g", "2", "-r", "5"], { env: { FORCE_COLOR: "0" } })).stdout).not.toContain(ESC);
    expect((await cli(["sim", "-g", "2", "-r", "5", "--no-color"], { env: { FORCE_COLOR: "1" } })).stdout).not.toContain(ESC);
    expect((await cli(["sim", "-g", "2", "-r", "5", "--format", "csv"], { env: { FORCE_COLOR: "1" } })).stdout).not.toContain(ESC);
  });

  it("--print-config shows every resolved option, defaults included, and runs nothing", async () => {
    const r = await cli(["sim", "--print-config", "-m", "30"]);
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c).toMatchObject({ model: "gaussian", sampleSize: 30, seedSize: 100, generations: 9, replicates: 200, estimator: "mle" });
  });

  it("--version and --help exit 0", async () => {
    expect((await cli(["--version"])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await cli(["sim", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--sample-size <M>");
    expect(help.stdout).toContain("accumulate");
  });
});

describe("collapse sim: interruption", () => {
  // 4 replicates × 100,000 generations of M = 1000: hours of work, far more than the hang detector
  // (HANG_MS) allows, so exiting with the signal's status proves the signal was answered mid-run
  // (see test/cli/real-input.test.ts for every stage and signal).
  it.each([
    ["SIGINT", "1", 130, "interrupted"],
    ["SIGTERM", "2", 143, "terminated"],
  ] as const)("%s while simulating (--jobs %s): exit %i, no output file", async (signal, jobs, status, word) => {
    const dir = tempDir();
    const run = start(["sim", "-g", "100000", "-m", "1000", "-r", "4", "--format", "json", "-o", join(dir, "long.json"), "--jobs", jobs]);
    // Ready: the run is under way (CPU time well past start-up), not a guessed delay.
    await waitUntil(() => handlesSignals(run.pid) && cpuSeconds(run.pid) > 0.5, "collapse is simulating");
    const r = await signalAndWait(run, signal);
    expect(r.status, `signal ${r.signal}, stderr: ${r.stderr}`).toBe(status);
    expect(r.stderr).toBe(`collapse: ${word}\n`);
    expect(readdirSync(dir)).toEqual([]);
  });
});
