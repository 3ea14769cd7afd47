/**
 * A baseline is untrusted input (in CI it arrives in a pull request). Its data path resolves from
 * its own folder and may not leave it; the data's SHA-256 is recorded and checked. The built
 * command line runs through its entry in-process (cli(), test/cli/in-process.ts).
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.js";
import { cli, type InProcessOptions } from "./in-process.js";

const dir = tempDir();
const SUB = join(dir, "ci");
const DATA = join(SUB, "data.csv");
const BASELINE = join(SUB, "baseline.json");
const RUN = ["sim", "-g", "2", "-r", "5", "--seed", "ci"];
const SECRET = "s3cret-token-do-not-print";
let doc: any;

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** A copy of the baseline with `edit` applied, in `folder` (default: next to it). */
function variant(name: string, edit: (d: any) => void, folder = SUB): string {
  const copy = JSON.parse(JSON.stringify(doc));
  edit(copy);
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(copy, null, 2));
  return path;
}

/** Runs `args`, expects exit 2 and exactly one line on stderr, no stack trace; returns the line. */
async function refused(args: string[], options: InProcessOptions = {}): Promise<string> {
  const r = await cli(args, options);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.endsWith("\n")).toBe(true);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr.trimEnd();
}

beforeAll(async () => {
  mkdirSync(SUB);
  copyFileSync(join(ROOT, "fixtures", "heights.csv"), DATA);
  // Saved from the data's folder, as a user would: the path recorded is "data.csv".
  const r = await cli([...RUN, "--data", "data.csv", "--column", "height_cm", "--save-baseline", "baseline.json", "--format", "csv"], { cwd: SUB });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  doc = JSON.parse(readFileSync(BASELINE, "utf8"));
});

describe("a baseline records the SHA-256 of its data", () => {
  it("config.dataSha256 follows config.data and is the hash of the file's bytes", async () => {
    expect(doc.config.data).toBe("data.csv");
    expect(doc.config.dataSha256).toBe(sha256(DATA));
    const keys = Object.keys(doc.config);
    expect(keys[keys.indexOf("data") + 1]).toBe("dataSha256");
  });

  it("a run from a --source records no data hash", async () => {
    const r = await cli([...RUN, "--format", "json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).config).not.toHaveProperty("dataSha256");
  });

  it("check passes from any working directory: the data path is read from the baseline's folder", async () => {
    const r = await cli(["check", BASELINE, "--quiet"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("a baseline saved into another folder records the data path from that folder", async () => {
    const out = join(dir, "out");
    mkdirSync(out);
    const r = await cli([...RUN, "--data", "data.csv", "--column", "height_cm", "--save-baseline", "../out/b.json", "--format", "csv"], { cwd: SUB });
    expect(r.status).toBe(0);
    const saved = JSON.parse(readFileSync(join(out, "b.json"), "utf8"));
    // Outside the baseline's folder: check needs --data, and says so.
    expect(saved.config.data).toBe("../ci/data.csv");
    expect(await refused(["check", join(out, "b.json")])).toMatch(/b\.json: .*"config\.data".*pass --data FILE/);
    expect((await cli(["check", join(out, "b.json"), "--data", DATA, "--quiet"])).status).toBe(0);
    // Saved below the data's folder's parent, it stays a path the check can follow.
    mkdirSync(join(SUB, "nested"));
    expect(
      (await cli([...RUN, "--data", "data.csv", "--column", "height_cm", "--save-baseline", "nested/b.json", "--format", "csv"], { cwd: SUB })).status,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(SUB, "nested", "b.json"), "utf8")).config.data).toBe("../data.csv");
  });

  it("check refuses data that changed since the baseline was saved, naming both hashes", async () => {
    const copy = join(dir, "changed");
    mkdirSync(copy);
    const lines = readFileSync(DATA, "utf8").split("\n");
    // One value edited: same size and shape, different numbers.
    lines[1] = lines[1]!.replace(/\d(?=\D*$)/, (d) => String((Number(d) + 1) % 10));
    writeFileSync(join(copy, "data.csv"), lines.join("\n"));
    const path = variant("baseline.json", () => {}, copy);
    const line = await refused(["check", path]);
    expect(line).toMatch(
      /^collapse: .*data\.csv changed since the baseline was saved \(sha256 [0-9a-f]{12}…? ≠ [0-9a-f]{12}…?\); restore it or save a new baseline$/,
    );
    // --data chooses the file, but it must still be the data the baseline was saved with.
    expect(await refused(["check", BASELINE, "--data", join(copy, "data.csv")])).toMatch(/changed since the baseline was saved/);
  });

  it("a recorded hash that is not a SHA-256 is a bad baseline", async () => {
    expect(await refused(["check", variant("badhash.json", (d) => (d.config.dataSha256 = 42))])).toMatch(/"config\.dataSha256" must be/);
  });
});

describe("a baseline's data path may not leave the baseline's folder", () => {
  it('"data": "/proc/self/environ" is refused without reading it', async () => {
    const path = variant("environ.json", (d) => (d.config.data = "/proc/self/environ"));
    const line = await refused(["check", path], { env: { COLLAPSE_TEST_SECRET: SECRET } });
    expect(line).toMatch(/environ\.json: "config\.data" is an absolute path .*; pass --data FILE to collapse check/);
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain("PATH=");
  });

  it('"data": "../../etc/passwd" is refused without reading it', async () => {
    const path = variant("passwd.json", (d) => (d.config.data = "../../etc/passwd"));
    const line = await refused(["check", path]);
    expect(line).toMatch(/passwd\.json: "config\.data" climbs out of the baseline's folder .*; pass --data FILE to collapse check/);
    expect(line).not.toMatch(/root:/);
  });

  it("a path that climbs out only after normalisation is refused too; one that stays inside is not", async () => {
    expect(await refused(["check", variant("sneaky.json", (d) => (d.config.data = "a/../../x.csv"))])).toMatch(/climbs out/);
    expect(await refused(["check", variant("backslash.json", (d) => (d.config.data = "..\\..\\x.csv"))])).toMatch(/climbs out/);
    const inside = variant("inside.json", (d) => (d.config.data = "nested/../data.csv"));
    expect((await cli(["check", inside, "--quiet"], { cwd: dir })).status).toBe(0);
  });

  it("a path inside the folder that is a symbolic link out of it is refused too", async () => {
    symlinkSync("/etc/passwd", join(SUB, "link.csv"));
    const line = await refused(["check", variant("link.json", (d) => (d.config.data = "link.csv"))]);
    expect(line).toMatch(/link\.json: "config\.data" leads out of the baseline's folder through a symbolic link .*; pass --data FILE/);
    expect(line).not.toMatch(/root:/);
    // A link that stays inside is followed.
    symlinkSync("data.csv", join(SUB, "inner.csv"));
    expect((await cli(["check", variant("inner.json", (d) => (d.config.data = "inner.csv")), "--quiet"])).status).toBe(0);
  });

  it("--data overrides the baseline's path (absolute or not); a missing file names --data", async () => {
    const path = variant("environ2.json", (d) => (d.config.data = "/proc/self/environ"));
    expect((await cli(["check", path, "--data", DATA, "--quiet"])).status).toBe(0);
    expect(await refused(["check", path, "--data", join(dir, "absent.csv")])).toMatch(/cannot read .*absent\.csv: no such file/);
  });

  it("--data on a baseline of a --source run is refused", async () => {
    const src = join(dir, "source.json");
    expect((await cli([...RUN, "--save-baseline", src, "--format", "csv"])).status).toBe(0);
    expect(await refused(["check", src, "--data", DATA])).toMatch(/source\.json.*--source.*drop --data/);
  });
});

describe("nothing of a hostile baseline is echoed at length", () => {
  const HUGE = "A".repeat(100_000);

  it("a huge tool version is refused as a bad field, quoted short", async () => {
    const line = await refused(["check", variant("version.json", (d) => (d.tool.version = HUGE))]);
    expect(line).toMatch(/"tool"/);
    expect(line.length).toBeLessThan(300);
  });

  it("metric names must be names; a huge one is quoted short", async () => {
    const path = variant("metric.json", (d) => {
      for (const g of d.generations) {
        g.metrics[HUGE] = g.metrics.mean;
        delete g.metrics.mean;
      }
    });
    const line = await refused(["check", path]);
    expect(line).toMatch(/metrics/);
    expect(line.length).toBeLessThan(300);
  });

  it("a huge data path is quoted short", async () => {
    const line = await refused(["check", variant("longpath.json", (d) => (d.config.data = "/" + HUGE))]);
    expect(line).toMatch(/absolute path/);
    expect(line.length).toBeLessThan(300);
  });
});
