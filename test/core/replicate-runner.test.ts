/**
 * ReplicateRunner (src/core/loop.ts): replicates run one at a time into one block, as a coordinator
 * runs its chunks between turns of its event loop. The block must be the one runReplicates makes of
 * the same range — replicate 0's samples included, a range not starting at 0 without them — and
 * nothing runs once the range is done.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { type ReplicateBlock, ReplicateRunner, runReplicates } from "../../src/core/loop.js";
import { prepare } from "../../src/core/run.js";
import { flags } from "../helpers.js";

/** The block's numbers and texts as plain arrays, to compare whole. */
function plain(b: ReplicateBlock) {
  return {
    ...b,
    values: b.values.map((v) => Array.from(v)),
    deaths: b.deaths?.map((d) => Array.from(d)) ?? null,
    real: Array.from(b.real),
    synthetic: Array.from(b.synthetic),
  };
}

describe("ReplicateRunner", () => {
  // Under accumulate with the filter (the training mix moves), with extinctions (categorical) and
  // a table model; each describes replicate 0's samples.
  const runs = [
    { regime: "accumulate", filterRecall: 0.6, generations: 6, replicates: 9, seed: "runner" },
    { model: "categorical", generations: 5, replicates: 7, seed: "runner" },
    { model: "linreg", generations: 3, replicates: 4, seed: "runner" },
  ];

  it.each(runs)("fills one block, one replicate a call, as runReplicates does: %o", (options) => {
    const { prepared } = prepare(resolveSimConfig(flags(options)));
    const R = prepared.config.replicates;
    for (const [from, to] of [
      [0, R],
      [2, R - 1],
    ] as const) {
      const runner = new ReplicateRunner(prepared, from, to);
      let ran = 0;
      let generations = 0;
      while (runner.runNext(() => generations++)) ran++;
      expect(ran).toBe(to - from);
      expect(generations).toBe((to - from) * prepared.config.generations);
      // Done: another call runs nothing.
      expect(runner.runNext(() => generations++)).toBe(false);
      expect(generations).toBe((to - from) * prepared.config.generations);
      expect(plain(runner.block)).toEqual(plain(runReplicates(prepared, from, to)));
      expect(runner.block.samples === null).toBe(from !== 0);
    }
  });
});
