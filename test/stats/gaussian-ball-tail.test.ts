import { describe, expect, it } from "vitest";
import { chiSquareSf } from "../../src/stats/chi-square.js";
import { cholesky } from "../../src/stats/cholesky.js";
import { ballTailProjected, gaussianBallTail, projectDirections } from "../../src/stats/gaussian-ball-tail.js";
import { normalSf } from "../../src/stats/normal.js";
import { sphereDirections } from "../../src/stats/quadrature.js";
import { Rng } from "../../src/stats/rng.js";
import { fillNormal } from "../../src/stats/ziggurat.js";
import { Z } from "../helpers.js";
import { randomSpd } from "./matrices.js";

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
        const got = gaussianBallTail(new Float64Array(d), identity(d), d, x, dirs);
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
      const got = gaussianBallTail(Float64Array.of(c), Float64Array.of(s), 1, r * r, sphereDirections(1));
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
      const got = gaussianBallTail(c, b, d, x, sphereDirections(d));
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
      expect(Math.abs(got - p)).toBeLessThan(Z * se + (d === 3 ? 2e-3 * p : 0));
    }
  });

  it("from directions projected once (projectDirections), gives the same bits for every centre and radius", () => {
    const rng = new Rng("test-ball-tail-projected");
    // Most cases must be proper probabilities, not the clamped 0 or 1 (or NaN) on both sides.
    let interior = 0;
    for (const d of [1, 2, 3, 5, 10, 13]) {
      const dirs = sphereDirections(d);
      const b = new Float64Array(d * d);
      expect(cholesky(randomSpd(rng, d), d, b)).toBe(true);
      const projected = new Float64Array(dirs.length);
      const norms = new Float64Array(dirs.length / d);
      projectDirections(b, d, dirs, projected, norms);
      for (const scale of [0, 0.3, 2]) {
        const c = fillNormal(new Float64Array(d), rng, 0, scale);
        for (const x of [0.5 * d, d, 4 * d]) {
          const direct = gaussianBallTail(c, b, d, x, dirs);
          if (direct > 0 && direct < 1) interior++;
          expect(ballTailProjected(c, d, x, projected, norms), `d ${d}, |c| scale ${scale}, x ${x}`).toBe(direct);
        }
      }
    }
    expect(interior).toBeGreaterThan(40);
  });
});
