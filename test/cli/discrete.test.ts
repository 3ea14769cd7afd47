/**
 * The built command line on the discrete models, through its entry in-process (cli(),
 * test/cli/in-process.ts); labels and text on stdin spawn the binary.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collapseAsync, ROOT } from "./cli.js";
import { cli } from "./in-process.js";

const ENV = { NO_COLOR: "1", FORCE_COLOR: "0" };

async function run(args: string[], options: { input?: string; cwd?: string } = {}) {
  const r =
    options.input === undefined
      ? await cli(args, { env: ENV, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) })
      : await collapseAsync(args, { input: options.input, env: ENV });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = async (args: string[]) => {
  const r = await run([...args, "--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

const DOGS = ["sim", "--model", "categorical", "--data", "fixtures/dog-breeds.csv", "-g", "6", "-r", "8", "--quiet"];
// One job for ngram, which always runs on a worker thread: the numbers do not depend on --jobs
// (the categorical runs below check that), and two replicate threads more would only cost their start-up.
const TEXT = ["sim", "--model", "ngram", "-g", "3", "-r", "2", "-m", "4000", "--quiet", "--jobs", "1"];

describe("collapse sim --model categorical", () => {
  it("writes the discrete metrics, theory and the extinction timeline as JSON", async () => {
    const doc = await json([...DOGS, "--theory"]);
    expect(doc.config).toMatchObject({ model: "categorical", data: "fixtures/dog-breeds.csv", generations: 6, replicates: 8 });
    expect(doc.generations).toHaveLength(7);
    expect(Object.keys(doc.generations[0].metrics)).toEqual([
      "support",
      "extinct",
      "support_ratio",
      "entropy",
      "gini_simpson",
      "tv",
      "js",
      "tail_mass",
      "tail_loss",
      "tail_support",
    ]);
    expect(doc.generations[0].metrics.support.median).toBe(190);
    expect(Object.keys(doc.generations[3].theory).sort()).toEqual(["gini_simpson", "tail_loss", "tail_mass"]);
    expect(doc.extinctions.length).toBeGreaterThan(0);
    for (const e of doc.extinctions) {
      expect(Object.keys(e)).toEqual(["category", "generation", "replicates"]);
      expect(e.generation).toBeGreaterThanOrEqual(1);
      expect(e.generation).toBeLessThanOrEqual(6);
      expect(e.replicates).toBeGreaterThan(0);
      expect(e.replicates).toBeLessThanOrEqual(1);
    }
    // The breeds that vanish are the rare ones: the median count of the vanished is small.
    expect(doc.extinctions.map((e: { category: string }) => e.category)).not.toContain("Labrador Retriever");
  });

  it("gives the same bytes for the same options and seed, whatever --jobs", async () => {
    const a = await run([...DOGS, "--format", "json", "--jobs", "1", "-m", "1000000"]);
    const b = await run([...DOGS, "--format", "json", "--jobs", "2", "-m", "1000000"]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it("writes tidy CSV and NDJSON rows, reads labels from stdin and draws zipf sources", async () => {
    const csv = await run([...DOGS, "--format", "csv"]);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe("generation,metric,mean,sd,se,median,p025,p975,theory,real,synthetic,real_share");
    expect(lines).toHaveLength(1 + 7 * 10);
    const nd = (await run([...DOGS, "--format", "ndjson"])).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(nd.find((r) => r.generation === 6 && r.metric === "extinct").median).toBeGreaterThan(0);
    const piped = await run(["sim", "--model", "categorical", "--data", "-", "-g", "2", "-r", "3", "--format", "json", "--quiet"], {
      input: "oak,5\nash,3\nyew,1\n",
    });
    expect(JSON.parse(piped.stdout).generations[0].metrics.support.median).toBe(3);
    const zipf = await json(["sim", "--model", "categorical", "--source", "zipf(1.5,50)", "--seed-size", "200", "-g", "2", "-r", "3", "--quiet"]);
    expect(zipf.config).toMatchObject({ source: "zipf(1.5,50)", seedSize: 200, sampleSize: 200 });
    expect(zipf.generations[0].metrics.support.median).toBeLessThanOrEqual(50);
  });

  it("names the categories lost most often in the table and prints samples with --show-samples", async () => {
    const r = await run([...DOGS, "--show-samples"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/lost most often: .+ \(\d+% of chains, median generation \d+\)/);
    expect(r.stdout).toMatch(/gen 0: [A-Z]/);
    expect(r.stdout).toMatch(/gen 6: [A-Z]/);
  });
});

describe("collapse sim --model ngram", () => {
  it("reads the bundled corpus by default, from any working directory", async () => {
    const r = await run([...TEXT, "--format", "json"], { cwd: "/" });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.config).toMatchObject({ model: "ngram", data: "fixtures/medieval-architecture.txt", tokens: "word", order: 2, holdout: 0.1 });
    const m = doc.generations[3].metrics;
    for (const name of ["perplexity", "ppl_gen0", "vocab", "distinct_ngrams", "distinct_2", "entropy", "tail_support"]) {
      expect(Number.isFinite(m[name].median), name).toBe(true);
    }
    expect(m.vocab.median).toBeLessThan(doc.generations[0].metrics.vocab.median);
    expect(typeof doc.generations[0].sample).toBe("string");
    expect(doc.extinctions.length).toBeGreaterThan(100);
  });

  it("prints a sample of text per generation with --show-samples", async () => {
    const r = await run([...TEXT, "--show-samples", "--tokens", "char", "--order", "4"]);
    expect(r.code).toBe(0);
    const samples = r.stdout.split("\n").filter((l) => /^gen \d+: /.test(l));
    expect(samples).toHaveLength(4);
    for (const s of samples) expect(s.length).toBeGreaterThan(20);
  });

  it("reads text from stdin", async () => {
    const text = "the mason cut the stone and the mason set the stone on the wall of the tower ".repeat(20);
    const doc = JSON.parse(
      (await run(["sim", "--model", "ngram", "--data", "-", "-g", "2", "-r", "2", "--format", "json", "--quiet"], { input: text })).stdout,
    );
    expect(doc.generations[0].metrics.vocab.median).toBe(10); // the mason cut stone and set on wall of tower
  });
});

describe("bad input exits 2 with one line", () => {
  const cases: [string, string[], RegExp][] = [
    ["negative count", ["--model", "categorical", "--data", "fixtures/bad/negative-count.csv"], /negative-count\.csv:3: count -3 is negative/],
    [
      "fractional count",
      ["--model", "categorical", "--data", "fixtures/bad/fractional-count.csv"],
      /fractional-count\.csv:3: count 2\.5 is not a whole number/,
    ],
    ["duplicate label", ["--model", "categorical", "--data", "fixtures/bad/duplicate-label.csv"], /duplicate-label\.csv:4: label "a" already appeared/],
    ["empty label file", ["--model", "categorical", "--data", "fixtures/bad/empty.csv"], /empty\.csv is empty/],
    ["numeric source", ["--model", "categorical", "--source", "normal(0,1)"], /needs a category source such as zipf/],
    ["invalid UTF-8", ["--model", "ngram", "--data", "fixtures/bad/invalid-utf8.txt"], /invalid-utf8\.txt:2:20: invalid UTF-8 byte 0xff at byte offset 43/],
    [
      "text shorter than the order",
      ["--model", "ngram", "--data", "fixtures/bad/short.txt", "--order", "3"],
      /short\.txt: 1 word token\(s\) are too few for --order 3/,
    ],
    ["empty text", ["--model", "ngram", "--data", "fixtures/bad/empty.csv"], /0 word token\(s\) are too few/],
    ["smoothing on ngram", ["--model", "ngram", "--smoothing", "1"], /--smoothing does not apply to --model ngram/],
    ["order out of range", ["--model", "ngram", "--order", "7"], /--order must be a whole number >= 1 and <= 6/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await run(["sim", ...args, "--format", "json"]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    });
  }
});

describe("categorical tables in sweeps and checks", async () => {
  const NAMES = ["--model", "categorical", "--data", "fixtures/baby-names.csv", "--count-column", "births", "--duplicates", "sum"];
  const SMALL = ["-g", "2", "-r", "3", "--quiet"];

  it("--grid column=name,sex reads the file once per column; each point is collapse sim with its seed", async () => {
    const doc = await json(["sweep", ...NAMES, ...SMALL, "--grid", "column=name,sex"]);
    expect(doc.points.map((p: any) => [p.params.column, p.generations[0].metrics.support.mean])).toEqual([
      ["name", 270],
      ["sex", 2],
    ]);
    for (const point of doc.points) {
      const sim = await json(["sim", ...NAMES, ...SMALL, "--column", point.params.column, "--seed", point.config.seed]);
      expect(sim.config).toEqual(point.config);
      expect(sim.generations).toEqual(point.generations);
    }
  });

  it("--grid count-column sweeps the columns of counts (two years of births)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "collapse-years-"));
    try {
      const file = join(dir, "years.csv");
      writeFileSync(file, "name,y2023,y2024\nAda,40,3\nBo,5,30\nCy,1,0\nDi,2,9\n");
      const doc = await json(["sweep", "--model", "categorical", "--data", file, "--column", "name", ...SMALL, "--grid", "count-column=y2023,y2024"]);
      expect(doc.points.map((p: any) => [p.params.countColumn, p.config.seedSize, p.generations[0].metrics.support.mean])).toEqual([
        ["y2023", 48, 4],
        ["y2024", 42, 3],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--grid duplicates=error,sum stops before any work at the point that cannot read the table", async () => {
    const r = await run(["sweep", ...NAMES.slice(0, -2), "--column", "name", ...SMALL, "--grid", "duplicates=error,sum"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /duplicates=error.*fixtures\/baby-names\.csv:\d+: label "\w+" already appeared at fixtures\/baby-names\.csv:\d+; pass --duplicates sum/,
    );
  });

  it("collapse check re-runs a baseline of a table through the same options, and an older baseline without them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "collapse-check-"));
    try {
      copyFileSync(join(ROOT, "fixtures/baby-names.csv"), join(dir, "names.csv"));
      const saved = await run(
        ["sim", ...NAMES.map((a) => (a === "fixtures/baby-names.csv" ? "names.csv" : a)), "--column", "name", ...SMALL, "--save-baseline", "b.json"],
        {
          cwd: dir,
        },
      );
      expect(saved.stderr).toBe("");
      expect(saved.code).toBe(0);
      const baseline = JSON.parse(readFileSync(join(dir, "b.json"), "utf8"));
      expect(baseline.config).toMatchObject({ data: "names.csv", column: "name", countColumn: "births", duplicates: "sum" });
      const check = await run(["check", join(dir, "b.json")]);
      expect(check.stderr).toBe("");
      expect(check.code).toBe(0);
      expect(check.stdout).toMatch(/counts \[births\] · duplicates summed/);
      // A baseline written before the options existed re-runs at their defaults, without a warning.
      const dogs = await run([
        "sim",
        "--model",
        "categorical",
        "--data",
        join(ROOT, "fixtures/dog-breeds.csv"),
        ...SMALL,
        "--save-baseline",
        join(dir, "d.json"),
      ]);
      expect(dogs.code).toBe(0);
      const old = JSON.parse(readFileSync(join(dir, "d.json"), "utf8"));
      delete old.config.countColumn;
      delete old.config.duplicates;
      writeFileSync(join(dir, "old.json"), JSON.stringify(old));
      const again = await run(["check", join(dir, "old.json"), "--data", join(ROOT, "fixtures/dog-breeds.csv")]);
      expect(again.stderr).toBe("");
      expect(again.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
