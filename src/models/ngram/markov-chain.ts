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
import { takeDoubles, takeInts } from "../../stats/buffer-pool.js";
import type { UniformSource } from "../../stats/uniform.js";
import { type Decoding, decodeInPlace, isNeutral } from "../decoding.js";
import { type NgramCounts, sharedInts } from "./counts.js";

export interface MarkovChainSampler {
  /** Context c's continuations are columns start[c] … start[c+1]−1 of its alias table. */
  readonly start: Int32Array;
  /**
   * One 24-byte record per column c, so that a step reads one record whichever way the draw goes:
   * as doubles, column[3c] is the column's probability; as ints, column's [6c+2, 6c+3] are the
   * token it emits and the context it leads to, [6c+4, 6c+5] the same for its alias.
   */
  readonly columns: Float64Array;
  /** The same records as ints. */
  readonly ints: Int32Array;
}

/** Bytes the sampler holds per distinct n-gram (a column's record), plus 4 per context (start). */
export const SAMPLER_BYTES_PER_ENTRY = 24;

/**
 * Builds the sampler of `counts` with the decoding distortions applied to every context's
 * next-token distribution. O(number of distinct n-grams) plus the decoding's selections.
 */
export function buildSampler(counts: NgramCounts, decoding: Decoding, shared = false): MarkovChainSampler {
  const contexts = counts.levels[counts.order - 1]!;
  const grams = counts.levels[counts.order]!;
  const C = contexts.size;
  const E = grams.size;
  // Counting sort of the n-grams by context; within a context, by id (first appearance).
  // Shared: in memory that threads share (see counts.ts sharedInts).
  const start = shared ? sharedInts(C + 1) : takeInts(C + 1);
  for (let e = 0; e < E; e++) start[grams.parent[e]! + 1]!++;
  for (let c = 0; c < C; c++) start[c + 1]! += start[c]!;
  const cursor = start.slice(0, C);
  // Each n-gram's record in context order: its count (in the probability's place, for now), its
  // token and next context.
  const columns = shared ? new Float64Array(new SharedArrayBuffer(24 * E)) : takeDoubles(3 * E);
  const ints = new Int32Array(columns.buffer, columns.byteOffset, 6 * E);
  const { parent, count, token } = grams;
  const next = counts.next;
  for (let e = 0; e < E; e++) {
    const at = cursor[parent[e]!]!++;
    columns[3 * at] = count[e]!;
    ints[6 * at + 2] = token[e]!;
    ints[6 * at + 3] = next[e]!;
  }
  let longest = 0;
  for (let c = 0; c < C; c++) longest = Math.max(longest, start[c + 1]! - start[c]!);
  // One context's weights, alias table and scratch at a time: no other array of all the n-grams.
  const weight = new Float64Array(longest);
  const prob = new Float64Array(longest);
  const alias = new Int32Array(longest);
  const scratch = new Float64Array(longest);
  const work = new Int32Array(longest);
  const neutral = isNeutral(decoding);
  for (let c = 0; c < C; c++) {
    const from = start[c]!;
    const len = start[c + 1]! - from;
    if (len === 0) continue;
    for (let i = 0; i < len; i++) weight[i] = columns[3 * (from + i)]!;
    if (!neutral) decodeInPlace(weight, decoding, 0, len, scratch);
    buildAliasSegment(weight, 0, len, prob, alias, scratch, work);
    for (let i = 0; i < len; i++) {
      const at = from + i;
      const a = from + alias[i]!;
      columns[3 * at] = prob[i]!;
      ints[6 * at + 4] = ints[6 * a + 2]!;
      ints[6 * at + 5] = ints[6 * a + 3]!;
    }
  }
  return { start, columns, ints };
}

/** Every array of a sampler of this thread, for handing back to the buffer pool. */
export function samplerArrays(s: MarkovChainSampler): ArrayBufferView[] {
  return [s.start, s.columns];
}

/**
 * Generates n tokens by walking the Markov chain from context `from` (default 0: the training
 * text's first n−1 tokens) into out[0..n). The loop is written flat on typed arrays: it is the whole cost of a
 * generation's sample.
 */
export function walkMarkovChain(s: MarkovChainSampler, n: number, src: UniformSource, out: Int32Array, from = 0): Int32Array {
  const { start, columns, ints } = s;
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
    const c = first + i;
    // The column's own outcome, or its alias's (two ints further on).
    const at = 6 * c + (u - i < columns[3 * c]! ? 2 : 4);
    out[j] = ints[at]!;
    ctx = ints[at + 1]!;
  }
  return out;
}
