/**
 * Model.sample's `spare`: under `replace` the loop offers each generation's sample the previous
 * one, which a model may draw into instead of allocating (src/core/loop.ts). The loop's situation
 * is rebuilt here for every model: a sample x₁ of θ₀, θ₁ fitted to it, then θ₁'s sample drawn with
 * x₁ offered as the spare. It must be the sample drawn without one — whatever the model keeps of
 * x₁ in θ₁ (the kernel density keeps its points: it must not draw over them) and whether or not it
 * writes every value of the buffer it reuses.
 */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { Rng } from "../../src/stats/rng.js";
import { flags } from "../helpers.js";
import { prepare } from "../run.js";

/** A sample's numbers, whatever its shape (a typed array, or rows with `values`). */
function numbers(sample: unknown): number[] {
  const values = ArrayBuffer.isView(sample) ? sample : (sample as { values: Float64Array }).values;
  return Array.from(values as Float64Array);
}

const MODELS: Record<string, unknown>[] = [
  { model: "gaussian" },
  { model: "gaussian", truncate: 1.5 },
  { model: "mvn", dims: 3 },
  { model: "mvn", dims: 2, truncate: 2 },
  { model: "gmm" },
  { model: "gmm", dims: 2, truncate: 2 },
  { model: "categorical" },
  { model: "categorical", topP: 0.8 },
  { model: "kde" },
  { model: "linreg" },
  { model: "ngram" },
];

describe("sample with the previous sample as its spare", () => {
  for (const options of MODELS) {
    it(`${JSON.stringify(options)}: the draws of a sample without one`, () => {
      const { prepared: p } = prepare(resolveSimConfig(flags({ ...options, seed: "spare" })));
      const { model, options: o, params0, config } = p;
      const n = config.sampleSize;
      // Twice the same generation 1: one fitted to a sample nothing reuses, one to the spare.
      const [apart, spare] = [0, 1].map(() => model.sample(params0, n, new Rng("generation 1"), o));
      const [fittedApart, fittedSpare] = [model.fit(apart, o), model.fit(spare, o)];
      const expected = numbers(model.sample(fittedApart, n, new Rng("generation 2"), o));
      const got = model.sample(fittedSpare, n, new Rng("generation 2"), o, spare);
      expect(numbers(got)).toEqual(expected);
    });
  }
});
