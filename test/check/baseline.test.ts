/** Reading baselines, and re-running a recorded config exactly. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBaseline } from "../../src/check/baseline.js";
import { configChanges, rerunOptions } from "../../src/check/rerun.js";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { InputError, UsageError } from "../../src/errors.js";
import { tempDir } from "../cli/cli.js";
import { flags } from "../helpers.js";
import { prepare, simulate } from "../run.js";
import { fakeResult } from "./fake.js";

const dir = tempDir();

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

async function inputError(path: string): Promise<string> {
  try {
    await readBaseline(path);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("readBaseline", () => {
  const good = () => JSON.parse(JSON.stringify(fakeResult({ var_ratio: [1, 0.9], w2: [0, 0.1] })));

  it("reads a results document; nulls (JSON's NaN) become NaN", async () => {
    const doc = good();
    doc.generations[1].metrics.w2.mean = null;
    const { result } = await readBaseline(file("ok.json", doc));
    expect(result.generations[1]!.metrics.var_ratio!.mean).toBe(0.9);
    expect(result.generations[1]!.metrics.w2!.mean).toBeNaN();
  });

  it("names the file, line and column of a JSON syntax error", async () => {
    expect(await inputError(file("syntax.json", '{\n  "tool": {"name": "collapse",,}\n}'))).toMatch(/syntax\.json:2:31: baseline is not valid JSON/);
  });

  it("names the first bad field and says how to fix it", async () => {
    const cases: [string, (d: Record<string, any>) => unknown, RegExp][] = [
      ["array", () => [], /the document must be a JSON object/],
      ["tool", (d) => ({ ...d, tool: { name: "other", version: "1" } }), /"tool" must be \{"name": "collapse"/],
      ["config", (d) => ({ ...d, config: 3 }), /"config" must be an object/],
      ["gens", (d) => ({ ...d, generations: [] }), /"generations" must be a non-empty array/],
      ["order", (d) => ((d.generations[1].generation = 5), d), /"generations\[1\]".generation must be 1/],
      ["count", (d) => ((d.config.generations = 3), d), /"generations" must be 4 entries/],
      ["value", (d) => ((d.generations[1].metrics.w2.se = "x"), d), /"generations\[1\]".metrics.w2.se must be a number or null, got "x"/],
      ["empty", (d) => ((d.generations[0].metrics = {}), d), /"generations\[0\]".metrics must be at least one metric/],
      ["names", (d) => (delete d.generations[1].metrics.w2, d), /"generations\[1\]".metrics must be the metrics of generation 0/],
    ];
    for (const [name, edit, message] of cases) {
      const msg = await inputError(file(`${name}.json`, edit(good())));
      expect(msg).toMatch(message);
      expect(msg).toMatch(/regenerate it with collapse sim --save-baseline FILE$/);
    }
    expect(await inputError(join(dir, "absent.json"))).toMatch(/cannot read baseline .*absent\.json: no such file/);
  });
});

describe("rerunOptions: a recorded config re-runs to the same config and the same numbers", () => {
  const runs: Record<string, unknown>[] = [
    {},
    { data: "fixtures/heights.csv", column: "height_cm" },
    { data: "fixtures/heights.csv", column: "height_cm", sampleSize: "40" },
    { sampleSize: "30", seedSize: "50", replicates: "7" },
    { regime: "mix", realFraction: "0.3" },
    { regime: "fresh", source: "normal(3,2)" },
    { truncate: "2", estimator: "unbiased", theory: true },
    { tailK: "2.5,1", quantiles: "0.1,0.9" },
    { seed: "abc", filterRecall: "0.2", regime: "accumulate" },
    { model: "categorical", data: "fixtures/baby-names.csv", column: "name", countColumn: "births", duplicates: "sum" },
    { model: "categorical", data: "fixtures/baby-names.csv", column: "2", countColumn: "3", duplicates: "sum" },
  ];
  for (const given of runs) {
    it(JSON.stringify(given), () => {
      const small = { generations: "2", replicates: "5", ...given };
      const original = simulate(resolveSimConfig(flags(small))).result;
      const recorded = JSON.parse(JSON.stringify(original.config)) as Record<string, unknown>;
      const raw = rerunOptions(recorded, "b.json");
      const again = prepare(resolveSimConfig(raw)).prepared.config;
      expect(again).toEqual(original.config);
      expect(configChanges(recorded, again)).toEqual([]);
      expect(JSON.stringify(simulate(resolveSimConfig(raw)).result)).toBe(JSON.stringify(original));
    });
  }

  it("gives only what differs from the defaults, and never the values derived from a data file", () => {
    const recorded = prepare(resolveSimConfig(flags({ data: "fixtures/heights.csv", column: "height_cm" }))).prepared.config;
    expect(recorded.seedSize).toBeGreaterThan(0);
    const raw = rerunOptions(recorded as unknown as Record<string, unknown>, "b.json");
    expect([...raw.keys()].sort()).toEqual(["column", "data", "model", "sampleSize"]);
    expect(raw.get("data")).toEqual({ value: "fixtures/heights.csv", origin: { kind: "config", file: "b.json" } });
  });

  it("keeps a recorded value that is not today's default, and reports keys that differ after the re-run", () => {
    const recorded = { ...(prepare(resolveSimConfig(flags({}))).prepared.config as unknown as Record<string, unknown>), replicates: 17 };
    expect(rerunOptions(recorded, "b.json").get("replicates")?.value).toBe(17);
    const now = prepare(resolveSimConfig(flags({}))).prepared.config;
    expect(configChanges(recorded, now)).toEqual(["replicates: 17 → 200"]);
  });

  it("an option a baseline predates (absent from its config) is no change when it re-runs at its default", () => {
    const now = prepare(resolveSimConfig(flags({ model: "categorical", data: "fixtures/dog-breeds.csv" }))).prepared.config;
    const { countColumn: _c, duplicates: _d, ...older } = now as unknown as Record<string, unknown>;
    expect(resolveSimConfig(rerunOptions(older, "b.json"))).toMatchObject({ countColumn: null, duplicates: "error" });
    expect(configChanges(older, now)).toEqual([]);
    // Recorded, a value is compared as ever; absent, a value other than the default is a change.
    expect(configChanges({ ...older, duplicates: "sum" }, now)).toEqual(['duplicates: "sum" → "error"']);
    expect(configChanges(older, { ...now, duplicates: "sum" })).toEqual(['duplicates: (absent) → "sum"']);
  });

  it("a recorded config that cannot be valid fails resolution, naming the baseline and the key", () => {
    const recorded = { ...(prepare(resolveSimConfig(flags({}))).prepared.config as unknown as Record<string, unknown>), temperature: 0.5 };
    expect(() => resolveSimConfig(rerunOptions(recorded, "b.json"))).toThrow(UsageError);
    expect(() => resolveSimConfig(rerunOptions(recorded, "b.json"))).toThrow(/b\.json: "temperature" does not apply to --model gaussian/);
    expect(() => resolveSimConfig(rerunOptions({ ...recorded, temperature: 1, bogus: 1 }, "b.json"))).toThrow(/b\.json: unknown option "bogus"/);
  });
});
