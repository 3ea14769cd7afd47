import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf, normalQuantile, normalSf, normalTwoSidedTail } from "../../src/stats/normal.js";
import { relErr } from "./helpers.js";

/**
 * [z, Φ(z)] to 17 digits, from mpmath at 60 digits (mp.ncdf). Cody's approximations are good to
 * ≈1e-18 in exact arithmetic, so double rounding dominates: we ask for 1e-14 relative, a few
 * hundred ulps of slack for the exp and the rational evaluation.
 */
const CDF: [number, number][] = [
  [-38, 2.8854283600687843e-316],
  [-37, 5.7255712225245768e-300],
  [-30, 4.9067139271481871e-198],
  [-20, 2.7536241186062337e-89],
  [-10, 7.6198530241605261e-24],
  [-8, 6.2209605742717841e-16],
  [-5.7, 5.9903714010635282e-9],
  [-5.6, 1.0717590258310929e-8],
  [-5, 2.8665157187919391e-7],
  [-3, 0.0013498980316300945],
  [-1.96, 0.024997895148220436],
  [-1, 0.15865525393145705],
  [-0.7, 0.24196365222307303],
  [-0.66, 0.25462691467133614],
  [-0.5, 0.3085375387259869],
  [-0.1, 0.46017216272297102],
  [0, 0.5],
  [0.3, 0.61791142218895263],
  [0.66, 0.74537308532866386],
  [0.7, 0.75803634777692697],
  [1, 0.84134474606854295],
  [2, 0.97724986805182079],
  [3, 0.99865010196836991],
  [5.6, 0.99999998928240974],
  [8, 0.99999999999999938],
];

/** [p, Φ⁻¹(p)] from mpmath (−√2·erfinv(1 − 2p) for the double p, at 700 digits). */
const QUANTILE: [number, number][] = [
  [5e-324, -38.467405617144346],
  [1e-300, -37.047096299361199],
  [1e-100, -21.273453560965324],
  [1e-20, -9.2623400897984076],
  [1e-10, -6.3613409024040562],
  [1e-5, -4.2648907939228246],
  [0.001, -3.0902323061678135],
  [0.01, -2.3263478740408411],
  [0.025, -1.9599639845400542],
  [0.05, -1.6448536269514727],
  [0.075, -1.4395314709384559],
  [0.1, -1.2815515655446004],
  [0.3, -0.52440051270804082],
  [0.7, 0.52440051270804066],
  [0.9, 1.2815515655446006],
  [0.925, 1.4395314709384562],
  [0.975, 1.9599639845400539],
  [0.999, 3.0902323061678133],
  [0.99999, 4.2648907939238408],
  [0.999999999999, 7.0344869100478352],
  [0.9999999999999999, 8.2095361516013869],
];

describe("normalCdf / normalSf", () => {
  it("match high-precision values to 1e-14 relative, tails included", () => {
    for (const [z, phi] of CDF) {
      expect(relErr(normalCdf(z), phi), `Φ(${z})`).toBeLessThan(1e-14);
      // Q(−z) = Φ(z): the upper tail at −z carries the same relative precision.
      expect(relErr(normalSf(-z), phi), `Q(${-z})`).toBeLessThan(1e-14);
    }
    expect(normalCdf(-8)).toBeCloseTo(6.22096057427178e-16, 28);
  });

  it("are exactly symmetric and complementary", () => {
    for (let z = -40; z <= 40; z += 0.37) {
      expect(normalCdf(-z)).toBe(normalSf(z));
      // Φ + Q = 1 up to the rounding of one subtraction.
      expect(Math.abs(normalCdf(z) + normalSf(z) - 1)).toBeLessThan(2e-16);
    }
  });

  it("are monotone across the branch points 0.66291 and √32", () => {
    for (const b of [0.66291, Math.sqrt(32)]) {
      let prev = normalCdf(b - 1e-6);
      for (let z = b - 1e-6; z <= b + 1e-6; z += 1e-8) {
        const c = normalCdf(z);
        expect(c).toBeGreaterThanOrEqual(prev);
        prev = c;
      }
    }
  });

  it("handle infinities, underflow and NaN", () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalSf(Infinity)).toBe(0);
    expect(normalSf(-Infinity)).toBe(1);
    expect(normalSf(45)).toBe(0);
    expect(normalCdf(Number.NaN)).toBeNaN();
    expect(normalSf(Number.NaN)).toBeNaN();
  });
});

describe("normalPdf", () => {
  it("matches known values and the definition", () => {
    expect(normalPdf(0)).toBe(0.3989422804014327);
    expect(relErr(normalPdf(1), 0.24197072451914335)).toBeLessThan(1e-15);
    // mpmath: npdf(30) = 1.4736461348785475e-196
    expect(relErr(normalPdf(-30), 1.4736461348785475e-196)).toBeLessThan(1e-14);
    for (let z = -5; z <= 5; z += 0.1) {
      expect(relErr(normalPdf(z), Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI))).toBeLessThan(1e-14);
    }
  });
});

describe("exp(−y²/2) with its head from a table (expHalfSquare)", () => {
  /** The two-exp form the table stands in for: every result must be its bits. */
  const twoExps = (y: number) => {
    const a = Math.trunc(y * 16) / 16;
    return Math.exp(-a * a * 0.5) * Math.exp(-((y - a) * (y + a)) * 0.5);
  };
  const INV_SQRT_2PI = 0.3989422804014327;

  it("gives normalPdf the same bits as two exps, on both sides of the table's end and beyond", () => {
    const ys: number[] = [0, -0, 1e-300, 0.66291, 1, 5.656854249492381, 37.5, 39.9375, 39.99, 40, 40.0625, 41, 1e3, Infinity, Number.NaN];
    for (let k = 0; k <= 650; k++) ys.push(k / 16, k / 16 + 1e-9, k / 16 + 0.03125, (k + 1) / 16 - 1e-12);
    for (let i = 0; i < 20_000; i++) ys.push(((i * 0.6180339887498949) % 1) * 45);
    for (const y of ys) {
      expect(Object.is(normalPdf(y), INV_SQRT_2PI * twoExps(Math.abs(y))), `y = ${y}`).toBe(true);
      expect(Object.is(normalPdf(-y), INV_SQRT_2PI * twoExps(Math.abs(y))), `y = ${-y}`).toBe(true);
    }
  });
});

describe("normalQuantile", () => {
  it("matches high-precision values (AS 241: ≈1e-16 relative; we ask 1e-15)", () => {
    for (const [p, z] of QUANTILE) expect(relErr(normalQuantile(p), z), `Φ⁻¹(${p})`).toBeLessThan(1e-15);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it("inverts normalCdf / normalSf from z = −37.5 to 37.5", () => {
    // A relative error ε in p moves z by ε·Φ(z)/φ(z) ≲ ε (for z < 0), so 1e-13 absolute is ample.
    // Beyond ±37.5 the tail is subnormal (< 2.2e-308) and carries fewer than 53 bits.
    let worst = 0;
    for (let z = -37.5; z <= 37.5; z += 0.01) {
      const back = z < 0 ? normalQuantile(normalCdf(z)) : -normalQuantile(normalSf(z));
      worst = Math.max(worst, Math.abs(back - z) / Math.max(1, Math.abs(z)));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it("maps 0 and 1 to ∓Infinity and rejects p outside [0, 1] or NaN", () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(-1e-300)).toThrow(RangeError);
    expect(() => normalQuantile(1.0000000000000002)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });
});

describe("normalTwoSidedTail", () => {
  it("is 2Q(k) when centred, keeping precision far in the tail", () => {
    expect(relErr(normalTwoSidedTail(0, 1.959963984540054, 0, 1), 0.05)).toBeLessThan(1e-14);
    expect(relErr(normalTwoSidedTail(5, 20, 5, 2), 2 * 7.6198530241605261e-24)).toBeLessThan(1e-14);
    expect(normalTwoSidedTail(0, Infinity, 0, 1)).toBe(0);
    expect(normalTwoSidedTail(0, 0, 0, 1)).toBe(1);
  });

  it("matches Φ-differences for shifted and scaled distributions", () => {
    for (const [c, h, mu, s] of [
      [0, 2, 0.5, 0.8],
      [1, 3, -1, 1.5],
      [0, 1, 3, 1],
      [-2, 0.5, 0, 0.1],
    ] as const) {
      const ref = normalCdf((c - h - mu) / s) + 1 - normalCdf((c + h - mu) / s);
      // The reference itself cancels; 1e-15 absolute is its own rounding.
      expect(Math.abs(normalTwoSidedTail(c, h, mu, s) - ref)).toBeLessThan(1e-15);
    }
  });

  it("is the sum of its two upper tails bit for bit, centred on the mean or not", () => {
    // A band centred on the mean has ends at one distance, whose tail the function may double
    // (x + x is 2x exactly); nowhere may that change a bit. Centres near the mean, on it, and off it.
    let seed = 7;
    const uniform = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let centred = 0;
    for (let i = 0; i < 20_000; i++) {
      const mu = (uniform() - 0.5) * 10 ** (3 - 6 * uniform());
      const sigma = 0.05 + 3 * uniform();
      const halfWidth = [1, 2, 3, 4][i % 4]! * (0.5 + uniform());
      const center = i % 3 === 0 ? mu : i % 3 === 1 ? mu + (uniform() - 0.5) * 1e-12 : (uniform() - 0.5) * 4;
      const upper = (center + halfWidth - mu) / sigma;
      const lower = (mu - center + halfWidth) / sigma;
      if (upper === lower) centred++;
      expect(Object.is(normalTwoSidedTail(center, halfWidth, mu, sigma), normalSf(upper) + normalSf(lower))).toBe(true);
    }
    // Both cases were met, many times each.
    expect(centred).toBeGreaterThan(2000);
    expect(centred).toBeLessThan(18_000);
  });

  it("treats sigma = 0 as a point mass and rejects invalid arguments", () => {
    expect(normalTwoSidedTail(0, 2, 1, 0)).toBe(0);
    expect(normalTwoSidedTail(0, 2, 2.5, 0)).toBe(1);
    expect(normalTwoSidedTail(0, 2, -2, 0)).toBe(0); // on the boundary: |X − c| > h is false
    expect(() => normalTwoSidedTail(0, 1, 0, -1)).toThrow(RangeError);
    expect(() => normalTwoSidedTail(0, -1, 0, 1)).toThrow(RangeError);
    expect(() => normalTwoSidedTail(Number.NaN, 1, 0, 1)).toThrow(RangeError);
  });
});
