/**
 * The simulation half of a pooled regime's var_ratio closed form (accumulate, accumulate-subsample):
 * Gaussian chains with seed size 20 and M = 10 (the pool grows 20 → 120, so the factors are far
 * from 1) for mle, unbiased and --truncate 1.5, and mvn's trace ratio in 3-D, each replicate mean
 * within Z standard errors of `expected(n0, M, g, estimator, v)` (test/helpers.ts).
 */
import { it } from "vitest";
import type { Estimator } from "../../src/models/continuous.js";
import { truncationFactor } from "../../src/models/continuous.js";
import { expectMeanWithin, replicateValues } from "../helpers.js";

type Expected = (n0: number, M: number, g: number, estimator: Estimator, v: number) => number;

/**
 * `replicates` is the gaussian chains' count: 4000 where the factors are close to replace's
 * (accumulate-subsample: off by n0/(n0 − 1) is 8 SE away at 4000 replicates), 2000 where they are
 * far (accumulate: 16 SE at 2000).
 */
export function varRatioChainTests(regime: string, expected: Expected, seedPrefix: string, replicates: number): void {
  const G = 10;
  for (const [estimator, truncate] of [
    ["mle", null],
    ["unbiased", null],
    ["mle", 1.5],
  ] as const) {
    it(`simulated gaussian chains match it (${estimator}${truncate ? `, --truncate ${truncate}` : ""})`, () => {
      const opts: Record<string, unknown> = {
        regime,
        seedSize: 20,
        sampleSize: 10,
        generations: G,
        replicates,
        estimator,
        // One tail multiple, not the default two: the test reads var_ratio only (the draws are the same).
        tailK: 2,
        seed: `${seedPrefix}-${estimator}-${truncate}`,
      };
      if (truncate) opts.truncate = truncate;
      const run = replicateValues(opts);
      const v = truncate ? truncationFactor(truncate) : 1;
      for (let g = 1; g <= G; g++) expectMeanWithin(run.values("var_ratio", g), expected(20, 10, g, estimator, v), `g=${g}`);
    });
  }

  it("holds for the trace ratio of mvn (the covariance recursion is the same matrix-wise)", () => {
    // One tail multiple, not the default two: mvn's tail masses in 3-D are lattice integrals, most
    // of the run's cost, and this test reads var_ratio only. 1500 replicates keep the power: the
    // trace ratio off by (n0 − 1)/n0 or by 10 % is 8 or more standard errors away at some checked
    // generation, in either regime.
    const run = replicateValues({
      model: "mvn",
      dims: 3,
      regime,
      seedSize: 12,
      sampleSize: 6,
      generations: 8,
      replicates: 1500,
      tailK: 2,
      seed: `${seedPrefix}-mvn`,
    });
    for (const g of [1, 4, 8]) expectMeanWithin(run.values("var_ratio", g), expected(12, 6, g, "mle", 1), `g=${g}`);
  });
}
