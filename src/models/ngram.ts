/**
 * The n-gram text model: fit integer-encoded n-gram counts of every order up to --order, sample a
 * synthetic text of M tokens by the Markov chain (alias tables per context), measure held-out
 * perplexity, the generation-0 model's perplexity of the samples, n-gram diversity, and the
 * discrete metrics on the unigram distribution over the generation-0 vocabulary.
 *
 * Generation 0's vocabulary V₀ is that of the training part of the text; a synthetic text can only
 * hold tokens of the model that wrote it, so every generation's tokens are ids < V₀ (no <unk> in
 * training). Only the held-out part can hold unknown tokens (id V₀), which the perplexity's
 * smoothing (ngram/perplexity.ts) gives a positive probability.
 */
import { InputError } from "../errors.js";
import { recycle, takeInts } from "../stats/buffer-pool.js";
import type { Rng } from "../stats/rng.js";
import {
  aliveFlags,
  DISCRETE_METRICS,
  DISCRETE_OPTIONS,
  type DiscreteOptions,
  type DiscreteReference,
  discreteMetrics,
  discreteReference,
  discreteSeedFit,
} from "./discrete.js";
import { heldCount, holdoutOption } from "./holdout.js";
import type { Metrics, Model, SeedInput, TextPieces } from "./model.js";
import {
  BYTES_PER_ENTRY,
  countNgrams,
  countsArrays,
  type Ints,
  MAX_LOAD,
  type NgramCounts,
  receiveCounts,
  releaseStarts,
  SLOT_BYTES,
  sharedInts,
} from "./ngram/counts.js";
import { buildSampler, type MarkovChainSampler, SAMPLER_BYTES_PER_ENTRY, samplerArrays, walkMarkovChain } from "./ngram/markov-chain.js";
import { tokenOps } from "./ngram/ops.js";
import { logLikelihoodOfCounted, newPerplexityScratch, type PerplexityScratch, perplexity } from "./ngram/perplexity.js";
import { joinerOf, TextTooLong, TOKENIZERS, type TokenIds, type Tokens, tokenIds } from "./ngram/tokenize.js";
import type { OptionSpec } from "./option.js";
import { drawInto } from "./typed.js";

export interface NgramOptions extends DiscreteOptions {
  readonly tokens: Tokens;
  readonly order: number;
  readonly holdout: number;
}

/** The text read when --data is not given, relative to the package root. */
export const BUNDLED_CORPUS = "fixtures/medieval-architecture.txt";

const ORDER_NAMES = ["", "unigram", "bigram", "trigram", "4-gram", "5-gram", "6-gram"];

const NGRAM_OPTIONS: readonly OptionSpec<"tokens" | "order" | "holdout">[] = [
  {
    key: "tokens",
    flag: "tokens",
    type: "enum",
    arg: "T",
    choices: TOKENIZERS,
    group: "model",
    default: "word",
    description:
      "word = lower-cased runs of letters, digits and apostrophes (punctuation dropped, numbers kept); " +
      "char = every character, each whitespace run as one space",
    describe: (t: Tokens) => `${t} tokens`,
  },
  {
    key: "order",
    flag: "order",
    type: "int",
    arg: "N",
    min: 1,
    max: 6,
    group: "model",
    default: 2,
    description: "n-gram order, 1..6; a chain reaching a context with no continuation restarts from the text's first n-1 tokens",
    describe: (n: number) => ORDER_NAMES[n] ?? `${n}-gram`,
  },
  holdoutOption(
    "the last F of the text, never trained on, for perplexity — interpolated Witten-Bell smoothing down to a " +
      "uniform over the generation-0 vocabulary plus one unknown token, so it stays finite",
  ),
];

export interface NgramParams {
  readonly counts: NgramCounts;
  /** The Markov-chain sampler with the decoding distortions applied; built on first use. */
  sampler: MarkovChainSampler | null;
  /**
   * The text these counts were fitted on, while its n-gram ids per position (counts.starts) are
   * kept: its ppl_gen0 then costs one probability per distinct n-gram. Dropped once measured.
   */
  fitted: Int32Array | null;
}

export interface NgramReference {
  /** V₀ token strings by id. */
  readonly words: readonly string[];
  readonly joiner: string;
  readonly params0: NgramParams;
  readonly heldOut: Int32Array;
  readonly discrete: DiscreteReference;
  readonly scratch: { perplexity: PerplexityScratch; unigram: Float64Array };
}

const NGRAM_METRICS = ["perplexity", "ppl_gen0", "vocab", "distinct_ngrams", "distinct_2", ...DISCRETE_METRICS];

/** The vocabulary of seed data, keyed by its token array (the Model interface passes only data on). */
const wordsOf = new WeakMap<Int32Array, { words: string[]; joiner: string }>();

/** Tokens shown per generation by --show-samples, and the longest sample line. */
const DESCRIBE_TOKENS = { word: 18, char: 90 } as const;
const DESCRIBE_MAX_CHARS = 110;

function sampler(params: NgramParams, o: NgramOptions): MarkovChainSampler {
  return (params.sampler ??= buildSampler(params.counts, o));
}

/** Unigram counts over V₀ (from the order-1 level), into `out`. */
function unigramCounts(counts: NgramCounts, out: Float64Array): Float64Array {
  out.fill(0);
  const level = counts.levels[1]!;
  for (let e = 0; e < level.size; e++) out[level.token[e]!] = level.count[e]!;
  return out;
}

/**
 * An upper bound of the bytes a generation holds per token of its training text, reached only if
 * every k-gram of it is new (a real text has far fewer distinct k-grams than tokens): the token
 * and its n-gram id, each level's entry (BYTES_PER_ENTRY) for the top = max(order, 2) levels, the
 * growth of the level being counted in this thread's buffers (their arrays grown by half, old and new at once, then
 * copied out at size: at most twice 16 bytes more; its hash table doubled: old and new, 3 / MAX_LOAD slots instead of 2 / MAX_LOAD), the sampler's column and
 * context (24 + 4) and its construction scratch (an n-gram's place, 4, and one context's weights
 * and alias table, 32 per continuation: all of them when a single context has them all), and the
 * perplexity's per-n-gram state and logarithm (4 · order + 8). All typed arrays.
 */
export function bytesPerToken(order: number): number {
  const top = Math.max(order, 2);
  const levels = (top - 1) * BYTES_PER_ENTRY.context + BYTES_PER_ENTRY.top;
  const growth = 2 * 16 + Math.ceil((3 * SLOT_BYTES) / MAX_LOAD) - Math.ceil((2 * SLOT_BYTES) / MAX_LOAD);
  return 4 + 4 + levels + growth + SAMPLER_BYTES_PER_ENTRY + 4 + 4 + 32 + 4 * order + 8;
}

/** The text's tokens; a word run too long for one string (no space or line break in 512 Mi characters) is an InputError. */
function tokensOf(input: { text: TextPieces; name: string }, kind: Tokens): TokenIds {
  try {
    return tokenIds(input.text, kind);
  } catch (e) {
    if (!(e instanceof TextTooLong)) throw e;
    throw new InputError(`${input.name}: ${e.message}, more than one string can hold; the word tokenizer needs breaks (or use --tokens char)`);
  }
}

/**
 * `view` as the seed's token array: the view itself when its buffer is not much longer (a copy
 * would leave the tokenizer's buffer to the garbage collector, which an idle coordinator thread
 * never runs), else a copy of just its ids.
 */
function owned(view: Int32Array): Int32Array {
  return view.buffer.byteLength <= 1.25 * view.byteLength ? view : view.slice();
}

/** The generation-0 model's perplexity of `train`, the text `params` were fitted on. */
function pplGen0(params: NgramParams, train: Int32Array, ref: NgramReference): number {
  const V = ref.words.length;
  if (params.fitted !== train || train.length === 0) return perplexity(ref.params0.counts, train, V, ref.scratch.perplexity);
  const ll = logLikelihoodOfCounted(ref.params0.counts, train, params.counts, V, ref.scratch.perplexity);
  // The ids per position are needed once: free them (and the reference to the text).
  params.fitted = null;
  releaseStarts(params.counts);
  return Math.exp(-ll / train.length);
}

/** The counts of `tokens`, their arrays from `alloc`. */
function fitted(tokens: Int32Array, o: NgramOptions, alloc: Ints): NgramParams {
  if (tokens.length < o.order) {
    throw new InputError(
      `a generation's training text has ${tokens.length} token(s), fewer than --order ${o.order}; lower --filter-recall or raise --sample-size`,
    );
  }
  const counts = countNgrams(tokens, o.order, true, alloc);
  return { counts, sampler: null, fitted: counts.starts === undefined ? null : tokens };
}

export const ngram: Model<Int32Array, NgramParams, NgramReference, NgramOptions> = {
  name: "ngram",
  family: "discrete",
  summary: "word or character n-gram text model (order 1..6), sampled as a Markov chain",
  defaultSource: null,
  defaultData: BUNDLED_CORPUS,
  input: "text",
  options: [...DISCRETE_OPTIONS, ...NGRAM_OPTIONS],
  defaults: { replicates: 5, seedSize: null },
  headline: ["perplexity", "ppl_gen0", "extinct", "tail_support", "entropy", "gini_simpson", "vocab", "distinct_2", "tv"],
  counts: ["support", "extinct", "vocab", "distinct_ngrams"],
  // Measured in a fresh process per token and generation (counting every order, sampling, every
  // metric) and per character for generation 0 (tokenizing and counting the seed), on the bundled
  // corpus and a novel-length text, then rounded up: a word bigram took 151–184 ns a token, a word
  // trigram 482 and 6-gram 473 in short runs (the JIT still at work), a char 5-gram 153–253; a
  // word trigram's generation 0 took 197 ns a character, a char 5-gram's 224.
  work: (o, seed) => ({
    perGeneration: 100_000,
    perRow: o.tokens === "word" ? 150 + 60 * o.order : 40 + 35 * o.order,
    // Word tokens: one per 6.1 characters of the bundled corpus, 6.8 of a novel; counted as one per 5.
    seedRows: o.tokens === "word" ? Math.ceil(seed.rows / 5) : seed.rows,
    perSeedRow: 80 + 45 * o.order,
  }),
  // Generation 0's counts are typed arrays: a replicate worker receives them rather than counting
  // the seed text again (time, and a second set of counting buffers in every worker).
  shareFit: true,
  receiveFit: (sent) => {
    const p = sent as NgramParams;
    return { counts: receiveCounts(p.counts), sampler: p.sampler, fitted: null };
  },
  // The text's tokens, held-out tokens and vocabulary: a replicate worker does not tokenize it again.
  shareSeed: ({ data, heldOut }) => ({ data, heldOut, vocabulary: wordsOf.get(data) }),
  receiveSeed: (sent) => {
    const s = sent as { data: Int32Array; heldOut: Int32Array; vocabulary: { words: string[]; joiner: string } };
    wordsOf.set(s.data, s.vocabulary);
    return { data: s.data, heldOut: s.heldOut };
  },
  footprint: (o) => ({ perRow: bytesPerToken(o.order), perSeedRow: 4, perCategory: 64, countsOnly: false, onHeap: false }),

  seed(input: SeedInput, o) {
    if (input.kind !== "text") throw new Error("ngram reads text");
    const all = tokensOf(input, o.tokens);
    const what = o.tokens === "word" ? "word" : "character";
    const n = all.ids.length;
    const held = heldCount(o.holdout, n);
    // At least order + 1 training tokens (two n-grams: a chain that can move) and one held out.
    const need = o.order + 2;
    if (n < need) {
      throw new InputError(
        `${input.name}: ${n} ${what} token(s) are too few for --order ${o.order} (needs at least ${need}: order + 1 to train on, 1 held out); give a longer text or lower --order`,
      );
    }
    if (n - held < o.order + 1) {
      throw new InputError(
        `${input.name}: --holdout ${o.holdout} leaves ${n - held} of ${n} ${what} tokens to train on, fewer than --order ${o.order} + 1; lower --holdout`,
      );
    }
    // The held-out part is the end of the text: contiguous, never trained on. Ids follow first
    // appearance, so the training part's vocabulary V₀ is ids 0…V₀−1, and a held-out token
    // first seen after it is unknown (id V₀).
    const ids = owned(all.ids.subarray(0, n - held));
    let V0 = 0;
    for (let i = 0; i < ids.length; i++) V0 = Math.max(V0, ids[i]! + 1);
    const heldOut = all.ids.slice(n - held);
    for (let i = 0; i < heldOut.length; i++) if (heldOut[i]! > V0) heldOut[i] = V0;
    wordsOf.set(ids, { words: all.words.slice(0, V0), joiner: joinerOf(o.tokens) });
    return { data: ids, heldOut };
  },

  metricNames: () => [...NGRAM_METRICS],

  // The categories are the training text's word (or character) types; p0 is proportional to their counts.
  seedFit: (_tokens, _params0, ref, o) => discreteSeedFit(ref.discrete.p0, o.tailFraction),

  // A generation's counts and sampler are made on buffers the previous generation's release handed back.
  fit: (tokens, o) => fitted(tokens, o, takeInts),

  release(params) {
    recycle([...countsArrays(params.counts), ...(params.sampler === null ? [] : samplerArrays(params.sampler))]);
  },

  fitShared(tokens, o) {
    const params = fitted(tokens, o, sharedInts);
    // Its sampler too, which every thread's first generation draws from.
    params.sampler = buildSampler(params.counts, o, true);
    return params;
  },

  sample(params, n, rng: Rng, o, spare) {
    const out = drawInto(spare, n, (k) => new Int32Array(k));
    return walkMarkovChain(sampler(params, o), n, rng, out);
  },

  reference(data0, params0, o, heldOut) {
    const seeded = wordsOf.get(data0);
    if (!seeded || !heldOut) throw new Error("ngram.reference: data0 did not come from ngram.seed");
    const V = seeded.words.length;
    const unigram = unigramCounts(params0.counts, new Float64Array(V));
    const p0 = unigram.map((c) => c / params0.counts.length);
    return {
      words: seeded.words,
      joiner: seeded.joiner,
      params0,
      heldOut,
      discrete: discreteReference(p0, o.tailFraction),
      scratch: { perplexity: newPerplexityScratch(), unigram: new Float64Array(V) },
    };
  },

  measure(params, train, ref): Metrics {
    const { counts } = params;
    const V = ref.words.length;
    const m: Metrics = {
      perplexity: perplexity(counts, ref.heldOut, V, ref.scratch.perplexity),
      ppl_gen0: pplGen0(params, train, ref),
      vocab: counts.levels[1]!.size,
      distinct_ngrams: counts.levels[counts.order]!.size,
      distinct_2: counts.length > 1 ? counts.levels[2]!.size / (counts.length - 1) : Number.NaN,
    };
    const p = unigramCounts(counts, ref.scratch.unigram);
    for (let i = 0; i < V; i++) p[i]! /= counts.length;
    return discreteMetrics(p, ref.discrete, m);
  },

  describe(params, rng, ref, o) {
    // A random place in the text, not its beginning: a context drawn in proportion to how often
    // it is followed, written out, then the chain from there.
    const { counts } = params;
    const contexts = counts.levels[counts.order - 1]!;
    let u = rng.random() * (counts.length - counts.order + 1);
    let context = 0;
    while (context < contexts.size - 1 && u >= contexts.follow[context]!) u -= contexts.follow[context++]!;
    const prefix: number[] = [];
    for (let k = counts.order - 1, id = context; k >= 1; k--) {
      prefix.unshift(counts.levels[k]!.token[id]!);
      id = counts.levels[k]!.parent[id]!;
    }
    const n = Math.max(0, DESCRIBE_TOKENS[o.tokens] - prefix.length);
    const ids = [...prefix, ...walkMarkovChain(sampler(params, o), n, rng, new Int32Array(n), context)];
    const text = ids.map((id) => ref.words[id]!).join(ref.joiner);
    return text.length > DESCRIBE_MAX_CHARS ? `${text.slice(0, DESCRIBE_MAX_CHARS - 1)}…` : `${text}…`;
  },

  extinctions: {
    categories: (ref) => Array.from(ref.discrete.alive0, (i) => ref.words[i]!),
    alive: (params, ref) => aliveFlags(unigramCounts(params.counts, ref.scratch.unigram), ref.discrete),
  },

  ops: tokenOps,
};
