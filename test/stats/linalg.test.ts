import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { sphereDirections } from "../../src/models/mvn.js";
import {
  chiSquareSf,
  chiSquareSfInverse,
  cholesky,
  frobeniusSquared,
  gaussHermite,
  gaussianBallTail,
  logDetCholesky,
  solveLower,
  solveLowerMatrix,
  symmetricEigen,
  trace,
} from "../../src/stats/linalg.js";
import { normalSf } from "../../src/stats/normal.js";
import { fillNormal } from "../../src/stats/ziggurat.js";
import { expectWithin, Z } from "../helpers.js";

/** The obvious references: triple-loop products and a random SPD matrix A = B·Bᵀ + d·I. */
function matmul(a: Float64Array, b: Float64Array, d: number, transposeB = false): Float64Array {
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
function randomSpd(rng: Rng, d: number): Float64Array {
  const b = fillNormal(new Float64Array(d * d), rng);
  const a = matmul(b, b, d, true);
  for (let i = 0; i < d; i++) a[i * d + i]! += d;
  return a;
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
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

  it("trace and Frobenius norm are the obvious sums", () => {
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

describe("gaussHermite", () => {
  it("integrates the normal moments E Z^{2j} = (2j−1)!! exactly up to degree 2n − 1 (checked to degree 21)", () => {
    // Beyond degree ~20 a node's rounding error is raised to the 2j-th power and the check would
    // test floating point rather than the rule.
    for (const n of [5, 16, 32]) {
      const { nodes, weights } = gaussHermite(n);
      let doubleFactorial = 1;
      for (let j = 0; 2 * j <= Math.min(2 * n - 1, 21); j++) {
        if (j > 0) doubleFactorial *= 2 * j - 1;
        let s = 0;
        for (let i = 0; i < n; i++) s += weights[i]! * nodes[i]! ** (2 * j);
        // Rounding grows with the size of the moment: compare relatively.
        expect(Math.abs(s - doubleFactorial) / doubleFactorial).toBeLessThan(1e-10);
        let odd = 0;
        for (let i = 0; i < n; i++) odd += weights[i]! * nodes[i]! ** (2 * j + 1);
        expect(Math.abs(odd)).toBeLessThan(1e-9 * doubleFactorial * (2 * j + 1));
      }
    }
  });
});

describe("chiSquareSf", () => {
  it("matches known quantiles (R: qchisq) and the normal tail for df = 1", () => {
    // qchisq(0.95, df) for df = 1…4 and 10.
    const cases: [number, number, number][] = [
      [3.841458820694124, 1, 0.05],
      [5.991464547107979, 2, 0.05],
      [7.814727903251178, 3, 0.05],
      [9.487729036781154, 4, 0.05],
      [18.30703805327515, 10, 0.05],
    ];
    for (const [y, df, p] of cases) expect(chiSquareSf(y, df) / p).toBeCloseTo(1, 9);
    for (const z of [0.1, 1, 3, 8]) expect(chiSquareSf(z * z, 1) / (2 * normalSf(z))).toBeCloseTo(1, 12);
    expect(chiSquareSf(0, 5)).toBe(1);
    expect(chiSquareSf(Infinity, 5)).toBe(0);
    // Far tails against the textbook closed forms: df = 2 is the exponential e^{−y/2};
    // df = 3: 2Q(√y) + √(2y/π)·e^{−y/2}; df = 4: e^{−y/2}(1 + y/2).
    for (const y of [7, 50, 300]) {
      expect(chiSquareSf(y, 2) / Math.exp(-y / 2)).toBeCloseTo(1, 13);
      expect(chiSquareSf(y, 3) / (2 * normalSf(Math.sqrt(y)) + Math.sqrt((2 * y) / Math.PI) * Math.exp(-y / 2))).toBeCloseTo(1, 12);
      expect(chiSquareSf(y, 4) / (Math.exp(-y / 2) * (1 + y / 2))).toBeCloseTo(1, 12);
    }
  });

  it("is inverted by chiSquareSfInverse", () => {
    for (const df of [1, 2, 3, 7, 50]) {
      for (const q of [0.9, 0.5, 0.0455, 1e-8]) expect(chiSquareSf(chiSquareSfInverse(q, df), df) / q).toBeCloseTo(1, 10);
    }
  });
});

describe("gaussianBallTail", () => {
  const identity = (d: number) => {
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) a[i * d + i] = 1;
    return a;
  };

  it("is the chi-square tail for a centred isotropic Gaussian, exactly, in any dimension", () => {
    for (const d of [1, 2, 3, 6]) {
      const dirs = sphereDirections(d);
      for (const x of [0.5, 4, 11.3]) {
        const got = gaussianBallTail(new Float64Array(d), identity(d), d, x, dirs, new Float64Array(d));
        expect(got / chiSquareSf(x, d)).toBeCloseTo(1, 12);
      }
    }
  });

  it("is the two-sided normal tail in 1-D, off-centre", () => {
    // P(|c + sZ| > r) = Q((r − c)/s) + Q((r + c)/s).
    for (const [c, s, r] of [
      [0.3, 1.2, 2],
      [-2.5, 0.5, 1],
      [4, 1, 2],
    ] as const) {
      const got = gaussianBallTail(Float64Array.of(c), Float64Array.of(s), 1, r * r, sphereDirections(1), new Float64Array(1));
      expect(got).toBeCloseTo(normalSf((r - c) / s) + normalSf((r + c) / s), 13);
    }
  });

  it("agrees with a brute-force Monte Carlo estimate for an off-centre, anisotropic Gaussian in 2-D and 3-D", () => {
    const rng = new Rng("linalg-ball");
    for (const d of [2, 3]) {
      const b = new Float64Array(d * d);
      cholesky(
        randomSpd(rng, d).map((v) => v / (2 * d)),
        d,
        b,
      );
      const c = fillNormal(new Float64Array(d), rng, 0, 0.7);
      const x = 4;
      const got = gaussianBallTail(c, b, d, x, sphereDirections(d), new Float64Array(d));
      const n = 400_000;
      const w = new Float64Array(d);
      let hits = 0;
      for (let i = 0; i < n; i++) {
        fillNormal(w, rng);
        let s = 0;
        for (let a = 0; a < d; a++) {
          let y = c[a]!;
          for (let k = 0; k < d; k++) y += b[a * d + k]! * w[k]!;
          s += y * y;
        }
        if (s > x) hits++;
      }
      const p = hits / n;
      // Binomial SE √(p(1−p)/n) of the Monte Carlo frequency. The 2-D rule is exact to ~1e-12; the
      // 3-D lattice's own error (~1e-3·p) is a bias, not noise, and is allowed on top.
      const se = Math.sqrt((p * (1 - p)) / n);
      expectWithin(got, p, se + (d === 3 ? 2e-3 * p : 0) / Z, `d = ${d}`);
    }
  });
});
