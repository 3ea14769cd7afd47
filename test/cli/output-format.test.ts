/**
 * The output format follows the -o extension when --format is absent (sim, sweep, merge): a file
 * named run.json holds JSON. The choice is a pure function, tested in-process; a few runs of the
 * built command line (its entry, in-process) check that each command uses it and says what it
 * says on stderr.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseFormat, readExtension, SIM_EXTENSIONS, SWEEP_EXTENSIONS } from "../../src/output/format-by-extension.js";
import type { Format } from "../../src/output/format-names.js";
import type { SweepFormat } from "../../src/sweep/render.js";
import { tempDir } from "./cli.js";
import { cli } from "./in-process.js";

const sim = (given: Format | undefined, output: string | undefined) => chooseFormat<Format>(given, output, SIM_EXTENSIONS, "table");
const sweep = (given: SweepFormat | undefined, output: string | undefined) => chooseFormat<SweepFormat>(given, output, SWEEP_EXTENSIONS, "csv");

describe("chooseFormat", () => {
  it("sim: the extension names json, csv, ndjson (.ndjson, .jsonl) and markdown, whatever its case", () => {
    expect(sim(undefined, "run.json")).toEqual({ format: "json", note: null });
    expect(sim(undefined, "out/run.CSV")).toEqual({ format: "csv", note: null });
    expect(sim(undefined, "run.ndjson").format).toBe("ndjson");
    expect(sim(undefined, "run.jsonl").format).toBe("ndjson");
    expect(sim(undefined, "run.md").format).toBe("markdown");
    expect(sim(undefined, "a.b/run.Markdown").format).toBe("markdown");
  });

  it("no -o, stdout, no extension or .txt keep the table silently", () => {
    for (const output of [undefined, "-", "/dev/stdout", "run", "run.txt", "dir.json/run", ".json"]) {
      expect(sim(undefined, output), String(output)).toEqual({ format: "table", note: null });
    }
  });

  it("an unknown extension keeps the default and says so in one line", () => {
    expect(sim(undefined, "run.xyz")).toEqual({
      format: "table",
      note: "-o run.xyz: unknown extension, writing the table format; pass --format to choose",
    });
    const odd = sim(undefined, "a\nb.xyz").note!;
    expect(odd).not.toContain("\n");
    expect(odd).toContain("a\\u000ab.xyz");
  });

  it("--format wins, silently, also against the extension", () => {
    expect(sim("csv", "run.json")).toEqual({ format: "csv", note: null });
    expect(sim("table", "run.xyz")).toEqual({ format: "table", note: null });
    expect(sweep("ndjson", "sweep.md")).toEqual({ format: "ndjson", note: null });
  });

  it("sweep: json, csv, ndjson; a .md is unknown there (a sweep has no Markdown form)", () => {
    expect(sweep(undefined, "s.json").format).toBe("json");
    expect(sweep(undefined, "s.jsonl").format).toBe("ndjson");
    expect(sweep(undefined, "s.txt")).toEqual({ format: "csv", note: null });
    expect(sweep(undefined, "s.md")).toEqual({ format: "csv", note: "-o s.md: unknown extension, writing the csv format; pass --format to choose" });
    expect(readExtension("s.md", SWEEP_EXTENSIONS)).toEqual({ kind: "unknown", extension: ".md" });
  });
});

const SMALL = ["-g", "2", "-r", "5"];

describe("collapse sim -o FILE", () => {
  it("writes JSON into run.json, Markdown into run.md, the table into run.txt, all without a word", async () => {
    const dir = tempDir();
    for (const [name, check] of [
      ["run.json", (t: string) => expect(JSON.parse(t).generations).toHaveLength(3)],
      ["run.md", (t: string) => expect(t).toMatch(/^\| generation \|/m)],
      ["run.txt", (t: string) => expect(t).toMatch(/^gen {2}var_ratio/m)],
      ["run.jsonl", (t: string) => expect(JSON.parse(t.split("\n")[0]!).metric).toBeDefined()],
    ] as const) {
      const r = await cli(["sim", ...SMALL, "-o", join(dir, name)]);
      expect(r.stderr, name).toBe("");
      expect(r.status, name).toBe(0);
      check(readFileSync(join(dir, name), "utf8"));
    }
  });

  it("an unknown extension: the table and one note, which --quiet silences; --format wins without a note", async () => {
    const dir = tempDir();
    const out = join(dir, "run.xyz");
    const r = await cli(["sim", ...SMALL, "-o", out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`collapse: -o ${out}: unknown extension, writing the table format; pass --format to choose\n`);
    expect(readFileSync(out, "utf8")).toMatch(/^gen {2}var_ratio/m);
    const quiet = await cli(["sim", ...SMALL, "-o", out, "--quiet"]);
    expect(quiet.stderr).toBe("");
    const forced = await cli(["sim", ...SMALL, "-o", join(dir, "run.json"), "--format", "csv"]);
    expect(forced.stderr).toBe("");
    expect(readFileSync(join(dir, "run.json"), "utf8")).toMatch(/^generation,metric,/);
  });
});

describe("a flag given twice", () => {
  // README, `collapse sim`: the last value counts, so that a later flag overrides an alias's or a
  // script's earlier one (as flags override --config).
  it("counts once, with its last value: --format, --seed and the list option --tail-k", async () => {
    const json = await cli(["sim", ...SMALL, "--format", "csv", "--format", "json"]);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).tool.name).toBe("collapse"); // JSON, not CSV
    for (const [twice, once] of [
      [
        ["--seed", "1", "--seed", "2"],
        ["--seed", "2"],
      ],
      [
        ["--tail-k", "2", "--tail-k", "4"],
        ["--tail-k", "4"],
      ],
    ]) {
      const a = await cli(["sim", ...SMALL, "--format", "csv", ...twice!]);
      const b = await cli(["sim", ...SMALL, "--format", "csv", ...once!]);
      const first = await cli(["sim", ...SMALL, "--format", "csv", ...twice!.slice(0, 2)]);
      expect(a.status).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      // The first value alone gives other output, so the comparison above can tell them apart.
      expect(first.stdout).not.toBe(a.stdout);
    }
  });
});

describe("collapse sweep and merge -o FILE", () => {
  const GRID = ["--grid", "sample-size=10,20", ...SMALL, "--seed-size", "30"];

  it("sweep writes JSON into sweep.json, and csv with a note into sweep.md", async () => {
    const dir = tempDir();
    const r = await cli(["sweep", ...GRID, "-o", join(dir, "sweep.json")]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")).points).toHaveLength(2);
    const md = await cli(["sweep", ...GRID, "-o", join(dir, "sweep.md")]);
    expect(md.stderr).toBe(`collapse: -o ${join(dir, "sweep.md")}: unknown extension, writing the csv format; pass --format to choose\n`);
    expect(readFileSync(join(dir, "sweep.md"), "utf8")).toMatch(/^sampleSize,generation,metric,/);
  });

  it("merge writes the shards' format: a matching name silently, an unknown one with a note, another format's name refused", async () => {
    const dir = tempDir();
    const parts = [1, 2].map((i) => join(dir, `part-${i}.ndjson`));
    for (const [i, part] of parts.entries()) {
      const r = await cli(["sweep", ...GRID, "--shard", `${i + 1}/2`, "-o", part]);
      expect(r.stderr).toBe("");
    }
    expect(readFileSync(parts[0]!, "utf8")).toMatch(/^# collapse-sweep \{"format":"ndjson"/);
    const whole = (await cli(["sweep", ...GRID, "--format", "ndjson"])).stdout;

    const good = await cli(["merge", ...parts, "-o", join(dir, "all.jsonl")]);
    expect(good.stderr).toBe("");
    expect(readFileSync(join(dir, "all.jsonl"), "utf8")).toBe(whole);

    const odd = await cli(["merge", ...parts, "-o", join(dir, "all.dat")]);
    expect(odd.stderr).toBe(`collapse: -o ${join(dir, "all.dat")}: unknown extension, writing the shards' ndjson format\n`);
    expect((await cli(["merge", ...parts, "-o", join(dir, "all2.dat"), "--quiet"])).stderr).toBe("");

    const wrong = await cli(["merge", ...parts, "-o", join(dir, "all.json")]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe(
      `collapse: -o ${join(dir, "all.json")} names the json format, but the shards are ndjson and merge writes them as they are; name the output ${join(dir, "all.ndjson")}\n`,
    );
    expect(existsSync(join(dir, "all.json"))).toBe(false);
    writeFileSync(join(dir, "keep.csv"), "old\n");
    expect((await cli(["merge", ...parts, "-o", join(dir, "keep.csv")])).status).toBe(2);
    expect(readFileSync(join(dir, "keep.csv"), "utf8")).toBe("old\n");
  });
});
