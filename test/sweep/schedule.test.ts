/**
 * A schedule (--real-fraction 0.9..0.1, a comma list) as one value of a sweep's grid: how it is
 * written on the command line and in a --config file, and the canonical seed of its point.
 */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { parseGridConfig, parseGridFlag } from "../../src/sweep/grid.js";
import { planSweep, pointSeed } from "../../src/sweep/plan.js";
import { cli } from "../cli/in-process.js";
import { flags } from "../helpers.js";

const plan = (o: Record<string, unknown>, ...grid: string[]) => planSweep(flags(o), grid.map(parseGridFlag));

describe("a schedule is one grid value", () => {
  it("a ramp is one value; commas still separate values; ranges still expand", () => {
    expect(parseGridFlag("real-fraction=0.9..0.1,0.5").values).toEqual(["0.9..0.1", 0.5]);
    expect(parseGridFlag("filter-recall=0.8..0.2,0").values).toEqual(["0.8..0.2", 0]);
    expect(parseGridFlag("real-fraction=0:0.5:0.25").values).toEqual([0, 0.25, 0.5]);
  });

  it("a comma list goes in parentheses on the command line, and in an array or a string item in a config file", () => {
    expect(parseGridFlag("real-fraction=(0.9, 0.5),0.1").values).toEqual(["0.9,0.5", 0.1]);
    const axes = parseGridConfig({ realFraction: ["0.9,0.5", [0.8, 0.2], 0.1, "0.9..0.1"] }, "web.json");
    expect(axes[0]!.values).toEqual(["0.9,0.5", "0.8,0.2", 0.1, "0.9..0.1"]);
    // A string value of the grid object is the --grid syntax: its commas split.
    expect(parseGridConfig({ realFraction: "0.9..0.1,0.5" }, "web.json")[0]!.values).toEqual(["0.9..0.1", 0.5]);
  });

  it("bad schedules and repeats fail in one line naming the axis", () => {
    expect(() => parseGridFlag("real-fraction=0.9..1.5,0.5")).toThrow(UsageError);
    expect(() => parseGridFlag("real-fraction=0.9..1.5,0.5")).toThrow(/^--grid real-fraction must be .* got 1.5 at the end of the ramp "0.9..1.5"$/);
    expect(() => parseGridFlag("real-fraction=0.9..0.1,0.90..0.10")).toThrow(/value "0.9..0.1" appears twice/);
    expect(() => parseGridConfig({ realFraction: [[]] }, "web.json")).toThrow(/^web\.json: grid "realFraction" got an empty list \[\]/);
  });

  it("its point's seed treats the schedule as one parameter, however it is spelled", () => {
    const p = plan({ regime: "mix", seed: "web" }, "real-fraction=0.9..0.1,0.5");
    expect(p.points.map((x) => x.params)).toEqual([{ realFraction: "0.9..0.1" }, { realFraction: 0.5 }]);
    expect(p.points[0]!.config.seed).toBe(pointSeed("web", { realFraction: "0.9..0.1" }));
    expect(p.points[0]!.config.realFraction).toBe("0.9..0.1");
    const respelled = plan({ regime: "mix", seed: "web" }, "real-fraction=( 0.90 .. 0.10 ),0.50");
    expect(respelled.points.map((x) => x.config.seed)).toEqual(p.points.map((x) => x.config.seed));
    // Adding a value changes no other point.
    const more = plan({ regime: "mix", seed: "web" }, "real-fraction=0.9..0.1,(0.9,0.1),0.5");
    expect(more.points.map((x) => x.config.seed)).toEqual([p.points[0]!.config.seed, pointSeed("web", { realFraction: "0.9,0.1" }), p.points[1]!.config.seed]);
    expect(p.config.grid).toEqual({ realFraction: ["0.9..0.1", 0.5] });
  });

  it("a sweep over schedules gives the same bytes for any --jobs", async () => {
    const args = [
      "sweep",
      "--grid",
      "real-fraction=0.9..0.1,(0.9,0.5)",
      "--grid",
      "regime=mix,fresh",
      "-g",
      "3",
      "-r",
      "3",
      "--filter-recall",
      "0.5..0",
      "--format",
    ];
    const [one, two, csv] = await Promise.all([
      cli([...args, "json", "--jobs", "1"]),
      cli([...args, "json", "--jobs", "2"]),
      cli([...args, "csv", "--jobs", "2"]),
    ]);
    expect(one.stderr).toBe("");
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const doc = JSON.parse(one.stdout);
    expect(doc.config.grid).toEqual({ realFraction: ["0.9..0.1", "0.9,0.5"], regime: ["mix", "fresh"] });
    expect(doc.config.filterRecall).toBe("0.5..0");
    expect(doc.points).toHaveLength(4);
    // The CSV's parameter cells: a comma list is quoted (RFC 4180), a ramp needs no quotes.
    expect(csv.stdout.split("\n")[1]).toMatch(/^0\.9\.\.0\.1,mix,0,/);
    expect(csv.stdout).toMatch(/^"0\.9,0\.5",fresh,3,/m);
  });
});
