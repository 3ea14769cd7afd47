/**
 * Shards are checked, not trusted, and a sweep's hash covers its --data files' content: the built
 * command line through its entry in-process (cli(), test/cli/in-process.ts).
 */
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.js";
import { cli } from "./in-process.js";

const dir = tempDir();
const DATA = join(dir, "d.csv");
copyFileSync(join(ROOT, "fixtures", "heights.csv"), DATA);
const RUN = ["sweep", "--grid", "estimator=mle,unbiased", "--grid", "regime=replace,accumulate", "-g", "2", "-r", "4", "--column", "height_cm", "--jobs", "1"];

async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

/** Exit 2, one line on stderr, no trace. */
async function refused(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

async function shardsOf(data: string, format: string, n: number, tag: string): Promise<string[]> {
  const paths: string[] = [];
  for (let k = 0; k < n; k++) {
    const path = join(dir, `${tag}-${k + 1}.${format}`);
    await ok([...RUN, "--data", data, "--format", format, "--shard", `${k + 1}/${n}`, "-o", path]);
    paths.push(path);
  }
  return paths;
}

describe("a sweep over --data records the data's SHA-256", () => {
  it("config.dataSha256 maps the data path to its hash (json and --print-config)", async () => {
    const sha = createHash("sha256").update(readFileSync(DATA)).digest("hex");
    expect(JSON.parse(await ok([...RUN, "--data", DATA, "--format", "json"])).config.dataSha256).toEqual({ [DATA]: sha });
    expect(JSON.parse(await ok([...RUN, "--data", DATA, "--print-config"])).dataSha256).toEqual({ [DATA]: sha });
  });

  it("shards of different data do not merge, though their options are the same", async () => {
    const [a] = await shardsOf(DATA, "csv", 2, "same");
    const before = readFileSync(DATA, "utf8");
    writeFileSync(DATA, before.replace("159.1", "159.2"));
    try {
      const [, b] = await shardsOf(DATA, "csv", 2, "changed");
      expect(await refused(["merge", a!, b!])).toMatch(
        /comes from another sweep than .* \(config hash [0-9a-f]{16}, not [0-9a-f]{16}\); merge the shards of one sweep/,
      );
    } finally {
      writeFileSync(DATA, before);
    }
  });
});

describe("collapse merge checks every shard's SHA-256", () => {
  it("merged shards still equal the unsharded sweep, byte for byte", async () => {
    for (const format of ["csv", "ndjson", "json"]) {
      expect(await ok(["merge", ...(await shardsOf(DATA, format, 3, `whole-${format}`))])).toBe(await ok([...RUN, "--data", DATA, "--format", format]));
    }
  });

  it("a shard with one edited number fails with exit 2, naming the shard and the point", async () => {
    const [a, b] = await shardsOf(DATA, "csv", 2, "edit");
    const text = readFileSync(b!, "utf8");
    // The first mean of point 3 (the second point of shard 2/2), one digit changed.
    const start = text.indexOf("# point 3 ");
    const row = text.indexOf("\n", start) + 1;
    const digit = text.slice(row).search(/\d\.\d/) + row;
    writeFileSync(b!, text.slice(0, digit) + String((Number(text[digit]) + 1) % 10) + text.slice(digit + 1));
    expect(await refused(["merge", a!, b!])).toMatch(
      /^collapse: .*edit-2\.csv: point 3 of shard 2\/2 does not match its SHA-256 \(the file was edited or damaged\); run the shard again with --shard 2\/2$/,
    );
  });

  it("a header claiming 10^9 points is refused at once, exit 2", async () => {
    const [a, b] = await shardsOf(DATA, "ndjson", 2, "claim");
    for (const path of [a!, b!]) writeFileSync(path, readFileSync(path, "utf8").replace('"points":4', '"points":1000000000'));
    expect(await refused(["merge", a!, b!])).toMatch(/claim-1\.ndjson: its header claims 1000000000 points, more than a sweep can have \(100000\)/);
  });
});
