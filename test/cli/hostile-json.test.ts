/**
 * Depth and size of hostile input, through the built command line: deep JSON wherever JSON is read,
 * deep --source and --assert, huge cells, a byte-order mark, duplicate columns and inherited field
 * names. Every case ends with exit 2 and one short line on stderr — never a stack trace. The entry
 * runs in-process (cli(), test/cli/in-process.ts); input on stdin spawns the binary.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, tempDir } from "./cli.js";
import { cli } from "./in-process.js";

const DEEP = 100_000;
const deepArray = "[".repeat(DEEP) + "]".repeat(DEEP);
const deepObject = '{"a":'.repeat(DEEP) + "1" + "}".repeat(DEEP);

/** Exit 2, exactly one line on stderr (short), no trace, and the line contains every fragment. */
function expectOneLine(r: CliResult, ...fragments: string[]): string {
  expect(r.status, r.stderr.slice(0, 2000)).toBe(2);
  expect(r.stderr.endsWith("\n")).toBe(true);
  const lines = r.stderr.slice(0, -1).split("\n");
  expect(lines, r.stderr.slice(0, 2000)).toHaveLength(1);
  const line = lines[0]!;
  expect(line.startsWith("collapse: ")).toBe(true);
  expect(line).not.toMatch(/\bat .*\.js:\d+|RangeError|Maximum call stack/);
  expect(Buffer.byteLength(line)).toBeLessThan(400);
  for (const f of fragments) expect(line).toContain(f);
  return line;
}

let dir: string;
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  dir = tempDir();
  file("deep.json", deepArray);
  file("deep-object.json", deepObject);
  file("deep.ndjson", "1\n2\n" + deepArray + "\n");
  file("seed.csv", "x\n1\n2\n3\n4\n");
});

// The 100 MB cell must not stay behind in the temporary directory.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = ["-g", "1", "-r", "1", "-m", "20"];

describe("JSON nested 100,000 deep", () => {
  it("as --data (.json and .ndjson): exit 2, one line naming the depth limit and the place", async () => {
    expectOneLine(await cli(["sim", "--data", join(dir, "deep.json"), ...SMALL]), "deep.json:1:513", "nested deeper than 512 levels", "flatten");
    expectOneLine(await cli(["sim", "--data", join(dir, "deep-object.json"), ...SMALL]), "nested deeper than 512 levels");
    expectOneLine(await cli(["sim", "--data", join(dir, "deep.ndjson"), ...SMALL]), "deep.ndjson:3:513", "nested deeper than 512 levels");
  });

  it("on stdin", async () => {
    expectOneLine(await cli(["sim", "--data", "-", ...SMALL], { input: deepArray }), "stdin:1:513", "nested deeper");
  });

  it("as labels for the categorical model", async () => {
    expectOneLine(await cli(["sim", "--model", "categorical", "--data", join(dir, "deep.json"), ...SMALL]), "deep.json:1:513", "nested deeper");
  });

  it("as --config", async () => {
    expectOneLine(await cli(["sim", "--config", join(dir, "deep-object.json"), ...SMALL]), "deep-object.json:1:", "nested deeper than 512 levels");
    expectOneLine(await cli(["sim", "--config", join(dir, "deep.json"), ...SMALL]), "nested deeper than 512 levels");
  });

  it("as a baseline", async () => {
    expectOneLine(await cli(["check", join(dir, "deep.json")]), "deep.json:1:513", "nested deeper");
    expectOneLine(await cli(["check", join(dir, "deep-object.json")]), "nested deeper");
  });

  it("as plot input", async () => {
    expectOneLine(await cli(["plot", join(dir, "deep-object.json")]), "nested deeper");
    expectOneLine(await cli(["plot", "-"], { input: deepObject }), "stdin:1:", "nested deeper");
  });

  it("as a sweep shard", async () => {
    expectOneLine(await cli(["merge", join(dir, "deep-object.json")]), "nested deeper");
  });

  it("nested 512 deep is still read (the limit is inclusive)", async () => {
    const doc = "[".repeat(511) + "[1,2,3]" + "]".repeat(511);
    const r = await cli(["sim", "--data", file("d512.json", doc), ...SMALL]);
    // Read as JSON (an array of one array): the message is about its shape, not its depth.
    expect(r.stderr).not.toContain("nested deeper");
  });
});

describe("a UTF-8 byte-order mark is accepted wherever JSON is read", () => {
  const BOM = "\ufeff";
  it("in --config", async () => {
    const config = file("bom-config.json", BOM + JSON.stringify({ generations: 1, replicates: 1, seedSize: 20 }));
    const r = await cli(["sim", "--config", config, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("in a baseline and in plot input", async () => {
    const base = join(dir, "base.json");
    const made = await cli(["sim", ...SMALL, "--save-baseline", base, "--format", "json"]);
    expect(made.status, made.stderr).toBe(0);
    const withBom = file("base-bom.json", BOM + made.stdout);
    const checked = await cli(["check", withBom]);
    expect(checked.stderr).not.toContain("JSON");
    expect(checked.status, checked.stderr).toBe(0);
    const plotted = await cli(["plot", withBom]);
    expect(plotted.stderr).toBe("");
    expect(plotted.status).toBe(0);
  });

  it("in data and labels", async () => {
    expect((await cli(["sim", "--data", file("bom-data.json", BOM + "[1,2,3,4]"), ...SMALL])).status).toBe(0);
    expect((await cli(["sim", "--model", "categorical", "--data", file("bom-labels.json", BOM + '{"a":2,"b":3}'), ...SMALL])).status).toBe(0);
  });
});

describe("deep --source and --assert", () => {
  it("a --source mixture nested 10,000 deep", async () => {
    const spec = "mixture(1*".repeat(10_000) + "normal(0,1)" + ")".repeat(10_000);
    expectOneLine(await cli(["sim", "--source", spec, ...SMALL]), "--source", "nested deeper than");
  });

  it("an --assert of 3,000 chained terms", async () => {
    const text = Array(3000).fill("var_ratio[1]").join(" + ") + " < 1";
    expectOneLine(await cli(["sim", ...SMALL, "--assert", text]), "--assert", "longer than");
  });

  it("a deeply parenthesised --assert", async () => {
    const text = "(".repeat(400) + "var_ratio[1]" + ")".repeat(400) + " < 1";
    expectOneLine(await cli(["sim", ...SMALL, "--assert", text]), "--assert", "nested deeper than");
  });

  it("the largest assertions within the limits run without a trace, and a failure quotes an excerpt", async () => {
    const worst = [
      "1+".repeat(490) + "var_ratio[1] > 0",
      "1^".repeat(490) + "var_ratio[1] > 0",
      "not ".repeat(245) + "(var_ratio[1] < 9)",
      "abs(".repeat(31) + "var_ratio[1]" + ")".repeat(31) + " > 0",
      "var_ratio[1] < ".repeat(60) + "1",
    ];
    for (const text of worst) {
      const r = await cli(["sim", ...SMALL, "--quiet", "--assert", text]);
      expect([0, 1], r.stderr.slice(0, 300)).toContain(r.status);
      expect(r.stderr).not.toMatch(/RangeError|Maximum call stack|\bat .*\.js:\d+/);
      for (const line of r.stderr.split("\n")) expect(line.length).toBeLessThan(400);
    }
  });

  it("a long chain of unary operators in --assert", async () => {
    const text = "-".repeat(990) + "var_ratio[1] < 1";
    const r = await cli(["sim", ...SMALL, "--assert", text]);
    expect(r.stderr).not.toMatch(/RangeError|Maximum call stack|\bat .*\.js:\d+/);
    expect([0, 1, 2]).toContain(r.status);
  });
});

describe("no error line echoes more than a short excerpt of the input", () => {
  it("a 100 MB cell in a CSV", async () => {
    const big = file("big-cell.csv", "x\n1\n2\n" + "a".repeat(100 * 1024 * 1024) + "\n");
    expectOneLine(await cli(["sim", "--data", big, ...SMALL]), "big-cell.csv:4:1", "…");
  });

  it("a long label in a count table, a long --source, a long --assert", async () => {
    const labels = file("long-label.csv", `label,count\n${"b".repeat(100_000)},x\n`);
    expectOneLine(await cli(["sim", "--model", "categorical", "--data", labels, ...SMALL]), "long-label.csv:2");
    expectOneLine(await cli(["sim", "--source", "normal(" + "1,".repeat(50_000) + "1)", ...SMALL]), "--source", "…");
    expectOneLine(await cli(["sim", ...SMALL, "--assert", "nope" + "x".repeat(900) + "[1] < 1"]), "--assert", "unknown metric");
  });

  it("a long header name and a long JSON value", async () => {
    const header = file("long-header.csv", `${"h".repeat(100_000)}\n1\n2\n3\n`);
    expectOneLine(await cli(["sim", "--data", header, "--column", "nope", ...SMALL]), "no such column");
    const json = file("long-value.json", JSON.stringify([1, 2, { k: "v".repeat(100_000) }]));
    expectOneLine(await cli(["sim", "--data", json, ...SMALL]), "long-value.json");
  });

  it("long --grid, --shard, --jobs and check tolerance values", async () => {
    const long = "z".repeat(100_000);
    expectOneLine(await cli(["sweep", "--grid", long, ...SMALL]), "--grid", "…");
    expectOneLine(await cli(["sweep", "--grid", `${long}=1,2`, ...SMALL]), "unknown option", "…");
    expectOneLine(await cli(["sweep", "--grid", "sample-size=10,10" + "0".repeat(50_000), ...SMALL]), "--grid");
    expectOneLine(await cli(["sweep", "--grid", "regime=replace,accumulate", "--shard", long, ...SMALL]), "--shard", "…");
    expectOneLine(await cli(["sim", "--jobs", long, ...SMALL]), "--jobs", "…");
  });

  it("a long config value", async () => {
    const config = file("long-config.json", JSON.stringify({ generations: "9".repeat(100_000) + "x" }));
    expectOneLine(await cli(["sim", "--config", config, ...SMALL.slice(2)]), "generations");
  });
});

describe("the error line itself", () => {
  it("escapes control characters and flattens line breaks from the input", async () => {
    const seed = join(dir, "seed.csv");
    const line = expectOneLine(await cli(["sim", "--data", seed, "--column", "\u001b[31mred\nblue", ...SMALL]), "no such column");
    expect(line).not.toContain("\u001b");
    expect(line).toContain("\\u001b[31mred blue");
  });

  it("cuts a long unknown option or option value (commander's errors too)", async () => {
    expectOneLine(await cli(["sim", "--" + "x".repeat(100_000)]), "unknown option");
    expectOneLine(await cli(["sim", "-g", "x".repeat(100_000)]), "generations");
  });
});

describe("columns and fields", () => {
  it("duplicate column names chosen by name: an error naming both", async () => {
    const dup = file("dup.csv", "x,x\n1,2\n3,4\n5,6\n");
    expectOneLine(await cli(["sim", "--data", dup, "--column", "x", ...SMALL]), "dup.csv", "columns 1 and 2", '"x"');
    // By index the choice is unambiguous.
    expect((await cli(["sim", "--data", dup, "--column", "2", ...SMALL])).status).toBe(0);
  });

  for (const field of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    it(`a record missing the field ${field} (an inherited property name) is reported missing`, async () => {
      const nd = file(`own-${field}.ndjson`, `{"x":1,"${field}":2}\n{"x":2}\n{"x":3,"${field}":4}\n`);
      expectOneLine(await cli(["sim", "--data", nd, "--column", "x", ...SMALL]), `own-${field}.ndjson:2`, `field "${field}" is missing`);
      const js = file(`own-${field}.json`, `[{"x":1,"${field}":2},{"x":2},{"x":3,"${field}":4}]`);
      expectOneLine(await cli(["sim", "--data", js, "--column", "x", ...SMALL]), `field "${field}" is missing`);
    });
  }
});
