/**
 * Metrics of a discrete distribution against generation 0 (ARCHITECTURE §3), shared by the categorical
 * model and the n-gram model's unigram table, and the definition of the rare set R.
 *
 * Every distribution here is a Float64Array over the K categories of generation 0, in their fixed
 * order; a category that dies keeps its slot with probability 0.
 */
import type { Metrics, SeedFit } from "./model.js";
import { MAX_SIZE, type OptionSpec } from "./option.js";

/** Options every discrete model takes (categorical, ngram): the decoding distortions and the rare set. */
export interface DiscreteOptions {
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly tailFraction: number;
}

export const DISCRETE_OPTIONS: readonly OptionSpec<keyof DiscreteOptions>[] = [
  {
    key: "temperature",
    flag: "temperature",
    type: "number",
    arg: "T",
    above: 0,
    max: 100,
    group: "sampling",
    default: 1,
    description: "sample from p^(1/T), renormalised",
    describe: (t: number) => (t === 1 ? null : `T=${t}`),
  },
  {
    key: "topK",
    flag: "top-k",
    type: "int",
    arg: "K",
    min: 0,
    max: MAX_SIZE,
    group: "sampling",
    default: 0,
    description: "keep only the K most likely categories/tokens, 0 = all",
    describe: (k: number) => (k > 0 ? `top-k ${k}` : null),
  },
  {
    key: "topP",
    flag: "top-p",
    type: "number",
    arg: "P",
    above: 0,
    max: 1,
    group: "sampling",
    default: 1,
    description: "keep the smallest set of most likely outcomes with mass >= P",
    describe: (p: number) => (p < 1 ? `top-p ${p}` : null),
  },
  {
    key: "tailFraction",
    flag: "tail-fraction",
    type: "number",
    arg: "F",
    above: 0,
    below: 1,
    group: "metrics",
    default: 0.1,
    description: "the rare set holds this share of generation 0's mass",
  },
];

/** The discrete metric names, in output order. */
export const DISCRETE_METRICS = [
  "support",
  "extinct",
  "support_ratio",
  "entropy",
  "gini_simpson",
  "tv",
  "js",
  "tail_mass",
  "tail_loss",
  "tail_support",
] as const;

/** Generation 0 as every discrete metric needs it. */
export interface DiscreteReference {
  /** p0, normalised. */
  readonly p0: Float64Array;
  /** Categories with p0 > 0. */
  readonly support0: number;
  /** Indices of the rare set R (see `rareSet`), ascending. */
  readonly rare: Int32Array;
  /** P0(R). */
  readonly tailMass0: number;
  /** Indices of the categories alive at generation 0 (p0 > 0), ascending: the ones that can die. */
  readonly alive0: Int32Array;
}

/** p = w / Σw as a new array. Throws RangeError if Σw is not positive and finite. */
export function normalize(weights: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  if (!(total > 0) || total === Infinity) throw new RangeError(`normalize: weights must have a positive finite sum, got ${total}`);
  const p = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) p[i] = weights[i]! / total;
  return p;
}

/**
 * The rare set R of a distribution p0: the rarest categories holding at most `fraction` of the
 * mass, taken in whole tie groups — R = {i : 0 < p0ᵢ ≤ t}, with t the largest probability value
 * such that Σ_{p0ⱼ ≤ t} p0ⱼ ≤ fraction. Ties are never split (which of two equally rare categories
 * is "rarer" would be arbitrary). If even the rarest tie group holds more than `fraction`, R is
 * that group alone, so R is never empty. Returns the indices in ascending order.
 *
 * O(K log K) once per run (a typed-array sort of the values), never in the generation loop.
 *
 * @example rareSet(Float64Array.of(0.5, 0.05, 0.3, 0.05, 0.1), 0.1) // [1, 3]
 */
export function rareSet(p0: Float64Array, fraction: number): Int32Array {
  const values = p0.filter((x) => x > 0).sort();
  if (values.length === 0) throw new RangeError("rareSet: p0 has no positive entry");
  let threshold = values[0]!;
  let mass = 0;
  for (let i = 0; i < values.length; ) {
    // One tie group at a time: either all of it joins R or none.
    const v = values[i]!;
    let j = i;
    let group = 0;
    while (j < values.length && values[j] === v) group += values[j++]!;
    if (mass + group > fraction && i > 0) break;
    mass += group;
    threshold = v;
    i = j;
    if (mass > fraction) break;
  }
  const out: number[] = [];
  for (let i = 0; i < p0.length; i++) if (p0[i]! > 0 && p0[i]! <= threshold) out.push(i);
  return Int32Array.from(out);
}

/** The generation-0 reference of the discrete metrics. */
export function discreteReference(p0: Float64Array, tailFraction: number): DiscreteReference {
  const rare = rareSet(p0, tailFraction);
  let tailMass0 = 0;
  for (let j = 0; j < rare.length; j++) tailMass0 += p0[rare[j]!]!;
  const alive: number[] = [];
  for (let i = 0; i < p0.length; i++) if (p0[i]! > 0) alive.push(i);
  return { p0, support0: alive.length, rare, tailMass0, alive0: Int32Array.from(alive) };
}

/**
 * The discrete metrics of p (normalised, over the same K categories as p0), written into `out`:
 *
 * - support = #{i : pᵢ > 0}; extinct = support0 − support; support_ratio = support / support0;
 * - entropy = −Σ pᵢ log₂ pᵢ (bits); gini_simpson = 1 − Σ pᵢ²;
 * - tv = ½ Σ |pᵢ − p0ᵢ|;
 * - js = ½ Σ pᵢ log₂(pᵢ/mᵢ) + ½ Σ p0ᵢ log₂(p0ᵢ/mᵢ), mᵢ = (pᵢ + p0ᵢ)/2, in bits: finite (≤ 1) when
 *   support is lost, since mᵢ > 0 wherever either term is;
 * - tail_mass = P(R); tail_loss = 1 − tail_mass / P0(R); tail_support = share of R with pᵢ > 0.
 *
 * One O(K) pass; allocates nothing.
 */
export function discreteMetrics(p: Float64Array, ref: DiscreteReference, out: Metrics): Metrics {
  const p0 = ref.p0;
  let support = 0;
  let entropy = 0;
  let squares = 0;
  let tv = 0;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = p0[i]!;
    if (a > 0) {
      support++;
      entropy -= a * Math.log2(a);
      squares += a * a;
    }
    tv += Math.abs(a - b);
    if (a !== b) {
      // Equal entries contribute exactly 0 to JS; skipping them saves the logarithms.
      const m = 0.5 * (a + b);
      if (a > 0) js += a * Math.log2(a / m);
      if (b > 0) js += b * Math.log2(b / m);
    }
  }
  const rare = ref.rare;
  let tailMass = 0;
  let tailAlive = 0;
  for (let j = 0; j < rare.length; j++) {
    const a = p[rare[j]!]!;
    tailMass += a;
    if (a > 0) tailAlive++;
  }
  out.support = support;
  out.extinct = ref.support0 - support;
  out.support_ratio = support / ref.support0;
  out.entropy = entropy;
  out.gini_simpson = 1 - squares;
  out.tv = 0.5 * tv;
  // Rounding can leave −1e-17 where the divergence is 0.
  out.js = Math.max(0, 0.5 * js);
  out.tail_mass = tailMass;
  out.tail_loss = 1 - tailMass / ref.tailMass0;
  out.tail_support = tailAlive / rare.length;
  return out;
}

/** For each category alive at generation 0 (ref.alive0), 1 if pᵢ > 0 now, else 0. */
export function aliveFlags(p: Float64Array, ref: DiscreteReference): Uint8Array {
  const idx = ref.alive0;
  const out = new Uint8Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = p[idx[j]!]! > 0 ? 1 : 0;
  return out;
}

/**
 * The seed fit of a discrete model (ARCHITECTURE §3), from the seed's counts per category (or any
 * weights proportional to them): `categories`, those with a positive count; `rare_categories`, the
 * rarest ⌈fraction·categories⌉ of them (at least one; which of several equally rare categories
 * are taken does not change the share); `rare_share`, the share of the seed they hold. A
 * categorical fit is the seed's own frequencies, so it loses nothing; these say how long the
 * seed's tail is, which is what resampling erodes first.
 */
export function discreteSeedFit(counts: ArrayLike<number>, fraction: number): SeedFit {
  const seen = Float64Array.from(counts).filter((c) => c > 0);
  seen.sort();
  let total = 0;
  for (let i = 0; i < seen.length; i++) total += seen[i]!;
  // 1e-9 keeps a product like 0.1·190 = 19.000000000000004 at 19.
  const rare = Math.min(seen.length, Math.max(1, Math.ceil(fraction * seen.length - 1e-9)));
  let held = 0;
  for (let i = 0; i < rare; i++) held += seen[i]!;
  return { categories: seen.length, rare_categories: rare, rare_share: held / total };
}
