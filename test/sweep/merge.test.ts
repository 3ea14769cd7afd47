import { describe, expect, it } from "vitest";
import { decodeCheckedUtf8 } from "../../src/data/read.js";
import { parseGridFlag } from "../../src/sweep/grid.js";
import { mergeShardBytes, mergeShards, type ShardBytes, type ShardFile } from "../../src/sweep/merge.js";
import { planSweep, type SweepPlan } from "../../src/sweep/plan.js";
import { inputError } from "../expect-error.js";
import { flags } from "../helpers.js";
import { output, shards } from "./framing.js";

function makePlan(generations: number, ...grid: string[]): SweepPlan {
  return planSweep(flags({ generations: String(generations), replicates: "3", seedSize: "20" }), grid.map(parseGridFlag));
}

const plan = makePlan(2, "sample-size=10,20,30", "estimator=mle,unbiased");

describe("sweep output framing", () => {
  it("json is exactly JSON.stringify(document, null, 2) with the documented shape", () => {
    const text = output(plan, "json");
    const doc = JSON.parse(text);
    expect(JSON.stringify(doc, null, 2) + "\n").toBe(text);
    expect(Object.keys(doc)).toEqual(["tool", "config", "seed", "grid", "points"]);
    expect(doc.grid).toEqual(["sampleSize", "estimator"]);
    expect(doc.points).toHaveLength(6);
    expect(Object.keys(doc.points[0])).toEqual(["params", "config", "generations"]);
    expect(doc.points[4].params).toEqual({ sampleSize: 30, estimator: "mle" });
    expect(doc.points[4].config).toMatchObject({ sampleSize: 30, estimator: "mle", seed: plan.points[4]!.config.seed });
    // A shard holding no point is still one valid document.
    const empty = output(makePlan(1, "sample-size=10"), "json", { index: 2, count: 2 });
    expect(JSON.stringify(JSON.parse(empty), null, 2) + "\n").toBe(empty);
  });

  it("csv and ndjson: grid values lead every row; unsharded output has no comment lines", () => {
    const csv = output(plan, "csv").split("\n");
    expect(csv[0]).toBe("sampleSize,estimator,generation,metric,mean,sd,se,median,p025,p975,theory,real,synthetic,real_share");
    expect(csv[1]).toMatch(/^10,mle,0,mean,/);
    expect(csv.some((l) => l.startsWith("#"))).toBe(false);
    const first = JSON.parse(output(plan, "ndjson").split("\n")[0]!);
    expect(Object.keys(first).slice(0, 4)).toEqual(["sampleSize", "estimator", "generation", "metric"]);
  });
});

describe("mergeShards", () => {
  for (const format of ["csv", "ndjson", "json"] as const) {
    it(`${format}: shards in any order merge to the unsharded output, byte for byte`, () => {
      const whole = output(plan, format);
      const parts = shards(plan, format, 4);
      expect(mergeShards([parts[2]!, parts[0]!, parts[3]!, parts[1]!])).toBe(whole);
      // More shards than points: some shards are empty, and still needed.
      expect(mergeShards(shards(plan, format, 7))).toBe(whole);
    });
  }

  it("rejects a missing shard, naming it and the fix", () => {
    const parts = shards(plan, "csv", 3);
    expect(inputError(() => mergeShards([parts[0]!, parts[2]!]))).toBe("shard 2 of 3 missing; run collapse sweep … --shard 2/3 and merge every shard");
  });

  it("rejects a shard of another sweep (config hash)", () => {
    const other = makePlan(3, "sample-size=10,20,30", "estimator=mle,unbiased");
    const mine = shards(plan, "csv", 2);
    const foreign = { name: "other-2.csv", text: shards(other, "csv", 2)[1]!.text };
    expect(inputError(() => mergeShards([mine[0]!, foreign]))).toMatch(
      new RegExp(`^other-2\\.csv comes from another sweep than part-1\\.csv \\(config hash ${other.hash}, not ${plan.hash}\\)`),
    );
  });

  it("rejects duplicates, mixed splits, mixed formats and files that are not shards", () => {
    const parts = shards(plan, "ndjson", 2);
    expect(inputError(() => mergeShards([parts[0]!, parts[1]!, { ...parts[0]!, name: "copy.ndjson" }]))).toBe(
      "part-1.ndjson and copy.ndjson are both shard 1/2; give each shard once",
    );
    expect(inputError(() => mergeShards([parts[0]!, shards(plan, "ndjson", 3)[1]!]))).toMatch(/is shard 2\/3 but part-1\.ndjson is shard 1\/2/);
    expect(inputError(() => mergeShards([parts[0]!, shards(plan, "csv", 2)[1]!]))).toMatch(/is csv but part-1\.ndjson is ndjson/);
    expect(inputError(() => mergeShards([{ name: "all.csv", text: output(plan, "csv") }]))).toMatch(/^all\.csv: not a sweep shard/);
    expect(inputError(() => mergeShards([{ name: "all.json", text: output(plan, "json") }]))).toMatch(/^all\.json: not a sweep shard/);
  });

  it("rejects a shard cut short or edited", () => {
    const parts = shards(plan, "csv", 2);
    const cut = { name: "cut.csv", text: parts[1]!.text.slice(0, parts[1]!.text.lastIndexOf("# collapse-sweep end")) };
    expect(inputError(() => mergeShards([parts[0]!, cut]))).toBe("cut.csv: shard 2/2 is incomplete (it has no end line); run it again with --shard 2/2");
    const dropped = { name: "drop.csv", text: parts[1]!.text.replace(/# point 3 [^\n]*\n[^#]*/, "") };
    expect(inputError(() => mergeShards([parts[0]!, dropped]))).toMatch(/^drop\.csv: shard 2\/2 is incomplete \(point 3 is missing\)/);
    const json = shards(plan, "json", 2);
    const doc = JSON.parse(json[0]!.text);
    doc.config.generations = 5;
    expect(inputError(() => mergeShards([{ name: "edit.json", text: JSON.stringify(doc) }, json[1]!]))).toMatch(
      /^edit\.json: its config does not match its hash/,
    );
    doc.config.generations = 2;
    doc.points.pop();
    expect(inputError(() => mergeShards([{ name: "short.json", text: JSON.stringify(doc) }, json[1]!]))).toMatch(
      /^short\.json: shard 1\/2 is incomplete \(it holds 2 of its 3 points\)/,
    );
  });
});

describe("mergeShardBytes (the command line's path: bytes, in steps)", () => {
  const bytesOf = (files: ShardFile[]): ShardBytes[] => files.map((f) => ({ name: f.name, bytes: new TextEncoder().encode(f.text) }));
  /** What a merge gives: the text, or the error's message. */
  const outcome = async (f: () => string | Promise<string>) => {
    try {
      return { text: await f() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  // The reference: mergeShards of each file's text as the command line read it before (decoded, a
  // byte-order mark dropped).
  const both = async (files: ShardFile[], pieceSizes = [1, 7, 200]) => {
    const sync = await outcome(() => mergeShards(bytesOf(files).map(({ name, bytes }) => ({ name, text: decodeCheckedUtf8(bytes, name) }))));
    const stepped = await outcome(async () => [...(await mergeShardBytes(bytesOf(files))).text].join(""));
    // A text shard decoded in pieces as small as a byte (a shard of 512 MiB or more is more than one string).
    for (const pieceBytes of pieceSizes) {
      const cut = await outcome(async () => [...(await mergeShardBytes(bytesOf(files), pieceBytes)).text].join(""));
      expect(cut, `pieces of ${pieceBytes} bytes`).toEqual(stepped);
    }
    return { sync, stepped };
  };

  it("gives mergeShards' text or message, for whole, broken and oddly written shards of every format", async () => {
    for (const format of ["csv", "ndjson", "json"] as const) {
      const parts = shards(plan, format, 3);
      const edit = (k: number, f: (t: string) => string, name = `edited.${format}`): ShardFile[] =>
        parts.map((p, i) => (i === k ? { name, text: f(p.text) } : p));
      const cases: ShardFile[][] = [
        [parts[2]!, parts[0]!, parts[1]!],
        [parts[0]!, parts[1]!],
        edit(1, (t) => t.replace(/(\d)(\d)/, "$2$1")),
        edit(1, (t) => t.replace(/[0-9]\.[0-9]/, (m) => `${m}1`)),
        edit(2, (t) => t.slice(0, Math.floor(t.length * 0.6))),
        edit(0, (t) => `\ufeff${t}`),
        edit(0, (t) => `${" ".repeat(5000)}${t}`),
        edit(0, () => " ".repeat(5000)),
        edit(0, (t) => t.replaceAll("\n", "\r\n")),
        edit(2, (t) => `${t}\n`),
      ];
      for (const [k, files] of cases.entries()) {
        const { sync, stepped } = await both(files);
        expect(stepped, `${format} case ${k}`).toEqual(sync);
      }
    }
  });

  it("a text shard read and hashed in steps: 65,536 lines and 8 MB at a time give the same merge", async () => {
    // About 140,000 rows and 11 MB a shard: both steps are crossed.
    const long = makePlan(2000, "sample-size=10:100:10");
    const parts = shards(long, "csv", 2);
    expect(parts[0]!.text.length).toBeGreaterThan(8 << 20);
    expect(parts[0]!.text.split("\n").length).toBeGreaterThan(2 << 16);
    // Pieces of 3 MB: lines and 8 MB hashing steps cross the cuts.
    const { sync, stepped } = await both(parts, [3e6 + 1]);
    expect(sync).toEqual({ text: output(long, "csv") });
    expect(stepped).toEqual(sync);
  });
});
