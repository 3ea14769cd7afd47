/**
 * Seeded random streams.
 *
 * Seeding comes from seedrandom's `xor4096` (Brent's xorgens with a Weyl sequence, period 2^4128−1);
 * the generator itself is re-implemented here as one class so that every hot loop calls the same
 * monomorphic `nextUint32()` — seedrandom's closures, one per replicate, make V8 deoptimise those loops.
 * The sequence is identical to `seedrandom.xor4096(seed)` (checked in test/stats/rng.test.ts).
 */
import xor4096 from "seedrandom/lib/xor4096.js";
import type { UniformSource } from "./uniform.js";

interface Xor4096State {
  X: number[];
  i: number;
  w: number;
}

/** A place in a stream (Rng.snapshot). */
export interface RngSnapshot {
  readonly x: Int32Array;
  readonly i: number;
  readonly w: number;
}

export class Rng implements UniformSource {
  // The generator's state, read and written back by fillNormal's loop (src/stats/ziggurat.ts),
  // which keeps it in local variables while it draws: not to be touched anywhere else.
  /** @internal xorgens' 128 words. */
  readonly x: Int32Array;
  /** @internal The index of the last word written. */
  i: number;
  /** @internal The Weyl sequence. */
  w: number;

  /** A stream for `seed`; equal seeds give equal streams on every machine. */
  constructor(seed: string) {
    const state = xor4096(seed, { state: true }).state() as unknown as Xor4096State;
    this.x = new Int32Array(state.X);
    this.i = state.i;
    this.w = state.w;
  }

  /** The stream's place, for `rewind` to return to (a copy: drawing on does not change it). */
  snapshot(): RngSnapshot {
    return { x: this.x.slice(), i: this.i, w: this.w };
  }

  /** Back to the place `snapshot` took: the draws after it come again, the same. */
  rewind(to: RngSnapshot): void {
    this.x.set(to.x);
    this.i = to.i;
    this.w = to.w;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const x = this.x;
    let i = this.i;
    const w = (this.w = (this.w + 0x61c88647) | 0);
    let v = x[(i + 34) & 127]!;
    i = (i + 1) & 127;
    let t = x[i]!;
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v = x[i] = v ^ t;
    this.i = i;
    return (v + (w ^ (w >>> 16))) >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n), n ≤ 2^32, without modulo bias. */
  below(n: number): number {
    // Rejection on the top of the 32-bit range keeps every value equally likely.
    const limit = 0x100000000 - (0x100000000 % n);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return u % n;
  }
}

/**
 * The seed string of a derived stream: (master seed, path parts) → one string.
 * Derivation by name, not by drawing from a parent stream, keeps every stream independent of how
 * many others exist or in what order they run (replicates, workers, sweep points).
 */
export function deriveSeed(master: string, ...parts: (string | number)[]): string {
  // Concatenated in a loop: the array `parts.map` returns has packed elements in one tier of V8
  // and holey ones in another, and code that inlined this threw itself away at each change.
  let seed = master;
  for (let i = 0; i < parts.length; i++) seed += `\u241f${parts[i]}`;
  return seed;
}
