/**
 * Exact binomial and multinomial variates, so a categorical generation of M draws over K
 * categories costs O(K) binomials instead of M categorical draws (ARCHITECTURE §2).
 */
import type { UniformSource } from "./uniform.js";

/** Largest n accepted: counts stay exact integers and far inside the double range. */
const MAX_N = 2147483648; // 2^31

/** Below this mean (of the smaller of p, 1 − p) inversion is cheapest; BTPE needs ≥ 10. */
const INVERSION_LIMIT = 10;

/**
 * Inversion by sequential search from 0 (Kachitvichyanukul & Schmeiser's BINV): expected
 * n·p + 1 steps. The pmf is built by the recurrence f(x) = f(x−1)·(n−x+1)/x·p/q. If rounding
 * leaves the uniform beyond the whole computed mass (the pmf underflows first), the draw is
 * repeated — so, unlike numpy's version, nothing is truncated at a fixed bound.
 */
function inversion(src: UniformSource, n: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  // (1 − p)^n via log1p: for n = 2^31 and p = 1e-9, exp(n·log(q)) would be off by 1e-7.
  const f0 = Math.exp(n * Math.log1p(-p));
  for (;;) {
    let u = src.random();
    let f = f0;
    for (let x = 0; x <= n; ) {
      if (u < f) return x;
      u -= f;
      x++;
      f *= ((n - x + 1) * s) / x;
      if (f === 0) break;
    }
  }
}

/** Stirling's correction to ln Γ(x): δ(x) = 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹). */
function stirlingCorrection(x: number): number {
  const x2 = x * x;
  return (13860 - (462 - (132 - (99 - 140 / x2) / x2) / x2) / x2) / x / 166320;
}

/**
 * BTPE ("Binomial, Triangle, Parallelogram, Exponential"): V. Kachitvichyanukul and
 * B. W. Schmeiser, "Binomial random variate generation", Comm. ACM 31(2), 1988, 216–222.
 * Rejection from a hat made of a triangle, a parallelogram and two exponential tails; exact.
 * Requires p ≤ 1/2 and n·p ≥ 10.
 *
 * Two known slips in the published final test (and in numpy's copy) are corrected here: the
 * Stirling term's leading constant is 13860 (= 166320/12), not 13680, and the corrections of
 * ln y! and ln (n−y)! enter with a minus sign: ln f(y)/f(m) = ln m! + ln (n−m)! − ln y! − ln (n−y)!
 * + (y−m)·ln(p/q).
 */
function btpe(src: UniformSource, n: number, p: number): number {
  const q = 1 - p;
  const npq = n * p * q;
  const fm = n * p + p;
  const m = Math.floor(fm); // the mode
  // Set-up (Step 0): triangle half-width p1, centre xm, parallelogram [xl, xr], tail rates.
  const p1 = Math.floor(2.195 * Math.sqrt(npq) - 4.6 * q) + 0.5;
  const xm = m + 0.5;
  const xl = xm - p1;
  const xr = xm + p1;
  const c = 0.134 + 20.5 / (15.3 + m);
  let a = (fm - xl) / (fm - xl * p);
  const laml = a * (1 + a / 2);
  a = (xr - fm) / (xr * q);
  const lamr = a * (1 + a / 2);
  const p2 = p1 * (1 + 2 * c);
  const p3 = p2 + c / laml;
  const p4 = p3 + c / lamr;

  for (;;) {
    // Step 1: the triangle, accepted outright (most draws).
    const u = src.random() * p4;
    let v = src.random();
    if (u <= p1) return Math.floor(xm - p1 * v + u);
    let y: number;
    if (u <= p2) {
      // Step 2: the parallelograms.
      const x = xl + (u - p1) / c;
      v = v * c + 1 - Math.abs(m - x + 0.5) / p1;
      if (v > 1) continue;
      y = Math.floor(x);
    } else if (u <= p3) {
      // Step 3: left exponential tail.
      y = Math.floor(xl + Math.log(v) / laml);
      if (y < 0) continue;
      v = v * (u - p2) * laml;
    } else {
      // Step 4: right exponential tail.
      y = Math.floor(xr - Math.log(v) / lamr);
      if (y > n) continue;
      v = v * (u - p3) * lamr;
    }
    const k = Math.abs(y - m);
    if (k <= 20 || k >= npq / 2 - 1) {
      // Step 5.1: f(y)/f(m) by the pmf recurrence — cheap near the mode.
      const s = p / q;
      const as = s * (n + 1);
      let f = 1;
      if (m < y) for (let i = m + 1; i <= y; i++) f *= as / i - s;
      else if (m > y) for (let i = y + 1; i <= m; i++) f /= as / i - s;
      if (v <= f) return y;
      continue;
    }
    // Step 5.2: squeeze on ln v around the normal approximation −k²/(2npq).
    const rho = (k / npq) * ((k * (k / 3 + 0.625) + 1 / 6) / npq + 0.5);
    const t = (-k * k) / (2 * npq);
    const lv = Math.log(v);
    if (lv < t - rho) return y;
    if (lv > t + rho) continue;
    // Step 5.3: the final test against ln f(y)/f(m) by Stirling's formula.
    const x1 = y + 1;
    const f1 = m + 1;
    const z = n + 1 - m;
    const w = n - y + 1;
    const bound =
      xm * Math.log(f1 / x1) +
      (n - m + 0.5) * Math.log(z / w) +
      (y - m) * Math.log((w * p) / (x1 * q)) +
      stirlingCorrection(f1) +
      stirlingCorrection(z) -
      stirlingCorrection(x1) -
      stirlingCorrection(w);
    if (lv <= bound) return y;
  }
}

/**
 * One draw of X ~ Binomial(n, p): P(X = x) = C(n, x)·pˣ·(1 − p)ⁿ⁻ˣ, exactly (no normal or
 * Poisson approximation). With r = min(p, 1 − p) (and X ↦ n − X when p > ½): inversion when
 * n·r < 10, else BTPE (Kachitvichyanukul & Schmeiser 1988). n = 0, p = 0 and p = 1 give 0, 0
 * and n without drawing.
 *
 * Preconditions: n an integer in [0, 2³¹], p in [0, 1]. Throws RangeError otherwise.
 *
 * @example binomial(rng, 100, 0.3) // 30 on average, variance 21
 */
export function binomial(src: UniformSource, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_N) {
    throw new RangeError(`binomial: n must be an integer in [0, 2^31], got ${n}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial: p must be in [0, 1], got ${p}`);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  if (p <= 0.5) return n * p < INVERSION_LIMIT ? inversion(src, n, p) : btpe(src, n, p);
  const q = 1 - p;
  return n - (n * q < INVERSION_LIMIT ? inversion(src, n, q) : btpe(src, n, q));
}

/**
 * One draw of (X₀, …, X_{K−1}) ~ Multinomial(n; π), πᵢ = probs[i]/Σprobs (probs need not be
 * normalised), written into out[0..K) (K = probs.length) and returned; entries of out beyond K
 * are untouched. Exact, by conditional binomials in O(K):
 *
 *   Xᵢ | X₀…Xᵢ₋₁ ~ Binomial(n − Σ_{j<i} Xⱼ,  probs[i] / Σ_{j≥i} probs[j]).
 *
 * The tail sums Σ_{j≥i} are accumulated backwards (into `out` itself, before it is overwritten),
 * not by subtracting from the total, which would cancel catastrophically once most mass is
 * spent. The last category with positive weight takes the remainder, so the counts always sum to
 * n, and a zero-weight category always gets 0.
 *
 * Preconditions: n an integer in [0, 2³¹]; probs finite, ≥ 0, not all zero; out.length ≥ K.
 * Throws RangeError otherwise.
 *
 * @example multinomialCounts(rng, 100, Float64Array.of(1, 1, 2), new Float64Array(3)) // e.g. [24, 27, 49]
 */
export function multinomialCounts(src: UniformSource, n: number, probs: Float64Array, out: Float64Array): Float64Array {
  const k = probs.length;
  if (!Number.isInteger(n) || n < 0 || n > MAX_N) {
    throw new RangeError(`multinomialCounts: n must be an integer in [0, 2^31], got ${n}`);
  }
  if (out.length < k) throw new RangeError(`multinomialCounts: out has length ${out.length}, needs ${k}`);
  let tail = 0;
  let last = -1;
  for (let i = k - 1; i >= 0; i--) {
    const w = probs[i]!;
    if (!(w >= 0) || w === Infinity) {
      throw new RangeError(`multinomialCounts: probs must be finite and ≥ 0, got ${w} at ${i}`);
    }
    if (last < 0 && w > 0) last = i;
    tail += w;
    out[i] = tail;
  }
  if (last < 0 || tail === Infinity) throw new RangeError("multinomialCounts: probs must have a positive finite sum");
  let left = n;
  for (let i = 0; i < last; i++) {
    const w = probs[i]!;
    const mass = out[i]!;
    let x = 0;
    if (left > 0 && w > 0) x = binomial(src, left, w >= mass ? 1 : w / mass);
    out[i] = x;
    left -= x;
  }
  out[last] = left;
  for (let i = last + 1; i < k; i++) out[i] = 0;
  return out;
}
