/**
 * The built command line on mvn, gmm and the regimes, through its entry in-process (cli(),
 * test/cli/in-process.ts): the same options, outputs, messages and exit codes, without starting
 * Node for each run. The numbers themselves are tested against theory in test/models and
 * test/core/regimes.test.ts.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./cli.js";
import { cli } from "./in-process.js";

const SUMMARY = ["mean", "sd", "se", "median", "p025", "p975"];

/**
 * The run's JSON document. One job: mvn and gmm always run on a worker thread, and the numbers do
 * not depend on --jobs (test/engine); two replicate threads more would only cost their start-up.
 */
async function json(args: string[]) {
  const r = await cli([...args, "--jobs", "1", "--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

/** A user error: exit 2, one line on stderr, nothing on stdout. */
async function usage(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  return lines[0]!;
}

describe("collapse sim --model mvn", () => {
  it("json: the mvn metrics for every generation, theory under --theory, dims in the config", async () => {
    const doc = await json(["sim", "--model", "mvn", "-g", "3", "-r", "20", "--theory"]);
    expect(doc.config).toMatchObject({ model: "mvn", dims: 2, source: "normal(0,1)", seedSize: 100, sampleSize: 100 });
    expect(doc.generations).toHaveLength(4);
    const names = [
      "var_ratio",
      "log_var_ratio",
      "gen_var_ratio",
      "log_gen_var_ratio",
      "mean_drift",
      "w2",
      "kl",
      "tail_mass_2",
      "tail_mass_centered_2",
      "tail_loss_2",
      "tail_mass_3",
      "tail_mass_centered_3",
      "tail_loss_3",
    ];
    expect(Object.keys(doc.generations[1].metrics)).toEqual(names);
    for (const n of names) expect(Object.keys(doc.generations[2].metrics[n])).toEqual(SUMMARY);
    expect(doc.generations[2].theory.var_ratio).toBeCloseTo(0.99 ** 2, 12);
    expect(doc.generations[0].metrics.tail_mass_2.mean).toBeCloseTo(0.0455002638963584, 10);
  });

  it("csv and ndjson: tidy rows, (G+1) × metrics of them", async () => {
    const csv = await cli(["sim", "--model", "mvn", "--dims", "3", "-g", "2", "-r", "10", "--format", "csv"]);
    expect(csv.status).toBe(0);
    const rows = csv.stdout.trimEnd().split("\n");
    expect(rows[0]).toBe("generation,metric,mean,sd,se,median,p025,p975,theory,real,synthetic,real_share");
    expect(rows).toHaveLength(1 + 3 * 13);
    const nd = await cli(["sim", "--model", "mvn", "-g", "2", "-r", "10", "--format", "ndjson"]);
    const lines = nd.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3 * 13);
    expect(lines.every((l) => Number.isFinite(l.mean))).toBe(true);
  });

  it("reads all numeric columns of a file, says which it ignored on stderr, or the ones named by --column", async () => {
    const dir = tempDir();
    const file = join(dir, "people.csv");
    writeFileSync(
      file,
      "name,height,weight,age\n" +
        Array.from({ length: 40 }, (_, i) => `p${i},${150 + ((i * 7) % 40)},${50 + ((i * 11) % 30)},${20 + ((i * 13) % 50)}`).join("\n") +
        "\n",
    );
    const all = await cli(["sim", "--model", "mvn", "--data", file, "-g", "1", "-r", "3", "--format", "json"]);
    expect(all.status).toBe(0);
    expect(all.stderr).toMatch(/ignoring non-numeric column\(s\) name/);
    const two = await json(["sim", "--model", "mvn", "--data", file, "--column", "height,weight", "-g", "1", "-r", "3"]);
    expect(two.config.column).toBe("height,weight");
    expect((await cli(["sim", "--model", "mvn", "--data", file, "-g", "1", "-r", "3", "--quiet", "--format", "csv"])).stderr).toBe("");
  });

  it("fixtures: heights.csv (2 columns) runs", async () => {
    const doc = await json(["sim", "--model", "mvn", "--data", "fixtures/heights.csv", "-g", "2", "-r", "5"]);
    expect(doc.config.seedSize).toBe(500);
  });
});

describe("collapse sim --model gmm", () => {
  it("1-D (one --column): mean, std, w2 and modes; the default source is bimodal", async () => {
    const doc = await json(["sim", "--model", "gmm", "--data", "fixtures/eruptions.csv", "--column", "duration_min", "-g", "2", "-r", "5"]);
    const names = Object.keys(doc.generations[0].metrics);
    expect(names).toEqual(expect.arrayContaining(["mean", "std", "var_ratio", "mean_drift", "w2", "kl", "tail_loss_2", "modes"]));
    expect(doc.generations[0].metrics.modes.mean).toBe(2);
    const def = await json(["sim", "--model", "gmm", "-g", "1", "-r", "3"]);
    expect(def.config).toMatchObject({ source: "mixture(0.5*normal(-2,1),0.5*normal(2,1))", dims: 1, components: 2, seedSize: 500 });
    expect(def.generations[0].metrics.modes.mean).toBe(2);
  });

  it("2-D (several columns): gen_var_ratio instead of mean, std and w2; three clusters found in clusters-2d.csv", async () => {
    const doc = await json(["sim", "--model", "gmm", "--data", "fixtures/clusters-2d.csv", "--components", "3", "-g", "1", "-r", "3"]);
    const names = Object.keys(doc.generations[0].metrics);
    expect(names).toContain("gen_var_ratio");
    expect(names).not.toContain("w2");
    expect(doc.generations[0].metrics.modes.mean).toBe(3);
  });
  // A rare mode dying over the generations (30 chains of 30 generations): test/models/gmm.test.ts.
});

describe("user errors exit 2 with one line", () => {
  const dir = tempDir();
  const equal = join(dir, "equal.csv");
  writeFileSync(equal, "x\n" + "4.2\n".repeat(30));
  const few = join(dir, "few.csv");
  writeFileSync(few, "x\n1\n2\n3\n");
  const collinear = join(dir, "collinear.csv");
  writeFileSync(collinear, "a,b\n" + Array.from({ length: 20 }, (_, i) => `${i},${2 * i + 1}`).join("\n") + "\n");

  it("gmm: all points equal, fewer points than components", async () => {
    expect(await usage(["sim", "--model", "gmm", "--data", equal])).toMatch(/equal\.csv: column "x": all values are equal \(4\.2\)/);
    expect(await usage(["sim", "--model", "gmm", "--data", few, "--components", "4"])).toMatch(
      /few\.csv: 3 row\(s\) but --components is 4: fewer points than components; lower --components/,
    );
  });

  it("mvn: a constant or collinear column, too few rows", async () => {
    expect(await usage(["sim", "--model", "mvn", "--data", equal])).toMatch(/all values are equal/);
    expect(await usage(["sim", "--model", "mvn", "--data", collinear])).toMatch(/collinear\.csv: column "b" is \(almost\) a linear combination of "a"/);
    expect(await usage(["sim", "--model", "mvn", "--source", "normal(0,1)", "--dims", "5", "--seed-size", "4"])).toMatch(
      /4 row\(s\) of 5 column\(s\); --model mvn needs at least 6/,
    );
  });

  it("options that do not apply", async () => {
    expect(await usage(["sim", "--model", "gmm", "--estimator", "unbiased"])).toMatch(/--estimator does not apply to --model gmm/);
    expect(await usage(["sim", "--model", "mvn", "--components", "3"])).toMatch(/--components does not apply to --model mvn/);
    expect(await usage(["sim", "--model", "mvn", "--data", "fixtures/heights.csv", "--dims", "2"])).toMatch(/--dims applies to --source/);
  });
});

describe("regimes from the command line", () => {
  const base = ["sim", "-g", "3", "-r", "20", "--format", "json"];
  // Every regime and model, through the core: test/core/regimes.test.ts. Here the flag's plumbing.
  it("--filter-recall 0 gives the same bytes as no filter", async () => {
    for (const extra of [[], ["--regime", "accumulate"]]) {
      const a = await cli([...base, ...extra]);
      const b = await cli([...base, ...extra, "--filter-recall", "0"]);
      expect(a.status).toBe(0);
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it("accumulate has --theory; mix and fresh have none; every regime composes with --truncate", async () => {
    const acc = JSON.parse((await cli([...base, "--regime", "accumulate", "--theory", "--truncate", "2"])).stdout);
    expect(acc.generations[3].theory.var_ratio).toBeLessThan(1);
    for (const regime of ["mix", "fresh"]) {
      const r = await cli([...base, "--regime", regime, "--real-fraction", "0.5", "--theory", "--truncate", "2"]);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).generations[3].theory).toBeUndefined();
    }
  });

  it("--help defines every regime", async () => {
    const help = (await cli(["sim", "--help"])).stdout;
    for (const word of ["replace", "accumulate", "mix", "fresh", "--filter-recall"]) expect(help).toContain(word);
  });
});
