/** Closed forms shared by the continuous models (DESIGN §3–4). */
import { normalPdf, normalCdf } from "../stats/normal.js";

/** The suffix of a tail metric: k = 2 → "2", k = 2.5 → "2p5" (names must be expression identifiers). */
export function tailSuffix(k: number): string {
  return String(k).replace(".", "p");
}

export interface TailNames {
  readonly mass: string;
  readonly centered: string;
  readonly loss: string;
}

/** The three tail metric names of each k of --tail-k. */
export function tailNames(tailK: readonly number[]): TailNames[] {
  return tailK.map((k) => {
    const s = tailSuffix(k);
    return { mass: `tail_mass_${s}`, centered: `tail_mass_centered_${s}`, loss: `tail_loss_${s}` };
  });
}

/** Tail metric names for each k of --tail-k, in output order. */
export function tailMetricNames(tailK: readonly number[]): string[] {
  return tailNames(tailK).flatMap((t) => [t.mass, t.centered, t.loss]);
}

/** W2 between N(μ1,σ1²) and N(μ2,σ2²) = √((μ1−μ2)² + (σ1−σ2)²). */
export function gaussianW2(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  return Math.hypot(mu1 - mu2, sigma1 - sigma2);
}

/** KL(N(μ1,σ1²) ‖ N(μ2,σ2²)) = ln(σ2/σ1) + (σ1² + (μ1−μ2)²)/(2σ2²) − ½, in nats. */
export function gaussianKl(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  const d = mu1 - mu2;
  return Math.log(sigma2 / sigma1) + (sigma1 * sigma1 + d * d) / (2 * sigma2 * sigma2) - 0.5;
}

/**
 * Variance of N(0,1) truncated to [−k, k]: v_k = 1 − 2kφ(k)/(2Φ(k)−1). Sampling with --truncate k
 * multiplies each generation's expected variance by v_k (DESIGN §4).
 */
export function truncationFactor(k: number): number {
  return 1 - (2 * k * normalPdf(k)) / (2 * normalCdf(k) - 1);
}
