/**
 * The Markov-chain sampler of an order-n model: per context (an (n−1)-gram), an alias table over
 * the n-grams that continue it, all packed into flat arrays (one segment per context), so a token
 * costs one uniform and a few array reads — no hashing, no strings.
 *
 * Dead ends: a context seen only at the very end of the training text has no continuation. The
 * chain then restarts from the training text's first context (its first n−1 tokens), as the
 * Python reference does. (The first context always has a continuation.)
 */
import { buildAliasSegment } from "../../stats/alias.js";
import type { UniformSource } from "../../stats/uniform.js";
import { type Decoding, decodeInPlace, isNeutral } from "../decoding.js";
import type { NgramCounts } from "./counts.js";

export interface MarkovChainSampler {
  /** Context c's continuations are entries start[c] … start[c+1]−1. */
  readonly start: Int32Array;
  /** Per entry: the token it emits, the context it leads to, its alias column. */
  readonly token: Int32Array;
  readonly next: Int32Array;
  readonly prob: Float64Array;
  /** Alias as an index within the entry's segment. */
  readonly alias: Int32Array;
}

/**
 * Builds the sampler of `counts` with the decoding distortions applied to every context's
 * next-token distribution. O(number of distinct n-grams) plus the decoding's selections.
 */
export function buildSampler(counts: NgramCounts, decoding: Decoding): MarkovChainSampler {
  const contexts = counts.levels[counts.order - 1]!;
  const grams = counts.levels[counts.order]!;
  const C = contexts.size;
  const E = grams.size;
  // Counting sort of the n-grams by context; within a context, by id (first appearance).
  const start = new Int32Array(C + 1);
  for (let e = 0; e < E; e++) start[grams.parent[e]! + 1]!++;
  for (let c = 0; c < C; c++) start[c + 1]! += start[c]!;
  const cursor = start.slice(0, C);
  const token = new Int32Array(E);
  const next = new Int32Array(E);
  const weight = new Float64Array(E);
  for (let e = 0; e < E; e++) {
    const at = cursor[grams.parent[e]!]!++;
    token[at] = grams.token[e]!;
    next[at] = counts.next[e]!;
    weight[at] = grams.count[e]!;
  }
  const prob = new Float64Array(E);
  const alias = new Int32Array(E);
  let longest = 0;
  for (let c = 0; c < C; c++) longest = Math.max(longest, start[c + 1]! - start[c]!);
  const scratch = new Float64Array(longest);
  const work = new Int32Array(longest);
  const neutral = isNeutral(decoding);
  for (let c = 0; c < C; c++) {
    const from = start[c]!;
    const to = start[c + 1]!;
    if (to === from) continue;
    if (!neutral) decodeInPlace(weight, decoding, from, to, scratch);
    buildAliasSegment(weight, from, to, prob, alias, scratch, work);
  }
  return { start, token, next, prob, alias };
}

/**
 * Generates n tokens by walking the Markov chain from context `from` (default 0: the training
 * text's first n−1 tokens) into out[0..n). The loop is written flat on typed arrays: it is the whole cost of a
 * generation's sample.
 */
export function walkMarkovChain(s: MarkovChainSampler, n: number, src: UniformSource, out: Int32Array, from = 0): Int32Array {
  const { start, token, next, prob, alias } = s;
  let ctx = from;
  for (let j = 0; j < n; j++) {
    let first = start[ctx]!;
    let len = start[ctx + 1]! - first;
    if (len === 0) {
      ctx = 0;
      first = start[0]!;
      len = start[1]! - first;
    }
    const u = src.random() * len;
    let i = Math.floor(u);
    if (i >= len) i = len - 1;
    const e = first + (u - i < prob[first + i]! ? i : alias[first + i]!);
    out[j] = token[e]!;
    ctx = next[e]!;
  }
  return out;
}
