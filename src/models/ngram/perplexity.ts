/**
 * Perplexity under an n-gram model with interpolated Witten–Bell smoothing (Witten & Bell 1991;
 * Chen & Goodman 1998, §2.5), backed off down to a uniform distribution over the generation-0
 * vocabulary plus one "unknown" slot — so every token, even one the model never saw, has a
 * positive probability and the perplexity is finite:
 *
 *   P₀(w)       = 1 / (V₀ + 1)
 *   P_k(w | h)  = (c(h w) + T(h) · P_{k−1}(w | h′)) / (c(h) + T(h))   if h was followed by a token,
 *               = P_{k−1}(w | h′)                                      otherwise,
 *
 * where h is the last k−1 tokens, h′ its last k−2, c(h w) the count of the k-gram, c(h) how often
 * h was followed by any token and T(h) by how many distinct ones. Order 1 uses the empty context:
 * c = L, T = the number of distinct tokens. Each P_k(· | h) sums to 1 over V₀ ∪ {unknown}.
 *
 * The first tokens of a sequence use what history they have (shorter contexts).
 */
import type { NgramCounts } from "./counts.js";

/** Reusable buffers of per-level k-gram ids of a sequence. */
export interface PerplexityScratch {
  ids: Int32Array[];
}

export function newPerplexityScratch(): PerplexityScratch {
  return { ids: [] };
}

/**
 * Σ ln P(seq[j] | seq[j−n+1..j−1]) over j, under `counts` smoothed as above, with `vocabulary` =
 * V₀ (ids ≥ V₀ are unknown tokens). O(n · |seq|) hash look-ups.
 */
export function logLikelihood(counts: NgramCounts, seq: Int32Array, vocabulary: number, scratch: PerplexityScratch = newPerplexityScratch()): number {
  const H = seq.length;
  const n = counts.order;
  const levels = counts.levels;
  // ids[k][i] = id of the k-gram seq[i..i+k) in the model, −1 if it never occurred.
  for (let k = 1; k <= n; k++) {
    if (scratch.ids[k] === undefined || scratch.ids[k]!.length < H) scratch.ids[k] = new Int32Array(H);
  }
  const ids = scratch.ids;
  for (let k = 1; k <= n; k++) {
    const out = ids[k]!;
    const level = levels[k];
    if (level === undefined) {
      out.fill(-1);
      continue;
    }
    // Level.find inlined, arrays in locals (see countNgrams: the cold start matters).
    const { slots, mask } = level;
    const prev = k > 1 ? ids[k - 1]! : null;
    for (let i = 0; i + k <= H; i++) {
      const h = prev === null ? 0 : prev[i]!;
      let id = -1;
      if (h >= 0) {
        const w = seq[i + k - 1]!;
        let x = Math.imul(h, 0x9e3779b1) ^ Math.imul(w + 0x7f4a7c15, 0x85ebca77); // pairHash, inlined
        x ^= x >>> 16;
        x = Math.imul(x, 0x7feb352d);
        x ^= x >>> 15;
        x = Math.imul(x, 0x846ca68b);
        let s = (x ^ (x >>> 16)) & mask;
        for (let e = slots[3 * s]!; e !== 0; e = slots[3 * s]!) {
          if (slots[3 * s + 1] === h && slots[3 * s + 2] === w) {
            id = e - 1;
            break;
          }
          s = (s + 1) & mask;
        }
      }
      out[i] = id;
    }
  }
  const base = 1 / (vocabulary + 1);
  const root = levels[0]!;
  const rootFollow = root.follow[0]!;
  const rootTypes = root.types[0]!;
  const count1 = levels[1]!.count;
  const ids1 = ids[1]!;
  const follows = levels.map((l) => l.follow);
  const types = levels.map((l) => l.types);
  const occurrences = levels.map((l) => l.count);
  let sum = 0;
  for (let j = 0; j < H; j++) {
    const e1 = ids1[j]!;
    let p = ((e1 >= 0 ? count1[e1]! : 0) + rootTypes * base) / (rootFollow + rootTypes);
    const kmax = Math.min(j + 1, n);
    for (let k = 2; k <= kmax; k++) {
      const i = j - k + 1;
      const h = ids[k - 1]![i]!;
      if (h < 0) break; // an unseen context: every longer one is unseen too
      const follow = follows[k - 1]![h]!;
      if (follow === 0) break; // seen only at the end of the text: no longer context was followed either
      const t = types[k - 1]![h]!;
      const e = ids[k]![i]!;
      p = ((e >= 0 ? occurrences[k]![e]! : 0) + t * p) / (follow + t);
    }
    sum += Math.log(p);
  }
  return sum;
}

/** exp(−(1/|seq|) Σ ln P): the perplexity of seq (see logLikelihood). */
export function perplexity(counts: NgramCounts, seq: Int32Array, vocabulary: number, scratch?: PerplexityScratch): number {
  if (seq.length === 0) return Number.NaN;
  return Math.exp(-logLikelihood(counts, seq, vocabulary, scratch) / seq.length);
}

/**
 * P(w | history) for every w ∈ 0…V₀ (V₀ = unknown), for tests: the same formula, evaluated by
 * appending each w to `history` (its last n−1 tokens are used).
 */
export function conditionalDistribution(counts: NgramCounts, history: Int32Array, vocabulary: number): Float64Array {
  const n = counts.order;
  const h = history.subarray(Math.max(0, history.length - (n - 1)));
  const seq = new Int32Array(h.length + 1);
  seq.set(h);
  const out = new Float64Array(vocabulary + 1);
  for (let w = 0; w <= vocabulary; w++) {
    seq[h.length] = w;
    // The log-likelihood of the history alone cancels: ln P(w | h) = LL(h w) − LL(h).
    out[w] = Math.exp(logLikelihood(counts, seq, vocabulary) - logLikelihood(counts, h, vocabulary));
  }
  return out;
}
