import { describe, expect, it } from "vitest";
import { cholesky } from "../../src/stats/cholesky.js";
import { chiSquareSf, chiSquareSfInverse, frobeniusSquared, gaussHermite, gaussianBallTail, symmetricEigen, trace } from "../../src/stats/linalg.js";
import { normalSf } from "../../src/stats/normal.js";
import { sphereDirections } from "../../src/stats/quadrature.js";
import { Rng } from "../../src/stats/rng.js";
import { fillNormal } from "../../src/stats/ziggurat.js";
import { Z_TOL } from "./helpers.js";
import { matmul, randomSpd } from "./matrices.js";

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
      // Binomial SE √(p(1−p)/n); the 2-D rule is exact to ~1e-12, the 3-D lattice to ~1e-3·p.
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(got - p)).toBeLessThan(Z_TOL * se + (d === 3 ? 2e-3 * p : 0));
    }
  });
});
