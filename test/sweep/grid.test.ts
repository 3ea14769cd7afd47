import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { combineAxes, parseGridConfig, parseGridFlag, splitTopLevel } from "../../src/sweep/grid.js";
import { BadRange, linearRange, logRange } from "../../src/sweep/range.js";

function usage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a UsageError");
}

describe("linear ranges start:stop:step", () => {
  it("step exactly in decimal: no float drift", () => {
    // Naive accumulation drifts: 0.1 + 0.1 + 0.1 = 0.30000000000000004, so the check can fail.
    expect(0.1 + 0.1 + 0.1).not.toBe(0.3);
    expect(linearRange("0.1", "0.3", "0.1")).toEqual([0.1, 0.2, 0.3]);
    const xs = linearRange("0", "10", "0.01");
    expect(xs).toHaveLength(1001);
    // k/100 in doubles is the correctly rounded quotient, i.e. the double nearest the decimal k/100.
    xs.forEach((x, k) => expect(x).toBe(k / 100));
  });

  it("includes stop only when it falls on the grid; accepts signs and exponents", () => {
    expect(linearRange("0", "1", "0.3")).toEqual([0, 0.3, 0.6, 0.9]);
    expect(linearRange("-1", "1", "0.5")).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(linearRange("1e2", "3e2", "1e2")).toEqual([100, 200, 300]);
    expect(linearRange("5", "5", "1")).toEqual([5]);
  });

  it("rejects bad numbers, non-positive steps, downward and huge ranges", () => {
    expect(() => linearRange("a", "2", "1")).toThrow(BadRange);
    expect(() => linearRange("1", "2", "0")).toThrow(/step must be positive/);
    expect(() => linearRange("3", "2", "1")).toThrow(/below start/);
    expect(() => linearRange("0", "1e9", "1")).toThrow(/more than 100000/);
  });
});

describe("log ranges log:start:stop:count", () => {
  it("includes both ends and spaces values by a constant ratio", () => {
    expect(logRange("1", "1000", "4")).toEqual([1, 10, 100, 1000]);
    expect(logRange("10", "10000", "7")).toEqual([10, 31.6227766017, 100, 316.227766017, 1000, 3162.27766017, 10000]);
  });

  it("rejects non-positive ends, reversed ends and bad counts", () => {
    expect(() => logRange("0", "10", "3")).toThrow(/positive/);
    expect(() => logRange("10", "1", "3")).toThrow(/above start/);
    expect(() => logRange("1", "10", "1")).toThrow(/count/);
    expect(() => logRange("1", "10", "2.5")).toThrow(/count/);
  });
});

describe("--grid NAME=VALUES", () => {
  it("accepts flag names and camelCase keys, and converts values like the flag would", () => {
    const a = parseGridFlag("sample-size=10,1e2, 1000");
    expect(a.spec.key).toBe("sampleSize");
    expect(a.values).toEqual([10, 100, 1000]);
    expect(parseGridFlag("sampleSize=10").spec.key).toBe("sampleSize");
    expect(parseGridFlag("regime=replace,accumulate").values).toEqual(["replace", "accumulate"]);
  });

  it("mixes listed values and ranges in one axis", () => {
    expect(parseGridFlag("sample-size=5,10:30:10,log:100:10000:3").values).toEqual([5, 10, 20, 30, 100, 1000, 10000]);
    // Whole-number options take the nearest whole numbers of a log range.
    expect(parseGridFlag("sample-size=log:10:100:3").values).toEqual([10, 32, 100]);
  });

  it("does not split commas inside parentheses (sources)", () => {
    expect(splitTopLevel("normal(0,1),mixture(0.5*normal(-2,1),0.5*normal(2,1))")).toEqual(["normal(0,1)", "mixture(0.5*normal(-2,1),0.5*normal(2,1))"]);
    expect(parseGridFlag("source=normal(0,1),normal(0,2)").values).toEqual(["normal(0,1)", "normal(0,2)"]);
  });

  it("reports bad grids in one line naming the option and the fix", () => {
    expect(usage(() => parseGridFlag("sample-size"))).toMatch(/expected NAME=VALUES, e\.g\. --grid sample-size=10,100,1000/);
    expect(usage(() => parseGridFlag("sampel-size=10"))).toMatch(
      /--grid sampel-size: unknown option "sampel-size" \(did you mean sample-size\?\); a grid varies one of the options of collapse sim --help, such as sample-size, /,
    );
    expect(usage(() => parseGridFlag("sample-size=10,x"))).toMatch(/^--grid sample-size expects a number, got "x"$/);
    expect(usage(() => parseGridFlag("sample-size=1,10"))).toMatch(/--grid sample-size must be a whole number >= 2/);
    expect(usage(() => parseGridFlag("real-fraction=0:2:0.5"))).toMatch(/--grid real-fraction must be a number >= 0 and <= 1, got 1\.5/);
    expect(usage(() => parseGridFlag("regime=replace,nope"))).toMatch(
      /--grid regime must be one of replace, accumulate, accumulate-subsample, mix, fresh, got "nope"/,
    );
    expect(usage(() => parseGridFlag("sample-size=10,,20"))).toMatch(/empty value/);
    expect(usage(() => parseGridFlag("sample-size=10,1e1"))).toMatch(/value 10 appears twice; list each value once$/);
    expect(usage(() => parseGridFlag("sample-size=log:2:10:20"))).toMatch(/appears twice \(from range "log:2:10:20"\)/);
    expect(usage(() => parseGridFlag("sample-size=10:20"))).toMatch(/range "10:20": write start:stop:step/);
    expect(usage(() => parseGridFlag("sample-size=0:10:0"))).toMatch(/range "0:10:0": the step must be positive/);
    expect(usage(() => parseGridFlag("tail-k=2,3"))).toMatch(/takes a list, which a grid cannot vary/);
    expect(usage(() => parseGridFlag("theory=true,false"))).toMatch(/pass --theory for every point/);
  });

  it("reads the grid object of a config file, naming the file in errors", () => {
    const axes = parseGridConfig({ sampleSize: [10, "20:40:10"], regime: "replace,mix", "real-fraction": 0.5 }, "c.json");
    expect(axes.map((a) => [a.spec.key, a.values])).toEqual([
      ["sampleSize", [10, 20, 30, 40]],
      ["regime", ["replace", "mix"]],
      ["realFraction", [0.5]],
    ]);
    expect(usage(() => parseGridConfig([1], "c.json"))).toMatch(/^c\.json: "grid" must be an object/);
    expect(usage(() => parseGridConfig({ sampleSize: ["x"] }, "c.json"))).toMatch(/^c\.json: grid "sampleSize" expects a number, got "x"$/);
    expect(usage(() => parseGridConfig({ sampleSize: [10], "sample-size": [20] }, "c.json"))).toMatch(/given twice/);
  });

  it("a --grid flag replaces the config file's axis in place; new axes follow", () => {
    const file = parseGridConfig({ regime: ["replace", "mix"], sampleSize: [10] }, "c.json");
    const flags = [parseGridFlag("truncate=2,3"), parseGridFlag("regime=accumulate")];
    const axes = combineAxes(file, flags);
    expect(axes.map((a) => [a.spec.key, a.values])).toEqual([
      ["regime", ["accumulate"]],
      ["sampleSize", [10]],
      ["truncate", [2, 3]],
    ]);
    expect(usage(() => combineAxes([], [parseGridFlag("sample-size=10"), parseGridFlag("sampleSize=20")]))).toMatch(/--grid sample-size is given twice/);
  });
});
