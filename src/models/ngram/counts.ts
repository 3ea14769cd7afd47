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

/** Entries a level has room for at first; the room grows by half as the level fills. */
const INITIAL_ENTRIES = 128;

/** Bytes a level holds per distinct entry, at most: see Level. */
export const BYTES_PER_ENTRY = {
  /** parent, token, count, follow and types (5 × 4), and up to 2 / MAX_LOAD hash slots (35). */
  context: 5 * 4 + Math.ceil((2 * SLOT_BYTES) / MAX_LOAD),
  /** The top level: parent, token, count and next (4 × 4), no follow or types, and the slots. */
  top: 4 * 4 + Math.ceil((2 * SLOT_BYTES) / MAX_LOAD),
} as const;

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

  /** A level with room for `capacity` entries (countNgrams gives it its arrays when it is counted). */
  constructor(capacity = 1) {
    const n = Math.max(1, capacity);
    this.parent = new Int32Array(n);
    this.token = new Int32Array(n);
    this.count = new Int32Array(n);
    this.slots = new Int32Array(3 * INITIAL_SLOTS);
    this.mask = INITIAL_SLOTS - 1;
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

/** Every array of `counts` (its levels' and its chain's), for handing back to a buffer pool. */
export function countsArrays(counts: NgramCounts): Int32Array[] {
  return [...counts.levels.flatMap((l) => [l.parent, l.token, l.count, l.follow, l.types, l.slots]), counts.next];
}

/** Where a result's arrays are allocated. */
export type Ints = (length: number) => Int32Array;

/** Arrays of this thread. */
export const ownInts: Ints = (length) => new Int32Array(length);

/**
 * Arrays in memory that threads share (a SharedArrayBuffer): sent to a worker thread they are not
 * copied, so generation 0's counts exist once however many threads sample from them.
 */
export const sharedInts: Ints = (length) => new Int32Array(new SharedArrayBuffer(4 * length));

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
 * Buffers countNgrams counts into, kept by this thread from one call to the next. A level is
 * counted in them, then copied out at its exact size: a generation leaves behind only its counts,
 * not the arrays it grew and the hash tables it doubled on the way — garbage that each thread's
 * memory grew by, generation after generation, until the collector ran.
 */
const work = {
  parent: new Int32Array(0),
  token: new Int32Array(0),
  count: new Int32Array(0),
  next: new Int32Array(0),
  slots: new Int32Array(0),
  /** The ids per position; null while lent out as a result's `starts` (see releaseStarts). */
  ids: new Int32Array(0) as Int32Array | null,
};

/**
 * Buffers larger than this are not kept between counts. A large count's garbage is collected soon
 * (the collector runs as often as arrays of tens of MB are allocated), while a kept buffer stays
 * through the sampler's construction and the measures that follow: on 50 MB of text, 100 MB more.
 */
export const KEEP_BYTES = 8 << 20;

function forgetLargeBuffers(): void {
  const empty = new Int32Array(0);
  if (work.parent.byteLength > KEEP_BYTES) work.parent = work.token = work.count = work.next = empty;
  if (work.slots.byteLength > KEEP_BYTES) work.slots = empty;
}

/** `a` if it holds `length` ints, else a new array of at least that many holding a's first `keep`. */
function room(a: Int32Array<ArrayBuffer>, length: number, keep: number): Int32Array<ArrayBuffer> {
  if (a.length >= length) return a;
  const b = new Int32Array(Math.max(length, a.length + (a.length >> 1)));
  b.set(a.subarray(0, keep));
  return b;
}

/** The smallest table (a power of two, at least INITIAL_SLOTS) that holds `entries` at most MAX_LOAD full. */
function tableSize(entries: number): number {
  let size = INITIAL_SLOTS;
  while (entries > MAX_LOAD * size) size *= 2;
  return size;
}

/** Clears slots[0, 3·size) and inserts entries 0…n−1 (ids do not change). */
function rehash(slots: Int32Array, size: number, parent: Int32Array, token: Int32Array, n: number): void {
  const mask = size - 1;
  slots.fill(0, 0, 3 * size);
  for (let id = 0; id < n; id++) {
    const a = parent[id]!;
    const b = token[id]!;
    let s = pairHash(a, b) & mask;
    while (slots[3 * s] !== 0) s = (s + 1) & mask;
    slots[3 * s] = id + 1;
    slots[3 * s + 1] = a;
    slots[3 * s + 2] = b;
  }
}

/**
 * Hands the ids per position of `counts` (its `starts`) back to countNgrams once they are no longer
 * needed, for the next count to use instead of a new array: `counts.starts` is then gone.
 */
export function releaseStarts(counts: NgramCounts): void {
  const starts = counts.starts;
  counts.starts = undefined;
  if (starts !== undefined && (work.ids === null || starts.buffer.byteLength > work.ids.byteLength)) work.ids = new Int32Array(starts.buffer as ArrayBuffer);
}

/**
 * Counts the k-grams of tokens[0..L) for k = 1…max(order, 2) (the bigrams always, for distinct_2).
 * Requires L ≥ order. O(L · max(order, 2)) expected; memory: the L ids of one level at a time, and
 * per distinct k-gram at most BYTES_PER_ENTRY, plus this thread's buffers (work).
 */
export function countNgrams(tokens: Int32Array, order: number, keepStarts = false, alloc: Ints = ownInts): NgramCounts {
  const L = tokens.length;
  if (L < order) throw new RangeError(`countNgrams: ${L} tokens are fewer than the order ${order}`);
  const top = Math.max(order, 2);
  const root = new Level(1);
  root.size = 1;
  root.count[0] = L;
  const levels: Level[] = [root];
  // ids[i] = id of the gram of the current level starting at i; one extra slot so that the
  // order-1 chain can read the (empty) context after the last token.
  const lent = keepStarts && top === order;
  const ids = work.ids !== null && work.ids.length >= L + 1 ? work.ids.subarray(0, L + 1).fill(0) : new Int32Array(L + 1);
  let next: Int32Array = new Int32Array(0);
  for (let k = 1; k <= top; k++) {
    const m = L - k + 1;
    if (m <= 0) break;
    const prev = levels[k - 1]!;
    // Order 1 (parent 0 always) also looks tokens up in a direct table, and hashes only new ones.
    const direct = k === 1 ? unigramTable(tokens) : null;
    const isTop = k === order;
    const counted = countLevel(tokens, ids, k, m, direct, prev, isTop, alloc);
    levels.push(counted.level);
    if (isTop) next = counted.next;
  }
  if (lent) work.ids = null;
  else if (work.ids === null || ids.buffer.byteLength > work.ids.byteLength) work.ids = new Int32Array(ids.buffer as ArrayBuffer);
  forgetLargeBuffers();
  return lent ? { order, length: L, levels, next, starts: ids } : { order, length: L, levels, next };
}

const EMPTY = new Int32Array(0);

/**
 * Level k of countNgrams: the k-grams starting at positions [0, m), ids[i] turned from the
 * (k−1)-gram's id into the k-gram's. A function of its own so that each level's loop is compiled
 * on its own: within one function, optimised code for the first level's loop met the code after
 * it without type feedback and was thrown away, level after level, count after count.
 */
function countLevel(
  tokens: Int32Array,
  ids: Int32Array,
  k: number,
  m: number,
  direct: Int32Array | null,
  prev: Level,
  isTop: boolean,
  alloc: Ints,
): { level: Level; next: Int32Array } {
  let capacity = initialCapacity(m, direct, prev.size);
  prev.follow = alloc(prev.size);
  prev.types = alloc(prev.size);
  // The insertion is written inline with every array in a local: a run of few generations spends
  // much of its time before the optimising compiler steps in, where each call and load costs.
  let parent = (work.parent = room(work.parent, capacity, 0));
  let token = (work.token = room(work.token, capacity, 0));
  let count = (work.count = room(work.count, capacity, 0));
  let after = isTop ? (work.next = room(work.next, capacity, 0)) : work.next;
  const { types, follow } = prev;
  let table = tableSize(Math.min(capacity, m));
  let slots = (work.slots = room(work.slots, 3 * table, 0));
  slots.fill(0, 0, 3 * table);
  let mask = table - 1;
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
        // By half as much again (the buffers keep the room for the next count).
        capacity = Math.min(m, capacity + (capacity >> 1) + 1);
        parent = work.parent = room(parent, capacity, id);
        token = work.token = room(token, capacity, id);
        count = work.count = room(count, capacity, id);
        if (isTop) after = work.next = room(after, capacity, id);
      }
      slots[3 * s] = id + 1;
      slots[3 * s + 1] = h;
      slots[3 * s + 2] = w;
      parent[id] = h;
      token[id] = w;
      count[id] = 0;
      if (direct !== null) direct[w] = id;
      types[h]!++;
      // The context after this n-gram is the (n−1)-gram starting one token later, still in ids[i + 1].
      if (isTop) after[id] = ids[i + 1]!;
      if (size > MAX_LOAD * table) {
        table *= 2;
        slots = work.slots = room(work.slots, 3 * table, 0);
        rehash(slots, table, parent, token, size);
        mask = table - 1;
      }
    }
    count[id]!++;
    follow[h]!++;
    ids[i] = id;
  }
  return { level: finished(size, parent, token, count, slots, table, alloc), next: isTop ? copied(after, size, alloc) : EMPTY };
}

/** a[0, length) in a new array of `alloc`. */
function copied(a: Int32Array, length: number, alloc: Ints): Int32Array {
  const b = alloc(length);
  b.set(a.subarray(0, length));
  return b;
}

/** A counted level copied out of the buffers at its exact size, its table the smallest that holds it. */
function finished(size: number, parent: Int32Array, token: Int32Array, count: Int32Array, slots: Int32Array, table: number, alloc: Ints): Level {
  const level = new Level(1);
  level.size = size;
  level.parent = copied(parent, size, alloc);
  level.token = copied(token, size, alloc);
  level.count = copied(count, size, alloc);
  const exact = tableSize(size);
  if (exact === table) level.slots = copied(slots, 3 * table, alloc);
  else {
    level.slots = alloc(3 * exact);
    rehash(level.slots, exact, level.parent, level.token, size);
  }
  level.mask = exact - 1;
  return level;
}
