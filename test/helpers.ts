/** Shared test helpers: run the core directly and read per-replicate values. */
import type { ResolvedConfig } from "../src/config/config.js";
import { type RawOption, resolveSimConfig } from "../src/config/resolve.js";
import { runReplicates } from "../src/core/loop.js";
import type { RunContext } from "../src/models/model.js";
import { prepare } from "./run.js";

/** Raw options as if given by flags (strings or numbers). */
export function flags(o: Record<string, unknown>): Map<string, RawOption> {
  return new Map(Object.entries(o).map(([k, v]) => [k, { value: v, origin: { kind: "flag" } }]));
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
