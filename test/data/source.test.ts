/** The --source parser: nesting and size of hostile specs. */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { fromSource, loadSeed } from "../../src/core/seed.js";
import { drawTable, formatSource, MAX_SOURCE_DEPTH, parseSource, tableSourceNames } from "../../src/data/source.js";
import { UsageError } from "../../src/errors.js";
import { getModel } from "../../src/models/index.js";
import { Rng } from "../../src/stats/rng.js";
import { flags, meanOf, Z } from "../helpers.js";

function usageError(text: string): string {
  try {
    parseSource(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected a UsageError");
}

const nested = (n: number) => "mixture(1*".repeat(n) + "normal(0,1)" + ")".repeat(n);

describe("--source specs", () => {
  it("reads mixtures nested up to the limit", () => {
    expect(parseSource(nested(MAX_SOURCE_DEPTH)).kind).toBe("mixture");
    expect(parseSource("mixture(0.5*mixture(1*normal(0,1),1*normal(2,1)),0.5*normal(5,1))").kind).toBe("mixture");
  });

  it("refuses mixtures nested deeper, 10,000 levels too, on one short line", () => {
    expect(usageError(nested(MAX_SOURCE_DEPTH + 1))).toMatch(/mixtures nested deeper than 32 levels at character 321/);
    const message = usageError(nested(10_000));
    expect(message).toMatch(/^--source "mixture\(1\*.*…\)+": mixtures nested deeper than 32 levels/);
    expect(message.length).toBeLessThan(400);
  });

  it("quotes at most a short excerpt of a long spec or name", () => {
    expect(usageError("normal(" + "1,".repeat(50_000) + "1)").length).toBeLessThan(400);
    expect(usageError("x".repeat(100_000) + "(1)").length).toBeLessThan(400);
  });
});

describe("the table source linear(d,sigma)", () => {
  it("parses, writes back, and refuses bad parameters or a place in a mixture", () => {
    const spec = parseSource(" linear( 3 , 0.5 ) ");
    expect(spec).toEqual({ kind: "linear", d: 3, sigma: 0.5 });
    expect(formatSource(spec)).toBe("linear(3,0.5)");
    for (const bad of ["linear(0,1)", "linear(2.5,1)", "linear(101,1)"])
      expect(usageError(bad)).toMatch(/d \(the number of features\) must be a whole number from 1 to 100/);
    expect(usageError("linear(3,0)")).toMatch(/sigma must be > 0/);
    expect(usageError("linear(3)")).toMatch(/linear takes 2 argument\(s\), got 1/);
    expect(usageError("mixture(1*linear(2,1))")).toMatch(/a mixture combines numeric distributions only/);
  });

  it("draws x1…xd i.i.d. N(0,1) and y = Σx + N(0, sigma²): named columns, y last", () => {
    const spec = parseSource("linear(3,2)");
    if (spec.kind !== "linear") throw new Error("not linear");
    expect(tableSourceNames(spec)).toEqual(["x1", "x2", "x3", "y"]);
    const n = 20_000;
    const [x1, x2, x3, y] = drawTable(spec, n, new Rng("linear"));
    // The noise y − Σx: mean 0 (SE σ/√n) and variance σ² (SE σ²·√(2/(n−1)) for normal draws); a feature's mean (SE 1/√n).
    const e = Float64Array.from({ length: n }, (_, i) => y![i]! - x1![i]! - x2![i]! - x3![i]!);
    expect(Math.abs(meanOf(e))).toBeLessThan(Z * (2 / Math.sqrt(n)));
    expect(Math.abs(e.reduce((s, v) => s + v * v, 0) / n - 4)).toBeLessThan(Z * 4 * Math.sqrt(2 / (n - 1)));
    expect(Math.abs(meanOf(x2!))).toBeLessThan(Z / Math.sqrt(n));
  });

  it("is a table for every table model (mvn reads x1, x2, y), and no source of numbers", () => {
    const mvn = resolveSimConfig(flags({ model: "mvn", source: "linear(2,1)", seedSize: 50 }));
    const input = loadSeed(getModel("mvn"), mvn).input;
    expect(input.kind === "table" && [input.names, input.columns.map((c) => c.length)]).toEqual([
      ["x1", "x2", "y"],
      [50, 50, 50],
    ]);
    const gaussian = resolveSimConfig(flags({ source: "linear(2,1)" }));
    expect(() => fromSource(getModel("gaussian"), gaussian, parseSource("linear(2,1)"), 10, new Rng("g"))).toThrow(
      /needs a numeric source such as normal\(0,1\)/,
    );
  });
});

describe("--source specs on arbitrary text (property)", () => {
  it("parse or throw UsageError with one short line, never anything else", async () => {
    const fc = (await import("fast-check")).default;
    const specish = fc
      .array(fc.constantFrom("mixture(", "normal(", "0.5*", "1", ",", ")", "zipf(", "t(", "1e400", " ", "-"), { maxLength: 400 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), specish), (text) => {
        try {
          parseSource(text);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
          expect((e as Error).message).not.toContain("\n");
          expect((e as Error).message.length).toBeLessThan(500);
        }
      }),
      { numRuns: 500, seed: 10 },
    );
  });
});
