/**
 * DataOps on token sequences. The regimes' observation unit is a fixed-length chunk of
 * CHUNK consecutive tokens (the last chunk of a text may be shorter), not a single token: dropping
 * or drawing single tokens would splice words together everywhere and invent n-grams that no text
 * contains. Chunks joined end to end still create n − 1 spurious n-grams per junction — about
 * (n−1)/64 of them, a small price.
 *
 * - thin: each chunk kept with probability `keep`;
 * - subset: whole chunks in random order without replacement until n tokens (the last one cut);
 * - resample: chunks drawn with replacement until n tokens (the last one cut);
 * - concat / pool: texts joined end to end (the pool in an append-only doubling buffer).
 */

import type { Rng } from "../../stats/rng.js";
import type { DataOps } from "../model.js";
import { appendOnlyPool, concatTyped } from "../typed.js";

/** Tokens per chunk. */
export const CHUNK = 64;

function chunkCount(x: Int32Array): number {
  return Math.ceil(x.length / CHUNK);
}

/** Appends chunk c of x to out at `at`, cut so as not to pass `limit`; returns the new end. */
function appendChunk(out: Int32Array, at: number, x: Int32Array, c: number, limit: number): number {
  const from = c * CHUNK;
  const take = Math.min(CHUNK, x.length - from, limit - at);
  out.set(x.subarray(from, from + take), at);
  return at + take;
}

export const tokenOps: DataOps<Int32Array> = {
  size: (x) => x.length,
  thin(x, keep, rng: Rng) {
    const out = new Int32Array(x.length);
    let at = 0;
    const chunks = chunkCount(x);
    for (let c = 0; c < chunks; c++) if (rng.random() < keep) at = appendChunk(out, at, x, c, x.length);
    return out.slice(0, at);
  },
  subset(x, n, rng: Rng) {
    // A partial Fisher–Yates shuffle of chunk indices.
    const chunks = chunkCount(x);
    const order = new Int32Array(chunks);
    for (let c = 0; c < chunks; c++) order[c] = c;
    const out = new Int32Array(n);
    let at = 0;
    for (let i = 0; at < n && i < chunks; i++) {
      const j = i + rng.below(chunks - i);
      const c = order[j]!;
      order[j] = order[i]!;
      order[i] = c;
      at = appendChunk(out, at, x, c, n);
    }
    return out;
  },
  resample(x, n, rng: Rng) {
    const chunks = chunkCount(x);
    const out = new Int32Array(n);
    let at = 0;
    while (at < n) at = appendChunk(out, at, x, rng.below(chunks), n);
    return out;
  },
  concat: (parts) => concatTyped(parts, (n) => new Int32Array(n)),
  pool: (initial) => appendOnlyPool(initial, (n) => new Int32Array(n)),
};
