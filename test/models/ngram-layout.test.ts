// The n-gram model's compact layout: memory per distinct n-gram, and the shortcuts that must give
// the same bits as the plain computations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { countNgrams, MAX_LOAD, type NgramCounts, releaseStarts } from "../../src/models/ngram/counts.js";
import { buildSampler } from "../../src/models/ngram/markov-chain.js";
import { logLikelihood, logLikelihoodOfCounted } from "../../src/models/ngram/perplexity.js";
import { encode, tokenIds, tokenize } from "../../src/models/ngram/tokenize.js";
import { bytesPerToken, ngram } from "../../src/models/ngram.js";
import { Rng } from "../../src/stats/rng.js";

const configOf = () => resolveSimConfig(new Map([["model", { value: "ngram", origin: { kind: "flag" } }]]));

/** A random token sequence over v symbols, skewed (some frequent, many rare), with repeated phrases. */
function text(rng: Rng, n: number, v: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i > 8 && rng.random() < 0.5 ? out[i - 1 - Math.floor(rng.random() * 8)]! : Math.floor(v * rng.random() ** 2);
  return out;
}

describe("n-gram counts layout", () => {
  it("holds arrays sized by the distinct k-grams, not by the text", () => {
    const rng = new Rng("layout");
    const seq = text(rng, 50_000, 20);
    for (const order of [1, 2, 3, 5]) {
      const counts = countNgrams(seq, order);
      const top = Math.max(order, 2);
      for (let k = 1; k <= top; k++) {
        const level = counts.levels[k]!;
        expect(level.parent.length).toBe(level.size);
        expect(level.count.length).toBe(level.size);
        // A context level has follow/types per entry; the top level (no context) has none.
        expect(level.follow.length).toBe(k < top ? level.size : 0);
        const slots = level.slots.length / 3;
        expect(slots).toBeLessThanOrEqual(Math.max(256, (2 / MAX_LOAD) * level.size));
        expect(level.size).toBeLessThanOrEqual(MAX_LOAD * slots);
      }
      expect(counts.next.length).toBe(counts.levels[order]!.size);
    }
  });
});

describe("allocations of a generation", () => {
  it("sample draws into the spare it is offered, with the same tokens as into a new array", () => {
    const config = { ...configOf(), sampleSize: 500, order: 3 } as never;
    const params = ngram.fit(text(new Rng("spare"), 2000, 25), config);
    const fresh = ngram.sample(params, 500, new Rng("draw"), config);
    const spare = new Int32Array(500).fill(-7);
    const into = ngram.sample(params, 500, new Rng("draw"), config, spare);
    expect(into).toBe(spare);
    expect(Array.from(into)).toEqual(Array.from(fresh));
    // A spare of another length is not used.
    expect(ngram.sample(params, 400, new Rng("draw"), config, spare)).not.toBe(spare);
  });

  it("the seed's training ids are a view of the tokenizer's buffer when it is not much longer, else a copy", () => {
    const config = { ...configOf(), sampleSize: 2, tokens: "char", order: 2, holdout: 0.1 } as never;
    const prose = "Stone towers rose over the towns. ".repeat(400);
    const { data } = ngram.seed({ kind: "text", text: prose, name: "prose" }, config);
    expect(data.buffer.byteLength).toBeLessThanOrEqual(1.25 * data.byteLength);
    // Mostly whitespace: the buffer (one id per UTF-16 unit) is far longer than the ids; copied.
    const sparse = `a${" ".repeat(5000)}b c d e f g h i j k`;
    const few = ngram.seed({ kind: "text", text: sparse, name: "sparse" }, config).data;
    expect(few.buffer.byteLength).toBe(few.byteLength);
  });
});

describe("counting in this thread's buffers", () => {
  const plain = (c: NgramCounts) => ({
    next: Array.from(c.next),
    starts: c.starts && Array.from(c.starts),
    levels: c.levels.map((l) => ({ size: l.size, arrays: [l.parent, l.token, l.count, l.follow, l.types].map((a) => Array.from(a)) })),
  });

  it("gives the same counts whatever was counted before, and its tables find every entry", () => {
    const rng = new Rng("buffers");
    const small = text(rng, 3000, 12);
    const large = text(rng, 60_000, 400);
    for (const order of [1, 2, 4]) {
      const first = plain(countNgrams(small, order, true));
      const big = countNgrams(large, order, true);
      releaseStarts(big);
      const again = countNgrams(small, order, true);
      expect(plain(again)).toEqual(first);
      for (let k = 1; k < again.levels.length; k++) {
        const level = again.levels[k]!;
        const misplaced: number[] = [];
        for (let e = 0; e < level.size; e++) if (level.find(level.parent[e]!, level.token[e]!) !== e) misplaced.push(e);
        expect(misplaced).toEqual([]);
      }
    }
  });

  it("reuses the ids per position a result handed back, and never ones still lent out", () => {
    const rng = new Rng("lent");
    const a = countNgrams(text(rng, 5000, 20), 3, true);
    const b = countNgrams(text(rng, 4000, 20), 3, true);
    // a's starts are still lent: b got an array of its own.
    expect(b.starts!.buffer).not.toBe(a.starts!.buffer);
    const buffer = a.starts!.buffer;
    releaseStarts(a);
    expect(a.starts).toBeUndefined();
    const c = countNgrams(text(rng, 4500, 20), 3, true);
    expect(c.starts!.buffer).toBe(buffer);
  });
});

describe("perplexity of a text from its own counts", () => {
  it("equals logLikelihood bit for bit, orders 2…6, seen and unseen tokens", () => {
    const rng = new Rng("own");
    const V = 40;
    const train = text(rng, 3000, V);
    for (let order = 2; order <= 6; order++) {
      const model = countNgrams(train, order);
      // The model's own text, a text of another generation and one with unknown tokens (id V).
      for (const seq of [train, text(rng, 2000, V), text(rng, 700, V + 3).map((x) => Math.min(x, V)), train.subarray(0, order)]) {
        const own = countNgrams(seq, order, true);
        expect(own.starts).toBeDefined();
        expect(logLikelihoodOfCounted(model, seq, own, V)).toBe(logLikelihood(model, seq, V));
      }
      // Generation 0's ppl_gen0: the text scored by the very counts it was counted into.
      const self = countNgrams(train, order, true);
      expect(logLikelihoodOfCounted(self, train, self, V)).toBe(logLikelihood(self, train, V));
    }
  });

  it("falls back to the plain sum when the counts kept no ids per position", () => {
    const rng = new Rng("fallback");
    const seq = text(rng, 500, 10);
    const model = countNgrams(seq, 1);
    expect(logLikelihoodOfCounted(model, seq, countNgrams(seq, 1, true), 10)).toBe(logLikelihood(model, seq, 10));
  });
});

describe("tokenIds: tokenize and encode in one pass", () => {
  const texts = [
    "The Tower’s 12th-century bells, rung in 1140! Château—'quoted'",
    "  Ab,  c\n\n\td é  ",
    "a😀b 😀\ud800x \udc00 ΟΔΟΣ ΟΔΟΣ·Α İstanbul ΣΑΣ\u00a0x\ufeffy\u2028z\u3000 tab\tend ",
    "",
    "   \n ",
    "ABC abc Abc 'tis o'clock  x''y ẞtraße FOO’S",
  ];
  it("gives the ids and vocabulary of encode(tokenize(text)), word and char", () => {
    for (const kind of ["word", "char"] as const) {
      for (const t of texts) {
        const { vocabulary, ids } = encode(tokenize(t, kind));
        const one = tokenIds(t, kind);
        expect(one.words, `${kind}: ${JSON.stringify(t)}`).toEqual(vocabulary.words);
        expect(Array.from(one.ids)).toEqual(Array.from(ids));
      }
    }
  });

  it("reads words as WORD matches them, on any mix of scripts, marks, surrogates and apostrophes (property)", () => {
    // Letters and digits of several planes and scripts (𝐀 and 𝟙 are astral letters and digits), what
    // separates them (a combining mark, an emoji, lone surrogates, punctuation), and what lower-casing
    // changes (Σ at a word's end, İ into two units).
    const pieces = ["a", "Z", "7", "'", "’", " ", "\n", ",", "é", "Σ", "ς", "İ", "ß", "٣", "中", "\u0301", "𝐀", "𝟙", "😀", "\ud800", "\udc00", "-", "\u00a0"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const t = parts.join("");
        const { vocabulary, ids } = encode(tokenize(t, "word"));
        const one = tokenIds(t, "word");
        expect(one.words).toEqual(vocabulary.words);
        expect(Array.from(one.ids)).toEqual(Array.from(ids));
      }),
      { numRuns: 500, seed: 20261203 },
    );
  });

  it("agrees across its chunks on a long text, ASCII and not", () => {
    const rng = new Rng("chunks");
    const pieces = ["Stone", "stone", "1140", "o'clock", ",", "\n\n", "ΣΟΦΟΣ", "naïve", "don’t", "—", "  ", "é", "😀"];
    const parts: string[] = [];
    // The first half ASCII only (the fast path), the rest with other characters too.
    for (let i = 0; i < 600_000; i++) {
      const from = i < 300_000 ? 6 : pieces.length;
      parts.push(pieces[Math.floor(rng.random() ** 2 * from)]!, rng.random() < 0.7 ? " " : "");
    }
    const long = parts.join("");
    expect(long.length).toBeGreaterThan(1 << 21);
    for (const kind of ["word", "char"] as const) {
      const { vocabulary, ids } = encode(tokenize(long, kind));
      const one = tokenIds(long, kind);
      expect(one.words).toEqual(vocabulary.words);
      expect(one.ids.length).toBe(ids.length);
      const bytes = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      expect(Buffer.compare(bytes(one.ids), bytes(ids))).toBe(0);
    }
  });
});

describe("the memory estimate of ngram (footprint)", () => {
  /** Bytes of the typed arrays a fitted generation holds: its text, counts, ids per position, sampler. */
  function held(seq: Int32Array, order: number): number {
    const counts = countNgrams(seq, order, true);
    const sampler = buildSampler(counts, { temperature: 1, topK: 0, topP: 1 });
    let bytes = seq.byteLength + counts.next.byteLength + (counts.starts?.byteLength ?? 0);
    for (const l of counts.levels)
      bytes += l.parent.byteLength + l.token.byteLength + l.count.byteLength + l.follow.byteLength + l.types.byteLength + l.slots.byteLength;
    return bytes + sampler.start.byteLength + sampler.columns.byteLength;
  }

  it("bounds the bytes per token from above, even when every k-gram is new", () => {
    const rng = new Rng("footprint");
    for (const order of [1, 2, 3, 5, 6]) {
      const perRow = ngram.footprint({ ...configOf(), order } as never, 1).perRow;
      expect(perRow).toBe(bytesPerToken(order));
      // Worst case: all tokens distinct. A text: many repeats.
      const distinct = Int32Array.from({ length: 40_000 }, (_, i) => i);
      const worst = held(distinct, order);
      expect(worst).toBeLessThanOrEqual(perRow * distinct.length);
      expect(worst).toBeGreaterThan(0.4 * perRow * distinct.length);
      const real = text(rng, 40_000, 60);
      expect(held(real, order)).toBeLessThan(worst);
    }
  });
});
