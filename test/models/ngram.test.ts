import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/config.js";
import { type RawOption, resolveSimConfig } from "../../src/config/resolve.js";
import { runReplicates } from "../../src/core/loop.js";

import { InputError } from "../../src/errors.js";
import type { RunContext } from "../../src/models/model.js";
import { countNgrams, type NgramCounts } from "../../src/models/ngram/counts.js";
import { buildSampler, walkMarkovChain } from "../../src/models/ngram/markov-chain.js";
import { CHUNK, tokenOps } from "../../src/models/ngram/ops.js";
import { conditionalDistribution, logLikelihood, perplexity } from "../../src/models/ngram/perplexity.js";
import { encode, encodeWith, tokenize } from "../../src/models/ngram/tokenize.js";
import { ngram } from "../../src/models/ngram.js";
import { Rng } from "../../src/stats/rng.js";
import { tempDir } from "../cli/cli.js";
import { withRunContext } from "../helpers.js";
import { prepare } from "../run.js";
import { chiSquareCritical, chiSquareStat } from "../stats/helpers.js";

const NEUTRAL = { temperature: 1, topK: 0, topP: 1 };

const rawOf = (o: Record<string, unknown>) =>
  new Map<string, RawOption>(Object.entries({ model: "ngram", ...o }).map(([k, v]) => [k, { value: v, origin: { kind: "flag" } }]));
const configOf = (o: Record<string, unknown> = {}, sampleSize = 100): ResolvedConfig & RunContext =>
  withRunContext({ ...resolveSimConfig(rawOf(o)), sampleSize });

/** A random token sequence over v symbols with a skewed distribution (some frequent, many rare). */
function randomTokens(rng: Rng, n: number, v: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(v * rng.random() ** 2);
  return out;
}

/** The id of the k-gram seq[i..i+k) in the counts, by chained look-ups (−1 if unseen). */
function gramId(counts: NgramCounts, seq: ArrayLike<number>, i: number, k: number): number {
  let id = 0;
  for (let j = 1; j <= k; j++) {
    id = counts.levels[j]!.find(id, seq[i + j - 1]!);
    if (id < 0) return -1;
  }
  return id;
}

describe("tokenizers", () => {
  it("word: lower case, letters/digits/apostrophes, punctuation dropped, numbers kept", () => {
    expect(tokenize("The Tower’s 12th-century bells, rung in 1140! Château—'quoted'", "word")).toEqual([
      "the",
      "tower's",
      "12th",
      "century",
      "bells",
      "rung",
      "in",
      "1140",
      "château",
      "'quoted'",
    ]);
    expect(tokenize("  ...  ", "word")).toEqual([]);
  });

  it("word: equals the Python reference's re.findall(r\"[a-z0-9']+\", text.lower()) on ASCII text", () => {
    const text = readFileSync("fixtures/medieval-architecture.txt", "utf8").replace(/[^\x00-\x7f]/g, " ");
    expect(tokenize(text, "word")).toEqual(text.toLowerCase().match(/[a-z0-9']+/g));
  });

  it("char: code points, case kept, whitespace runs squeezed to one space", () => {
    expect(tokenize("  Ab,  c\n\n\td é ", "char")).toEqual(["A", "b", ",", " ", "c", " ", "d", " ", "é"]);
    expect(tokenize("a😀b", "char")).toEqual(["a", "😀", "b"]);
  });

  it("encodes ids in first-appearance order; unknown tokens get id V", () => {
    const { vocabulary, ids } = encode(["b", "a", "b", "c"]);
    expect(vocabulary.words).toEqual(["b", "a", "c"]);
    expect(Array.from(ids)).toEqual([0, 1, 0, 2]);
    expect(Array.from(encodeWith(["c", "zz", "a"], vocabulary))).toEqual([2, 3, 1]);
  });
});

describe("integer-encoded n-gram counts", () => {
  it("agree with string-keyed counting at every order, with follow/types and next contexts", () => {
    const rng = new Rng("counts");
    for (const order of [1, 2, 3, 5]) {
      const seq = randomTokens(rng, 3000, 40);
      const counts = countNgrams(seq, order);
      const top = Math.max(order, 2);
      for (let k = 1; k <= top; k++) {
        const slow = new Map<string, number>();
        const follow = new Map<string, number>();
        const types = new Map<string, Set<number>>();
        for (let i = 0; i + k <= seq.length; i++) {
          const key = Array.from(seq.subarray(i, i + k)).join(" ");
          slow.set(key, (slow.get(key) ?? 0) + 1);
          const h = Array.from(seq.subarray(i, i + k - 1)).join(" ");
          follow.set(h, (follow.get(h) ?? 0) + 1);
          if (!types.has(h)) types.set(h, new Set());
          types.get(h)!.add(seq[i + k - 1]!);
        }
        const level = counts.levels[k]!;
        expect(level.size, `order ${order}, level ${k}`).toBe(slow.size);
        const parent = counts.levels[k - 1]!;
        for (let i = 0; i + k <= seq.length; i += 7) {
          const key = Array.from(seq.subarray(i, i + k)).join(" ");
          const id = gramId(counts, seq, i, k);
          expect(level.count[id]).toBe(slow.get(key));
          const h = k === 1 ? 0 : gramId(counts, seq, i, k - 1);
          const hKey = Array.from(seq.subarray(i, i + k - 1)).join(" ");
          expect(parent.follow[h]).toBe(follow.get(hKey));
          expect(parent.types[h]).toBe(types.get(hKey)!.size);
        }
      }
      // next[(h, w)] is the (n−1)-gram h[1:] w.
      for (let i = 0; i + order <= seq.length; i += 11) {
        const id = gramId(counts, seq, i, order);
        expect(counts.next[id]).toBe(order === 1 ? 0 : gramId(counts, seq, i + 1, order - 1));
      }
      // A parent id that does not exist cannot have a child.
      expect(counts.levels[top]!.find(counts.levels[top - 1]!.size + 5, 0)).toBe(-1);
    }
  });
});

describe("Markov-chain sampler", () => {
  it("draws each context's continuations with their fitted frequencies", () => {
    // Bigram chain over 6 symbols; the text ends on a token that also occurs earlier with
    // continuations, so the chain never dead-ends and every output bigram is a transition.
    // Pearson's χ² of each context's observed transitions against count-proportional
    // expectations stays below its ALPHA = 1e-6 critical value (see helpers.ts).
    const rng = new Rng("chain");
    const seq = randomTokens(rng, 5000, 6);
    seq[seq.length - 1] = seq[0]!;
    const counts = countNgrams(seq, 2);
    const sampler = buildSampler(counts, NEUTRAL);
    const n = 300_000;
    const out = walkMarkovChain(sampler, n, rng, new Int32Array(n));
    const trans = Array.from({ length: 6 }, () => new Float64Array(6));
    for (let j = 1; j < n; j++) trans[out[j - 1]!]![out[j]!]!++;
    const fitted = Array.from({ length: 6 }, () => new Float64Array(6));
    for (let i = 1; i < seq.length; i++) fitted[seq[i - 1]!]![seq[i]!]!++;
    for (let a = 0; a < 6; a++) {
      const rowTotal = trans[a]!.reduce((s, x) => s + x, 0);
      const fitTotal = fitted[a]!.reduce((s, x) => s + x, 0);
      const observed: number[] = [];
      const expected: number[] = [];
      for (let b = 0; b < 6; b++) {
        if (fitted[a]![b] === 0) {
          expect(trans[a]![b], `impossible transition ${a}→${b}`).toBe(0);
          continue;
        }
        observed.push(trans[a]![b]!);
        expected.push((rowTotal * fitted[a]![b]!) / fitTotal);
      }
      expect(chiSquareStat(observed, expected), `context ${a}`).toBeLessThan(chiSquareCritical(observed.length - 1));
    }
  });

  it("restarts a dead end from the text's first context", () => {
    // a b c: the context "c" has no continuation, so the chain goes back to "a" and emits "b".
    const counts = countNgrams(Int32Array.of(0, 1, 2), 2);
    const out = walkMarkovChain(buildSampler(counts, NEUTRAL), 7, new Rng("dead"), new Int32Array(7));
    expect(Array.from(out)).toEqual([1, 2, 1, 2, 1, 2, 1]);
  });

  it("applies the decoding per context: top-k 1 follows each context's most frequent continuation", () => {
    // 0→1 twice, 0→2 once; 1→0 always; 2→0. With top-k 1 the chain from 0 is 1 0 1 0 …
    const counts = countNgrams(Int32Array.of(0, 1, 0, 2, 0, 1, 0), 2);
    const out = walkMarkovChain(buildSampler(counts, { temperature: 1, topK: 1, topP: 1 }), 6, new Rng("k"), new Int32Array(6));
    expect(Array.from(out)).toEqual([1, 0, 1, 0, 1, 0]);
    // A low temperature makes the favourite near-certain, top-p 0.5 keeps only it.
    const p = walkMarkovChain(buildSampler(counts, { temperature: 1, topK: 0, topP: 0.5 }), 6, new Rng("p"), new Int32Array(6));
    expect(Array.from(p)).toEqual([1, 0, 1, 0, 1, 0]);
  });
});

/** Interpolated Witten–Bell, written from its definition with string keys. */
function slowLogLikelihood(train: Int32Array, order: number, seq: Int32Array, V: number): number {
  const grams = new Map<string, number>();
  const follow = new Map<string, number>();
  const types = new Map<string, Set<number>>();
  for (let k = 1; k <= order; k++) {
    for (let i = 0; i + k <= train.length; i++) {
      const h = Array.from(train.subarray(i, i + k - 1)).join(" ");
      const key = `${h}|${train[i + k - 1]}`;
      grams.set(key, (grams.get(key) ?? 0) + 1);
      follow.set(h, (follow.get(h) ?? 0) + 1);
      if (!types.has(h)) types.set(h, new Set());
      types.get(h)!.add(train[i + k - 1]!);
    }
  }
  let sum = 0;
  for (let j = 0; j < seq.length; j++) {
    let p = 1 / (V + 1);
    for (let k = 1; k <= Math.min(order, j + 1); k++) {
      const h = Array.from(seq.subarray(j - k + 1, j)).join(" ");
      const f = follow.get(h) ?? 0;
      if (f === 0) break;
      const t = types.get(h)!.size;
      p = ((grams.get(`${h}|${seq[j]}`) ?? 0) + t * p) / (f + t);
    }
    sum += Math.log(p);
  }
  return sum;
}

describe("perplexity with interpolated Witten–Bell smoothing", () => {
  const rng = new Rng("ppl");
  const V = 30;
  const train = randomTokens(rng, 4000, V);

  it("matches the formula written out with string keys, unknown tokens included", () => {
    for (const order of [1, 2, 3, 4]) {
      const counts = countNgrams(train, order);
      const test = randomTokens(rng, 500, V + 1); // id V: unknown
      expect(logLikelihood(counts, test, V)).toBeCloseTo(slowLogLikelihood(train, order, test, V), 8);
    }
  });

  it("gives distributions that sum to 1 over the vocabulary plus unknown, all positive", () => {
    const counts = countNgrams(train, 3);
    const histories = [Int32Array.of(), Int32Array.of(train[10]!, train[11]!), Int32Array.of(V, 3), Int32Array.of(V - 1, V - 1), Int32Array.of(0, V)];
    for (const h of histories) {
      const p = conditionalDistribution(counts, h, V);
      expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
      expect(Math.min(...p)).toBeGreaterThan(0);
    }
  });

  it("stays finite on text full of unseen tokens and contexts", () => {
    const counts = countNgrams(train, 2);
    expect(Number.isFinite(perplexity(counts, new Int32Array(50).fill(V), V))).toBe(true);
    const seen = perplexity(counts, train.subarray(0, 500), V);
    expect(seen).toBeGreaterThan(1);
    expect(seen).toBeLessThan(V + 1);
  });
});

describe("ngram seed data", () => {
  it("holds out the end of the text, builds the vocabulary from the rest only", () => {
    const text = "a b c a b d a b c e f";
    const config = configOf({ holdout: 0.2, order: 2 });
    const { data, heldOut } = ngram.seed({ kind: "text", text, name: "t.txt" }, config);
    // 11 tokens, round(0.2 · 11) = 2 held out: "e f", neither in the training vocabulary.
    expect(Array.from(data)).toEqual([0, 1, 2, 0, 1, 3, 0, 1, 2]);
    expect(Array.from(heldOut!)).toEqual([4, 4]);
  });

  it("rejects empty and too-short texts, and a holdout that leaves too little", () => {
    const err = (text: string, o: Record<string, unknown>) => {
      try {
        ngram.seed({ kind: "text", text, name: "t.txt" }, configOf(o));
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error("expected an InputError");
    };
    expect(err("", {})).toMatch(/t\.txt: 0 word token\(s\) are too few for --order 2/);
    expect(err("one two three", { order: 3 })).toMatch(/too few for --order 3 \(needs at least 5/);
    expect(err("abc", { tokens: "char", order: 2 })).toMatch(/3 character token\(s\)/);
    expect(err("a b c d e f g h", { order: 5, holdout: 0.5 })).toMatch(/--holdout 0.5 leaves 4 of 8 word tokens/);
  });
});

describe("token-sequence data ops", () => {
  const x = Int32Array.from({ length: 10 * CHUNK + 5 }, (_, i) => i);
  const isChunkPieces = (y: Int32Array) => {
    // Every maximal run of consecutive values starts on a chunk boundary.
    const starts: number[] = [];
    for (let i = 0; i < y.length; i++) if (i === 0 || y[i] !== y[i - 1]! + 1) starts.push(y[i]!);
    expect(starts.filter((s) => s % CHUNK !== 0)).toEqual([]);
  };

  it("thin keeps or drops whole chunks", () => {
    const y = tokenOps.thin(x, 0.5, new Rng("thin"));
    expect(y.length).toBeGreaterThan(0);
    expect(y.length).toBeLessThan(x.length);
    isChunkPieces(y);
    expect(y.findIndex((v, i) => i > 0 && !(v > y[i - 1]!))).toBe(-1); // order kept
  });

  it("subset draws distinct chunks up to n tokens; resample draws with replacement", () => {
    const s = tokenOps.subset(x, 300, new Rng("subset"));
    expect(s.length).toBe(300);
    isChunkPieces(s);
    expect(new Set(s).size).toBe(300);
    const r = tokenOps.resample(x, 2000, new Rng("resample"));
    expect(r.length).toBe(2000);
    isChunkPieces(r);
    expect(Array.from(tokenOps.subset(x, x.length, new Rng("all"))).sort((a, b) => a - b)).toEqual(Array.from(x));
  });

  it("pool appends without copying what is there", () => {
    const pool = tokenOps.pool(Int32Array.of(1, 2));
    pool.add(Int32Array.of(3));
    pool.add(Int32Array.from({ length: 40 }, () => 4));
    expect(Array.from(pool.view().subarray(0, 4))).toEqual([1, 2, 3, 4]);
    expect(pool.view().length).toBe(43);
    expect(Array.from(tokenOps.concat([Int32Array.of(1), Int32Array.of(2, 3)]))).toEqual([1, 2, 3]);
  });
});

describe("a generation's arrays handed back for the next (Model.release, src/stats/buffer-pool.ts)", () => {
  it("change no number, and the loop hands back every generation's own fit, never generation 0's", () => {
    // A text of many distinct bigrams (3,000 word types at random), so that a trigram model's
    // context level (follow, types) and its sampler's context index outgrow the pool's smallest
    // buffer (64 kB) and are reused: reused arrays must come zero-filled.
    const rng = new Rng("pool");
    const file = join(tempDir(), "many-bigrams.txt");
    writeFileSync(file, Array.from({ length: 150_000 }, () => `w${Math.floor(3000 * rng.random() ** 1.5)}`).join(" "));
    for (const o of [{ order: 3 }, { order: 2 }, { tokens: "char", order: 4 }, { order: 3, regime: "accumulate" }]) {
      const config = resolveSimConfig(rawOf({ data: file, generations: 3, replicates: 2, ...o }));
      const { prepared } = prepare(config);
      const release = ngram.release!;
      const handed: unknown[] = [];
      try {
        // Without: every fit on new arrays.
        ngram.release = () => {};
        const fresh = runReplicates(prepared, 0, 2);
        ngram.release = (params) => {
          handed.push(params);
          release(params);
        };
        const pooled = runReplicates(prepared, 0, 2);
        expect(JSON.stringify({ ...pooled, values: pooled.values.map((v) => Array.from(v)) })).toBe(
          JSON.stringify({ ...fresh, values: fresh.values.map((v) => Array.from(v)) }),
        );
      } finally {
        ngram.release = release;
      }
      // Generations 1…3 of each of the 2 replicates, each once.
      expect(handed).toHaveLength(2 * 3);
      expect(new Set(handed).size).toBe(2 * 3);
      expect(handed).not.toContain(prepared.params0);
    }
  });
});

describe("the ngram model over generations", () => {
  it("loses vocabulary and its rare tail while held-out perplexity rises, all finite", () => {
    const config = resolveSimConfig(rawOf({ generations: 6, replicates: 2, order: 2, sampleSize: 6000 }));
    expect(config.data).toBe("fixtures/medieval-architecture.txt");
    const { prepared } = prepare(config);
    const block = runReplicates(prepared, 0, 2);
    const at = (name: string, g: number, r: number) => block.values[prepared.metricNames.indexOf(name)]![g * 2 + r]!;
    for (let r = 0; r < 2; r++) {
      expect(at("vocab", 6, r)).toBeLessThan(at("vocab", 1, r));
      expect(at("vocab", 1, r)).toBeLessThan(at("vocab", 0, r));
      expect(at("tail_support", 6, r)).toBeLessThan(0.5);
      expect(at("perplexity", 6, r)).toBeGreaterThan(at("perplexity", 0, r));
      for (const name of prepared.metricNames) for (let g = 0; g <= 6; g++) expect(Number.isFinite(at(name, g, r)), `${name} ${g}`).toBe(true);
    }
    expect(at("vocab", 0, 0)).toBe(at("support", 0, 0));
    expect(at("distinct_2", 0, 0)).toBeGreaterThan(0);
    expect(at("distinct_2", 0, 0)).toBeLessThanOrEqual(1);
    // The sample text is made of generation-0 words.
    const words = new Set(prepared.model.extinctions!.categories(prepared.reference));
    for (const line of block.samples!) for (const w of line.replace("…", "").split(" ")) expect(words.has(w), w).toBe(true);
    expect(block.samples!.length).toBe(7);
  });
});
