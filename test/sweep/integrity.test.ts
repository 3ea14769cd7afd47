/**
 * Shards are untrusted files: each carries a SHA-256 of every point's rows and of the whole shard,
 * merge verifies them and names what differs, and a header cannot make merge allocate for points
 * that are not there. The sweep hash covers the content of the --data files.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseGridFlag } from "../../src/sweep/grid.js";
import { mergeShards } from "../../src/sweep/merge.js";
import { planSweep } from "../../src/sweep/plan.js";
import { tempDir } from "../cli/cli.js";
import { inputError } from "../expect-error.js";
import { flags } from "../helpers.js";
import { shards } from "./framing.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const plan = planSweep(flags({ generations: "2", replicates: "3", seedSize: "20" }), ["sample-size=10,20,30", "estimator=mle,unbiased"].map(parseGridFlag));

/** Replaces the first number after `after` in `text` by another. */
function editNumber(text: string, after: number): string {
  const at = text.slice(after).search(/\d\.\d/) + after;
  const digit = text[at]!;
  return text.slice(0, at) + String((Number(digit) + 1) % 10) + text.slice(at + 1);
}

describe("shard checksums", () => {
  it("csv/ndjson shards carry a SHA-256 per point and one of the whole shard on the end line", () => {
    for (const format of ["csv", "ndjson"] as const) {
      const text = shards(plan, format, 2)[0]!.text;
      const lines = text.trimEnd().split("\n");
      const end = lines.at(-1)!;
      expect(end).toMatch(/^# collapse-sweep end sha256=[0-9a-f]{64}$/);
      expect(end.slice(-64)).toBe(sha256(text.slice(0, text.lastIndexOf("# collapse-sweep end"))));
      const first = text.indexOf("# point 0 ");
      const line = text.slice(first, text.indexOf("\n", first));
      expect(line).toMatch(/^# point 0 sha256=[0-9a-f]{64}$/);
      const body = text.slice(text.indexOf("\n", first) + 1, text.indexOf("# point 2 "));
      expect(line.slice(-64)).toBe(sha256(body));
    }
  });

  it("json shards are valid JSON with a sha256 object after the points", () => {
    const doc = JSON.parse(shards(plan, "json", 2)[0]!.text);
    expect(Object.keys(doc)).toEqual(["tool", "config", "seed", "grid", "shard", "points", "sha256"]);
    expect(doc.sha256.points).toHaveLength(doc.points.length);
    expect(doc.sha256.all).toMatch(/^[0-9a-f]{64}$/);
    // Empty shards (more shards than points) too.
    expect(JSON.parse(shards(plan, "json", 8)[7]!.text).sha256).toEqual({ points: [], all: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  for (const format of ["csv", "ndjson", "json"] as const) {
    it(`${format}: a shard with one edited number fails merge, naming the shard and the point`, () => {
      const parts = shards(plan, format, 2);
      const text = parts[1]!.text;
      // Point 3 is the second point of shard 2/2: edit a number in its rows.
      const at = format === "json" ? text.indexOf('"generations": [', text.indexOf('"params"', text.indexOf('"params"') + 1)) : text.indexOf("# point 3 ");
      const edited = { name: "edited." + format, text: editNumber(text, at + 12) };
      expect(edited.text).not.toBe(text);
      const line = inputError(() => mergeShards([parts[0]!, edited]));
      expect(line).toMatch(
        new RegExp(
          `^edited\\.${format}: point 3 of shard 2/2 does not match its SHA-256 \\(the file was edited or damaged\\); run the shard again with --shard 2/2$`,
        ),
      );
    });
  }

  it("an edit outside the points (the header) fails on the shard's own SHA-256", () => {
    const parts = shards(plan, "csv", 2);
    // The csv column header names the grid; one changed letter still parses.
    const edited = { name: "head.csv", text: parts[1]!.text.replace('"hash":"', '"hash": "') };
    expect(inputError(() => mergeShards([parts[0]!, edited]))).toMatch(
      /^head\.csv: shard 2\/2 does not match its SHA-256 \(the file was edited or damaged\); run the shard again with --shard 2\/2$/,
    );
  });

  it("a point's checksum edited along with its rows still fails on the shard's SHA-256", () => {
    const parts = shards(plan, "ndjson", 2);
    const text = parts[1]!.text;
    const start = text.indexOf("# point 3 ");
    const bodyStart = text.indexOf("\n", start) + 1;
    const bodyEnd = text.indexOf("# point 5 ");
    const body = editNumber(text.slice(bodyStart, bodyEnd), 0);
    const forged = text.slice(0, start) + `# point 3 sha256=${sha256(body)}\n` + body + text.slice(bodyEnd);
    expect(inputError(() => mergeShards([parts[0]!, { name: "forged.ndjson", text: forged }]))).toMatch(
      /^forged\.ndjson: shard 2\/2 does not match its SHA-256/,
    );
  });

  it("a shard without checksums (an older format) is refused", () => {
    const parts = shards(plan, "csv", 2);
    const old = { name: "old.csv", text: parts[1]!.text.replace(/ sha256=[0-9a-f]{64}/g, "") };
    expect(inputError(() => mergeShards([parts[0]!, old]))).toMatch(/^old\.csv: .*(SHA-256|sha256).*run the shard again/);
  });
});

describe("shard headers do not drive allocations", () => {
  it("a header claiming 10^9 points is refused without allocating for them", () => {
    for (const format of ["csv", "json"] as const) {
      const parts = shards(plan, format, 2);
      const big = parts.map((p) => ({
        name: p.name,
        text: p.text.replace('"points":6', '"points":1000000000').replace('"points": 6', '"points": 1000000000'),
      }));
      expect(big[0]!.text).toContain("1000000000");
      const line = inputError(() => mergeShards(big));
      expect(line).toMatch(/^part-1\.(csv|json): .*1000000000 points/);
    }
  });

  it("a header claiming more points than the shard holds is refused before any allocation", () => {
    const parts = shards(plan, "ndjson", 2);
    const more = parts.map((p) => ({ name: p.name, text: p.text.replace('"points":6', '"points":60000') }));
    // Its points 0, 2, 4 are there; the first one claimed but absent is named.
    expect(inputError(() => mergeShards(more))).toMatch(/^part-1\.ndjson: shard 1\/2 is incomplete \(point 6 is missing\)/);
    const json = shards(plan, "json", 2).map((p) => ({ name: p.name, text: p.text.replace('"points": 6', '"points": 60000') }));
    expect(inputError(() => mergeShards(json))).toMatch(/^part-1\.json: .*(hash|incomplete)/);
  });

  it("a header whose hash is not a sweep hash is not a shard header (nothing of it is echoed)", () => {
    const parts = shards(plan, "csv", 2);
    const odd = { name: "odd.csv", text: parts[0]!.text.replace(/"hash":"[0-9a-f]+"/, `"hash":"${"x".repeat(5000)}"`) };
    const line = inputError(() => mergeShards([odd, parts[1]!]));
    expect(line).toMatch(/^odd\.csv: not a sweep shard/);
    expect(line.length).toBeLessThan(200);
  });

  it("a bad point line is echoed cut short", () => {
    const parts = shards(plan, "csv", 2);
    const odd = { name: "odd.csv", text: parts[0]!.text.replace(/# point 2 [^\n]*/, `# point 2x${"y".repeat(5000)}`) };
    const line = inputError(() => mergeShards([odd, parts[1]!]));
    expect(line).toMatch(/^odd\.csv:\d+: bad or repeated/);
    expect(line.length).toBeLessThan(250);
  });
});

describe("the sweep hash covers the content of --data files", () => {
  const dir = tempDir();
  const data = join(dir, "d.csv");

  it("records each data file's SHA-256 in config.dataSha256 and in the hash", () => {
    writeFileSync(data, "x\n1\n2\n3\n4\n5\n");
    const hashData = (path: string) => sha256(path === data ? "x\n1\n2\n3\n4\n5\n" : "other");
    const a = planSweep(flags({ data, generations: "2" }), [parseGridFlag("estimator=mle,unbiased")], hashData);
    expect(a.config.dataSha256).toEqual({ [data]: sha256("x\n1\n2\n3\n4\n5\n") });
    const keys = Object.keys(a.config);
    expect(keys[keys.indexOf("data") + 1]).toBe("dataSha256");
    const b = planSweep(flags({ data, generations: "2" }), [parseGridFlag("estimator=mle,unbiased")], (p) => sha256(p + "changed"));
    expect(b.hash).not.toBe(a.hash);
    // A data axis: every file is hashed, in grid order.
    const c = planSweep(flags({ generations: "2" }), [parseGridFlag(`data=${data},other.csv`)], hashData);
    expect(Object.keys(c.config.dataSha256 as object)).toEqual([data, "other.csv"]);
    // Without data, nothing is recorded (unchanged documents).
    expect(planSweep(flags({ generations: "2" }), [parseGridFlag("estimator=mle,unbiased")], hashData).config).not.toHaveProperty("dataSha256");
  });
});
