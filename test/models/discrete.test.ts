import { describe, expect, it } from "vitest";
import { type Decoding, decodeInPlace, isNeutral } from "../../src/models/decoding.js";
import { aliveFlags, discreteMetrics, discreteReference, normalize, rareSet } from "../../src/models/discrete.js";
import { Rng } from "../../src/stats/rng.js";

/** A random distribution over k categories with some exact zeros and some exact ties. */
function randomDistribution(rng: Rng, k: number): Float64Array {
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const u = rng.random();
    w[i] = u < 0.2 ? 0 : u < 0.4 ? 3 : Math.floor(rng.random() * 20) + 1;
  }
  w[0] = 5; // never all zero
  return normalize(w);
}

/** Slow, obvious versions of the metrics, straight from their definitions. */
function slowMetrics(p: number[], p0: number[], rare: number[]) {
  const log2 = Math.log2;
  const support = p.filter((x) => x > 0).length;
  const support0 = p0.filter((x) => x > 0).length;
  const m = p.map((x, i) => (x + p0[i]!) / 2);
  const kl = (a: number[], b: number[]) => a.reduce((s, x, i) => (x > 0 ? s + x * log2(x / b[i]!) : s), 0);
  const tailMass = rare.reduce((s, i) => s + p[i]!, 0);
  const tailMass0 = rare.reduce((s, i) => s + p0[i]!, 0);
  return {
    support,
    extinct: support0 - support,
    support_ratio: support / support0,
    entropy: -p.reduce((s, x) => (x > 0 ? s + x * log2(x) : s), 0),
    gini_simpson: 1 - p.reduce((s, x) => s + x * x, 0),
    tv: 0.5 * p.reduce((s, x, i) => s + Math.abs(x - p0[i]!), 0),
    js: 0.5 * kl(p, m) + 0.5 * kl(p0, m),
    tail_mass: tailMass,
    tail_loss: 1 - tailMass / tailMass0,
    tail_support: rare.filter((i) => p[i]! > 0).length / rare.length,
  };
}

describe("rare set", () => {
  it("takes the rarest categories holding at most the fraction, in whole tie groups", () => {
    expect(Array.from(rareSet(Float64Array.of(0.5, 0.05, 0.3, 0.05, 0.1), 0.1))).toEqual([1, 3]);
    // The next group (0.1) would take the mass to 0.2 > 0.15: left out.
    expect(Array.from(rareSet(Float64Array.of(0.5, 0.05, 0.3, 0.05, 0.1), 0.15))).toEqual([1, 3]);
    expect(Array.from(rareSet(Float64Array.of(0.5, 0.05, 0.3, 0.05, 0.1), 0.2))).toEqual([1, 3, 4]);
  });

  it("never splits ties, never takes zero-probability categories, and is never empty", () => {
    // Three categories of 0.04 hold 0.12 > 0.1: all three or none — the rarest group alone then.
    expect(Array.from(rareSet(Float64Array.of(0.04, 0.04, 0.04, 0.88, 0), 0.1))).toEqual([0, 1, 2]);
    expect(Array.from(rareSet(Float64Array.of(0.5, 0.5), 0.1))).toEqual([0, 1]);
    expect(Array.from(rareSet(Float64Array.of(0, 0.7, 0.3), 0.1))).toEqual([2]);
  });

  it("agrees with a sort-based definition on random distributions", () => {
    const rng = new Rng("rare");
    for (let t = 0; t < 200; t++) {
      const p0 = randomDistribution(rng, 1 + rng.below(40));
      const f = 0.05 + 0.5 * rng.random();
      const got = Array.from(rareSet(p0, f));
      // Reference: distinct positive values ascending; include value groups while the mass stays ≤ f.
      const values = [...new Set(Array.from(p0).filter((x) => x > 0))].sort((a, b) => a - b);
      let mass = 0;
      let t0 = values[0]!;
      for (const [i, v] of values.entries()) {
        const group = Array.from(p0)
          .filter((x) => x === v)
          .reduce((s, x) => s + x, 0);
        if (i > 0 && mass + group > f) break;
        mass += group;
        t0 = v;
        if (mass > f) break;
      }
      const want = Array.from(p0.keys()).filter((i) => p0[i]! > 0 && p0[i]! <= t0);
      expect(got).toEqual(want);
    }
  });
});

describe("discrete metrics", () => {
  it("match their definitions on random distributions", () => {
    const rng = new Rng("metrics");
    for (let t = 0; t < 100; t++) {
      const k = 2 + rng.below(30);
      const p0 = randomDistribution(rng, k);
      const p = randomDistribution(rng, k);
      const ref = discreteReference(p0, 0.2);
      const got = discreteMetrics(p, ref, {});
      const want = slowMetrics(Array.from(p), Array.from(p0), Array.from(ref.rare));
      for (const [name, value] of Object.entries(want)) expect(got[name], name).toBeCloseTo(value, 12);
    }
  });

  it("give exact values in simple cases, and JS stays finite when support is lost", () => {
    const p0 = Float64Array.of(0.25, 0.25, 0.25, 0.25);
    const ref = discreteReference(p0, 0.1);
    const same = discreteMetrics(p0, ref, {});
    expect(same).toMatchObject({ support: 4, extinct: 0, entropy: 2, gini_simpson: 0.75, tv: 0, js: 0, tail_loss: 0 });
    // Disjoint supports: JS is exactly 1 bit, TV exactly 1.
    const ref2 = discreteReference(Float64Array.of(0.5, 0.5, 0, 0), 0.1);
    const disjoint = discreteMetrics(Float64Array.of(0, 0, 0.5, 0.5), ref2, {});
    expect(disjoint.js).toBeCloseTo(1, 14);
    expect(disjoint.tv).toBeCloseTo(1, 14);
    expect(disjoint.extinct).toBe(0); // support 2 → 2: different categories, same count
    // One survivor of four: finite everything.
    const lost = discreteMetrics(Float64Array.of(1, 0, 0, 0), ref, {});
    expect(lost).toMatchObject({ support: 1, extinct: 3, support_ratio: 0.25, entropy: 0, gini_simpson: 0 });
    expect(Number.isFinite(lost.js)).toBe(true);
    expect(lost.js).toBeGreaterThan(0);
    expect(lost.js).toBeLessThan(1);
  });

  it("flags which generation-0 categories are alive", () => {
    const ref = discreteReference(Float64Array.of(0.5, 0, 0.3, 0.2), 0.1);
    expect(Array.from(ref.alive0)).toEqual([0, 2, 3]);
    expect(Array.from(aliveFlags(Float64Array.of(0.9, 0, 0, 0.1), ref))).toEqual([1, 0, 1]);
  });
});

/** Decoding by sorting: the obvious reference (stable sort by weight descending, index ascending). */
function slowDecode(w: number[], d: Decoding): number[] {
  let x = [...w];
  if (d.temperature !== 1) {
    const max = Math.max(...x);
    x = x.map((v) => (v > 0 ? (v / max) ** (1 / d.temperature) : 0));
  }
  const order = x
    .map((_, i) => i)
    .filter((i) => x[i]! > 0)
    .sort((a, b) => x[b]! - x[a]! || a - b);
  if (d.topK > 0 && d.topK < order.length) {
    for (const i of order.slice(d.topK)) x[i] = 0;
    order.length = d.topK;
  }
  if (d.topP < 1) {
    const total = order.reduce((s, i) => s + x[i]!, 0);
    let kept = 0;
    const keep = new Set<number>();
    for (const i of order) {
      if (kept >= d.topP * total) break;
      keep.add(i);
      kept += x[i]!;
    }
    x = x.map((v, i) => (keep.has(i) ? v : 0));
  }
  return x;
}

describe("decoding: temperature, top-k, top-p", () => {
  it("is the identity when neutral", () => {
    const d = { temperature: 1, topK: 0, topP: 1 };
    expect(isNeutral(d)).toBe(true);
    const w = Float64Array.of(3, 1, 0, 2);
    decodeInPlace(w, d);
    expect(Array.from(w)).toEqual([3, 1, 0, 2]);
  });

  it("keeps the k largest, ties by index order", () => {
    const w = Float64Array.of(1, 5, 3, 5, 3, 0, 3);
    decodeInPlace(w, { temperature: 1, topK: 3, topP: 1 });
    expect(Array.from(w)).toEqual([0, 5, 3, 5, 0, 0, 0]);
  });

  it("keeps the smallest most-likely set with mass >= P", () => {
    const w = Float64Array.of(0.1, 0.4, 0.2, 0.3);
    decodeInPlace(w, { temperature: 1, topK: 0, topP: 0.7 });
    expect(Array.from(w)).toEqual([0, 0.4, 0, 0.3]);
    const v = Float64Array.of(0.1, 0.4, 0.2, 0.3);
    decodeInPlace(v, { temperature: 1, topK: 0, topP: 0.71 });
    expect(Array.from(v)).toEqual([0, 0.4, 0.2, 0.3]);
    // P tiny: the single most likely outcome survives.
    const u = Float64Array.of(1, 2, 2);
    decodeInPlace(u, { temperature: 1, topK: 0, topP: 0.01 });
    expect(Array.from(u)).toEqual([0, 2, 0]);
  });

  it("applies the temperature as p^(1/T), renormalisation aside", () => {
    const w = Float64Array.of(0.5, 0.25, 0.25, 0);
    decodeInPlace(w, { temperature: 0.5, topK: 0, topP: 1 });
    const p = normalize(w);
    expect(p[0]).toBeCloseTo(0.25 / 0.375, 14);
    expect(p[1]).toBeCloseTo(0.0625 / 0.375, 14);
    expect(p[3]).toBe(0);
    // A tiny temperature does not underflow everything: the maximum stays 1.
    const z = Float64Array.of(1e-300, 2e-300);
    decodeInPlace(z, { temperature: 0.01, topK: 0, topP: 1 });
    expect(z[1]).toBe(1);
  });

  it("agrees with a sort-based reference on random weights with ties, also on a segment", () => {
    const rng = new Rng("decode");
    for (let t = 0; t < 300; t++) {
      const k = 1 + rng.below(60);
      const w = Array.from({ length: k }, () => (rng.random() < 0.2 ? 0 : 1 + rng.below(8)));
      w[rng.below(k)] = 4;
      const d: Decoding = {
        temperature: [1, 0.7, 2][rng.below(3)]!,
        topK: rng.random() < 0.5 ? 0 : 1 + rng.below(k),
        topP: rng.random() < 0.3 ? 1 : 0.05 + 0.9 * rng.random(),
      };
      const padded = new Float64Array(k + 4).fill(7);
      padded.set(w, 2);
      decodeInPlace(padded, d, 2, 2 + k);
      const want = slowDecode(w, d);
      for (let i = 0; i < k; i++) expect(padded[2 + i]).toBeCloseTo(want[i]!, 12);
      expect([padded[0], padded[1], padded[k + 2], padded[k + 3]]).toEqual([7, 7, 7, 7]);
    }
  });

  it("agrees with the reference on long vectors (the sampled-pivot selection path)", () => {
    const rng = new Rng("decode-long");
    for (let t = 0; t < 6; t++) {
      const k = 2000 + rng.below(3000);
      const w = Array.from({ length: k }, () => (rng.random() < 0.1 ? 0 : Math.floor(1 / (0.001 + rng.random()))));
      const d: Decoding = { temperature: 1, topK: t % 2 === 0 ? 0 : 1 + rng.below(k), topP: 0.2 + 0.75 * rng.random() };
      const x = Float64Array.from(w);
      decodeInPlace(x, d);
      const want = slowDecode(w, d);
      for (let i = 0; i < k; i++) expect(x[i]).toBe(want[i]);
    }
  });
});
