import { describe, expect, it } from "vitest";
import { cholesky, logDetCholesky, solveLower, solveLowerMatrix } from "../../src/stats/cholesky.js";
import { Rng } from "../../src/stats/rng.js";
import { fillNormal } from "../../src/stats/ziggurat.js";
import { matmul, maxAbsDiff, randomSpd } from "./matrices.js";

/** det by Gaussian elimination with partial pivoting (independent of Cholesky). */
function detByElimination(a0: Float64Array, d: number): number {
  const a = Float64Array.from(a0);
  let det = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]!) > Math.abs(a[p * d + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < d; k++) [a[c * d + k], a[p * d + k]] = [a[p * d + k]!, a[c * d + k]!];
      det = -det;
    }
    det *= a[c * d + c]!;
    for (let r = c + 1; r < d; r++) {
      const f = a[r * d + c]! / a[c * d + c]!;
      for (let k = c; k < d; k++) a[r * d + k]! -= f * a[c * d + k]!;
    }
  }
  return det;
}

describe("cholesky", () => {
  it("reproduces A = L·Lᵀ with L lower triangular, for random SPD matrices of several sizes", () => {
    const rng = new Rng("linalg-chol");
    for (const d of [1, 2, 3, 5, 12]) {
      const a = randomSpd(rng, d);
      const l = new Float64Array(d * d).fill(7); // garbage in the upper triangle must be cleared
      expect(cholesky(a, d, l)).toBe(true);
      for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(l[i * d + j]).toBe(0);
      // Rounding: ≈ d·2⁻⁵³ relative to the entries (≤ ~3d); 1e-12 is generous.
      expect(maxAbsDiff(matmul(l, l, d, true), a)).toBeLessThan(1e-12 * d * d);
      expect(logDetCholesky(l, d)).toBeCloseTo(Math.log(detByElimination(a, d)), 9);
    }
  });

  it("matches the hand factorisation of a 2×2 example", () => {
    const l = new Float64Array(4);
    expect(cholesky(Float64Array.of(4, 2, 2, 3), 2, l)).toBe(true);
    expect(Array.from(l)).toEqual([2, 0, 1, Math.SQRT2]);
  });

  it("refuses matrices that are not positive definite, including singular ones", () => {
    const l = new Float64Array(4);
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2, l)).toBe(false);
    expect(cholesky(Float64Array.of(1, 1, 1, 1), 2, l)).toBe(false);
    expect(cholesky(Float64Array.of(0, 0, 0, 1), 2, l)).toBe(false);
    expect(cholesky(Float64Array.of(NaN, 0, 0, 1), 2, l)).toBe(false);
  });
});

describe("triangular solves", () => {
  it("solveLower and solveLowerMatrix invert L against the product", () => {
    const rng = new Rng("linalg-solve");
    for (const d of [1, 3, 7]) {
      const l = new Float64Array(d * d);
      cholesky(randomSpd(rng, d), d, l);
      const b = fillNormal(new Float64Array(d), rng);
      const x = solveLower(l, d, b, new Float64Array(d));
      const back = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) back[i]! += l[i * d + k]! * x[k]!;
      expect(maxAbsDiff(back, b)).toBeLessThan(1e-12);
      const bm = fillNormal(new Float64Array(d * d), rng);
      const xm = solveLowerMatrix(l, d, bm, new Float64Array(d * d));
      expect(maxAbsDiff(matmul(l, xm, d), bm)).toBeLessThan(1e-12);
    }
  });
});
