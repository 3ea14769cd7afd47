/**
 * Model.shareFit: a worker thread prepares generation 0 from the parameters the coordinator fitted
 * (structured-cloned, as postMessage sends them) instead of running the model's fit again. The
 * result must not depend on which thread fitted: same parameters, same reference, same numbers.
 */
import { describe, expect, it, vi } from "vitest";
import type { SimConfig } from "../../src/config/config.js";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { runReplicates } from "../../src/core/loop.js";
import { prepare } from "../../src/core/run.js";
import type { SeedResult } from "../../src/core/seed.js";
import { loadSeedSync } from "../../src/data/seed-file.js";
import { gmm } from "../../src/models/gmm.js";
import type { AnyModel } from "../../src/models/model.js";
import { buildSampler } from "../../src/models/ngram/markov-chain.js";
import { ngram } from "../../src/models/ngram.js";
import { flags } from "../helpers.js";

/**
 * Prepares `config` here, then again from a structured clone of generation 0's parameters (as a
 * worker receives them): the second must call neither `fit` nor `fitShared`, and its generation 0
 * and `replicates` replicates must be the same numbers.
 */
function expectSameFromSentFit(model: AnyModel, config: SimConfig, seed: SeedResult | null, replicates: number): void {
  const here = prepare(config, seed).prepared;
  const sent = structuredClone(here.params0);
  const fits = [vi.spyOn(model, "fit"), ...(model.fitShared ? [vi.spyOn(model, "fitShared")] : [])];
  try {
    const there = prepare(config, seed, null, sent).prepared;
    for (const fit of fits) expect(fit).not.toHaveBeenCalled();
    expect(there.metrics0).toEqual(here.metrics0);
    const a = runReplicates(here, 0, replicates);
    const b = runReplicates(there, 0, replicates);
    expect(b.values.map((v) => Array.from(v))).toEqual(a.values.map((v) => Array.from(v)));
    expect(b.samples).toEqual(a.samples);
  } finally {
    for (const fit of fits) fit.mockRestore();
  }
}

describe("a worker given generation 0's fit (Model.shareFit)", () => {
  it("gmm shares its fit; prepare with it fits nothing and gives the same replicates", () => {
    expect(gmm.shareFit).toBe(true);
    expectSameFromSentFit(gmm, resolveSimConfig(flags({ model: "gmm", generations: 2, replicates: 3, seedSize: 200 })), null, 3);
  });

  it("ngram shares its counts; they arrive as plain objects and work as Levels again, with the same replicates", () => {
    expect(ngram.shareFit).toBe(true);
    for (const [tokens, order] of [
      ["word", 2],
      ["char", 4],
    ] as const) {
      const config = resolveSimConfig(flags({ model: "ngram", tokens, order, generations: 2, replicates: 2 }));
      expectSameFromSentFit(ngram, config, loadSeedSync(ngram, config), 2);
    }
  });

  it("ngram fits generation 0 in shared memory (Model.fitShared): the same counts and sampler as fit, not copied when sent", () => {
    const config = resolveSimConfig(flags({ model: "ngram", tokens: "char", order: 3, generations: 1, replicates: 1 }));
    const prepared = prepare(config, loadSeedSync(ngram, config)).prepared;
    const params0 = prepared.params0 as ReturnType<typeof ngram.fit>;
    const own = ngram.fit(prepared.data0 as Int32Array, prepared.options as never);
    const sampler = buildSampler(own.counts, prepared.options as never);
    const level = params0.counts.levels[3]!;
    expect(level.parent.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(params0.sampler!.columns.buffer).toBeInstanceOf(SharedArrayBuffer);
    for (let k = 1; k <= 3; k++) {
      const [a, b] = [params0.counts.levels[k]!, own.counts.levels[k]!];
      for (const key of ["parent", "token", "count", "follow", "types"] as const) expect(Array.from(a[key])).toEqual(Array.from(b[key]));
    }
    expect(Array.from(params0.sampler!.columns)).toEqual(Array.from(sampler.columns));
    expect(Array.from(params0.sampler!.ints)).toEqual(Array.from(sampler.ints));
    // A clone (as postMessage sends it) is a view of the same memory.
    const sent = structuredClone(params0);
    sent.counts.levels[3]!.count[0]! += 1;
    expect(level.count[0]).toBe(sent.counts.levels[3]!.count[0]);
    sent.counts.levels[3]!.count[0]! -= 1;
  });
});
