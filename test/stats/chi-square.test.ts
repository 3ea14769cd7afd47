import { describe, expect, it } from "vitest";
import { chiSquareSf, chiSquareSfInverse } from "../../src/stats/chi-square.js";
import { normalSf } from "../../src/stats/normal.js";

describe("chiSquareSf", () => {
  it("matches known quantiles (R: qchisq) and the normal tail for df = 1", () => {
    // qchisq(0.95, df) for df = 1…4 and 10.
    const cases: [number, number, number][] = [
      [3.841458820694124, 1, 0.05],
      [5.991464547107979, 2, 0.05],
      [7.814727903251178, 3, 0.05],
      [9.487729036781154, 4, 0.05],
      [18.30703805327515, 10, 0.05],
    ];
    for (const [y, df, p] of cases) expect(chiSquareSf(y, df) / p).toBeCloseTo(1, 9);
    for (const z of [0.1, 1, 3, 8]) expect(chiSquareSf(z * z, 1) / (2 * normalSf(z))).toBeCloseTo(1, 12);
    expect(chiSquareSf(0, 5)).toBe(1);
    expect(chiSquareSf(Infinity, 5)).toBe(0);
    // Far tails against the textbook closed forms: df = 2 is the exponential e^{−y/2};
    // df = 3: 2Q(√y) + √(2y/π)·e^{−y/2}; df = 4: e^{−y/2}(1 + y/2).
    for (const y of [7, 50, 300]) {
      expect(chiSquareSf(y, 2) / Math.exp(-y / 2)).toBeCloseTo(1, 13);
      expect(chiSquareSf(y, 3) / (2 * normalSf(Math.sqrt(y)) + Math.sqrt((2 * y) / Math.PI) * Math.exp(-y / 2))).toBeCloseTo(1, 12);
      expect(chiSquareSf(y, 4) / (Math.exp(-y / 2) * (1 + y / 2))).toBeCloseTo(1, 12);
    }
  });

  it("is inverted by chiSquareSfInverse", () => {
    for (const df of [1, 2, 3, 7, 50]) {
      for (const q of [0.9, 0.5, 0.0455, 1e-8]) expect(chiSquareSf(chiSquareSfInverse(q, df), df) / q).toBeCloseTo(1, 10);
    }
  });
});
