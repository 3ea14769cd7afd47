/**
 * The multivariate Gaussian: fit, sample, metrics against hand computations and slow references,
 * replace-regime theory, and the data checks. Statistical tolerances are Z ≈ 4.89 standard errors
 * (test/helpers.ts), each SE derived in place.
 */
import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/config.js";
import { resolveSimConfig } from "../../src/config/resolve.js";

import type { SeedResult } from "../../src/core/seed.js";
import { InputError, UsageError } from "../../src/errors.js";
import { gaussianKl, gaussianW2 } from "../../src/models/continuous.js";
import type { RunContext, SeedInput } from "../../src/models/model.js";
import { type MvnParams, mvn } from "../../src/models/mvn.js";
import type { Rows } from "../../src/models/rows.js";
import { cholesky, logDetCholesky } from "../../src/stats/cholesky.js";
import { normalSf } from "../../src/stats/normal.js";
import { Rng } from "../../src/stats/rng.js";
import { digamma } from "../../src/stats/special.js";
import { inputError } from "../expect-error.js";
import { expectWithin, flags, meanOf, replicateValues, seOfMean, withRunContext } from "../helpers.js";
import { prepare } from "../run.js";

function config(o: Record<string, unknown> = {}): ResolvedConfig & RunContext {
  return withRunContext({ ...resolveSimConfig(flags({ model: "mvn", ...o })), sampleSize: (o.sampleSize as number) ?? 100 } as ResolvedConfig);
}

function table(columns: number[][], names = columns.map((_, i) => `c${i + 1}`)): SeedInput {
  return { kind: "table", columns: columns.map((c) => Float64Array.from(c)), names };
}

function params(mu: number[], cov: number[]): MvnParams {
  const d = mu.length;
  const chol = new Float64Array(d * d);
  if (!cholesky(Float64Array.from(cov), d, chol)) throw new Error("not SPD");
  return { dims: d, mu: Float64Array.from(mu), cov: Float64Array.from(cov), chol, logDet: logDetCholesky(chol, d) };
}

/** A reference built the way prepare() builds it, from a seed table and its fit. */
function referenceFor(p0: MvnParams, c: ResolvedConfig & RunContext, n0 = 50) {
  const d = p0.dims;
  // Seed data whose mle covariance is exactly p0.cov is not needed for the metrics; the reference
  // only needs a valid seed (checked) and θ0.
  const rng = new Rng("mvn-ref");
  const values = new Float64Array(n0 * d).map(() => rng.random());
  return mvn.reference({ dims: d, values }, p0, c, undefined);
}

describe("mvn fit", () => {
  it("is the sample mean vector and covariance (mle divides by n, unbiased by n − 1)", () => {
    const x = [1, 2, 4, 7, 3];
    const y = [2, 1, 5, 8, 4];
    const data = mvn.seed(table([x, y]), config()).data;
    expect(Array.from(data.values)).toEqual([1, 2, 2, 1, 4, 5, 7, 8, 3, 4]);
    const mle = mvn.fit(data, config());
    const mx = 17 / 5;
    const my = 4;
    const sxy = x.reduce((s, xi, i) => s + (xi - mx) * (y[i]! - my), 0);
    const sxx = x.reduce((s, xi) => s + (xi - mx) ** 2, 0);
    expect(Array.from(mle.mu)).toEqual([expect.closeTo(mx, 14), expect.closeTo(my, 14)]);
    expect(mle.cov[1]).toBeCloseTo(sxy / 5, 13);
    expect(mle.cov[2]).toBeCloseTo(sxy / 5, 13);
    expect(mle.cov[0]).toBeCloseTo(sxx / 5, 13);
    const unbiased = mvn.fit(data, config({ estimator: "unbiased" }));
    expect(unbiased.cov[0]).toBeCloseTo(sxx / 4, 13);
  });

  it("regularises a singular training set (fewer rows than d + 1) instead of failing: finite metrics", () => {
    const c = config({ dims: 3 });
    const p0 = params([0, 0, 0], [1, 0.2, 0, 0.2, 1, 0.1, 0, 0.1, 1]);
    const ref = referenceFor(p0, c);
    const two: Rows = { dims: 3, values: Float64Array.of(1, 2, 3, 2, 3, 5) };
    const p = mvn.fit(two, c);
    expect(p.logDet).toBeLessThan(0);
    for (const [name, v] of Object.entries(mvn.measure(p, two, ref, c))) expect(Number.isFinite(v), name).toBe(true);
    const one: Rows = { dims: 3, values: Float64Array.of(1, 2, 3, 1, 2, 3) };
    for (const [name, v] of Object.entries(mvn.measure(mvn.fit(one, c), one, ref, c))) expect(Number.isFinite(v), name).toBe(true);
  });
});

describe("mvn sample", () => {
  it("draws N(μ, Σ): sample means and covariances within Z SE", () => {
    const p = params([1, -2, 0.5], [2, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 0.5]);
    const n = 200_000;
    const x = mvn.sample(p, n, new Rng("mvn-sample"), config({ dims: 3 }));
    const fit = mvn.fit(x, config());
    for (let a = 0; a < 3; a++) {
      // SE of a mean: √(Σ_aa/n); of a covariance entry: √((Σ_aa Σ_bb + Σ_ab²)/n) (normal data).
      expectWithin(fit.mu[a]!, p.mu[a]!, Math.sqrt(p.cov[a * 4]! / n), `mean ${a}`);
      for (let b = 0; b < 3; b++) {
        const se = Math.sqrt((p.cov[a * 4]! * p.cov[b * 4]! + p.cov[a * 3 + b]! ** 2) / n);
        expectWithin(fit.cov[a * 3 + b]!, p.cov[a * 3 + b]!, se, `covariance ${a},${b}`);
      }
    }
  });

  it("--truncate k keeps every draw inside the Mahalanobis ball of radius ρ_k and mass 2Φ(k) − 1", () => {
    const p = params([0, 0], [1, 0.5, 0.5, 2]);
    const c = config({ truncate: 1.5 });
    const x = mvn.sample(p, 20_000, new Rng("mvn-trunc"), c);
    // ρ² for d = 2 solves e^{−ρ²/2} = 2Q(k) (the χ²₂ tail is exponential).
    const rho2 = -2 * Math.log(2 * normalSf(1.5));
    const inv = [2 / 1.75, -0.5 / 1.75, -0.5 / 1.75, 1 / 1.75];
    const radius2 = (r: Rows, i: number) => {
      const u = r.values[2 * i]!;
      const v = r.values[2 * i + 1]!;
      return u * (inv[0]! * u + inv[1]! * v) + v * (inv[2]! * u + inv[3]! * v);
    };
    let largest = 0;
    for (let i = 0; i < 20_000; i++) largest = Math.max(largest, radius2(x, i));
    expect(largest).toBeLessThanOrEqual(rho2 * (1 + 1e-12));
    // Untruncated draws fall inside the ball with probability 2Φ(k) − 1 (binomial SE).
    const n = 50_000;
    const free = mvn.sample(p, n, new Rng("mvn-untrunc"), config());
    let inside = 0;
    for (let i = 0; i < n; i++) if (radius2(free, i) <= rho2) inside++;
    const q = 1 - 2 * normalSf(1.5);
    expectWithin(inside / n, q, Math.sqrt((q * (1 - q)) / n), "share inside the ball");
  });
});

describe("mvn metrics", () => {
  it("are 1 and 0 at generation 0, and tail masses are 2Q(k) at the radius ρ_k in any d", () => {
    for (const d of [1, 2, 3, 5]) {
      const cov = Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 + (i % 3) : 0.1));
      const p0 = params(
        Array.from({ length: d }, (_, i) => i),
        cov,
      );
      const c = config({ dims: d });
      const ref = referenceFor(p0, c);
      const m = mvn.measure(p0, { dims: d, values: new Float64Array(0) }, ref, c);
      expect(m).toMatchObject({
        var_ratio: 1,
        log_var_ratio: 0,
        gen_var_ratio: 1,
        log_gen_var_ratio: 0,
        mean_drift: 0,
        w2: 0,
        kl: 0,
        tail_loss_2: 0,
        tail_loss_3: 0,
      });
      expect(m.tail_mass_2! / (2 * normalSf(2))).toBeCloseTo(1, 10);
      expect(m.tail_mass_3! / (2 * normalSf(3))).toBeCloseTo(1, 10);
    }
  });

  it("reduce to sums of the 1-D closed forms for independent coordinates (diagonal Σ)", () => {
    const c = config({ dims: 2 });
    const p0 = params([0, 0], [1, 0, 0, 4]);
    const ref = referenceFor(p0, c);
    const p = params([0.3, -1], [0.49, 0, 0, 1]);
    const m = mvn.measure(p, { dims: 2, values: new Float64Array(0) }, ref, c);
    expect(m.var_ratio).toBeCloseTo((0.49 + 1) / 5, 14);
    expect(m.gen_var_ratio).toBeCloseTo(Math.sqrt((0.49 * 1) / 4), 14);
    expect(m.mean_drift).toBeCloseTo(Math.hypot(0.3 / 1, -1 / 2), 14);
    expect(m.kl).toBeCloseTo(gaussianKl(0.3, 0.7, 0, 1) + gaussianKl(-1, 1, 0, 2), 13);
    expect(m.w2).toBeCloseTo(Math.hypot(gaussianW2(0.3, 0.7, 0, 1), gaussianW2(-1, 1, 0, 2)), 13);
  });

  it("w2 is the Bures distance also for non-commuting covariances (against an eigen-free 2×2 formula)", () => {
    // For 2×2 SPD A, B: tr (A^{½} B A^{½})^{½} = √(tr(AB) + 2√det(AB)).
    const c = config({ dims: 2 });
    const A = [2, 0.8, 0.8, 1];
    const B = [0.5, -0.3, -0.3, 1.5];
    const ref = referenceFor(params([0, 0], A), c);
    const m = mvn.measure(params([1, 2], B), { dims: 2, values: new Float64Array(0) }, ref, c);
    const trAB = A[0]! * B[0]! + A[1]! * B[2]! + A[2]! * B[1]! + A[3]! * B[3]!;
    const detAB = (A[0]! * A[3]! - A[1]! * A[2]!) * (B[0]! * B[3]! - B[1]! * B[2]!);
    const root = Math.sqrt(trAB + 2 * Math.sqrt(detAB));
    expect(m.w2).toBeCloseTo(Math.sqrt(5 + 3 + 2 - 2 * root), 12);
  });
});

describe("mvn theory, replace regime", () => {
  const M = 12;
  const d = 3;
  // One tail multiple, not the default two: mvn's 3-D tail masses (lattice integrals) were half the
  // run's cost, and these tests read none (the draws are the same either way).
  const run = replicateValues({ model: "mvn", dims: d, sampleSize: M, generations: 4, replicates: 1500, tailK: 2, seed: "mvn-theory" });

  // SE of each replicate mean: the replicates' SD/√R. 1500 replicates: var_ratio is 13 SE from a
  // trace ratio off by (M − 1)/M (a generation too many or too few), the log-determinant 26 SE from
  // the divisor M − 1 in Bartlett's ln(2/M), 31 from its digamma arguments shifted by ½, and 7.7 from
  // the whole expectation off by (M − 1)/M.
  it("E[var_ratio_g] = ((M−1)/M)^g (trace ratio, mle)", () => {
    for (const g of [1, 4]) {
      const x = run.values("var_ratio", g);
      expectWithin(meanOf(x), ((M - 1) / M) ** g, seOfMean(x), `g = ${g}`);
    }
  });

  it("E[log_gen_var_ratio_g] = (g/d)(Σ_{i=1..d} ψ((M−i)/2) + d ln(2/M)) (Bartlett)", () => {
    let s = 0;
    for (let i = 1; i <= d; i++) s += digamma((M - i) / 2);
    for (const g of [1, 4]) {
      const x = run.values("log_gen_var_ratio", g);
      expectWithin(meanOf(x), (g / d) * (s + d * Math.log(2 / M)), seOfMean(x), `g = ${g}`);
    }
  });
});

describe("mvn seed data checks (InputError at generation 0, exit 2 in the CLI)", () => {
  const load = (columns: number[][], o: Record<string, unknown> = {}) => {
    const seed: SeedResult = {
      input: table(
        columns,
        columns.map((_, i) => ["height", "weight", "bmi"][i]!),
      ),
      source: null,
      notes: [],
    };
    return () => prepare(resolveSimConfig(flags({ model: "mvn", data: "inline.csv", ...o })), seed);
  };

  it("rejects a constant column, naming it", () => {
    expect(
      load([
        [1, 2, 3, 4],
        [5, 5, 5, 5],
      ]),
    ).toThrow(InputError);
    expect(
      load([
        [1, 2, 3, 4],
        [5, 5, 5, 5],
      ]),
    ).toThrow(/"weight": all values are equal/);
  });

  it("rejects collinear columns, naming them", () => {
    expect(
      load([
        [1, 2, 3, 4, 6],
        [2, 4, 6, 8, 12],
        [1, 0, 1, 0, 1],
      ]),
    ).toThrow(/"weight" is \(almost\) a linear combination of "height"/);
    // A third column that is the sum of the first two.
    expect(
      load([
        [1, 2, 3, 4, 6],
        [3, 1, 4, 1, 5],
        [4, 3, 7, 5, 11],
      ]),
    ).toThrow(/"bmi" is \(almost\) a linear combination of "height", "weight"/);
  });

  it("rejects fewer rows than d + 1, and --sample-size below d + 1", () => {
    expect(
      load([
        [1, 2],
        [3, 5],
      ]),
    ).toThrow(/needs at least 3 \(d \+ 1\) rows/);
    expect(
      load(
        [
          [1, 2, 3, 5],
          [3, 5, 4, 1],
        ],
        { sampleSize: 2 },
      ),
    ).toThrow(UsageError);
  });

  it("accepts a healthy table", () => {
    const { prepared } = load([
      [1, 2, 3, 5, 4],
      [3, 5, 4, 1, 2],
    ])();
    expect(prepared.metrics0.var_ratio).toBe(1);
  });
});

describe("mvn fitDraws: a large sample fitted as it is drawn (ARCHITECTURE §2)", () => {
  const o = (more: Record<string, unknown> = {}) => config({ dims: 3, ...more }) as never;
  // A correlated θ with a mean far from 0, so that every addition rounds.
  const cov = Float64Array.of(4, 1.2, -0.6, 1.2, 1, 0.3, -0.6, 0.3, 2);
  const chol = new Float64Array(9);
  cholesky(cov, 3, chol);
  const params: MvnParams = { dims: 3, mu: Float64Array.of(100.5, -3, 7), cov, chol, logDet: logDetCholesky(chol, 3) };

  for (const [label, n] of [
    ["rows across chunks", 3 * 5461 + 2],
    ["a few rows", 7],
  ] as const) {
    for (const estimator of ["mle", "unbiased"]) {
      it(`${label}, ${estimator}: rowMean's mean bit for bit, the covariance within rounding, the same draws consumed`, () => {
        for (let k = 0; k < 5; k++) {
          const seed = `mvn-drawn-${label}-${estimator}-${k}`;
          const rng = new Rng(seed);
          const sampled = mvn.fit(mvn.sample(params, n, rng, o({ estimator })), o({ estimator }));
          const after = rng.nextUint32();
          const drawingRng = new Rng(seed);
          const drawn = mvn.fitDraws!(params, n, drawingRng, o({ estimator }))!;
          expect(Array.from(drawn.mu), seed).toEqual(Array.from(sampled.mu));
          // Either sum of products carries rounding of order √n·ε of the covariance's scale; 1e-12 of
          // it is far above that and far below a wrong divisor (1/n) or centre.
          for (let i = 0; i < 9; i++) expect(Math.abs(drawn.cov[i]! - sampled.cov[i]!), `${seed} [${i}]`).toBeLessThan(1e-12 * 4);
          expect(drawingRng.nextUint32()).toBe(after);
        }
      });
    }
  }

  it("where a sum overflows, fails as fit fails on the whole sample: the same one line", () => {
    // 50 rows around 1e307 sum beyond the largest double.
    const far: MvnParams = { ...params, mu: Float64Array.of(1e307, 0, 0) };
    const sampled = inputError(() => mvn.fit(mvn.sample(far, 50, new Rng("mvn-overflow"), o()), o()));
    expect(inputError(() => mvn.fitDraws!(far, 50, new Rng("mvn-overflow"), o()))).toBe(sampled);
  });

  it("declines a truncated draw, whose stream depends on how the rows are chunked", () => {
    expect(mvn.fitDraws!(params, 100, new Rng("t"), o({ truncate: 2 }))).toBeNull();
  });
});
