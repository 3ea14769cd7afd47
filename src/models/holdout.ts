/**
 * Held-out seed data: a share of the seed that no generation trains on, so that a metric can ask
 * how well generation g still predicts real data it never saw (ngram's perplexity, kde's
 * nll_holdout, linreg's test_mse_ratio). One declaration of `--holdout` for every model that takes
 * it, so type, range and default cannot drift apart (src/config/spec.ts also checks they agree).
 */
import { deriveSeed, Rng } from "../stats/rng.js";
import type { OptionSpec } from "./option.js";

/** `--holdout F`, with the model's own words for what is held out and what for. */
export function holdoutOption(description: string): OptionSpec<"holdout"> {
  return { key: "holdout", flag: "holdout", type: "number", arg: "F", above: 0, below: 1, group: "model", default: 0.1, description };
}

/** Rows held out of n for a share F: round(F·n), at least 1. */
export function heldCount(share: number, n: number): number {
  return Math.max(1, Math.round(share * n));
}

/**
 * A seeded random `held` of the rows of `values` (`width` numbers a row) held out, the rest kept
 * for training; both keep the rows' original order. The draw is a partial Fisher–Yates shuffle of
 * row indices on the stream deriveSeed(seed, "holdout"), so it is the same for every replicate and
 * every --jobs, and independent of the streams generations draw from.
 */
export function splitHoldout(values: Float64Array, width: number, held: number, seed: string): { train: Float64Array; heldOut: Float64Array } {
  const n = values.length / width;
  const rng = new Rng(deriveSeed(seed, "holdout"));
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const isHeld = new Uint8Array(n);
  for (let i = 0; i < held; i++) {
    const j = i + rng.below(n - i);
    const t = index[j]!;
    index[j] = index[i]!;
    index[i] = t;
    isHeld[t] = 1;
  }
  const train = new Float64Array((n - held) * width);
  const heldOut = new Float64Array(held * width);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    const row = values.subarray(i * width, (i + 1) * width);
    if (isHeld[i]) heldOut.set(row, width * b++);
    else train.set(row, width * a++);
  }
  return { train, heldOut };
}
