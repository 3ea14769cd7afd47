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
import { KEEP_BYTES, type Level, type NgramCounts } from "./counts.js";

/**
 * Reusable buffers: the ids of the k-grams ending at the previous and the current token; and for
 * logLikelihoodOfCounted, the model's ids per context and the logarithm per n-gram (grown as
 * needed: a generation's measure then allocates nothing the size of its counts).
 */
export interface PerplexityScratch {
  ids: Int32Array[];
  state: Int32Array;
  logp: Float64Array;
}

export function newPerplexityScratch(): PerplexityScratch {
  return { ids: [], state: new Int32Array(0), logp: new Float64Array(0) };
}

/** Per unigram level: token → its id (−1 if unseen), so order 1 needs no hashing. */
const unigramIndex = new WeakMap<Level, Int32Array>();

function indexOf(level: Level): Int32Array {
  let index = unigramIndex.get(level);
  if (index === undefined) {
    let top = 0;
    for (let e = 0; e < level.size; e++) top = Math.max(top, level.token[e]!);
    index = new Int32Array(top + 1).fill(-1);
    for (let e = 0; e < level.size; e++) index[level.token[e]!] = e;
    unigramIndex.set(level, index);
  }
  return index;
}

/**
 * Σ ln P(seq[j] | seq[j−n+1..j−1]) over j, under `counts` smoothed as above, with `vocabulary` =
 * V₀ (ids ≥ V₀ are unknown tokens). O(n · |seq|) hash look-ups, O(n) memory: one pass over seq,
 * keeping only the ids of the k-grams that end at the previous token.
 */
export function logLikelihood(counts: NgramCounts, seq: Int32Array, vocabulary: number, scratch: PerplexityScratch = newPerplexityScratch()): number {
  const H = seq.length;
  const n = counts.order;
  const levels = counts.levels;
  // The levels that exist (a text shorter than the order has no top levels: their k-grams are unseen).
  const top = Math.min(n, levels.length - 1);
  if (scratch.ids.length < 2 || scratch.ids[0]!.length < n + 1) scratch.ids = [new Int32Array(n + 1), new Int32Array(n + 1)];
  // before[k] / now[k]: the id of the k-gram ending at token j − 1 / j, −1 if it never occurred.
  let before = scratch.ids[0]!;
  let now = scratch.ids[1]!;
  before.fill(-1);
  now.fill(-1);
  before[0] = 0;
  now[0] = 0;
  const base = 1 / (vocabulary + 1);
  const root = levels[0]!;
  const rootFollow = root.follow[0]!;
  const rootTypes = root.types[0]!;
  const level1 = levels[1]!;
  const count1 = level1.count;
  const index1 = indexOf(level1);
  const unigrams = index1.length;
  const follows = levels.map((l) => l.follow);
  const types = levels.map((l) => l.types);
  const occurrences = levels.map((l) => l.count);
  const slotsOf = levels.map((l) => l.slots);
  const masks = levels.map((l) => l.mask);
  let sum = 0;
  for (let j = 0; j < H; j++) {
    const w = seq[j]!;
    const e1 = w < unigrams ? index1[w]! : -1;
    now[1] = e1;
    let p = ((e1 >= 0 ? count1[e1]! : 0) + rootTypes * base) / (rootFollow + rootTypes);
    const kmax = Math.min(j + 1, n);
    // Once a context is unseen (or was never followed), every longer one is too: the smoothing
    // stops there, and the longer k-grams ending here are unseen.
    let k = 2;
    for (; k <= kmax && k <= top; k++) {
      const h = before[k - 1]!;
      if (h < 0) break;
      const follow = follows[k - 1]![h]!;
      if (follow === 0) break;
      // Level.find inlined, arrays in locals (see countNgrams: the cold start matters).
      const slots = slotsOf[k]!;
      const mask = masks[k]!;
      let x = Math.imul(h, 0x9e3779b1) ^ Math.imul(w + 0x7f4a7c15, 0x85ebca77); // pairHash, inlined
      x ^= x >>> 16;
      x = Math.imul(x, 0x7feb352d);
      x ^= x >>> 15;
      x = Math.imul(x, 0x846ca68b);
      let s = (x ^ (x >>> 16)) & mask;
      let e = -1;
      for (let id = slots[3 * s]!; id !== 0; id = slots[3 * s]!) {
        if (slots[3 * s + 1] === h && slots[3 * s + 2] === w) {
          e = id - 1;
          break;
        }
        s = (s + 1) & mask;
      }
      now[k] = e;
      const t = types[k - 1]![h]!;
      p = ((e >= 0 ? occurrences[k]![e]! : 0) + t * p) / (follow + t);
    }
    for (; k <= n; k++) now[k] = -1;
    sum += Math.log(p);
    const swap = before;
    before = now;
    now = swap;
  }
  return sum;
}

/**
 * logLikelihood(model, seq, vocabulary), bit for bit, when seq's own counts `own` (of the same
 * order n ≥ 2, with `starts`) are at hand: a token's probability depends only on the n-gram that
 * ends with it, so it is computed once per distinct n-gram of seq (from its context's k-gram ids
 * in the model, found once per distinct context) and the logarithms are then added position by
 * position in the same order. O(n² · contexts + n · n-grams) look-ups instead of O(n · |seq|).
 */
export function logLikelihoodOfCounted(
  model: NgramCounts,
  seq: Int32Array,
  own: NgramCounts,
  vocabulary: number,
  scratch: PerplexityScratch = newPerplexityScratch(),
): number {
  const n = model.order;
  const H = seq.length;
  const starts = own.starts;
  if (starts === undefined || own.order !== n || n < 2 || H < n) return logLikelihood(model, seq, vocabulary, scratch);
  // The first n − 1 tokens have shorter histories: the plain sum of their terms.
  let sum = logLikelihood(model, seq.subarray(0, n - 1), vocabulary, scratch);
  const contexts = own.levels[n - 1]!;
  const grams = own.levels[n]!;
  const C = contexts.size;
  // Per context of seq: the model's ids of its suffixes of length 1…n−1 (−1: unseen), the state
  // logLikelihood holds after the context's last token.
  if (scratch.state.length < C * n) scratch.state = new Int32Array(C * n + ((C * n) >> 1));
  const state = scratch.state;
  const window = new Int32Array(n - 1);
  for (let c = 0; c < C; c++) {
    if (contexts.follow[c] === 0) continue; // no n-gram of seq continues it
    for (let k = n - 1, id = c; k >= 1; k--) {
      window[k - 1] = own.levels[k]!.token[id]!;
      id = own.levels[k]!.parent[id]!;
    }
    contextIds(model, window, state, c * n);
  }
  if (scratch.logp.length < grams.size) scratch.logp = new Float64Array(grams.size + (grams.size >> 1));
  const logp = scratch.logp;
  const levels = model.levels;
  const top = Math.min(n, levels.length - 1);
  const base = 1 / (vocabulary + 1);
  const root = levels[0]!;
  const rootFollow = root.follow[0]!;
  const rootTypes = root.types[0]!;
  const count1 = levels[1]!.count;
  const index1 = indexOf(levels[1]!);
  // A text scored by its own model (generation 0's ppl_gen0): its n-gram e is the model's n-gram
  // e, found without a look-up (for bigrams, every look-up of the loop below).
  const self = model === own;
  for (let e = 0; e < grams.size; e++) {
    const w = grams.token[e]!;
    const at = grams.parent[e]! * n;
    const e1 = w < index1.length ? index1[w]! : -1;
    let p = ((e1 >= 0 ? count1[e1]! : 0) + rootTypes * base) / (rootFollow + rootTypes);
    for (let k = 2; k <= top; k++) {
      const h = state[at + k - 1]!;
      if (h < 0) break;
      const follow = levels[k - 1]!.follow[h]!;
      if (follow === 0) break;
      const g = self && k === n ? e : levels[k]!.find(h, w);
      const t = levels[k - 1]!.types[h]!;
      p = ((g >= 0 ? levels[k]!.count[g]! : 0) + t * p) / (follow + t);
    }
    logp[e] = Math.log(p);
  }
  for (let j = n - 1; j < H; j++) sum += logp[starts[j - n + 1]!]!;
  // Large buffers are not kept (see KEEP_BYTES).
  if (logp.byteLength > KEEP_BYTES) scratch.logp = new Float64Array(0);
  if (state.byteLength > KEEP_BYTES) scratch.state = new Int32Array(0);
  return sum;
}

/** The model's ids of the k-grams ending at the last token of `window` (k = 1…|window|), into state[at + k]. */
function contextIds(model: NgramCounts, window: Int32Array, state: Int32Array, at: number): void {
  const levels = model.levels;
  const top = Math.min(model.order, levels.length - 1);
  const index1 = indexOf(levels[1]!);
  const m = window.length;
  // ids[k] of the k-gram ending at the current token, updated from the previous token's, longest first.
  const ids = state.subarray(at, at + m + 1);
  ids.fill(-1);
  for (let j = 0; j < m; j++) {
    const w = window[j]!;
    for (let k = Math.min(j + 1, m, top); k >= 2; k--) {
      const h = ids[k - 1]!;
      ids[k] = h >= 0 && levels[k - 1]!.follow[h]! > 0 ? levels[k]!.find(h, w) : -1;
    }
    ids[1] = w < index1.length ? index1[w]! : -1;
  }
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
