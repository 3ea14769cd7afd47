/**
 * Integer-encoded n-gram counts of every order 1…n, with no string keys anywhere.
 *
 * A k-gram is identified by (the id of its first k−1 tokens as a (k−1)-gram, its last token):
 * level k is a hash table of such integer pairs, so each level is built from the previous one in
 * one pass over the text and the ids chain: the k-gram starting at position i is
 * id_k(i) = level_k[(id_{k−1}(i), token[i+k−1])], with id_0(i) = 0 (the empty context).
 * Ids are given in order of first appearance, so the k-gram at position 0 always has id 0.
 *
 * Each level also records, for each of its entries h used as a context of the next level,
 * follow[h] = how often h is followed by a token (Σ of its continuations' counts) and
 * types[h] = how many distinct tokens follow it — what Witten–Bell smoothing needs.
 */

/** Hash of an integer pair (murmur3's finaliser over a multiplicative mix). */
export function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return h ^ (h >>> 16);
}

/** Slots of a level's hash table start at this many and double when more than MAX_LOAD of them are full. */
const INITIAL_SLOTS = 256;

/**
 * The largest share of a table's slots in use: after doubling a table is at least MAX_LOAD / 2
 * full, so it has at most 2 / MAX_LOAD slots per entry. 0.7 keeps probes short (about 2 for a
 * key that is there, 6 for one that is not, at the worst) with less memory than ½.
 */
export const MAX_LOAD = 0.7;

/** Bytes of a slot: three ints. */
export const SLOT_BYTES = 12;

/** Entries a level's arrays hold at first; they grow by half as the level fills, and are cut to size when it is done. */
const INITIAL_ENTRIES = 128;

/** Bytes a level holds per distinct entry, at most: see Level. */
export const BYTES_PER_ENTRY = {
  /** parent, token, count, follow and types (5 × 4), and up to 2 / MAX_LOAD hash slots (35). */
  context: 5 * 4 + Math.ceil((2 * SLOT_BYTES) / MAX_LOAD),
  /** The top level: parent, token, count and next (4 × 4), no follow or types, and the slots. */
  top: 4 * 4 + Math.ceil((2 * SLOT_BYTES) / MAX_LOAD),
} as const;

function grown(a: Int32Array, length: number): Int32Array {
  const b = new Int32Array(length);
  b.set(a.subarray(0, Math.min(a.length, length)));
  return b;
}

/**
 * One order of the table: k-grams as (parent (k−1)-gram id, last token) pairs.
 *
 * Memory is proportional to the distinct k-grams, not to the text: the per-entry arrays grow by
 * half and are cut to `size` when the level is complete, and the hash table has between
 * 1 / MAX_LOAD and 2 / MAX_LOAD slots per entry.
 */
export class Level {
  /** Number of distinct k-grams. */
  size = 0;
  /** Per k-gram: its (k−1)-gram prefix id, its last token, its count. */
  parent: Int32Array;
  token: Int32Array;
  count: Int32Array;
  /**
   * Per k-gram as a context of level k+1: continuations counted with multiplicity, and distinct.
   * Allocated (size entries) when level k+1 is counted; empty on the top level, which is no context.
   */
  follow: Int32Array = new Int32Array(0);
  types: Int32Array = new Int32Array(0);
  /**
   * Open addressing with linear probing, three ints a slot: [id + 1 (0 = empty), parent, token] —
   * the key beside the id, so a probe touches one cache line. Grown (doubled) to keep the load
   * ≤ MAX_LOAD: sized by the distinct entries, not the positions, a low level stays small and cached.
   */
  slots: Int32Array;
  /** Slot count − 1 (a power of two minus one). */
  mask: number;

  /** A level whose entry arrays start with room for `capacity` entries (they grow as needed). */
  constructor(capacity: number = INITIAL_ENTRIES) {
    const n = Math.max(1, capacity);
    this.parent = new Int32Array(n);
    this.token = new Int32Array(n);
    this.count = new Int32Array(n);
    this.slots = new Int32Array(3 * INITIAL_SLOTS);
    this.mask = INITIAL_SLOTS - 1;
  }

  /** Room for `capacity` entries in the per-entry arrays (the first `size` are kept). */
  resize(capacity: number): void {
    this.parent = grown(this.parent, capacity);
    this.token = grown(this.token, capacity);
    this.count = grown(this.count, capacity);
  }

  /** Doubles the table and re-inserts every entry (ids do not change). */
  grow(): void {
    const size = 2 * (this.mask + 1);
    const mask = size - 1;
    const slots = new Int32Array(3 * size);
    for (let id = 0; id < this.size; id++) {
      const a = this.parent[id]!;
      const b = this.token[id]!;
      let s = pairHash(a, b) & mask;
      while (slots[3 * s] !== 0) s = (s + 1) & mask;
      slots[3 * s] = id + 1;
      slots[3 * s + 1] = a;
      slots[3 * s + 2] = b;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** The id of (parent, token), or −1 if it never occurred. */
  find(parent: number, token: number): number {
    const mask = this.mask;
    const slots = this.slots;
    let s = pairHash(parent, token) & mask;
    for (let e = slots[3 * s]!; e !== 0; e = slots[3 * s]!) {
      if (slots[3 * s + 1] === parent && slots[3 * s + 2] === token) return e - 1;
      s = (s + 1) & mask;
    }
    return -1;
  }
}

/**
 * Counts that crossed to another thread (structured-cloned: each Level a plain object with the same
 * fields), made of Levels again around the same typed arrays: nothing large is copied.
 */
export function receiveCounts(sent: NgramCounts): NgramCounts {
  return { ...sent, levels: sent.levels.map((l) => Object.assign(new Level(1), l)) };
}

/** The counts of a token sequence at every order 0…top. */
export interface NgramCounts {
  /** The model order n (≥ 1). */
  readonly order: number;
  /** Tokens counted (the training text's length L). */
  readonly length: number;
  /** levels[0] is the empty context (one entry, id 0); levels[k] holds the k-grams, k = 1…top. */
  readonly levels: Level[];
  /** For each n-gram (h, w): the id of the (n−1)-gram that ends with w — the chain's next context. */
  readonly next: Int32Array;
  /**
   * When asked for (and order ≥ 2): starts[i] = the id of the n-gram starting at position i of the
   * counted text, i < L − n + 1 — what the perplexity of the text itself reuses (logLikelihoodOfCounted).
   */
  starts?: Int32Array | undefined;
}

/** An Int32Array indexed by token, −1 everywhere. */
function unigramTable(tokens: Int32Array): Int32Array {
  let top = 0;
  for (let i = 0; i < tokens.length; i++) if (tokens[i]! > top) top = tokens[i]!;
  return new Int32Array(top + 1).fill(-1);
}

/**
 * Room for a level's entries at first, from what bounds them: order 1 has at most one entry per
 * token id (exactly known), a higher order at first twice the entries of the order below (the
 * arrays then grow by half). Not a share of the positions: on 50 MB of text a quarter of the
 * positions was 25 MB of arrays for the 170k words of order 1, allocated and cut again.
 */
function initialCapacity(positions: number, direct: Int32Array | null, below: number): number {
  if (direct !== null) return Math.min(positions, direct.length);
  return Math.min(positions, Math.max(INITIAL_ENTRIES, 2 * below));
}

/**
 * Counts the k-grams of tokens[0..L) for k = 1…max(order, 2) (the bigrams always, for distinct_2).
 * Requires L ≥ order. O(L · max(order, 2)) expected; memory: the L ids of one level at a time, and
 * per distinct k-gram at most BYTES_PER_ENTRY.
 */
export function countNgrams(tokens: Int32Array, order: number, keepStarts = false): NgramCounts {
  const L = tokens.length;
  if (L < order) throw new RangeError(`countNgrams: ${L} tokens are fewer than the order ${order}`);
  const top = Math.max(order, 2);
  const root = new Level(1);
  root.size = 1;
  root.count[0] = L;
  const levels: Level[] = [root];
  // ids[i] = id of the gram of the current level starting at i; one extra slot so that the
  // order-1 chain can read the (empty) context after the last token.
  const ids = new Int32Array(L + 1);
  let next: Int32Array = new Int32Array(0);
  for (let k = 1; k <= top; k++) {
    const m = L - k + 1;
    if (m <= 0) break;
    const prev = levels[k - 1]!;
    // Order 1 (parent 0 always) also looks tokens up in a direct table, and hashes only new ones.
    const direct = k === 1 ? unigramTable(tokens) : null;
    let capacity = initialCapacity(m, direct, prev.size);
    const level = new Level(capacity);
    prev.follow = new Int32Array(prev.size);
    prev.types = new Int32Array(prev.size);
    const isTop = k === order;
    if (isTop) next = new Int32Array(capacity);
    // The insertion is written inline with every array in a local: a run of few generations spends
    // much of its time before the optimising compiler steps in, where each call and load costs.
    let { parent, token, count } = level;
    const { types, follow } = prev;
    let slots = level.slots;
    let mask = level.mask;
    let size = 0;
    for (let i = 0; i < m; i++) {
      const h = ids[i]!;
      const w = tokens[i + k - 1]!;
      let id = direct === null ? -1 : direct[w]!;
      let s = 0;
      if (id < 0) {
        // pairHash inlined: the interpreter, which runs the first generations, does not inline.
        let x = Math.imul(h, 0x9e3779b1) ^ Math.imul(w + 0x7f4a7c15, 0x85ebca77);
        x ^= x >>> 16;
        x = Math.imul(x, 0x7feb352d);
        x ^= x >>> 15;
        x = Math.imul(x, 0x846ca68b);
        s = (x ^ (x >>> 16)) & mask;
        for (let e = slots[3 * s]!; e !== 0; e = slots[3 * s]!) {
          if (slots[3 * s + 1] === h && slots[3 * s + 2] === w) {
            id = e - 1;
            break;
          }
          s = (s + 1) & mask;
        }
      }
      if (id < 0) {
        id = size++;
        if (id === capacity) {
          // By half as much again: less left over, and less held at once while copying, than doubling.
          capacity = Math.min(m, capacity + (capacity >> 1) + 1);
          level.resize(capacity);
          ({ parent, token, count } = level);
          if (isTop) next = grown(next, capacity);
        }
        slots[3 * s] = id + 1;
        slots[3 * s + 1] = h;
        slots[3 * s + 2] = w;
        parent[id] = h;
        token[id] = w;
        if (direct !== null) direct[w] = id;
        types[h]!++;
        // The context after this n-gram is the (n−1)-gram starting one token later, still in ids[i + 1].
        if (isTop) next[id] = ids[i + 1]!;
        if (size > MAX_LOAD * (mask + 1)) {
          level.size = size;
          level.grow();
          slots = level.slots;
          mask = level.mask;
        }
      }
      count[id]!++;
      follow[h]!++;
      ids[i] = id;
    }
    level.size = size;
    if (capacity > size) {
      level.resize(size);
      if (isTop) next = next.slice(0, size);
    }
    levels.push(level);
  }
  return keepStarts && top === order ? { order, length: L, levels, next, starts: ids } : { order, length: L, levels, next };
}
