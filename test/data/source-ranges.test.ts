import { describe, expect, it } from "vitest";
import { drawNumbers, parseSource } from "../../src/data/source.js";
import { CollapseError } from "../../src/errors.js";
import { Rng } from "../../src/stats/rng.js";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CollapseError);
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("source parameters at the edges of a double", () => {
  it("names a literal that overflows to Infinity", () => {
    expect(message(() => parseSource("normal(1e400,1)"))).toContain("1e400 overflows a double; use a value below 1.8e308");
    expect(message(() => parseSource("normal(0,1e400)"))).toContain("1e400 overflows a double");
    expect(message(() => parseSource("mixture(1e400*normal(0,1),1*normal(1,1))"))).toContain("1e400 overflows a double");
  });

  it("names a literal that underflows to 0", () => {
    expect(message(() => parseSource("normal(0,1e-400)"))).toContain("1e-400 underflows");
  });

  it("names a width or a spread that overflows", () => {
    expect(message(() => parseSource("uniform(-1e308,1e308)"))).toMatch(/width .*overflows/);
    expect(message(() => parseSource("normal(0,1e308)"))).toMatch(/overflow/);
    expect(message(() => parseSource("laplace(1e308,1e307)"))).toMatch(/overflow/);
  });

  it("names a sigma below the resolution of a double at mu", () => {
    expect(message(() => parseSource("normal(1e300,1)"))).toMatch(/resolution/);
  });

  it("names draws that overflow (t with tiny degrees of freedom)", () => {
    expect(message(() => drawNumbers(parseSource("t(1e-300)"), 100, new Rng("x")))).toMatch(/overflow/);
  });

  it("keeps huge or tiny but representable parameters working", () => {
    for (const s of ["normal(0,1e300)", "normal(0,1e-300)", "uniform(-1e307,1e307)", "laplace(0,1e-300)", "t(1e300)"]) {
      const x = drawNumbers(parseSource(s), 1000, new Rng("x"));
      expect(x.every(Number.isFinite), s).toBe(true);
      expect(new Set(x).size, s).toBeGreaterThan(900);
    }
  });

  it("keeps mixture weights whose sum overflows working", () => {
    const x = drawNumbers(parseSource("mixture(1e308*normal(-5,1),1e308*normal(5,1))"), 1000, new Rng("x"));
    expect(x.every(Number.isFinite)).toBe(true);
    const left = x.filter((v) => v < 0).length;
    expect(left).toBeGreaterThan(400);
    expect(left).toBeLessThan(600);
  });
});
