/**
 * The kernel density model: bandwidth rules on a sample computed by hand, the sampler against the
 * mixture it draws from (moments and Pearson's χ², with and without --truncate), the closed forms
 * of ARCHITECTURE §4 against simulation, nll_holdout by hand, the held-out split, --bandwidth
 * validation, and the same bytes for any --jobs. Statistical tolerances are Z ≈ 4.89 standard
 * errors (false alarm 1e-6 per check), each SE stated where it is used.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../../src/config/resolve.js";
import { findOption, helpLine } from "../../src/config/spec.js";
import { InputError, UsageError } from "../../src/errors.js";
import { accumulateVarianceRatio } from "../../src/models/continuous.js";
import { expectedTrainingVariance, type KdeOptions, type KdeParams, type KdeReference, kde, meanNll, ruleBandwidth } from "../../src/models/kde.js";
import type { RunContext } from "../../src/models/model.js";
import { headlineMetrics } from "../../src/output/headline.js";
import { normalCdf } from "../../src/stats/normal.js";
import { Rng } from "../../src/stats/rng.js";
import { parseGridFlag } from "../../src/sweep/grid.js";
import { ROOT } from "../cli/cli.js";
import { cli } from "../cli/in-process.js";
import { expectMeanWithin, flags, meanOf, replicateValues, Z } from "../helpers.js";
import { prepare, simulate } from "../run.js";
import { chiSquareCritical, chiSquareStat, poolCells } from "../stats/helpers.js";

type Options = KdeOptions & RunContext;

function options(o: Partial<Options> = {}): Options {
  return { bandwidth: "scott", holdout: 0.1, truncate: null, tailK: [2, 3], sampleSize: 50, seed: "kde-test", seedName: "test data", ...o };
}

function usage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("bandwidth rules", () => {
  // x = 1..5: x̄ = 3, s (divisor n − 1) = √2.5, type-7 quartiles 2 and 4, so IQR/1.34 = 1.4925 < s.
  const x = Float64Array.of(3, 1, 5, 2, 4);

  it("scott: 1.06·s·n^(−1/5); silverman: 0.9·min(s, IQR/1.34)·n^(−1/5), as R's bw.nrd0(1:5) = 0.97358", () => {
    expect(kde.fit(x, options({ bandwidth: "scott" })).h).toBeCloseTo(1.06 * Math.sqrt(2.5) * 5 ** -0.2, 14);
    expect(kde.fit(x, options({ bandwidth: "scott" })).h).toBeCloseTo(1.214736, 6);
    expect(kde.fit(x, options({ bandwidth: "silverman" })).h).toBeCloseTo(0.9 * (2 / 1.34) * 5 ** -0.2, 14);
    expect(kde.fit(x, options({ bandwidth: "silverman" })).h).toBeCloseTo(0.973585, 6);
  });

  it("silverman falls back to s when the IQR is 0 (ties), as bw.nrd0 does", () => {
    // x̄ = 1, Σ(x − x̄)² = 7·1 + 49 = 56: s_mle = √7, s = √8; both quartiles are 0.
    const ties = Float64Array.of(0, 0, 0, 0, 0, 0, 0, 8);
    expect(ruleBandwidth("silverman", ties, Math.sqrt(7))).toBeCloseTo(0.9 * Math.sqrt(8) * 8 ** -0.2, 14);
    expect(kde.fit(ties, options({ bandwidth: "silverman" })).h).toBeCloseTo(0.9 * Math.sqrt(8) * 8 ** -0.2, 14);
  });

  it("a number is a fixed bandwidth; the model's variance is the data's (divisor n) plus H²", () => {
    const p = kde.fit(x, options({ bandwidth: 0.7 }));
    expect(p.h).toBe(0.7);
    expect(p.mu).toBe(3);
    expect(p.sd).toBeCloseTo(Math.sqrt(2), 14);
    expect(p.sigma ** 2).toBeCloseTo(2 + 0.49, 14);
  });
});

/** The KDE's CDF at y: the mean of the kernels' normal CDFs. */
function mixtureCdf(p: KdeParams, y: number): number {
  let s = 0;
  for (const xi of p.x) s += normalCdf((y - xi) / p.h);
  return s / p.x.length;
}

/** Pearson's χ² of draws against a CDF on equal-width cells over [lo, hi] plus both open ends. */
function chiSquare(draws: Float64Array, cdf: (y: number) => number, lo: number, hi: number, cells: number): { stat: number; critical: number } {
  const edges = Array.from({ length: cells + 1 }, (_, i) => lo + ((hi - lo) * i) / cells);
  const observed = new Float64Array(cells + 2);
  for (const y of draws) {
    const i = y < lo ? 0 : y >= hi ? cells + 1 : 1 + Math.min(cells - 1, Math.floor(((y - lo) / (hi - lo)) * cells));
    observed[i]!++;
  }
  const F = edges.map(cdf);
  const expected = [F[0]!, ...F.slice(1).map((f, i) => f - F[i]!), 1 - F[cells]!].map((p) => p * draws.length);
  const pooled = poolCells(observed, expected);
  return { stat: chiSquareStat(pooled.observed, pooled.expected), critical: chiSquareCritical(pooled.observed.length - 1) };
}

describe("sampling: a training point plus H·N(0,1)", () => {
  const centres = Float64Array.of(-3, -1, 0, 0.5, 4);
  const o = options({ bandwidth: 0.8 });
  const p = kde.fit(centres, o);
  const N = 200_000;

  it("draws have the mixture's mean x̄ and variance s² + H² (SE √(V/N); for the variance √((μ4 − V²)/N) from the mixture's own fourth moment)", () => {
    const y = kde.sample(p, N, new Rng("kde-moments"), o);
    const V = p.sigma ** 2;
    let mu4 = 0;
    const h2 = p.h * p.h;
    for (const xi of centres) {
      const d = xi - p.mu;
      mu4 += d ** 4 + 6 * d * d * h2 + 3 * h2 * h2;
    }
    mu4 /= centres.length;
    const m = meanOf(y);
    let v = 0;
    for (const yi of y) v += (yi - m) ** 2;
    v /= N;
    expect(Math.abs(m - p.mu)).toBeLessThan(Z * Math.sqrt(V / N));
    expect(Math.abs(v - V)).toBeLessThan(Z * Math.sqrt((mu4 - V * V) / N));
  });

  it("draws follow the mixture's CDF (χ² on 60 cells)", () => {
    const y = kde.sample(p, N, new Rng("kde-chi2"), o);
    const { stat, critical } = chiSquare(y, (t) => mixtureCdf(p, t), -6, 7, 60);
    expect(stat).toBeLessThan(critical);
  });

  for (const [k, path] of [
    [1, "rejection (most of the mass inside)"],
    [0.1, "inversion (little mass inside)"],
  ] as const) {
    it(`--truncate ${k}: draws follow the mixture conditioned on μ ± ${k}σ, by ${path}`, () => {
      const t = options({ bandwidth: 0.8, truncate: k });
      const y = kde.sample(p, N, new Rng(`kde-truncate-${k}`), t);
      const lo = p.mu - k * p.sigma;
      const hi = p.mu + k * p.sigma;
      let inside = 0;
      for (const yi of y) if (yi >= lo && yi <= hi) inside++;
      expect(inside).toBe(N);
      const F = (v: number) => (mixtureCdf(p, Math.min(hi, Math.max(lo, v))) - mixtureCdf(p, lo)) / (mixtureCdf(p, hi) - mixtureCdf(p, lo));
      const { stat, critical } = chiSquare(y, F, lo, hi, 40);
      expect(stat).toBeLessThan(critical);
    });
  }

  it("--truncate with no mass of the KDE inside the window is one clear error", () => {
    const far = kde.fit(Float64Array.of(-1, 1), options({ bandwidth: 0.001 }));
    expect(() => kde.sample(far, 10, new Rng("x"), options({ bandwidth: 0.001, truncate: 0.5 }))).toThrow(InputError);
    expect(() => kde.sample(far, 10, new Rng("x"), options({ bandwidth: 0.001, truncate: 0.5 }))).toThrow(/has no mass within mu \+\/- 0\.5 sigma/);
  });
});

describe("closed forms with a fixed bandwidth (ARCHITECTURE §4)", () => {
  it("replace: the closed form solves E[s²_g] = c·(E[s²_{g−1}] + H²); accumulate at H = 0 is the Gaussian's product", () => {
    const [s20, h, M, n0] = [1.3, 0.4, 20, 90];
    let a = s20;
    for (let g = 1; g <= 30; g++) {
      a = ((M - 1) / M) * (a + h * h);
      expect(expectedTrainingVariance("replace", s20, h, M, n0, g)).toBeCloseTo(a, 12);
    }
    const memo: number[] = [];
    for (const g of [1, 5, 40])
      expect(expectedTrainingVariance("accumulate", s20, 0, M, n0, g, memo) / s20).toBeCloseTo(accumulateVarianceRatio(n0, M, g, "mle", 1), 12);
  });

  // Replicate means against the closed form, SE = replicate SD/√R. H = 0.5 with M = 20: (M − 1)H² = 4.75
  // exceeds s²_0 ≈ 1, so the variance grows; H = 0.1: it shrinks, more slowly than the Gaussian's.
  // Accumulate's pool grows (and measure is O(pool) per generation), but its variance moves little: fewer replicates do.
  // Power, as the smallest distance over the checked generations of the replicate means from a wrong
  // closed form: the mle factor (M − 1)/M left out (the expectation × M/(M − 1), a 5% bias at g = 1,
  // more later) is 8 SE for H = 0.5 at 1500 replicates, 9 for H = 0.1 at 2500, 13 for accumulate at
  // 500; generation g − 1's expectation in place of g's is 27, 6.1 and 9.7 SE. H = 0.1 keeps its 2500:
  // its variance barely moves in a generation, so the g − 1 check is the weakest of the three.
  const G = 6;
  for (const [regime, h, R] of [
    ["replace", 0.5, 1500],
    ["replace", 0.1, 2500],
    ["accumulate", 0.5, 500],
  ] as const) {
    it(`${regime}, H = ${h}: the mean var_ratio over ${R} replicates matches E[var_ratio_g]`, () => {
      // One tail multiple, not the default two: the tail masses were a third of the run's cost and
      // this test reads none (the draws are the same either way).
      const config = {
        model: "kde",
        bandwidth: h,
        seedSize: 50,
        sampleSize: 20,
        generations: G,
        replicates: R,
        tailK: 2,
        regime,
        seed: `kde-theory-${regime}-${h}`,
      };
      const ref = prepare(resolveSimConfig(flags(config))).prepared.reference as KdeReference;
      const run = replicateValues(config);
      for (const g of [1, 3, G]) {
        const expected = (expectedTrainingVariance(regime, ref.sd ** 2, h, 20, ref.n0, g) + h * h) / (ref.sd ** 2 + h * h);
        const x = run.values("var_ratio", g);
        expectMeanWithin(x, expected, `g = ${g}`);
      }
      if (regime === "replace" && h === 0.5) expect(meanOf(run.values("var_ratio", G))).toBeGreaterThan(1.5);
      if (h === 0.1) expect(meanOf(run.values("var_ratio", G))).toBeLessThan(1);
    });
  }

  it("--theory prints the closed form with a fixed bandwidth, and says there is none for a rule", () => {
    const { result } = simulate(resolveSimConfig(flags({ model: "kde", bandwidth: 0.3, sampleSize: 30, generations: 3, replicates: 2, theory: true })));
    const ref = prepare(resolveSimConfig(flags({ model: "kde", bandwidth: 0.3, sampleSize: 30 }))).prepared.reference as KdeReference;
    const s20 = ref.sd ** 2;
    const q = 29 / 30;
    const theory = result.generations.map((g) => g.theory?.var_ratio);
    expect(theory).toEqual([0, 1, 2, 3].map((g) => expect.closeTo((30 * 0.09 + q ** g * (s20 - 29 * 0.09)) / (s20 + 0.09), 12)));
    const rule = prepare(resolveSimConfig(flags({ model: "kde", generations: 2, replicates: 2, theory: true })));
    expect(rule.notes.join("\n")).toMatch(/--theory: no closed form for --model kde with --regime replace and these options/);
  });
});

describe("nll_holdout and the held-out split", () => {
  it("is −ln p(y) averaged over held-out values, by hand for two kernels at 0 and 2 with H = 1", () => {
    const p = kde.fit(Float64Array.of(0, 2), options({ bandwidth: 1 }));
    // p(1) = φ(1): −ln φ(1) = ½ + ½ ln 2π.
    expect(meanNll(p, Float64Array.of(1))).toBeCloseTo(0.5 + 0.5 * Math.log(2 * Math.PI), 14);
    // p(0) = ½(φ(0) + φ(2)) = 0.2265…; the mean of the two.
    expect(meanNll(p, Float64Array.of(1, 0))).toBeCloseTo((1.4189385332046727 + 1.4851577027216454) / 2, 14);
    // Far from every centre the density underflows, the log-likelihood does not: p(100) ≈ ½φ(98).
    expect(meanNll(p, Float64Array.of(100))).toBeCloseTo(98 ** 2 / 2 + 0.5 * Math.log(2 * Math.PI) + Math.log(2), 9);
    // A density: rescaling the data by a shifts it by ln a, even at the ends of the doubles.
    for (const a of [1e300, 1e-300]) {
      const scaled = kde.fit(Float64Array.of(0, 2 * a), options({ bandwidth: a }));
      expect(meanNll(scaled, Float64Array.of(a, 0))).toBeCloseTo((1.4189385332046727 + 1.4851577027216454) / 2 + Math.log(a), 11);
    }
  });

  it("holds out a seeded random F of the seed data, never trained on, each part in its original order", () => {
    const values = Float64Array.from({ length: 20 }, (_, i) => i);
    const input = { kind: "numbers", values, name: "test data" } as const;
    const a = kde.seed(input, options({ holdout: 0.25, seed: "s" }));
    expect(a.data.length).toBe(15);
    expect(a.heldOut!.length).toBe(5);
    expect([...a.data, ...a.heldOut!].sort((u, v) => u - v)).toEqual([...values]);
    for (const part of [a.data, a.heldOut!]) expect([...part]).toEqual([...part].sort((u, v) => u - v));
    // Not simply the last F, and the same split for the same seed.
    expect([...a.heldOut!]).not.toEqual([15, 16, 17, 18, 19]);
    expect([...kde.seed(input, options({ holdout: 0.25, seed: "s" })).heldOut!]).toEqual([...a.heldOut!]);
    // The fresh regime's real data is all trained on.
    expect(kde.seed(input, options(), "fresh").data).toBe(values);
  });

  it("is the metric of a run, and generation 0's value is the seed KDE's", () => {
    const { prepared } = prepare(resolveSimConfig(flags({ model: "kde", generations: 1, replicates: 1 })));
    const ref = prepared.reference as KdeReference;
    expect(ref.heldOut.length).toBe(10);
    expect(prepared.metrics0.nll_holdout).toBe(meanNll(prepared.params0 as KdeParams, ref.heldOut));
    expect(prepared.metricNames).toEqual([
      "mean",
      "std",
      "var_ratio",
      "log_var_ratio",
      "mean_drift",
      "tail_mass_2",
      "tail_mass_centered_2",
      "tail_loss_2",
      "tail_mass_3",
      "tail_mass_centered_3",
      "tail_loss_3",
      "nll_holdout",
      "bandwidth",
    ]);
    // The table and the chart lead with it, after var_ratio.
    expect(headlineMetrics(prepared.metricNames, 3)).toEqual(["var_ratio", "nll_holdout", "mean_drift"]);
    expect(prepared.metrics0.var_ratio).toBe(1);
    expect(prepared.metrics0.tail_loss_2).toBe(0);
  });

  it("seed data that leaves fewer than two values to train on, or no spread for a rule, is one clear error", () => {
    const input = (values: number[]) => ({ kind: "numbers", values: Float64Array.from(values), name: "x.txt" }) as const;
    expect(() => kde.seed(input([1, 2]), options())).toThrow(
      /x\.txt: 2 value\(s\) leave 1 to train on after --holdout 0\.1 holds out 1; a KDE needs at least 2/,
    );
    expect(() => kde.seed(input([3, 3, 3, 3]), options())).toThrow(/all equal \(3\); --bandwidth scott needs some spread: give a fixed --bandwidth H/);
    expect(kde.seed(input([3, 3, 3, 3]), options({ bandwidth: 0.5 })).data).toEqual(Float64Array.of(3, 3, 3));
  });
});

describe("--bandwidth and --holdout as options", () => {
  const resolve = (o: Record<string, unknown>) => resolveSimConfig(flags({ model: "kde", ...o }));

  it("takes scott, silverman or a number > 0; anything else is one line naming the choices", () => {
    expect(resolve({}).bandwidth).toBe("scott");
    expect(resolve({ bandwidth: "silverman" }).bandwidth).toBe("silverman");
    // Numbers stay numbers: equal meanings, equal configs.
    expect(resolve({ bandwidth: "0.50" }).bandwidth).toBe(0.5);
    expect(resolve({ bandwidth: 0.25 }).bandwidth).toBe(0.25);
    expect(usage(() => resolve({ bandwidth: "-1" }))).toBe('--bandwidth must be scott, silverman or a number > 0, got "-1"');
    expect(usage(() => resolve({ bandwidth: "0" }))).toBe('--bandwidth must be scott, silverman or a number > 0, got "0"');
    expect(usage(() => resolve({ bandwidth: "wide" }))).toBe('--bandwidth must be scott, silverman or a number > 0, got "wide"');
    expect(usage(() => resolve({ bandwidth: "Scot" }))).toBe('--bandwidth must be scott, silverman or a number > 0, got "Scot" (did you mean scott?)');
    expect(usage(() => resolve({ bandwidth: "1e999" }))).toMatch(/--bandwidth must be finite/);
    expect(usage(() => resolveSimConfig(flags({ bandwidth: 1 })))).toBe("--bandwidth does not apply to --model gaussian (only to kde); remove it");
  });

  it("the command line says so in one line with exit 2", async () => {
    const r = await cli(["sim", "--model", "kde", "--bandwidth", "-1"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('collapse: --bandwidth must be scott, silverman or a number > 0, got "-1"\n');
  });

  it("a sweep can range over fixed bandwidths next to the rules", () => {
    const axis = parseGridFlag("bandwidth=scott,0.1:0.3:0.1");
    expect(axis.values[0]).toBe("scott");
    expect(axis.values.slice(1).map((v) => Number((v as number).toFixed(12)))).toEqual([0.1, 0.2, 0.3]);
  });

  it("--holdout: ngram, kde and linreg each describe it in --help", () => {
    const line = helpLine(findOption("holdout")!);
    expect(line).toMatch(
      /^ngram: the last F of the text, never trained on, for perplexity .*; kde: a seeded random F of the seed data, never trained on, for nll_holdout; linreg: a seeded random F of the seed rows, never trained on, for test_mse_ratio \(/,
    );
    expect(line).toMatch(/\(ngram, kde, linreg; default 0\.1\)$/);
  });
});

describe("determinism", () => {
  it("the same JSON document for --jobs 1 and --jobs 2, with a rule, a fixed bandwidth and truncation", async () => {
    const { simulate: simulateLib } = await import(new URL("../../dist/index.js", import.meta.url).href);
    for (const extra of [{ bandwidth: "silverman" }, { bandwidth: 0.4, truncate: 1.5, theory: true, regime: "accumulate" }]) {
      const config = { model: "kde", generations: 3, replicates: 12, sampleSize: 40, seed: "jobs", ...extra };
      const one = await simulateLib(config, { jobs: 1 });
      const two = await simulateLib(config, { jobs: 2 });
      expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    }
  });
});

describe("the README's kde examples", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("### `kde`");
  // The section ends at the next heading of its level or above.
  const body = readme.indexOf("\n", start) + 1;
  const end = readme.slice(body).search(/^#{2,3} /m) + body;
  const section = readme.slice(start, end);
  const runs = [...section.matchAll(/^\$ collapse (.*)\n((?:(?!\$ ).*\n)*?)(?=\$ |```)/gm)].map((m) => ({ args: m[1]!, shown: m[2]! }));

  it("are real output: every row shown is a row of the same command's table", async () => {
    expect(runs).toHaveLength(4);
    for (const { args, shown } of runs) {
      const out = await cli([...args.split(" "), "--no-color", "--quiet"]);
      expect(out.status, args).toBe(0);
      const lines = new Set(out.stdout.split("\n"));
      const rows = shown.split("\n").filter((l) => l.trim() !== "" && l.trim() !== "…");
      expect(rows.length, args).toBeGreaterThanOrEqual(3);
      for (const row of rows) expect(lines.has(row), `${args}: ${row}`).toBe(true);
    }
  });
});
