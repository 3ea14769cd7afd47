import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { deriveSeed, Rng } from "../../src/stats/rng.js";
import { expectWithin } from "../helpers.js";
import { chiSquareCritical } from "../stats/helpers.js";

describe("Rng", () => {
  it("reproduces seedrandom's xor4096 sequence exactly", () => {
    for (const seed of ["1", "collapse", deriveSeed("1", "replicate", 7)]) {
      const ours = new Rng(seed);
      const theirs = seedrandom.xor4096(seed);
      // One comparison of the whole sequences (10,000 expect calls cost a quarter of a second).
      const a = Array.from({ length: 10_000 }, () => ours.nextUint32());
      const b = Array.from({ length: 10_000 }, () => theirs.int32() >>> 0);
      expect(a, seed).toEqual(b);
    }
  });

  it("gives equal streams for equal seeds and different ones otherwise", () => {
    const a = new Rng("s");
    const b = new Rng("s");
    const c = new Rng("t");
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.random())).not.toEqual(xs);
  });

  it("random() is uniform on [0,1): mean 1/2 and E[u²] = 1/3 within Z standard errors", () => {
    const rng = new Rng("uniform");
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.random();
      s += u;
      s2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = s / n;
    // SE of the mean = sqrt(1/12 / n) ≈ 6.5e-4; SE of the mean of u² = sqrt(Var(u²)/n), Var(u²) = 4/45.
    expectWithin(mean, 0.5, Math.sqrt(1 / 12 / n), "mean");
    expectWithin(s2 / n, 1 / 3, Math.sqrt(4 / 45 / n), "mean of u²");
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it("below(n) hits every value equally often (χ² with 9 degrees of freedom, at the suite's ALPHA)", () => {
    const rng = new Rng("below");
    const n = 10;
    const draws = 100_000;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) counts[rng.below(n)]!++;
    const expected = draws / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(chiSquareCritical(n - 1));
  });

  it("derives distinct, order-free seeds", () => {
    expect(deriveSeed("1", "replicate", 2)).toBe(deriveSeed("1", "replicate", 2));
    expect(deriveSeed("1", "replicate", 12)).not.toBe(deriveSeed("11", "replicate", 2));
  });
});
