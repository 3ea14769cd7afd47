import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/config.js";
import { type RawOption, resolveSimConfig } from "../../src/config/resolve.js";
import { runReplicates } from "../../src/core/loop.js";
import { assemble } from "../../src/core/run.js";
import { loadSeedSync } from "../../src/data/seed-file.js";
import { type CategoricalReference, categorical, countOps } from "../../src/models/categorical.js";
import type { LoopSettings, Metrics, RunContext } from "../../src/models/model.js";
import { describeRun } from "../../src/output/describe.js";
import { deriveSeed, Rng } from "../../src/stats/rng.js";
import { inputError } from "../expect-error.js";
import { expectAbove, expectWithin, withRunContext } from "../helpers.js";
import { prepare, simulate } from "../run.js";

/** A resolved configuration from option values, as the CLI would build it. */
function configOf(options: Record<string, unknown>, sampleSize: number): ResolvedConfig & RunContext {
  const raw = new Map<string, RawOption>(Object.entries({ model: "categorical", ...options }).map(([k, v]) => [k, { value: v, origin: { kind: "flag" } }]));
  return withRunContext({ ...resolveSimConfig(raw), sampleSize });
}

/** The loop's settings of a configuration without schedules (theory takes numbers). */
function loopOf(c: ResolvedConfig): LoopSettings {
  return { regime: c.regime, realFraction: Number(c.realFraction), filterRecall: Number(c.filterRecall), sampleSize: c.sampleSize };
}

/** Mean and standard error of the mean of replicate values. */
function meanSe(xs: number[]): { mean: number; se: number } {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(v / n) };
}

/**
 * R Wright–Fisher chains of G generations from the seed counts, driven through the model's own
 * fit/sample/measure (replace regime): metrics[g][r].
 */
function chains(counts: number[], config: ResolvedConfig & RunContext, R: number, G: number, seed: string) {
  const labels = counts.map((_, i) => `k${i}`);
  const { data } = categorical.seed({ kind: "labels", labels, counts: Float64Array.from(counts) }, config);
  const params0 = categorical.fit(data, config);
  const ref: CategoricalReference = categorical.reference(data, params0, config, undefined);
  const out: Metrics[][] = Array.from({ length: G + 1 }, () => []);
  const p: number[][][] = Array.from({ length: G + 1 }, () => []);
  for (let r = 0; r < R; r++) {
    const rng = new Rng(deriveSeed(seed, r));
    let params = params0;
    out[0]!.push(categorical.measure(params, data, ref, config));
    p[0]!.push(Array.from(params.p));
    for (let g = 1; g <= G; g++) {
      const sample = categorical.sample(params, config.sampleSize, rng, config);
      params = categorical.fit(sample, config);
      out[g]!.push(categorical.measure(params, sample, ref, config));
      p[g]!.push(Array.from(params.p));
    }
  }
  return { metrics: out, p, ref };
}

const column = (rows: Metrics[], name: string) => rows.map((m) => m[name]!);

describe("categorical fit and sample", () => {
  it("fits add-λ smoothed frequencies", () => {
    const config = configOf({ smoothing: 0.5 }, 10);
    const { p } = categorical.fit(Float64Array.of(3, 0, 1), config);
    expect(Array.from(p)).toEqual([3.5 / 5.5, 0.5 / 5.5, 1.5 / 5.5]);
    const plain = categorical.fit(Float64Array.of(3, 0, 1), configOf({}, 10)).p;
    expect(Array.from(plain)).toEqual([0.75, 0, 0.25]);
  });

  it("samples M draws as counts that sum to M and never revive a dead category", () => {
    const config = configOf({}, 1_000_000);
    const params = categorical.fit(Float64Array.of(5, 0, 3, 2), config);
    const rng = new Rng("sample");
    for (let t = 0; t < 20; t++) {
      const c = categorical.sample(params, config.sampleSize, rng, config);
      expect(c.reduce((s, x) => s + x, 0)).toBe(1_000_000);
      expect(c[1]).toBe(0);
      // Each count is Binomial(M, p): its SE is the binomial standard deviation √(M·p(1 − p)).
      for (const [i, pi] of [0.5, 0, 0.3, 0.2].entries()) expectWithin(c[i]!, 1e6 * pi, Math.sqrt(1e6 * pi * (1 - pi)), `category ${i}`);
    }
  });

  it("applies top-k before sampling: the cut categories get nothing, and theory is withdrawn", () => {
    const config = configOf({ topK: 2 }, 1000);
    const params = categorical.fit(Float64Array.of(1, 50, 30, 2, 17), config);
    const c = categorical.sample(params, 1000, new Rng("topk"), config);
    expect([c[0], c[3], c[4]]).toEqual([0, 0, 0]);
    expect(c[1]! + c[2]!).toBe(1000);
    const ref = categorical.reference(
      categorical.seed({ kind: "labels", labels: ["a", "b", "c", "d", "e"], counts: Float64Array.of(1, 50, 30, 2, 17) }, config).data,
      params,
      config,
      undefined,
    );
    expect(categorical.theory!(config, loopOf(config), 3, ref)).toBeUndefined();
    expect(categorical.theory!(configOf({}, 1000), loopOf(configOf({}, 1000)), 3, ref)).toBeDefined();
  });

  it("describes a generation by a few draws of its labels", () => {
    const config = configOf({}, 10);
    const { data } = categorical.seed({ kind: "labels", labels: ["oak", "ash", "yew"], counts: Float64Array.of(1, 0, 1) }, config);
    const params = categorical.fit(data, config);
    const ref = categorical.reference(data, params, config, undefined);
    const text = categorical.describe!(params, new Rng("d"), ref, config);
    const draws = text.split(", ");
    expect(draws.length).toBe(8);
    for (const d of draws) expect(["oak", "yew"]).toContain(d);
  });
});

describe("count operations (the regimes' data ops)", () => {
  it("subset is an exact multivariate hypergeometric draw", () => {
    // E[Xᵢ] = n·q, Var[Xᵢ] = n·q(1 − q)(N − n)/(N − 1), q = cᵢ/N. Over T draws the mean is within
    // Z·sd/√T of E, and the sample variance within Z·√(m₄/T − s⁴(T−3)/(T(T−1))) of Var (the
    // standard error of a sample variance, m₄ the sample fourth central moment) — which tells
    // drawing without replacement from drawing with it (the factor (N − n)/(N − 1) is 0.5 and 0.2
    // here). Both branches run: n ≤ N/2 drawn directly, n > N/2 through the complement.
    const counts = Float64Array.of(40, 7, 0, 1, 52);
    const N = 100;
    const rng = new Rng("hyper");
    for (const n of [50, 80]) {
      const T = 4000;
      const draws = Array.from({ length: 5 }, () => new Float64Array(T));
      let badSum = 0;
      let overfull = 0;
      for (let t = 0; t < T; t++) {
        const x = countOps.subset(counts, n, rng);
        if (x.reduce((s, v) => s + v, 0) !== n) badSum++;
        for (let i = 0; i < 5; i++) {
          if (x[i]! > counts[i]!) overfull++;
          draws[i]![t] = x[i]!;
        }
      }
      expect(badSum).toBe(0);
      expect(overfull).toBe(0);
      for (let i = 0; i < 5; i++) {
        const xs = draws[i]!;
        const q = counts[i]! / N;
        const variance = (n * q * (1 - q) * (N - n)) / (N - 1);
        const mean = xs.reduce((s, v) => s + v, 0) / T;
        const s2 = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (T - 1);
        const m4 = xs.reduce((s, v) => s + (v - mean) ** 4, 0) / T;
        // (+1e-12: a category that cannot vary, count 0 or all of N, has SE 0 and must match exactly.)
        expectWithin(mean, n * q, Math.sqrt(variance / T) + 1e-12, `mean of category ${i}, n = ${n}`);
        expectWithin(s2, variance, Math.sqrt(Math.max(0, m4 / T - (s2 * s2 * (T - 3)) / (T * (T - 1)))) + 1e-12, `variance of category ${i}, n = ${n}`);
      }
    }
    expect(Array.from(countOps.subset(counts, 100, rng))).toEqual(Array.from(counts));
  });

  it("thin, resample, concat and pool are count operations", () => {
    const rng = new Rng("ops");
    const x = Float64Array.of(1000, 0, 10);
    const thinned = countOps.thin(x, 0.25, rng);
    expect(thinned[1]).toBe(0);
    expectWithin(thinned[0]!, 250, Math.sqrt(1000 * 0.25 * 0.75), "kept of 1000 at rate 0.25 (binomial SE)");
    const re = countOps.resample(x, 77, rng);
    expect(re.reduce((s, v) => s + v, 0)).toBe(77);
    expect(re[1]).toBe(0);
    expect(Array.from(countOps.concat([x, Float64Array.of(1, 2, 3)]))).toEqual([1001, 2, 13]);
    const pool = countOps.pool(x);
    const view = pool.view();
    pool.add(Float64Array.of(1, 1, 1));
    expect(pool.view()).toBe(view); // added in place, never copied
    expect(Array.from(view)).toEqual([1001, 1, 11]);
    expect(Array.from(x)).toEqual([1000, 0, 10]);
    expect(countOps.size(x)).toBe(1010);
  });
});

describe("Wright–Fisher theory (ARCHITECTURE §4)", () => {
  // Seed counts with a long tail; M = 30 draws per generation; R = 3000 chains of 8 generations.
  // Every check compares a replicate mean with its expectation within Z standard errors, the SE
  // being the replicate standard deviation / √R (test/helpers.ts).
  const seedCounts = [40, 20, 12, 8, 5, 4, 3, 2, 2, 1, 1, 1, 1];
  const M = 30;
  const R = 3000;
  const G = 8;
  const config = { ...configOf({ tailFraction: 0.1 }, M) };
  const run = chains(seedCounts, config, R, G, "wright-fisher");
  const gini0 = run.metrics[0]![0]!.gini_simpson!;

  it("E[gini_simpson_g] = gini_simpson_0 · (1 − 1/M)^g, matching the model's theory()", () => {
    for (let g = 1; g <= G; g++) {
      const expected = gini0 * (1 - 1 / M) ** g;
      expect(categorical.theory!(config, loopOf(config), g, run.ref)!.gini_simpson).toBeCloseTo(expected, 14);
      const { mean, se } = meanSe(column(run.metrics[g]!, "gini_simpson"));
      expectWithin(mean, expected, se, `generation ${g}`);
    }
    // The test can fail: the heterozygosity really falls, by far more than its tolerance.
    const last = meanSe(column(run.metrics[G]!, "gini_simpson"));
    expectAbove(gini0 - last.mean, 0, 10 * last.se, "fall of gini_simpson, in tens of SE");
  });

  it("E[p_i,g] = p_i,0 for a common and a rare category", () => {
    const total = seedCounts.reduce((s, c) => s + c, 0);
    for (const i of [1, 9]) {
      for (let g = 1; g <= G; g++) {
        const { mean, se } = meanSe(run.p[g]!.map((p) => p[i]!));
        expectWithin(mean, seedCounts[i]! / total, se, `category ${i}, generation ${g}`);
      }
    }
  });

  it("tail_mass is a martingale while tail_support, extinct and entropy fall", () => {
    const tm0 = run.ref.discrete.tailMass0;
    expect(tm0).toBeGreaterThan(0);
    for (let g = 1; g <= G; g++) {
      const { mean, se } = meanSe(column(run.metrics[g]!, "tail_mass"));
      expectWithin(mean, tm0, se, `generation ${g}`);
    }
    // Falls: one-sided, the SE of a difference of two replicate means being √(se₁² + se₂²)
    // (conservative for these paired chains, whose generations are positively correlated).
    const s1 = meanSe(column(run.metrics[1]!, "tail_support"));
    const sG = meanSe(column(run.metrics[G]!, "tail_support"));
    expectAbove(1, s1.mean, s1.se, "tail_support at generation 1 below 1");
    expectAbove(s1.mean, sG.mean, Math.hypot(s1.se, sG.se), `tail_support falls from generation 1 to ${G}`);
    const e1 = meanSe(column(run.metrics[1]!, "extinct"));
    const eG = meanSe(column(run.metrics[G]!, "extinct"));
    expectAbove(eG.mean, e1.mean, Math.hypot(e1.se, eG.se), `extinct grows from generation 1 to ${G}`);
    const h0 = run.metrics[0]![0]!.entropy!;
    const hG = meanSe(column(run.metrics[G]!, "entropy"));
    expectAbove(h0, hG.mean, hG.se, `entropy falls from generation 0 to ${G}`);
  });

  it("tail_mass falls systematically under truncation (top-p)", () => {
    const cut = configOf({ topP: 0.8 }, M);
    const truncated = chains(seedCounts, cut, 200, 2, "truncated");
    const tm0 = truncated.ref.discrete.tailMass0;
    // top-p 0.8 drops every category of the rare set from the first sample on.
    for (const m of truncated.metrics[1]!) expect(m.tail_mass).toBe(0);
    expect(tm0).toBeGreaterThan(0);
  });

  it("a category with count c in a sample of M dies next generation with probability (1 − c/M)^M", () => {
    // One generation from p = (c/M, 1 − c/M), T trials: the share of deaths is within Z binomial
    // standard errors √(q(1−q)/T) of q = (1 − c/M)^M.
    const T = 20000;
    for (const c of [1, 3]) {
      const cfg = configOf({}, M);
      const params = categorical.fit(Float64Array.of(c, M - c), cfg);
      const rng = new Rng(`death-${c}`);
      let deaths = 0;
      for (let t = 0; t < T; t++) if (categorical.sample(params, M, rng, cfg)[0] === 0) deaths++;
      const q = (1 - c / M) ** M;
      expectWithin(deaths / T, q, Math.sqrt((q * (1 - q)) / T), `c = ${c}`);
    }
  });

  it("smoothing keeps every category alive", () => {
    const smoothed = chains(seedCounts, configOf({ smoothing: 0.1 }, M), 50, 5, "smooth");
    for (const m of smoothed.metrics[5]!) expect(m.extinct).toBe(0);
  });
});

describe("extinction bookkeeping", () => {
  const raw = (o: Record<string, unknown>) => new Map<string, RawOption>(Object.entries(o).map(([k, v]) => [k, { value: v, origin: { kind: "flag" } }]));

  it("records each category's first generation of death, consistent with the extinct metric", () => {
    const config = resolveSimConfig(raw({ model: "categorical", source: "zipf(1.2,200)", seedSize: 300, generations: 12, replicates: 6 }));
    const { prepared } = prepare(config);
    const block = runReplicates(prepared, 0, 6);
    const extinct = prepared.metricNames.indexOf("extinct");
    const categories = prepared.model.extinctions!.categories(prepared.reference);
    // Only categories drawn in the seed sample can die: fewer than the 200 of the source.
    expect(categories.length).toBe(prepared.metrics0.support);
    expect(categories.length).toBeLessThan(200);
    for (let r = 0; r < 6; r++) {
      const died = block.deaths![r]!;
      for (let g = 0; g <= 12; g++) {
        // Without smoothing a dead category never returns, so the dead by generation g are the extinct.
        const dead = died.filter((d) => d >= 0 && d <= g).length;
        expect(dead, `replicate ${r}, generation ${g}`).toBe(block.values[extinct]![g * 6 + r]);
      }
    }
    const result = assemble(prepared, [block]);
    const records = result.extinctions!;
    expect(records.length).toBeGreaterThan(0);
    expect(new Set(records.map((e) => e.category)).size).toBe(records.length);
    // Most often lost first, then the earliest median generation.
    for (let i = 1; i < records.length; i++) {
      const [a, b] = [records[i - 1]!, records[i]!];
      expect(a.replicates > b.replicates || (a.replicates === b.replicates && a.generation <= b.generation), `${a.category} before ${b.category}`).toBe(true);
    }
    for (const e of records) {
      expect(categories).toContain(e.category);
      const shares = block.deaths!.filter((d) => d[categories.indexOf(e.category)]! >= 0).length / 6;
      expect(e.replicates).toBe(shares);
    }
  });

  it("is deterministic: same options and seed give the same document", () => {
    const options = { model: "categorical", data: "fixtures/dog-breeds.csv", generations: 4, replicates: 5, seed: "dogs" };
    const a = JSON.stringify(simulate(resolveSimConfig(raw(options))).result);
    const b = JSON.stringify(simulate(resolveSimConfig(raw(options))).result);
    expect(a).toBe(b);
    const c = JSON.stringify(simulate(resolveSimConfig(raw({ ...options, seed: "cats" }))).result);
    expect(c).not.toBe(a);
  });
});

describe("seed tables: --column, --count-column and --duplicates (read by the data layer, declared by the model)", () => {
  const raw = (o: Record<string, unknown>) => new Map<string, RawOption>(Object.entries(o).map(([k, v]) => [k, { value: v, origin: { kind: "flag" } }]));
  const NAMES = { model: "categorical", data: "fixtures/baby-names.csv", column: "name", countColumn: "births", duplicates: "sum" };
  const rows = readFileSync("fixtures/baby-names.csv", "utf8").trim().split("\n").slice(1);

  it("reads name,sex,births in one command: counts summed over both sexes, names in first-appearance order", () => {
    const { input } = loadSeedSync(categorical, resolveSimConfig(raw(NAMES)));
    if (input.kind !== "labels") throw new Error("labels expected");
    const expected = new Map<string, number>();
    for (const row of rows) {
      const [name, , births] = row.split(",");
      expected.set(name!, (expected.get(name!) ?? 0) + Number(births));
    }
    expect(input.labels).toEqual([...expected.keys()]);
    expect(Array.from(input.counts)).toEqual([...expected.values()]);
    // Names listed under both sexes are what --duplicates sum is for.
    expect(rows.length - expected.size).toBeGreaterThan(20);
  });

  it("gives the same simulation as the pre-summed label,count table (only the data's name and hash differ)", () => {
    const { input } = loadSeedSync(categorical, resolveSimConfig(raw(NAMES)));
    if (input.kind !== "labels") throw new Error("labels expected");
    const dir = mkdtempSync(join(tmpdir(), "collapse-names-"));
    try {
      const summed = join(dir, "summed.csv");
      writeFileSync(summed, `name,births\n${input.labels.map((l, i) => `${l},${input.counts[i]}`).join("\n")}\n`);
      const common = { generations: 3, replicates: 4, seed: "names" };
      const a = simulate(resolveSimConfig(raw({ ...NAMES, ...common }))).result;
      const b = simulate(resolveSimConfig(raw({ model: "categorical", data: summed, ...common }))).result;
      expect(JSON.stringify(a.generations)).toBe(JSON.stringify(b.generations));
      expect(JSON.stringify(a.extinctions)).toBe(JSON.stringify(b.extinctions));
      expect(a.config).toMatchObject({ column: "name", countColumn: "births", duplicates: "sum" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a repeated name with the default --duplicates error names both lines and suggests --duplicates sum", () => {
    const { duplicates: _, ...rest } = NAMES;
    const config = resolveSimConfig(raw(rest));
    expect(config.duplicates).toBe("error");
    const seen = new Map<string, number>();
    let first = -1;
    let second = -1;
    rows.forEach((row, i) => {
      const name = row.split(",")[0]!;
      if (second < 0 && seen.has(name)) [first, second] = [seen.get(name)!, i];
      if (!seen.has(name)) seen.set(name, i);
    });
    expect(inputError(() => loadSeedSync(categorical, config))).toBe(
      `fixtures/baby-names.csv:${second + 2}: label ${JSON.stringify(rows[second]!.split(",")[0])} already appeared at fixtures/baby-names.csv:${first + 2}; pass --duplicates sum to add their counts, or merge the two rows or rename one`,
    );
  });

  it("the options are categorical's, need --data, and say themselves in the run description", () => {
    const config = resolveSimConfig(raw(NAMES));
    expect(config).toMatchObject({ countColumn: "births", duplicates: "sum" });
    expect(describeRun({ ...config, sampleSize: 10 })).toContain("data fixtures/baby-names.csv [name] · M=10");
    expect(describeRun({ ...config, sampleSize: 10 })).toContain("counts [births] · duplicates summed");
    expect(describeRun({ ...resolveSimConfig(raw({ model: "categorical" })), sampleSize: 10 })).not.toMatch(/counts|duplicates/);
    expect(() => resolveSimConfig(raw({ model: "categorical", countColumn: "births" }))).toThrow("--count-column needs --data FILE to read counts from");
    expect(() => resolveSimConfig(raw({ model: "categorical", duplicates: "sum" }))).toThrow("--duplicates needs --data FILE to read repeated labels from");
    expect(() => resolveSimConfig(raw({ model: "categorical", data: "x.csv", duplicates: "add" }))).toThrow("--duplicates must be one of error, sum");
    expect(() => resolveSimConfig(raw({ model: "gaussian", data: "x.csv", countColumn: "n" }))).toThrow(
      "--count-column does not apply to --model gaussian (only to categorical); remove it",
    );
  });
});
