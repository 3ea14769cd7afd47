import { describe, expect, it } from "vitest";
import type { RawOption } from "../../src/config/resolve.js";
import { CollapseError, UsageError } from "../../src/errors.js";
import { deriveSeed } from "../../src/stats/rng.js";
import { combineAxes, parseGridConfig, parseGridFlag } from "../../src/sweep/grid.js";
import { canonicalParams, planSweep } from "../../src/sweep/plan.js";
import { parseShard, shardPoints } from "../../src/sweep/shard.js";
import { flags } from "../helpers.js";

const plan = (o: Record<string, unknown>, ...grid: string[]) => planSweep(flags(o), grid.map(parseGridFlag));
const seedsByParams = (p: ReturnType<typeof plan>) => new Map(p.points.map((x) => [canonicalParams(x.params), x.config.seed]));

function failure(f: () => unknown): CollapseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CollapseError);
    expect((e as Error).message).not.toContain("\n");
    return e as CollapseError;
  }
  throw new Error("expected an error");
}

describe("planSweep: points", () => {
  it("orders points lexicographically, the first grid varying slowest", () => {
    const p = plan({}, "sample-size=10,20", "regime=replace,accumulate,fresh");
    expect(p.points.map((x) => x.params)).toEqual([
      { sampleSize: 10, regime: "replace" },
      { sampleSize: 10, regime: "accumulate" },
      { sampleSize: 10, regime: "fresh" },
      { sampleSize: 20, regime: "replace" },
      { sampleSize: 20, regime: "accumulate" },
      { sampleSize: 20, regime: "fresh" },
    ]);
    expect(p.points.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(p.points[4]!.config).toMatchObject({ sampleSize: 20, regime: "accumulate", generations: 9 });
  });

  it("derives each point's seed from the master seed and its canonical values", () => {
    const p = plan({ seed: "abc" }, "sample-size=10,20", "regime=replace,mix");
    expect(p.seed).toBe("abc");
    expect(p.points[3]!.config.seed).toBe(deriveSeed("abc", "point", 'regime="mix",sampleSize=20'));
    expect(new Set(p.points.map((x) => x.config.seed)).size).toBe(4);
  });

  it("adding a grid value, reordering the grids or respelling a value changes no other point's seed", () => {
    const before = seedsByParams(plan({}, "sample-size=10,20", "regime=replace,mix"));
    const after = seedsByParams(plan({}, "regime=mix,accumulate,replace", "sample-size=1e1,15:20:5"));
    expect(after.size).toBe(9);
    for (const [key, seed] of before) expect(after.get(key)).toBe(seed);
    // …but another master seed changes every point.
    const other = seedsByParams(plan({ seed: "2" }, "sample-size=10,20", "regime=replace,mix"));
    for (const [key, seed] of before) expect(other.get(key)).not.toBe(seed);
  });

  it("names the failing point and the reason, before anything runs", () => {
    const e = failure(() => plan({ data: "x.csv" }, "regime=mix,replace", "seed-size=10,20"));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe("point 1 of 4 (regime=mix, seed-size=10): --grid seed-size applies to --source; with --data the seed size is the file's");
    // A shared option that applies at some points only is dropped where it does not apply…
    expect(plan({ realFraction: "0.3" }, "regime=mix,replace").points.map((p) => p.config.realFraction)).toEqual([0.3, 0.1]);
    // …and is an error when it applies at none.
    expect(failure(() => plan({ realFraction: "0.3" }, "regime=replace,accumulate")).message).toMatch(/^--real-fraction applies at no point of this grid/);
    expect(failure(() => plan({}, "regime=replace,mix", "filter-recall=0.5,1")).message).toMatch(
      /^point 2 of 4 \(regime=replace, filter-recall=1\): --grid filter-recall 1 removes every synthetic sample/,
    );
    expect(failure(() => plan({ data: "-" }, "sample-size=10")).message).toMatch(/--data - \(stdin\) cannot be read by every point/);
  });

  it("needs a grid, and refuses the same option as a flag and a grid", () => {
    expect(failure(() => plan({})).message).toMatch(/needs at least one --grid NAME=VALUES/);
    expect(failure(() => plan({ sampleSize: "10" }, "sample-size=10,20")).message).toBe("--sample-size and --grid sample-size both set sampleSize; keep one");
  });

  it("flags override the config file: a --grid axis replaces a file value, a flag replaces a file axis", () => {
    const fileBase = new Map<string, RawOption>([["sampleSize", { value: 50, origin: { kind: "config", file: "c.json" } }]]);
    expect(planSweep(fileBase, [parseGridFlag("sample-size=10,20")]).points.map((x) => x.config.sampleSize)).toEqual([10, 20]);
    const fileAxes = parseGridConfig({ sampleSize: [10, 20], regime: ["replace", "accumulate"] }, "c.json");
    const p = planSweep(flags({ sampleSize: "30" }), combineAxes(fileAxes, []));
    expect(p.axes.map((a) => a.spec.key)).toEqual(["regime"]);
    expect(p.points.map((x) => x.config.sampleSize)).toEqual([30, 30]);
  });
});

describe("planSweep: shared config and hash", () => {
  it("records the options every point shares, the master seed and the grid", () => {
    const p = plan({ generations: "4", seed: "7" }, "sample-size=10,20", "regime=replace,mix");
    expect(p.config).toMatchObject({ model: "gaussian", generations: 4, seed: "7", grid: { sampleSize: [10, 20], regime: ["replace", "mix"] } });
    expect("sampleSize" in p.config).toBe(false);
    expect("regime" in p.config).toBe(false);
    expect(Object.keys(p.config).at(-1)).toBe("grid");
  });

  it("has one hash per sweep definition", () => {
    const h = plan({ generations: "4" }, "sample-size=10,20").hash;
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(plan({ generations: "4" }, "sample-size=10,2e1").hash).toBe(h);
    expect(plan({ generations: "5" }, "sample-size=10,20").hash).not.toBe(h);
    expect(plan({ generations: "4" }, "sample-size=10,20,30").hash).not.toBe(h);
    expect(plan({ generations: "4", seed: "2" }, "sample-size=10,20").hash).not.toBe(h);
  });
});

describe("--shard i/n", () => {
  it("deals points round-robin; the shards partition the sweep", () => {
    expect(shardPoints(10, { index: 1, count: 3 })).toEqual([0, 3, 6, 9]);
    expect(shardPoints(10, { index: 3, count: 3 })).toEqual([2, 5, 8]);
    expect(shardPoints(2, { index: 4, count: 4 })).toEqual([]);
    const all = [1, 2, 3, 4].flatMap((i) => shardPoints(11, { index: i, count: 4 })).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });

  it("parses i/n and rejects anything else", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "2", "a/b", "-1/2", "1/0"]) expect(() => parseShard(bad)).toThrow(/--shard expects i\/n with 1 <= i <= n/);
  });
});
