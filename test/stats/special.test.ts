import { describe, expect, it } from "vitest";
import { Rng } from "../../src/stats/rng.js";
import { digamma, logChoose, logGamma } from "../../src/stats/special.js";
import { relErr } from "./helpers.js";

/** [x, ψ(x), ln Γ(x)] from mpmath at 40 digits (mp.digamma, mp.loggamma). */
const KNOWN: [number, number, number][] = [
  [1e-8, -100000000.57721565, 18.420680738180209],
  [0.1, -10.423754940411077, 2.252712651734206],
  [0.5, -1.9635100260214235, 0.57236494292470009],
  [1, -0.57721566490153286, 0],
  [2, 0.42278433509846714, 0],
  [3.5, 1.1031566406452432, 1.2009736023470742],
  [4.5, 1.3888709263595289, 2.4537365708424422],
  [9.9, 2.2411803166063814, 12.577179904219879],
  [10, 2.2517525890667211, 12.80182748008147],
  [49.5, 3.8918376507263718, 142.61728282114598],
  [100, 4.6001618527380874, 359.1342053695754],
  [1e6, 13.815510057964191, 12815504.569147612],
  [1e10, 23.025850929890457, 220258509288.81058],
];

describe("digamma", () => {
  it("matches known values to 1e-14 relative", () => {
    for (const [x, psi] of KNOWN) expect(relErr(digamma(x), psi), `ψ(${x})`).toBeLessThan(1e-14);
  });

  it("is ≈0 at its root x₀ = 1.4616321449683623 (absolute error ≤ 1e-15)", () => {
    // mpmath: ψ(x₀ as a double) = −3.99e-17.
    expect(Math.abs(digamma(1.4616321449683623))).toBeLessThan(1e-15);
  });

  it("satisfies ψ(x + 1) = ψ(x) + 1/x across the switch to the asymptotic series", () => {
    const rng = new Rng("test-special-digamma");
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const x = 0.05 + rng.random() * 30;
      // Both sides are O(ln x + 1/x); 1e-14 of that scale absorbs rounding.
      const scale = Math.abs(digamma(x)) + 1 / x + 1;
      worst = Math.max(worst, Math.abs(digamma(x + 1) - digamma(x) - 1 / x) / scale);
    }
    expect(worst).toBeLessThan(1e-14);
  });

  it("rejects x ≤ 0 and NaN", () => {
    for (const x of [0, -1, -0.5, Number.NaN]) expect(() => digamma(x)).toThrow(RangeError);
    expect(digamma(Infinity)).toBe(Infinity);
  });
});

describe("logGamma", () => {
  it("matches known values to 1e-14 relative (exactly 0 at 1 and 2)", () => {
    for (const [x, , lg] of KNOWN) {
      if (lg === 0) expect(logGamma(x)).toBe(0);
      else expect(relErr(logGamma(x), lg), `lnΓ(${x})`).toBeLessThan(1e-14);
    }
  });

  it("equals ln((n − 1)!) by summed logs for n = 1…170", () => {
    let lnFact = 0; // ln((n − 1)!)
    let worst = 0;
    for (let n = 1; n <= 170; n++) {
      if (n > 1) lnFact += Math.log(n - 1);
      // The summed reference carries ≈ n ulps of its own; 1e-13 absolute + relative covers it.
      worst = Math.max(worst, Math.abs(logGamma(n) - lnFact) / Math.max(1, lnFact));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it("satisfies ln Γ(x + 1) = ln Γ(x) + ln x", () => {
    const rng = new Rng("test-special-lgamma");
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const x = 0.01 + rng.random() * 40;
      const scale = Math.abs(logGamma(x)) + Math.abs(Math.log(x)) + 1;
      worst = Math.max(worst, Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x)) / scale);
    }
    expect(worst).toBeLessThan(1e-14);
  });

  it("rejects x ≤ 0 and NaN", () => {
    for (const x of [0, -1, -2.5, Number.NaN]) expect(() => logGamma(x)).toThrow(RangeError);
    expect(logGamma(Infinity)).toBe(Infinity);
  });
});

describe("logChoose", () => {
  it("is ln C(a, b): Pascal's triangle to a = 60 within 1e-13, symmetric, 0 at the edges", () => {
    let row = [1];
    for (let a = 0; a <= 60; a++) {
      for (let b = 0; b <= a; b++) {
        expect(Math.abs(logChoose(a, b) - Math.log(row[b]!)), `C(${a}, ${b})`).toBeLessThan(1e-13 * Math.max(1, Math.log(row[b]!)));
        expect(logChoose(a, b)).toBeCloseTo(logChoose(a, a - b), 12);
      }
      row = [1, ...row.slice(1).map((x, i) => x + row[i]!), 1];
    }
    expect(logChoose(7, 0)).toBe(0);
    expect(logChoose(7, 7)).toBe(0);
  });
});
