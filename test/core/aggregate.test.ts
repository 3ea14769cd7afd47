/**
 * replicateColumn: replicate blocks (as threads return them: contiguous ranges, a coordinator's one
 * replicate at a time, in any order) into one metric's values, each generation's in replicate order.
 */
import { describe, expect, it } from "vitest";
import { replicateColumn, summarize } from "../../src/core/aggregate.js";
import type { ReplicateBlock } from "../../src/core/loop.js";

/** A block whose value for (generation g, metric m, replicate r) is r + 1000·g + 0.5·m. */
function block(from: number, to: number, metrics: number, generations: number): ReplicateBlock {
  const count = to - from;
  const values = Array.from({ length: metrics }, (_, m) => {
    const v = new Float64Array((generations + 1) * count);
    for (let g = 0; g <= generations; g++) for (let i = 0; i < count; i++) v[g * count + i] = from + i + 1000 * g + 0.5 * m;
    return v;
  });
  return { from, to, values, deaths: null, samples: null, real: new Float64Array(0), synthetic: new Float64Array(0) };
}

/**
 * Every (generation, metric)'s values, gathered one metric at a time into one reused array as
 * assembleColumns does (each copied out before the next gather), which must leave nothing of the
 * previous metric behind.
 */
function collect(blocks: readonly ReplicateBlock[], metrics: number, generations: number, replicates: number): Float64Array[][] {
  const into = new Float64Array((generations + 1) * replicates).fill(Number.NaN);
  const out: Float64Array[][] = Array.from({ length: generations + 1 }, () => []);
  for (let m = 0; m < metrics; m++) {
    const column = replicateColumn(blocks, (b) => b.values[m]!, generations + 1, into);
    for (let g = 0; g <= generations; g++) out[g]!.push(column.slice(g * replicates, (g + 1) * replicates));
  }
  return out;
}

describe("replicateColumn", () => {
  it("puts every block's values at its replicates, whatever the blocks' order and sizes", () => {
    const [M, G, R] = [3, 4, 9];
    // One-replicate blocks (a coordinator's share) and ranges (a worker's chunks), shuffled.
    const blocks = [block(5, 9, M, G), block(0, 1, M, G), block(2, 5, M, G), block(1, 2, M, G)];
    const out = collect(blocks, M, G, R);
    expect(out).toHaveLength(G + 1);
    for (let g = 0; g <= G; g++) {
      expect(out[g]).toHaveLength(M);
      for (let m = 0; m < M; m++) expect(Array.from(out[g]![m]!)).toEqual(Array.from({ length: R }, (_, r) => r + 1000 * g + 0.5 * m));
    }
  });

  it("copies large blocks (copied whole, with set) beside small ones (value by value) to the same places", () => {
    const [M, G, R] = [3, 4, 200];
    // Sizes on both sides of the threshold at which a block's runs are copied with set.
    const blocks = [block(150, 200, M, G), block(0, 1, M, G), block(31, 63, M, G), block(1, 31, M, G), block(63, 150, M, G)];
    const out = collect(blocks, M, G, R);
    for (let g = 0; g <= G; g++) {
      for (let m = 0; m < M; m++) expect(Array.from(out[g]![m]!)).toEqual(Array.from({ length: R }, (_, r) => r + 1000 * g + 0.5 * m));
    }
  });

  it("feeds summaries that do not depend on how the replicates were split", () => {
    const [M, G, R] = [2, 3, 12];
    const whole = collect([block(0, R, M, G)], M, G, R);
    const split = collect([block(7, 12, M, G), block(3, 4, M, G), block(0, 3, M, G), block(4, 7, M, G)], M, G, R);
    for (let g = 0; g <= G; g++) for (let m = 0; m < M; m++) expect(summarize(split[g]![m]!)).toEqual(summarize(whole[g]![m]!));
  });
});
