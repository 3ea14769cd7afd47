/**
 * The extinction records of a run (src/core/extinction-timeline.ts), made by counting sorts, against
 * their definition written plainly here: per category that died in some replicate, the lower
 * median of its generations of death and the share of replicates; ordered by share (most first),
 * then median generation (earliest first), then generation 0's order — by a comparison sort.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extinctionTimeline } from "../../src/core/extinction-timeline.js";
import type { ExtinctionColumns } from "../../src/core/result-columns.js";

/** The records the columns hold, as the document lists them. */
function extinctionRecords(x: ExtinctionColumns) {
  return Array.from(x.generation, (generation, i) => {
    const from = i > 0 && x.piece[i - 1] === x.piece[i] ? x.ends[i - 1]! : 0;
    return { category: x.names[x.piece[i]!]!.slice(from, x.ends[i]), generation, replicates: x.replicates[i]! };
  });
}

function byDefinition(categories: readonly string[], deaths: readonly Int32Array[]) {
  const R = deaths.length;
  const rows: { category: string; generation: number; replicates: number; index: number }[] = [];
  categories.forEach((category, c) => {
    const gens = deaths
      .map((d) => d[c]!)
      .filter((g) => g >= 0)
      .sort((a, b) => a - b);
    if (gens.length > 0) rows.push({ category, generation: gens[(gens.length - 1) >> 1]!, replicates: gens.length / R, index: c });
  });
  rows.sort((a, b) => b.replicates - a.replicates || a.generation - b.generation || a.index - b.index);
  return rows.map(({ category, generation, replicates }) => ({ category, generation, replicates }));
}

describe("extinctionTimeline", () => {
  it("gives the records of the definition, in its order, for any deaths (1–40 replicates, up to 60 categories, 0–30 generations)", () => {
    const deathsOf = fc
      .record({ R: fc.integer({ min: 1, max: 40 }), K: fc.integer({ min: 0, max: 60 }), G: fc.integer({ min: 0, max: 30 }) })
      .chain(({ R, K, G }) =>
        fc.record({
          G: fc.constant(G),
          // Mostly alive (−1), so that shares and medians tie often.
          deaths: fc.array(fc.array(fc.oneof(fc.constant(-1), fc.constant(-1), fc.integer({ min: 0, max: G })), { minLength: K, maxLength: K }), {
            minLength: R,
            maxLength: R,
          }),
        }),
      );
    fc.assert(
      fc.property(deathsOf, ({ G, deaths }) => {
        const K = deaths[0]!.length;
        const categories = Array.from({ length: K }, (_, c) => `c${c}`);
        const rows = deaths.map((d) => Int32Array.from(d));
        expect(extinctionRecords(extinctionTimeline(categories, rows, G))).toEqual(byDefinition(categories, rows));
      }),
      { seed: 20261205, numRuns: 500 },
    );
  });

  it("takes the lower median of more than 16 replicates too (the native sort's path)", () => {
    // 21 replicates lose category 0 at generations 20, 19, …, 0: median 10; category 1 in 17 of them at 3.
    const deaths = Array.from({ length: 21 }, (_, r) => Int32Array.from([20 - r, r < 17 ? 3 : -1]));
    expect(extinctionRecords(extinctionTimeline(["a", "b"], deaths, 20))).toEqual([
      { category: "a", generation: 10, replicates: 1 },
      { category: "b", generation: 3, replicates: 17 / 21 },
    ]);
  });
});
