/**
 * --reference source (ARCHITECTURE §3, "The reference"): every metric compares generation g with the
 * built-in source's true distribution, each replicate starts from a seed sample of its own, and the
 * closed forms become unconditional. Each closed form is checked against the replicate mean at
 * several generations, generation 0 included (the first fit's own error), within Z ≈ 4.89 standard
 * errors (false alarm 1e-6 per check; SE = replicate SD/√R, the replicates being independent).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { parseSource } from "../../src/data/source.js";
import { estimateWork, fitsInThread } from "../../src/engine/work.js";
import { UsageError } from "../../src/errors.js";
import { expectedVarRatio, truncationFactor } from "../../src/models/continuous.js";
import { expectedMeanDriftSq, gaussian } from "../../src/models/gaussian.js";
import { sourceMoments, sourceRowMoments, sourceTwoSidedTail } from "../../src/models/truth.js";
import { Rng } from "../../src/stats/rng.js";
import { regularizedBeta, studentSf, studentTwoSidedTail } from "../../src/stats/student.js";
import { collapse, ROOT } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { expectMeanWithin, expectTheory, flags, replicateValues, Z } from "../helpers.js";
import { prepare } from "../run.js";

const prepared = (o: Record<string, unknown>) => prepare(resolveSimConfig(flags(o))).prepared;

/** The closed forms against the source: expectTheory with --reference source. */
function checkTheory(options: Record<string, unknown>, metrics: readonly string[], generations: readonly number[]): void {
  expectTheory({ ...options, reference: "source" }, metrics, generations);
}

describe("--reference source: closed forms against the simulation, generation 0 included", () => {
  it("gaussian, replace and accumulate, both estimators: E[σ̂0²]/σ² times the ratio given generation 0", () => {
    for (const estimator of ["mle", "unbiased"]) {
      const base = { source: "normal(3,2)", seedSize: 30, sampleSize: 30, generations: 6, replicates: 3000, estimator, seed: `g-${estimator}` };
      checkTheory(base, ["var_ratio", "log_var_ratio", "mean_drift_sq"], [0, 1, 6]);
      checkTheory({ ...base, regime: "accumulate" }, ["var_ratio", "mean_drift_sq"], [0, 2, 6]);
    }
  });

  it("gaussian on a non-normal source compares with the normal of its moments (no log closed form)", () => {
    checkTheory({ source: "laplace(1,2)", seedSize: 40, generations: 4, replicates: 3000, seed: "laplace" }, ["var_ratio"], [0, 4]);
    const p = prepared({ source: "laplace(1,2)", reference: "source" });
    const loop = { regime: "replace", realFraction: 0, filterRecall: 0, sampleSize: 100 } as const;
    expect(p.model.theory!(p.options, loop, 3, p.reference)!.log_var_ratio).toBeUndefined();
  });

  it("mvn: the trace ratio and, for a normal source, Bartlett's log-determinant", () => {
    // One tail multiple, not the default two: mvn's tail masses in 3-D are lattice integrals, most
    // of the run's cost, and this test reads neither (the draws, and so the checked metrics, are the same).
    const base = { model: "mvn", dims: 3, seedSize: 40, sampleSize: 40, generations: 4, replicates: 1200, tailK: 2, seed: "mvn" };
    checkTheory(base, ["var_ratio", "log_gen_var_ratio"], [0, 1, 4]);
    // The two other sources test their true covariance, whose errors are large: 300 replicates (SE
    // 0.006–0.009 at generation 0) detect a tenth of the trace by 10 SE or more, and a generation
    // off by one in the log-determinant by 12; the normal source above keeps the 1200 that the
    // divisor's (n − 1)/n needs (6.8 SE).
    const other = { ...base, replicates: 300 };
    // A mixture's rows share their part's mean: Cov = E[Var|part]·I + Var(E|part)·11ᵀ.
    checkTheory({ ...other, source: "mixture(0.5*normal(-1,1),0.5*normal(1,1))", seed: "mvn-mix" }, ["var_ratio"], [0, 4]);
    // linear(2,1)'s rows [x1, x2, y] are jointly normal with Cov(x, y) = 1 and Var(y) = 3.
    const { dims: _, ...linear } = other;
    checkTheory({ ...linear, source: "linear(2,1)", seed: "mvn-linear" }, ["var_ratio", "log_gen_var_ratio"], [0, 4]);
  });

  it("kde with a fixed bandwidth: (E[s²_g] + H²)/σ², starting from E[s0²] = σ²(n0 − 1)/n0", () => {
    // 300 replicates: SE 0.013 at generation 1, against 0.15 for one generation's H² too many or too few.
    const base = { model: "kde", bandwidth: 0.4, seedSize: 40, generations: 5, replicates: 300, tailK: 2, seed: "kde" };
    checkTheory(base, ["var_ratio"], [0, 1, 5]);
    checkTheory({ ...base, regime: "accumulate" }, ["var_ratio"], [0, 5]);
  });

  it("categorical: E[gini_simpson_g] = (1 − Σp²)(1 − 1/n0)(1 − 1/M)^g; the true tail mass is a martingale", () => {
    // 1000 replicates: gini_simpson is 8 SE from a closed form off by one factor 1 − 1/200 (1 − 1/n0
    // left out, or generation g − 1 for g), and tail_mass 14 SE from one a tenth off.
    checkTheory(
      { model: "categorical", source: "zipf(1.2,50)", seedSize: 200, sampleSize: 200, generations: 5, replicates: 1000, seed: "cat" },
      ["gini_simpson", "tail_mass"],
      [0, 1, 5],
    );
  });

  it("linreg: p/n0 + κ·excess, κ·noise, and the held-out error of the true line, both regimes and estimators", () => {
    for (const estimator of ["mle", "unbiased"]) {
      // 750 replicates: SE 0.0026 for excess_risk at generation 0 and 0.008 for noise_ratio, against
      // 0.09 for a generation's p/n0 too many or too few and 0.09 between the two estimators' noise.
      const base = { model: "linreg", source: "linear(3,1)", seedSize: 44, generations: 6, replicates: 750, estimator, seed: `lr-${estimator}` };
      checkTheory(base, ["excess_risk", "test_mse_ratio", "noise_ratio", "log_noise_ratio"], [0, 1, 6]);
      checkTheory({ ...base, regime: "accumulate" }, ["excess_risk", "test_mse_ratio", "noise_ratio"], [0, 3, 6]);
    }
  });
});

describe("mean_drift_sq: the squared error of the mean, Dey and Donoho's quantity", () => {
  it("against generation 0: the martingale's step variances, replace and accumulate, with truncation", () => {
    for (const regime of ["replace", "accumulate"]) {
      const base = { source: "normal(0,1)", seedSize: 25, generations: 8, replicates: 3000, regime, seed: `drift-${regime}` };
      const p = prepared({ ...base, theory: true });
      const { values } = replicateValues(base);
      const truncated = prepared({ ...base, truncate: 1.5, theory: true });
      const cut = replicateValues({ ...base, truncate: 1.5 });
      for (const g of [1, 8]) {
        for (const [run, vals] of [
          [p, values],
          [truncated, cut.values],
        ] as const) {
          const loop = { regime: run.config.regime, realFraction: 0, filterRecall: 0, sampleSize: run.config.sampleSize };
          const theory = run.model.theory!(run.options, loop, g, run.reference)!.mean_drift_sq!;
          const x = vals("mean_drift_sq", g);
          expectMeanWithin(x, theory, `${regime} ${g}`);
        }
      }
    }
  });

  it("the closed form is the sum of the martingale's step variances, by a geometric series or kept partial sums", () => {
    for (const estimator of ["mle", "unbiased"] as const) {
      for (const v of [1, truncationFactor(1.5)]) {
        const sums = [0];
        for (const g of [0, 1, 7, 40, 3]) {
          let replace = 0;
          let accumulate = 0;
          for (let j = 1; j <= g; j++) {
            const N = 25 + j * 10;
            replace += (v * expectedVarRatio("replace", estimator, 0, 10, 25, j - 1, v)!) / 10;
            accumulate += (10 * v * expectedVarRatio("accumulate", estimator, 0, 10, 25, j - 1, v)!) / (N * N);
          }
          expect(expectedMeanDriftSq("replace", estimator, 10, 25, g, v)).toBeCloseTo(replace, 13);
          // The partial sums are reused across calls in any order of g.
          expect(expectedMeanDriftSq("accumulate", estimator, 10, 25, g, v, sums)).toBeCloseTo(accumulate, 14);
        }
      }
    }
  });

  it("against the source under accumulate at M = n0: M·E[(μg − μ*)²]/σ² rises towards, and stays below, π²/6", () => {
    const p = prepared({ source: "normal(0,1)", seedSize: 50, regime: "accumulate", estimator: "unbiased", reference: "source", theory: true });
    const loop = { regime: "accumulate", realFraction: 0, filterRecall: 0, sampleSize: 50 } as const;
    const ratio = (g: number) => 50 * p.model.theory!(p.options, loop, g, p.reference)!.mean_drift_sq!;
    expect(ratio(0)).toBeCloseTo(1, 12);
    let last = 1;
    for (const g of [1, 5, 20, 200]) {
      expect(ratio(g)).toBeGreaterThan(last);
      expect(ratio(g)).toBeLessThan(Math.PI ** 2 / 6);
      last = ratio(g);
    }
    expect(ratio(200)).toBeGreaterThan(1.55);
  });
});

describe("--reference source: what changes", () => {
  it("generation 0 is the first fit's error, different in every replicate; against gen0 it is 0", () => {
    const gen0 = replicateValues({ source: "normal(3,2)", generations: 1, replicates: 50 });
    const truth = replicateValues({ source: "normal(3,2)", generations: 1, replicates: 50, reference: "source" });
    expect(new Set(gen0.values("mean_drift", 0))).toEqual(new Set([0]));
    expect(new Set(truth.values("mean_drift", 0)).size).toBe(50);
    // Replicate 0 starts from the seed sample a gen0 run uses: its generation-0 metrics are those of
    // θ0 measured against N(3, 4).
    const p = prepared({ source: "normal(3,2)" });
    const { mu, sigma } = p.params0 as { mu: number; sigma: number };
    expect(truth.values("mean_drift", 0)[0]).toBeCloseTo((mu - 3) / 2, 14);
    expect(truth.values("var_ratio", 0)[0]).toBeCloseTo(sigma ** 2 / 4, 14);
  });

  it("a categorical seed that missed categories shows them extinct at generation 0", () => {
    const truth = replicateValues({ model: "categorical", source: "zipf(1.5,400)", seedSize: 300, generations: 1, replicates: 20, reference: "source" });
    for (const x of truth.values("extinct", 0)) expect(x).toBeGreaterThan(0);
    const gen0 = replicateValues({ model: "categorical", source: "zipf(1.5,400)", seedSize: 300, generations: 1, replicates: 20 });
    expect(new Set(gen0.values("extinct", 0))).toEqual(new Set([0]));
  });

  it("linreg keeps the seed design in every replicate and draws new labels", () => {
    const p = prepared({ model: "linreg", source: "linear(2,1)", seedSize: 30, reference: "source" });
    const start = p.replicateStart!(3);
    const rows = (start.data0 as { values: Float64Array }).values;
    const seed = (p.data0 as { values: Float64Array }).values;
    for (let i = 0; i < rows.length / 3; i++) {
      expect([rows[3 * i], rows[3 * i + 1]]).toEqual([seed[3 * i], seed[3 * i + 1]]);
    }
    expect(rows[2]).not.toBe(seed[2]);
  });

  it("the seed fit still describes generation 0's own fit", () => {
    const a = prepare(resolveSimConfig(flags({ source: "normal(3,2)" })));
    const b = prepare(resolveSimConfig(flags({ source: "normal(3,2)", reference: "source" })));
    const fit = (p: typeof a.prepared) => gaussian.seedFit!(p.data0 as Float64Array, p.params0 as never, p.fitted as never, p.options as never);
    expect(fit(b.prepared)).toEqual(fit(a.prepared));
  });

  it("refuses what has no source to compare with, in one line", async () => {
    const fails = (o: Record<string, unknown>) => {
      try {
        prepare(resolveSimConfig(flags(o)));
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error("expected a UsageError");
    };
    expect(fails({ data: "fixtures/heights.txt", reference: "source" })).toBe(
      "--reference source compares with the true distribution of a built-in --source, and --data has none; drop --data or use --reference gen0",
    );
    expect(fails({ model: "ngram", reference: "source" })).toBe(
      "--reference source: --model ngram has no built-in source to compare with; use --reference gen0",
    );
    expect(fails({ source: "t(2)", reference: "source" })).toMatch(/^--reference source: t\(2\) has an infinite variance \(df ≤ 2\)/);
    expect(fails({ model: "gmm", components: 1, reference: "source" })).toBe(
      "--reference source: --model gmm compares with the source as a mixture of at most --components 1 normal(s), and mixture(0.5*normal(-2,1),0.5*normal(2,1)) has 2 normal part(s); match --components to it or use --reference gen0",
    );
    expect(fails({ model: "gmm", components: 1, source: "laplace(0,1)", reference: "source" })).toMatch(/laplace\(0,1\) is not a mixture of normals/);
    // A table of independent normal columns has no true line: every coefficient is 0, but it is not linear(d,σ).
    expect(fails({ model: "linreg", source: "normal(0,1)", target: "x2", reference: "source" })).toBe(
      "--reference source: --model linreg knows the true line of linear(d,sigma) only, and --source is normal(0,1); use a linear source or --reference gen0",
    );
    expect(fails({ model: "linreg", target: "x1", reference: "source" })).toBe(
      '--reference source: linear(d,sigma) is a line for its target y, not for "x1"; drop --target or use --reference gen0',
    );
    const cli = collapse(["sim", "--data", "fixtures/heights.txt", "--reference", "source"]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/^collapse: --reference source compares with .*\n$/);
  });

  it("gives the same bytes for --jobs 1 and 2, on worker threads", async () => {
    const { simulate } = await import(new URL("../../dist/index.js", import.meta.url).href);
    // Each replicate fits a seed sample of its own drawn from the source: split over two threads,
    // each must draw its replicates' own. A run goes to workers when its estimated time is over
    // the in-thread limit (src/engine/work.ts): a 2-D mixture's EM is estimated at its worst case,
    // so this small run does, and costs a fraction of its estimate.
    const options = { model: "gmm", dims: 2, reference: "source", generations: 12, replicates: 8, sampleSize: 40, theory: true };
    expect(fitsInThread(estimateWork(resolveSimConfig(flags(options)), null).total)).toBe(false);
    expect(JSON.stringify(await simulate(options, { jobs: 2 }))).toBe(JSON.stringify(await simulate(options, { jobs: 1 })));
  });
});

describe("the README's --reference example", () => {
  it("is real output: every row shown is a line of the command's table", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Against the truth"));
    const block = /```console\n\$ collapse (.*)\n([\s\S]*?)```/.exec(section)!;
    const args = block[1]!.match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ""));
    const out = await cli([...args, "--no-color", "--quiet"]);
    expect(out.status).toBe(0);
    const lines = new Set(out.stdout.split("\n"));
    const rows = block[2]!.split("\n").filter((l) => l.trim() !== "" && l !== "…");
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(lines.has(row), row).toBe(true);
  });
});

describe("the truth of a source", () => {
  it("moments of every numeric source, a mixture's by the law of total variance", () => {
    expect(sourceMoments(parseSource("uniform(1,4)"))).toEqual({ mean: 2.5, variance: 0.75 });
    expect(sourceMoments(parseSource("laplace(2,3)"))).toEqual({ mean: 2, variance: 18 });
    expect(sourceMoments(parseSource("t(5)"))).toEqual({ mean: 0, variance: 5 / 3 });
    const m = sourceMoments(parseSource("mixture(1*normal(-2,1),3*normal(2,0.5))"));
    expect(m.mean).toBeCloseTo(0.25 * -2 + 0.75 * 2, 14);
    expect(m.variance).toBeCloseTo(0.25 * (1 + 4) + 0.75 * (0.25 + 4) - 1, 14);
    const rows = sourceRowMoments(parseSource("mixture(0.5*normal(-1,1),0.5*normal(1,1))"), 2);
    expect(Array.from(rows.cov)).toEqual([2, 1, 1, 2]);
    expect(Array.from(sourceRowMoments(parseSource("linear(2,0.5)"), 3).cov)).toEqual([1, 0, 1, 0, 1, 1, 1, 1, 2.25]);
  });

  it("two-sided tails against a simulation of each source (binomial SE)", () => {
    const rng = new Rng("tails");
    const n = 200_000;
    for (const text of ["uniform(-1,3)", "laplace(1,2)", "t(3)", "mixture(0.3*laplace(0,1),0.7*normal(2,0.5))", "normal(1,2)"]) {
      const spec = parseSource(text);
      const { mean, variance } = sourceMoments(spec);
      const sd = Math.sqrt(variance);
      // One simulation per source serves both multiples (each check is still a binomial count of n draws).
      const deviations = Float64Array.from({ length: n }, () => Math.abs(drawOne(text, rng) - mean));
      for (const k of [0.5, 2]) {
        const p = sourceTwoSidedTail(spec, mean, k * sd);
        let beyond = 0;
        for (let i = 0; i < n; i++) if (deviations[i]! > k * sd) beyond++;
        expect(Math.abs(beyond / n - p), `${text} k=${k}`).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / n) + 1e-12);
      }
    }
  });

  it("Student's t tail and the incomplete beta at known values", () => {
    expect(studentTwoSidedTail(3.182446305284263, 3)).toBeCloseTo(0.05, 12);
    expect(studentTwoSidedTail(12.706204736174698, 1)).toBeCloseTo(0.05, 12);
    // t(1) is Cauchy: P(T > x) = 1/2 − atan(x)/π, for both signs.
    for (const x of [-3, -0.5, 0, 0.7, 40]) expect(studentSf(x, 1)).toBeCloseTo(0.5 - Math.atan(x) / Math.PI, 13);
    expect(regularizedBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 12);
    expect(regularizedBeta(0.9, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.9)), 12);
  });
});

/** One draw of a numeric source, written plainly (inverse CDFs and Box–Muller), independent of src/data/source.ts. */
function drawOne(text: string, rng: Rng): number {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
  const laplace = (mu: number, b: number) => {
    const u = rng.random() - 0.5;
    return mu - b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  };
  switch (text) {
    case "uniform(-1,3)":
      return -1 + 4 * rng.random();
    case "laplace(1,2)":
      return laplace(1, 2);
    case "t(3)": {
      const z = gauss();
      const v = gauss() ** 2 + gauss() ** 2 + gauss() ** 2;
      return z / Math.sqrt(v / 3);
    }
    case "mixture(0.3*laplace(0,1),0.7*normal(2,0.5))":
      return rng.random() < 0.3 ? laplace(0, 1) : 2 + 0.5 * gauss();
    default:
      return 1 + 2 * gauss();
  }
}
