/** Draws of a multivariate Gaussian N(μ, L·Lᵀ) as row-major rows, optionally truncated to a Mahalanobis ball. */
import type { Rng } from "./rng.js";
import { fillNormal, normal } from "./ziggurat.js";

/**
 * n draws of N(μ, L·Lᵀ), appended row-major into out[at·d …]: x = μ + L·z, z standard normal.
 * With `radius` finite, z is redrawn until ‖z‖ ≤ radius (--truncate: a Mahalanobis ball under θ).
 */
export function fillGaussianRows(out: Float64Array, at: number, n: number, mu: Float64Array, l: Float64Array, d: number, radius: number, rng: Rng): void {
  const start = at * d;
  fillNormal(out.subarray(start, start + n * d), rng);
  const r2 = radius * radius;
  for (let i = 0; i < n; i++) {
    const o = start + i * d;
    if (radius !== Infinity) {
      for (;;) {
        let s = 0;
        for (let j = 0; j < d; j++) s += out[o + j]! * out[o + j]!;
        if (s <= r2) break;
        for (let j = 0; j < d; j++) out[o + j] = normal(rng);
      }
    }
    // x_a = μ_a + Σ_{b ≤ a} L_ab z_b, from the last coordinate down so z_b is still unread.
    for (let a = d - 1; a >= 0; a--) {
      let s = mu[a]!;
      for (let b = 0; b <= a; b++) s += l[a * d + b]! * out[o + b]!;
      out[o + a] = s;
    }
  }
}
