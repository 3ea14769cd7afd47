/**
 * Standard normal variates by a 128-layer ziggurat (Marsaglia & Tsang, "The Ziggurat Method for
 * Generating Random Variables", J. Stat. Softw. 5(8), 2000) that spends ONE 32-bit draw on the
 * fast path (97.2% of variates: Σᵢ x_{i+1}/x_i / 128):
 *
 *   bits 0–6   layer i (128 layers of equal area v)
 *   bit  7     sign
 *   bits 8–31  u, a 24-bit uniform position within the layer: |z| = u · x_i / 2²⁴
 *
 * Marsaglia–Tsang's RNOR uses the low 7 bits of the same word both as the layer and as part of
 * the position, which correlates the two (J. A. Doornik, "An improved ziggurat method to generate
 * normal random samples", 2005); here the bit fields are disjoint, so layer, sign and position
 * are independent. Points outside a layer's inner rectangle go through the exact wedge test, and
 * the base layer's overhang (|z| > r) through Marsaglia's exact exponential tail method, both with
 * `src.random()`. The only approximation is the 24-bit grid of positions within a layer (spacing
 * x_i/2²⁴ ≤ 2.2e-7), far below anything a sample of realistic size can see.
 */
import { normalCdf, normalQuantile } from "./normal.js";
import { Rng } from "./rng.js";
import type { UniformSource } from "./uniform.js";

/**
 * r: the right edge of the base layer, where the tail begins; v: the common area of the 128
 * layers (base layer = rectangle [0, r] × [0, f(r)] plus the tail beyond r), for the unnormalised
 * density f(x) = exp(−x²/2). Both from Marsaglia & Tsang (2000), solving the 128-layer closure
 * condition (the top layer ends exactly at f = 1).
 */
const R = 3.442619855899;
const V = 9.91256303526217e-3;
const LAYERS = 128;
const TWO_POW_24 = 16777216;

/**
 * X[i]: right edge of layer i (X[0] = v/f(r), the width a rectangle of area v would have, so the
 * base layer's uniform position maps onto rectangle + tail; X[1] = r; X[128] = 0).
 * F[i] = f(X[i]) (F[128] = 1). Layer i spans heights [F[i], F[i+1]] and width X[i].
 * KN[i] = ⌊2²⁴·X[i+1]/X[i]⌋: u < KN[i] means the point lies in the part of layer i entirely under
 * the curve (inside the layer above's width), accepted with no further test.
 * WS[s·128 + i] = ±X[i]/2²⁴ (sign from bit 7), turning u into |z| with one multiply and no branch.
 */
const X = new Float64Array(LAYERS + 1);
const F = new Float64Array(LAYERS + 1);
const KN = new Int32Array(LAYERS);
const WS = new Float64Array(2 * LAYERS);
{
  const fr = Math.exp(-0.5 * R * R);
  X[0] = V / fr;
  X[1] = R;
  for (let i = 1; i < LAYERS - 1; i++) {
    const xi = X[i]!;
    X[i + 1] = Math.sqrt(-2 * Math.log(V / xi + Math.exp(-0.5 * xi * xi)));
  }
  X[LAYERS] = 0;
  for (let i = 0; i <= LAYERS; i++) F[i] = Math.exp(-0.5 * X[i]! * X[i]!);
  for (let i = 0; i < LAYERS; i++) {
    KN[i] = Math.floor(TWO_POW_24 * (X[i + 1]! / X[i]!));
    WS[i] = X[i]! / TWO_POW_24;
    WS[i + LAYERS] = -X[i]! / TWO_POW_24;
  }
}

/** @internal The tables, for the test that holds the squeezes below to the exact test. */
export const zigguratTables = { R, X, F, KN, WS } as const;

/**
 * Squeezes for the wedge test, whose exp(−x²/2) is the costliest step of a slow variate. Over a
 * layer's wedge, x ∈ [X[i+1], X[i]], f is convex where x ≥ 1 and concave where x ≤ 1. There the
 * chord through the layer's two corners lies on one side of f (above where convex, below where
 * concave), and the tangent at the layer's middle on the other. Lines a + b·x:
 * LOWER_A/LOWER_B below f, UPPER_A/UPPER_B above it. The layer that holds x = 1, and layer 0,
 * whose overhang is the tail, get lines at ∓Infinity that decide nothing.
 *
 * A point more than SQUEEZE_MARGIN below the lower line is under f, and one more than
 * SQUEEZE_MARGIN above the upper line is over it. The margin is far beyond the rounding of the
 * lines and of exp (about 10⁻¹⁶ here, where f ≥ F[1] ≈ 0.0027), so each decision the lines make
 * is the one the exact test would make, and the variates are the same (tested on 2·10⁷ draws
 * against the exact test alone). Measured: 92.5% of wedge points are decided by the lines,
 * 10⁶ variates take about 0.4 ms less, and building the lines takes 0.1 ms at start-up.
 */
const SQUEEZE_MARGIN = 1e-12;
const LOWER_A = new Float64Array(LAYERS).fill(-Infinity);
const LOWER_B = new Float64Array(LAYERS);
const UPPER_A = new Float64Array(LAYERS).fill(Infinity);
const UPPER_B = new Float64Array(LAYERS);
for (let i = 1; i < LAYERS; i++) {
  const near = X[i + 1]!;
  const far = X[i]!;
  const convex = near >= 1;
  if (!convex && far > 1) continue;
  const chordB = (F[i]! - F[i + 1]!) / (far - near);
  const chordA = F[i + 1]! - chordB * near;
  // The tangent at the layer's middle. A tangent anywhere in the layer bounds f; across one
  // layer f is close to a parabola, whose tangent at the middle is the one parallel to the chord,
  // which leaves the thinnest sliver between the lines. Nothing here is iterated: these tables are
  // built at every start.
  const t = (near + far) / 2;
  const ft = Math.exp(-0.5 * t * t);
  const tangentB = -t * ft;
  const tangentA = ft - tangentB * t;
  LOWER_A[i] = convex ? tangentA : chordA;
  LOWER_B[i] = convex ? tangentB : chordB;
  UPPER_A[i] = convex ? chordA : tangentA;
  UPPER_B[i] = convex ? chordB : tangentB;
}

/**
 * Finishes a variate whose first draw `b` missed the fast path: wedge test, tail, or a fresh
 * draw. Kept out of line so the callers' loops stay small enough for V8 to inline the fast path.
 */
function slowNormal(src: UniformSource, b: number): number {
  for (;;) {
    const i = b & 127;
    const w = WS[b & 255]!;
    const z = (b >>> 8) * w;
    const az = Math.abs(z);
    // KN is rounded down, so a point just inside the inner rectangle can land here: accept it.
    if (az < X[i + 1]!) return z;
    if (i === 0) {
      // Marsaglia (1964): for x = −ln(U₁)/r, y = −ln(U₂), accepting 2y > x² makes r + x exactly
      // the normal tail beyond r. 1 − random() lies in (0, 1], so the logs are finite.
      let x: number;
      let y: number;
      do {
        x = -Math.log(1 - src.random()) / R;
        y = -Math.log(1 - src.random());
      } while (y + y <= x * x);
      return w < 0 ? -(R + x) : R + x;
    }
    // Wedge: the point's height is uniform on [F[i], F[i+1]]; accept it under the curve, which
    // the squeezes decide for most points without exp.
    const y = F[i]! + src.random() * (F[i + 1]! - F[i]!);
    if (y < LOWER_A[i]! + LOWER_B[i]! * az - SQUEEZE_MARGIN) return z;
    if (y <= UPPER_A[i]! + UPPER_B[i]! * az + SQUEEZE_MARGIN && y < Math.exp(-0.5 * az * az)) return z;
    b = src.nextUint32();
    if (b >>> 8 < KN[b & 127]!) return (b >>> 8) * WS[b & 255]!;
  }
}

/**
 * V8 optimises a hot loop for the branches it has seen taken. A branch first taken after that
 * (the tail: one variate in about 3,000) throws the optimised code away, and the loop runs as
 * bytecode until V8 has compiled it again, 12–15 ms later: much of a short run. So each of
 * slowNormal's branches — the tail on either side, the wedge accepted and refused, the fresh draw
 * — is taken here, at load, on a throwaway stream that nothing else reads. 1,800 fills of
 * 100 variates (the default `sim`'s) in a fresh process: 14–18 ms instead of 19–40.
 */
{
  const warmUp = new Rng("ziggurat warm-up");
  // u at its largest (bits 8–31 all set): the tail in layer 0, beyond X[1] = r, on both sides;
  // the wedge in the layers above, at its far edge (mostly refused by the upper line) and at its
  // near edge (mostly accepted by the lower line), and between the lines by their own draws.
  // Four rounds: V8 records what a function sees only once it has run a while (its feedback is
  // allocated lazily), so the first calls' branches would go unrecorded.
  for (let round = 0; round < 4; round++) {
    for (let layer = 0; layer < 24; layer++) {
      for (const u of [0xffffff, KN[layer]! + 1]) {
        for (const sign of [0, 128]) slowNormal(warmUp, u * 256 + sign + layer);
      }
    }
  }
}

/**
 * One standard normal variate Z ~ N(0, 1) from the 128-layer one-draw ziggurat (see module doc).
 * Consumes one `nextUint32()` on the fast path; the same draws as `fillNormal` with mu = 0,
 * sigma = 1, so the two produce identical sequences. Never throws.
 *
 * @example normal(new Rng("x")) // a number, on average 0 with variance 1
 */
export function normal(src: UniformSource): number {
  const b = src.nextUint32();
  if (b >>> 8 < KN[b & 127]!) return (b >>> 8) * WS[b & 255]!;
  return slowNormal(src, b);
}

function checkFill(fn: string, out: Float64Array, mu: number, sigma: number, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > out.length) {
    throw new RangeError(`${fn}: n must be an integer in [0, ${out.length}], got ${n}`);
  }
  if (!Number.isFinite(mu)) throw new RangeError(`${fn}: mu must be finite, got ${mu}`);
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`${fn}: sigma must be finite and ≥ 0, got ${sigma}`);
  }
}

/**
 * Fills out[0..n) with independent draws of N(mu, sigma²): out[j] = mu + sigma·Z_j, the Z_j
 * from the one-draw ziggurat (see module doc). Returns `out`.
 *
 * Preconditions: 0 ≤ n ≤ out.length (integer), mu finite, sigma finite and ≥ 0.
 * Throws RangeError otherwise.
 *
 * @example fillNormal(new Float64Array(1000), rng, 0, 1)
 */
export function fillNormal(out: Float64Array, src: UniformSource, mu = 0, sigma = 1, n: number = out.length): Float64Array {
  checkFill("fillNormal", out, mu, sigma, n);
  if (src instanceof Rng) return fillNormalFromRng(out, src, mu, sigma, n);
  // Most of a Gaussian simulation's time is this loop. The fast path is written out inline, and
  // the rare slow path is called from outside the inner loop: with the call inside it, the loop
  // measured ~2.5 ns slower per draw (of ~8). Draws are consumed in the same order as by
  // repeated normal() calls.
  let j = 0;
  while (j < n) {
    let b = 0;
    for (; j < n; j++) {
      b = src.nextUint32();
      const u = b >>> 8;
      if (u >= KN[b & 127]!) break;
      out[j] = mu + sigma * (u * WS[b & 255]!);
    }
    if (j < n) out[j++] = mu + sigma * slowNormal(src, b);
  }
  return out;
}

/**
 * fillNormal for this package's own generator: the same draws, in the same order, with its
 * xorgens step (Rng.nextUint32) written out and the state held in local variables. A call per
 * draw loads and stores the state through the object: 8 ns a variate against 5.3 here (10⁶ at a
 * time). The state is written back before the rare slow path, which draws through the Rng itself,
 * and read again after it.
 */
function fillNormalFromRng(out: Float64Array, rng: Rng, mu: number, sigma: number, n: number): Float64Array {
  const x = rng.x;
  let i = rng.i;
  let w = rng.w;
  let j = 0;
  while (j < n) {
    let b = 0;
    for (; j < n; j++) {
      // Rng.nextUint32, step for step. Written out rather than shared: the same step as a
      // function of (x, i) measured about 8% slower in this loop, and nextUint32 slower too.
      w = (w + 0x61c88647) | 0;
      let v = x[(i + 34) & 127]!;
      i = (i + 1) & 127;
      let t = x[i]!;
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v = x[i] = v ^ t;
      // nextUint32's word, kept as a signed 32-bit integer: the same 32 bits, and every use
      // below (>>> 8, & 127, & 255, and slowNormal's) reads bits alone. `>>> 0` would make it
      // an unsigned value, which V8 widens in this loop: 5.7 against 4.8 ns a variate.
      b = (v + (w ^ (w >>> 16))) | 0;
      const u = b >>> 8;
      if (u >= KN[b & 127]!) break;
      out[j] = mu + sigma * (u * WS[b & 255]!);
    }
    if (j < n) {
      rng.i = i;
      rng.w = w;
      out[j++] = mu + sigma * slowNormal(rng, b);
      i = rng.i;
      w = rng.w;
    }
  }
  rng.i = i;
  rng.w = w;
  return out;
}

/**
 * Fills out[0..n) with independent draws of N(mu, sigma²) conditioned on |X − mu| ≤ k·sigma
 * (the "truncate" sampling distortion). Returns `out`. Its variance is
 * sigma²·(1 − 2kφ(k)/(2Φ(k) − 1)).
 *
 * For k ≥ 0.5, rejection of ziggurat variates (acceptance 2Φ(k) − 1 ≥ 0.38, so ≤ 2.6 draws per
 * value). For k < 0.5 rejection would waste most draws, so inverse-CDF sampling instead:
 * Z = Φ⁻¹(Φ(−k) + U·(Φ(k) − Φ(−k))), clamped to [−k, k] against rounding. k = Infinity is
 * plain `fillNormal` (the same draws).
 *
 * Preconditions: k > 0 (Infinity allowed), 0 ≤ n ≤ out.length (integer), mu finite, sigma finite
 * and ≥ 0. Throws RangeError otherwise.
 *
 * @example fillTruncatedNormal(new Float64Array(1000), rng, 0, 1, 2) // all within [−2, 2]
 */
export function fillTruncatedNormal(out: Float64Array, src: UniformSource, mu: number, sigma: number, k: number, n: number = out.length): Float64Array {
  checkFill("fillTruncatedNormal", out, mu, sigma, n);
  if (!(k > 0)) throw new RangeError(`fillTruncatedNormal: k must be > 0, got ${k}`);
  if (k === Infinity) return fillNormal(out, src, mu, sigma, n);
  if (k < 0.5) {
    const lo = normalCdf(-k);
    const width = normalCdf(k) - lo;
    for (let j = 0; j < n; j++) {
      let z = normalQuantile(lo + src.random() * width);
      z = z < -k ? -k : Math.min(z, k);
      out[j] = mu + sigma * z;
    }
    return out;
  }
  // Same loop shape as fillNormal (slow path outside the inner loop); a rejected variate just
  // does not advance j.
  let j = 0;
  while (j < n) {
    let b = 0;
    while (j < n) {
      b = src.nextUint32();
      const u = b >>> 8;
      if (u >= KN[b & 127]!) break;
      const z = u * WS[b & 255]!;
      if (z <= k && z >= -k) out[j++] = mu + sigma * z;
    }
    if (j < n) {
      const z = slowNormal(src, b);
      if (z <= k && z >= -k) out[j++] = mu + sigma * z;
    }
  }
  return out;
}
