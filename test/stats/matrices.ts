/** Reference matrix helpers of the linear-algebra tests in test/stats (not a test file itself). */
import type { Rng } from "../../src/stats/rng.js";
import { fillNormal } from "../../src/stats/ziggurat.js";

/** The obvious references: triple-loop products and a random SPD matrix A = B·Bᵀ + d·I. */
export function matmul(a: Float64Array, b: Float64Array, d: number, transposeB = false): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[i * d + k]! * (transposeB ? b[j * d + k]! : b[k * d + j]!);
      out[i * d + j] = s;
    }
  }
  return out;
}
export function randomSpd(rng: Rng, d: number): Float64Array {
  const b = fillNormal(new Float64Array(d * d), rng);
  const a = matmul(b, b, d, true);
  for (let i = 0; i < d; i++) a[i * d + i]! += d;
  return a;
}
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
