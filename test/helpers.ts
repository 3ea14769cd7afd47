/**
 * Shared test helpers: the statistical tests' one tolerance convention (ALPHA, Z, expectWithin,
 * expectAbove), running the core directly, and per-replicate values with their standard errors.
 */
import { expect } from "vitest";
import type { ResolvedConfig } from "../src/config/config.js";
import { type RawOption, resolveSimConfig } from "../src/config/resolve.js";
import { runReplicates } from "../src/core/loop.js";
import { theoryAt } from "../src/core/run.js";
import type { RunContext } from "../src/models/model.js";
import { normalQuantile } from "../src/stats/normal.js";
import { prepare } from "./run.js";

/**
 * The false-alarm rate of every statistical check in the suite: the probability that a correct
 * implementation fails one check, two-sided. Checks compare an estimate with its expectation in
 * units of the estimate's standard error (SE), which each test derives and names — a replicate SD/√R,
 * a binomial √(p(1−p)/n), a closed form — or compare a χ² statistic with its upper-ALPHA quantile.
 *
 * Why 1e-6: a run of the suite makes about 400 such checks (loops over generations, categories and
 * metrics counted), so a correct implementation passes them all with probability ≈ 1 − 400·ALPHA
 * = 0.9996 for freshly drawn seeds. The seeds are fixed, so a run is deterministic; that rate is what
 * a legitimate change of the random streams (a new sampler, draws in another order) risks, and a
 * failure after one is far more likely a bug than bad luck. With z = 4 (ALPHA ≈ 6e-5) such a change
 * would trip some check one time in forty; with z = 3, two times in three. The price of the larger
 * z is power: a check reliably detects a bias of about (Z + 2)·SE, and replicate counts are chosen
 * for the effects each test is about.
 */
export const ALPHA = 1e-6;

/** Two-sided z for ALPHA, ≈ 4.89: every statistical tolerance is Z standard errors. */
export const Z = normalQuantile(1 - ALPHA / 2);

/**
 * Expects |actual − expected| ≤ Z·se. `se` is the standard error of `actual` (of the difference,
 * when `expected` is an estimate too: √(se₁² + se₂²)); `label` names the check in a failure, which
 * also gives the distance in standard errors.
 */
export function expectWithin(actual: number, expected: number, se: number, label: string): void {
  expect(Number.isFinite(se) && se >= 0, `${label}: SE ${se}`).toBe(true);
  const z = Math.abs(actual - expected) / se;
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}, ${z.toFixed(2)} SE (SE ${se}, allowed Z = ${Z.toFixed(2)})`).toBeLessThanOrEqual(
    Z * se,
  );
}

/** Expects the replicate mean of `x` within Z standard errors (SD/√R, seOfMean) of `expected`. */
export function expectMeanWithin(x: ArrayLike<number>, expected: number, label: string): void {
  expectWithin(meanOf(x), expected, seOfMean(x), label);
}

/**
 * Expects actual − bound > Z·se: `actual` is above `bound` by more than chance allows (one-sided
 * at ALPHA/2). For "the metric really falls": expectAbove(before, after, seOfTheDifference, …).
 */
export function expectAbove(actual: number, bound: number, se: number, label: string): void {
  expect(
    actual - bound,
    `${label}: ${actual} − ${bound} is ${((actual - bound) / se).toFixed(2)} SE (SE ${se}), needs more than Z = ${Z.toFixed(2)}`,
  ).toBeGreaterThan(Z * se);
}

/** Raw options as if given by flags (strings or numbers). */
export function flags(o: Record<string, unknown>): Map<string, RawOption> {
  return new Map(Object.entries(o).map(([k, v]) => [k, { value: v, origin: { kind: "flag" } }]));
}

/**
 * Runs a simulation in-process and checks the replicate means of `metrics` at each of
 * `generations` against the closed forms the tool prints for it (src/core/run.ts theoryAt), each
 * within Z standard errors (SD/√R). A metric without a closed form there fails the check.
 */
export function expectTheory(options: Record<string, unknown>, metrics: readonly string[], generations: readonly number[]): void {
  const { prepared } = prepare(resolveSimConfig(flags({ ...options, theory: true })));
  const R = prepared.config.replicates;
  const block = runReplicates(prepared, 0, R);
  for (const g of generations) {
    const theory = theoryAt(prepared, g);
    for (const metric of metrics) {
      const expected = theory?.[metric];
      expect(expected, `${metric} has a closed form at generation ${g}`).toBeTypeOf("number");
      const x = block.values[prepared.metricNames.indexOf(metric)]!.slice(g * R, (g + 1) * R);
      expectMeanWithin(x, expected!, `${metric} at g = ${g}`);
    }
  }
}

/**
 * Runs a simulation in-process and returns, for each metric, a function g → the R replicate values
 * at generation g (in replicate order).
 */
export function replicateValues(options: Record<string, unknown>): {
  values: (metric: string, generation: number) => Float64Array;
  replicates: number;
} {
  const { prepared } = prepare(resolveSimConfig(flags(options)));
  const R = prepared.config.replicates;
  const block = runReplicates(prepared, 0, R);
  return {
    replicates: R,
    values(metric, g) {
      const m = prepared.metricNames.indexOf(metric);
      if (m < 0) throw new Error(`no metric ${metric}`);
      return block.values[m]!.slice(g * R, (g + 1) * R);
    },
  };
}

export function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample variance (n − 1). */
export function varianceOf(x: ArrayLike<number>): number {
  const m = meanOf(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return s / (x.length - 1);
}

/** Standard error of the sample mean. */
export function seOfMean(x: ArrayLike<number>): number {
  return Math.sqrt(varianceOf(x) / x.length);
}

/**
 * Standard error of the sample variance, from the sample's own fourth central moment:
 * Var(s²) ≈ (μ4 − σ⁴)/n — valid for any distribution with a finite fourth moment, so it does not
 * assume normality (μg is a scale mixture of normals, heavier-tailed than a normal).
 */
export function seOfVariance(x: ArrayLike<number>): number {
  const m = meanOf(x);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i]! - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= x.length;
  m4 /= x.length;
  return Math.sqrt((m4 - m2 * m2) / x.length);
}

/**
 * A resolved configuration as a model's options: a configuration holds every model's options and
 * the loop's settings, so with the run context added it serves as both in direct model calls.
 */
export function withRunContext<T extends ResolvedConfig>(config: T): T & RunContext {
  return { ...config, seedName: config.data !== null ? config.data : `--source ${config.source}` };
}
