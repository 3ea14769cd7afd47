/** What a run tells beside its numbers: why --theory adds nothing, and a few draws per generation. */
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { runReplicates } from "../../src/core/loop.js";
import { flags } from "../helpers.js";
import { prepare, simulate } from "../run.js";

const notesOf = (o: Record<string, unknown>) => prepare(resolveSimConfig(flags({ generations: 2, replicates: 2, ...o }))).notes;

describe("--theory without a closed form", () => {
  it("says so in one note when the model has none", () => {
    expect(notesOf({ model: "ngram", sampleSize: 500, theory: true })).toContain(
      "--theory: --model ngram has no closed-form expectations; the output has no theory values (README: Theory lists what is covered)",
    );
  });

  it("says so when the regime or filter leaves none, naming them", () => {
    expect(notesOf({ regime: "mix", theory: true })).toContain(
      "--theory: no closed form for --model gaussian with --regime mix and these options; the output has no theory values (README: Theory lists what is covered)",
    );
    expect(notesOf({ model: "categorical", filterRecall: 0.5, theory: true }).join()).toMatch(/--regime replace, --filter-recall 0\.5 and these options/);
  });

  it("is silent where a closed form exists, or when --theory is not asked", () => {
    expect(notesOf({ theory: true })).toEqual([]);
    expect(notesOf({ regime: "accumulate", theory: true })).toEqual([]);
    expect(notesOf({ model: "ngram", sampleSize: 500 })).toEqual([]);
  });
});

describe("--show-samples for continuous models", () => {
  it.each([
    ["gaussian", 1],
    ["mvn", 2],
    ["gmm", 1],
  ])("%s: six draws of each generation's model, 3 significant digits, rows in parentheses", (model, dims) => {
    const { result } = simulate(resolveSimConfig(flags({ model, generations: 2, replicates: 2 })));
    const number = "−?\\d+(\\.\\d+)?(e[+−-]\\d+)?";
    const item = dims === 1 ? number : `\\(${Array(dims).fill(number).join(", ")}\\)`;
    for (const g of result.generations) expect(g.sample).toMatch(new RegExp(`^(${item}, ){6}…$`));
    // Draws of different generations come from different models.
    expect(new Set(result.generations.map((g) => g.sample)).size).toBe(3);
  });

  it.each(["gaussian", "mvn", "gmm"])("%s: draws on a stream of its own, so the numbers are those of a run without samples", (model) => {
    const { prepared } = prepare(resolveSimConfig(flags({ model, generations: 3, replicates: 4, seed: "samples" })));
    const withSamples = runReplicates(prepared, 0, 4);
    const without = runReplicates({ ...prepared, model: { ...prepared.model, describe: undefined } }, 0, 4);
    expect(withSamples.samples).toHaveLength(4);
    expect(without.samples).toBeNull();
    expect(withSamples.values).toEqual(without.values);
  });

  // Prepared.describes = false (an output without samples): none drawn, the rest the same.
  it.each(["gaussian", "categorical", "ngram"])("%s: describes = false draws none, and changes nothing else", (model) => {
    const { prepared } = prepare(resolveSimConfig(flags({ model, generations: 3, replicates: 4, seed: "no-samples" })));
    const withSamples = runReplicates(prepared, 0, 4);
    const without = runReplicates({ ...prepared, describes: false }, 0, 4);
    expect(withSamples.samples).toHaveLength(4);
    expect(without.samples).toBeNull();
    expect(without.values).toEqual(withSamples.values);
  });
});
