/**
 * Sampling distortions of discrete models (ARCHITECTURE §1): temperature, top-k and top-p applied to a
 * fitted distribution before it is sampled — for the categorical model to its one distribution,
 * for the n-gram model to each context's next-token distribution.
 *
 * Order, as common decoders apply them: temperature first, then top-k, then top-p (on the
 * tempered masses). Ties at a cut are broken by index order (the categories' order in the data;
 * for n-grams, first appearance in the training text), so the result is deterministic.
 */
import { selectInPlace } from "../stats/select.js";

export interface Decoding {
  /** T > 0: weights become w^(1/T). */
  readonly temperature: number;
  /** Keep the K most likely outcomes; 0 keeps all. */
  readonly topK: number;
  /** Keep the smallest set of most likely outcomes with mass ≥ P; 1 keeps all. */
  readonly topP: number;
}

/** True when decoding leaves every distribution as it is (temperature 1, no top-k, no top-p). */
export function isNeutral(d: Decoding): boolean {
  return d.temperature === 1 && d.topK === 0 && d.topP >= 1;
}

/**
 * Applies temperature, top-k and top-p to the (unnormalised, non-negative) weights w[from..to)
 * in place. Zero weights stay zero, and at least one positive weight always survives.
 *
 * - temperature: wᵢ ← (wᵢ / max w)^(1/T) — dividing by the maximum first keeps small T from
 *   underflowing every weight to 0;
 * - top-k: t = the k-th largest weight, found by linear-time selection (no sort); weights > t are
 *   kept, and weights = t in index order until k are kept;
 * - top-p: t = the weight at which the mass of the weights above it falls short of P·Σw while
 *   the mass at or above it reaches it, found by a weighted selection (repeated Floyd–Rivest on a
 *   shrinking range, O(n) expected); weights > t are kept, then weights = t in index order until
 *   the kept mass reaches P·Σw.
 *
 * `scratch` (length ≥ to − from) is overwritten; pass one to avoid an allocation per call.
 * O(n) expected time apart from the selection.
 */
export function decodeInPlace(w: Float64Array, d: Decoding, from = 0, to: number = w.length, scratch?: Float64Array): void {
  if (isNeutral(d) || to - from < 1) return;
  if (d.temperature !== 1) applyTemperature(w, d.temperature, from, to);
  const buf = scratch !== undefined && scratch.length >= to - from ? scratch : new Float64Array(to - from);
  if (d.topK > 0) applyTopK(w, d.topK, from, to, buf);
  if (d.topP < 1) applyTopP(w, d.topP, from, to, buf);
}

function applyTemperature(w: Float64Array, temperature: number, from: number, to: number): void {
  let max = 0;
  for (let i = from; i < to; i++) if (w[i]! > max) max = w[i]!;
  if (max === 0) return;
  const power = 1 / temperature;
  for (let i = from; i < to; i++) {
    const x = w[i]!;
    w[i] = x > 0 ? (x / max) ** power : 0;
  }
}

/** Copies the positive weights of w[from..to) into buf; returns how many. */
function gatherPositive(w: Float64Array, from: number, to: number, buf: Float64Array): number {
  let n = 0;
  for (let i = from; i < to; i++) if (w[i]! > 0) buf[n++] = w[i]!;
  return n;
}

function applyTopK(w: Float64Array, k: number, from: number, to: number, buf: Float64Array): void {
  const n = gatherPositive(w, from, to, buf);
  if (k >= n) return;
  const t = selectInPlace(buf, n - k, 0, n - 1);
  let ties = k;
  for (let i = from; i < to; i++) if (w[i]! > t) ties--;
  for (let i = from; i < to; i++) {
    const x = w[i]!;
    if (x > t) continue;
    if (x === t && ties > 0) ties--;
    else w[i] = 0;
  }
}

function applyTopP(w: Float64Array, p: number, from: number, to: number, buf: Float64Array): void {
  const n = gatherPositive(w, from, to, buf);
  if (n <= 1) return;
  let total = 0;
  for (let i = 0; i < n; i++) total += buf[i]!;
  const target = p * total;
  // Invariant: buf(hi..n) holds values ≥ every value of buf[lo..hi], with mass `above` < target.
  let lo = 0;
  let hi = n - 1;
  let above = 0;
  let t = buf[0]!;
  for (;;) {
    const k = (lo + hi) >>> 1;
    selectInPlace(buf, k, lo, hi);
    let upper = above;
    for (let i = k + 1; i <= hi; i++) upper += buf[i]!;
    if (upper >= target) {
      lo = k + 1;
    } else if (upper + buf[k]! >= target || k === lo) {
      // (k === lo: the whole range is needed — only rounding can get here with mass short.)
      t = buf[k]!;
      break;
    } else {
      above = upper + buf[k]!;
      hi = k - 1;
    }
  }
  let kept = 0;
  for (let i = from; i < to; i++) if (w[i]! > t) kept += w[i]!;
  for (let i = from; i < to; i++) {
    const x = w[i]!;
    if (x > t) continue;
    if (x === t && kept < target) kept += x;
    else w[i] = 0;
  }
}
