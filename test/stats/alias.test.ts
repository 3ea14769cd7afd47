import { describe, expect, it } from "vitest";
import { AliasTable } from "../../src/stats/alias.js";
import { Rng } from "../../src/stats/rng.js";
import { chiSquareCritical, chiSquareStat, poolCells } from "./helpers.js";

/** Counts of n draws from the table. */
function frequencies(table: AliasTable, rng: Rng, n: number): Float64Array {
  const counts = new Float64Array(table.size);
  const draws = table.sampleInto(new Int32Array(n), rng);
  for (let i = 0; i < n; i++) counts[draws[i]!]! += 1;
  return counts;
}

/**
 * Pearson χ² of counts against n·wᵢ/Σw over the positive-weight categories (pooled to expected
 * ≥ 5); under H0 it is χ²(cells − 1), rejected above its upper-ALPHA quantile.
 */
function expectFits(counts: Float64Array, weights: ArrayLike<number>, n: number): void {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  const obs: number[] = [];
  const exp: number[] = [];
  for (let i = 0; i < weights.length; i++) {
    if (weights[i]! > 0) {
      obs.push(counts[i]!);
      exp.push((n * weights[i]!) / total);
    } else {
      expect(counts[i], `zero-weight category ${i} drawn`).toBe(0);
    }
  }
  const pooled = poolCells(obs, exp);
  expect(chiSquareStat(pooled.observed, pooled.expected)).toBeLessThan(chiSquareCritical(pooled.observed.length - 1));
}

describe("AliasTable", () => {
  it("draws each index with probability wᵢ/Σw (χ²), never a zero weight", () => {
    const weights = [1, 2, 3, 4, 0, 10, 0.5, 0];
    const n = 500_000;
    expectFits(frequencies(new AliasTable(weights), new Rng("test-alias-small"), n), weights, n);
  });

  it("fits 1,000 random weights with many zeros (χ², 500k draws)", () => {
    const rng = new Rng("test-alias-large");
    const weights = new Float64Array(1000).map(() => (rng.random() < 0.2 ? 0 : 0.2 + rng.random()));
    const n = 500_000;
    expectFits(frequencies(new AliasTable(weights), rng, n), weights, n);
  });

  it("fits a Zipf-like table spanning ten orders of magnitude", () => {
    const weights = new Float64Array(200).map((_, i) => (i + 1) ** -4.5);
    const n = 400_000;
    expectFits(frequencies(new AliasTable(weights), new Rng("test-alias-zipf"), n), weights, n);
  });

  it("handles one category, equal weights and unnormalised weights", () => {
    const rng = new Rng("test-alias-edge");
    const one = new AliasTable([3]);
    expect(one.size).toBe(1);
    for (let i = 0; i < 100; i++) expect(one.sample(rng)).toBe(0);
    const onlyLast = new AliasTable(Float64Array.of(0, 0, 0, 2.5));
    for (let i = 0; i < 1000; i++) expect(onlyLast.sample(rng)).toBe(3);
    const n = 200_000;
    const equal = new Array(7).fill(1e-300);
    expectFits(frequencies(new AliasTable(equal), rng, n), equal, n);
  });

  it("sample and sampleInto consume the same draws and give the same sequence", () => {
    const table = new AliasTable([5, 1, 0, 3]);
    const a = new Rng("test-alias-same");
    const b = new Rng("test-alias-same");
    const filled = table.sampleInto(new Int32Array(10_000), a);
    expect(Array.from(filled, () => table.sample(b))).toEqual(Array.from(filled));
    const partial = table.sampleInto(new Int32Array(5).fill(-1), a, 3);
    expect(Array.from(partial.subarray(3))).toEqual([-1, -1]);
  });

  it("rejects empty, negative, non-finite and all-zero weights", () => {
    expect(() => new AliasTable([])).toThrow(RangeError);
    expect(() => new AliasTable([1, -1])).toThrow(RangeError);
    expect(() => new AliasTable([1, Number.NaN])).toThrow(RangeError);
    expect(() => new AliasTable([1, Infinity])).toThrow(RangeError);
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
    expect(() => new AliasTable([1e308, 1e308])).toThrow(RangeError); // the sum overflows
    expect(() => new AliasTable([1]).sampleInto(new Int32Array(2), new Rng("x"), 3)).toThrow(RangeError);
  });
});
