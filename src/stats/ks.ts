/**
 * The one-sample Kolmogorov–Smirnov test: the statistic D = sup_x |F_n(x) − F(x)| of a sample
 * against a continuous CDF F, and its p-value from the asymptotic Kolmogorov distribution.
 *
 * The statistic works on u_i = F(x_i): F is monotone, so sorting the u_i sorts the sample, and
 *   D = max_i max(i/n − u_(i), u_(i) − (i−1)/n)
 * (1-based i). Tied values are handled: the empirical CDF jumps by the whole tie group, and the
 * maximum over the group's indices reaches both ends of the jump.
 *
 * The p-value is P(K > (√n + 0.12 + 0.11/√n)·D), K the Kolmogorov distribution — Stephens' (1970)
 * small-n correction of the asymptotic law √n·D → K, accurate to a few per cent of p for n ≥ 5.
 * It assumes F is fixed in advance. When F was fitted to the same sample (as collapse's generation
 * 0 is), D is stochastically smaller and this p-value is conservative: too large (Lilliefors
 * 1967). A small p-value is then all the stronger evidence of a poor fit.
 */

/** D of the sample whose CDF values are `u` (u_i = F(x_i)); sorts `u` in place. NaN for an empty sample. */
export function ksStatistic(u: Float64Array): number {
  const n = u.length;
  if (n === 0) return Number.NaN;
  u.sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = u[i]!;
    const above = (i + 1) / n - f;
    const below = f - i / n;
    if (above > d) d = above;
    if (below > d) d = below;
  }
  return d;
}

/**
 * The Kolmogorov distribution's upper tail Q(λ) = P(K > λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}.
 * Below λ = 1.18 that series converges slowly, and the equivalent (Jacobi theta) form
 * P(K ≤ λ) = (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)} is used instead; four terms of either give
 * full double precision on its side of the switch.
 */
export function kolmogorovSf(lambda: number): number {
  if (Number.isNaN(lambda)) return Number.NaN;
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    const y = Math.exp(-(Math.PI * Math.PI) / (8 * lambda * lambda));
    const y8 = y ** 8;
    const cdf = (Math.sqrt(2 * Math.PI) / lambda) * y * (1 + y8 * (1 + y8 * y8 * (1 + y8 * y8 * y8)));
    return Math.min(1, Math.max(0, 1 - cdf));
  }
  const x = Math.exp(-2 * lambda * lambda);
  return Math.min(1, Math.max(0, 2 * (x - x ** 4 + x ** 9 - x ** 16)));
}

/** The p-value of D from a sample of n (see the module comment: Stephens' correction; approximate). */
export function ksPValue(d: number, n: number): number {
  if (!(n > 0) || Number.isNaN(d)) return Number.NaN;
  const root = Math.sqrt(n);
  return kolmogorovSf((root + 0.12 + 0.11 / root) * d);
}
