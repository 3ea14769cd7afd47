/**
 * The Kolmogorov–Smirnov statistic against a hand computation, the Kolmogorov tail against its
 * tabulated quantiles, and the p-value's calibration: under H0 with the CDF fixed in advance
 * (known parameters), p-values are uniform on (0, 1).
 */

import { describe, expect, it } from "vitest";
import { kolmogorovSf, ksPValue, ksStatistic } from "../../src/stats/ks.js";
import { normalCdf } from "../../src/stats/normal.js";
import { deriveSeed, Rng } from "../../src/stats/rng.js";
import { fillNormal } from "../../src/stats/ziggurat.js";
import { ALPHA, Z } from "../helpers.js";
import { chiSquareCritical, chiSquareStat } from "./helpers.js";

describe("ksStatistic", () => {
  it("matches a hand computation on four points against the uniform CDF", () => {
    // Sorted u = 0.1, 0.4, 0.45, 0.9 (n = 4):
    //   i/n − u     = 0.15, 0.10, 0.30, 0.10  → D+ = 0.30
    //   u − (i−1)/n = 0.10, 0.15, −0.05, 0.15 → D− = 0.15
    expect(ksStatistic(Float64Array.of(0.9, 0.1, 0.45, 0.4))).toBeCloseTo(0.3, 15);
  });

  it("matches a hand computation on three points against their own fitted normal", () => {
    // x = −1, 0, 1: μ = 0, σ (mle) = √(2/3); F = Φ(−1.2247) = 0.110335, 0.5, 0.889665.
    // D+ = max(1/3 − 0.110335, 2/3 − 0.5, 1 − 0.889665) = 0.222998; D− is the same by symmetry.
    const sigma = Math.sqrt(2 / 3);
    const u = Float64Array.from([-1, 0, 1], (x) => normalCdf(x / sigma));
    expect(ksStatistic(u)).toBeCloseTo(1 / 3 - normalCdf(-1 / sigma), 15);
    expect(ksStatistic(Float64Array.from([-1, 0, 1], (x) => normalCdf(x / sigma)))).toBeCloseTo(0.222998, 6);
  });

  it("counts a tie group as one jump of the empirical CDF", () => {
    // Two values at u = 0.5 and one at 0.9: F_n jumps from 0 to 2/3 at 0.5, so D = max(2/3 − 0.5, 0.5 − 0, 1 − 0.9) = 0.5.
    expect(ksStatistic(Float64Array.of(0.5, 0.9, 0.5))).toBe(0.5);
    expect(ksStatistic(new Float64Array(0))).toBeNaN();
  });
});

describe("kolmogorovSf", () => {
  it("matches the tabulated critical values of the Kolmogorov distribution", () => {
    // P(K > λ) = α at λ = 1.2238 (10%), 1.3581 (5%), 1.6276 (1%), 1.9495 (0.1%); median 0.8276.
    const table: [number, number][] = [
      [1.22385, 0.1],
      [1.3581, 0.05],
      [1.62762, 0.01],
      [1.94947, 0.001],
      [0.82757, 0.5],
    ];
    for (const [lambda, alpha] of table) expect(kolmogorovSf(lambda) / alpha).toBeCloseTo(1, 4);
    expect(kolmogorovSf(0)).toBe(1);
    expect(kolmogorovSf(0.1)).toBe(1);
    expect(kolmogorovSf(10)).toBeLessThan(1e-80);
  });

  it("is continuous where it switches between its two series", () => {
    expect(Math.abs(kolmogorovSf(1.18 - 1e-12) - kolmogorovSf(1.18))).toBeLessThan(1e-12);
  });
});

describe("ksPValue: calibration under H0 with known parameters", () => {
  // N replicate samples of n standard normals, each tested against Φ itself, so the p-values must
  // be uniform. Each cell count of N/B expected has SE √(N·(1/B)(1 − 1/B)) (19 counts of 400).
  const N = 4000;

  function pValues(n: number): Float64Array {
    const rng = new Rng(deriveSeed("ks-calibration", n));
    const x = new Float64Array(n);
    return Float64Array.from({ length: N }, () => {
      fillNormal(x, rng);
      return ksPValue(ksStatistic(x.map(normalCdf)), n);
    });
  }

  // Pearson's χ² over B equal cells, at the critical value of ALPHA.
  for (const n of [100, 1000]) {
    it(`n = ${n}: p-values are uniform over (0, 1) (χ² over 10 cells)`, () => {
      const B = 10;
      const counts = new Float64Array(B);
      for (const p of pValues(n)) counts[Math.min(B - 1, Math.floor(p * B))]!++;
      expect(chiSquareStat(counts, new Float64Array(B).fill(N / B))).toBeLessThan(chiSquareCritical(B - 1, ALPHA));
    });
  }

  // Small samples: Stephens' formula is an approximation whose error grows towards p = 1 (at
  // n = 10 about a fifth more p-values above 0.9 than the 10% due, which no decision uses). Where decisions are
  // made, P(p < α) = α within its binomial SE.
  for (const n of [10, 100]) {
    it(`n = ${n}: P(p < a) = a for a = 0.01, 0.05, 0.1, within Z binomial SEs`, () => {
      const ps = pValues(n);
      for (const a of [0.01, 0.05, 0.1]) {
        const share = ps.filter((p) => p < a).length / N;
        expect(Math.abs(share - a)).toBeLessThan(Z * Math.sqrt((a * (1 - a)) / N));
      }
    });
  }
});
