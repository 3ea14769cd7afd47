import { describe, expect, it } from "vitest";
import { frobeniusSquared, symmetricEigen, trace } from "../../src/stats/linalg.js";
import { Rng } from "../../src/stats/rng.js";
import { fillNormal } from "../../src/stats/ziggurat.js";
import { matmul } from "./matrices.js";

describe("trace and Frobenius norm", () => {
  it("are the obvious sums", () => {
    const a = Float64Array.of(1, 2, 3, 4);
    expect(trace(a, 2)).toBe(5);
    expect(frobeniusSquared(a, 2)).toBe(30);
  });
});

describe("symmetricEigen", () => {
  it("diagonalises random symmetric matrices: A·v = λ·v, V orthonormal, Σλ = tr A", () => {
    const rng = new Rng("linalg-eig");
    for (const d of [1, 2, 4, 9]) {
      const b = fillNormal(new Float64Array(d * d), rng);
      const a = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] = b[i * d + j]! + b[j * d + i]!;
      const values = new Float64Array(d);
      const vectors = new Float64Array(d * d);
      symmetricEigen(a, d, values, vectors);
      const av = matmul(a, vectors, d);
      for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) expect(av[i * d + k]!).toBeCloseTo(values[k]! * vectors[i * d + k]!, 10);
      const vtv = matmul(vectors, vectors, d);
      // vectorsᵀ·vectors = I: compute with the transpose on the left.
      const gram = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) gram[i * d + j]! += vectors[k * d + i]! * vectors[k * d + j]!;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(gram[i * d + j]!).toBeCloseTo(i === j ? 1 : 0, 12);
      expect(vtv.length).toBe(d * d);
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace(a, d), 10);
    }
  });

  it("finds the eigenvalues of a known 2×2 matrix and leaves its input alone", () => {
    const a = Float64Array.of(2, 1, 1, 2);
    const values = symmetricEigen(a, 2, new Float64Array(2));
    expect(Array.from(values).sort()).toEqual([1, 3].map((v) => expect.closeTo(v, 14)));
    expect(Array.from(a)).toEqual([2, 1, 1, 2]);
  });
});
