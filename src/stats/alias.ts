/**
 * Walker's alias method in Vose's numerically stable construction (M. D. Vose, "A linear
 * algorithm for generating random numbers with a given distribution", IEEE TSE 17(9), 1991):
 * O(K) set-up, O(1) per draw, for the categorical and n-gram samplers.
 */
import type { UniformSource } from "./uniform.js";

/**
 * A table for drawing index i ∈ [0, K) with probability wᵢ / Σw.
 *
 * Column i keeps itself with probability prob[i] and otherwise gives alias[i]; a draw picks a
 * uniform column and flips its coin, both from one 53-bit `src.random()` (its integer part
 * × K picks the column, the fraction is the coin), so the probabilities are exact up to the
 * 2⁻⁵³ granularity of the uniform. Zero-weight entries are never drawn (their prob is exactly 0
 * and no column aliases to them).
 *
 * Throws RangeError (from the constructor) if a weight is negative, NaN or infinite, if there
 * are none, if all are zero, or if their sum overflows.
 *
 * @example new AliasTable([1, 2, 7]).sample(rng) // 2 with probability 0.7
 */
export class AliasTable {
  /** Number of categories K. */
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: Float64Array | number[]) {
    const k = weights.length;
    if (k === 0) throw new RangeError("AliasTable: needs at least one weight");
    let total = 0;
    for (let i = 0; i < k; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || w === Infinity) {
        throw new RangeError(`AliasTable: weights must be finite and ≥ 0, got ${w} at ${i}`);
      }
      total += w;
    }
    if (!(total > 0) || total === Infinity) {
      throw new RangeError(`AliasTable: weights must sum to a positive finite number, got ${total}`);
    }
    this.size = k;
    this.prob = new Float64Array(k);
    this.alias = new Int32Array(k);
    buildAliasSegment(Float64Array.from(weights), 0, k, this.prob, this.alias, new Float64Array(k), new Int32Array(k));
  }

  /** One index i ∈ [0, size) with probability wᵢ/Σw. Uses one `src.random()`. */
  sample(src: UniformSource): number {
    const u = src.random() * this.size;
    let i = Math.floor(u);
    // u·K can round up to K itself when u is within 2⁻⁵³ of 1.
    if (i >= this.size) i = this.size - 1;
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }

  /**
   * Fills out[0..n) with independent draws (as `sample`) and returns `out`.
   * Throws RangeError unless 0 ≤ n ≤ out.length (integer).
   */
  sampleInto(out: Int32Array, src: UniformSource, n: number = out.length): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > out.length) {
      throw new RangeError(`AliasTable.sampleInto: n must be an integer in [0, ${out.length}], got ${n}`);
    }
    const prob = this.prob;
    const alias = this.alias;
    const k = this.size;
    const last = k - 1;
    for (let j = 0; j < n; j++) {
      const u = src.random() * k;
      let i = Math.floor(u);
      if (i > last) i = last;
      out[j] = u - i < prob[i]! ? i : alias[i]!;
    }
    return out;
  }
}

/**
 * Vose's construction on the weights w[from..to) (finite, ≥ 0, positive sum — unchecked: the
 * callers validate), writing prob and alias (as local indices 0..to−from−1) into the same range of
 * `prob` and `alias`. `scaled` and `work` are scratch of length ≥ to − from. The AliasTable
 * class uses it for one distribution; the n-gram sampler packs one segment per context into
 * flat arrays, so that a corpus's thousands of contexts cost no objects.
 *
 * Scaled weights K·wᵢ/Σw are split into "small" (< 1) and "large" (≥ 1) work lists; each small
 * column is topped up from one large column, which then re-enters a list with what is left of it.
 * Both lists live in one Int32Array: small grows from the front, large from the back.
 */
export function buildAliasSegment(
  w: Float64Array,
  from: number,
  to: number,
  prob: Float64Array,
  alias: Int32Array,
  scaled: Float64Array,
  work: Int32Array,
): void {
  const k = to - from;
  if (k === 1) {
    prob[from] = 1;
    alias[from] = 0;
    return;
  }
  let total = 0;
  let heaviest = 0;
  for (let i = 0; i < k; i++) {
    total += w[from + i]!;
    if (w[from + i]! > w[from + heaviest]!) heaviest = i;
  }
  const scale = k / total;
  let nSmall = 0;
  let nLarge = 0;
  for (let i = 0; i < k; i++) {
    const s = (scaled[i] = w[from + i]! * scale);
    if (s < 1) work[nSmall++] = i;
    else work[k - 1 - nLarge++] = i;
  }
  while (nSmall > 0 && nLarge > 0) {
    const l = work[--nSmall]!;
    const g = work[k - nLarge]!;
    prob[from + l] = scaled[l]!;
    alias[from + l] = g;
    // (g + l) − 1 rather than g − (1 − l): Vose's order, which loses less to rounding.
    const rest = (scaled[g] = scaled[g]! + scaled[l]! - 1);
    if (rest < 1) {
      nLarge--;
      work[nSmall++] = g;
    }
  }
  // What is left is 1 up to rounding: those columns keep themselves. A zero weight (one cut by
  // top-k/top-p, say) can only be left over through rounding gone wrong; it must never be drawn.
  while (nLarge > 0) {
    const g = work[k - nLarge--]!;
    prob[from + g] = 1;
    alias[from + g] = g;
  }
  while (nSmall > 0) {
    const l = work[--nSmall]!;
    const positive = w[from + l]! > 0;
    prob[from + l] = positive ? 1 : 0;
    alias[from + l] = positive ? l : heaviest;
  }
}
