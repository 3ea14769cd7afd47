/**
 * Helpers of the χ² goodness-of-fit tests (not a test file itself). Their false-alarm rate is the
 * suite's ALPHA, and z-tolerances are Z standard errors: both in test/helpers.ts.
 */
import { normalQuantile } from "../../src/stats/normal.js";
import { ALPHA } from "../helpers.js";

/**
 * Upper-ALPHA critical value of χ²(df), by the Wilson–Hilferty cube-root normal approximation
 * χ²_α ≈ df·(1 − 2/(9df) + z_α·√(2/(9df)))³ (relative error < 1% for df ≥ 3 in this range).
 */
export function chiSquareCritical(df: number, alpha = ALPHA): number {
  const z = normalQuantile(1 - alpha);
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** Pearson's Σ (O − E)²/E over cells. */
export function chiSquareStat(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < observed.length; i++) {
    const d = observed[i]! - expected[i]!;
    s += (d * d) / expected[i]!;
  }
  return s;
}

/**
 * Merges adjacent cells (in order) until each expected count is ≥ minExpected, the usual
 * validity condition of Pearson's test; returns the pooled observed and expected counts.
 */
export function poolCells(observed: ArrayLike<number>, expected: ArrayLike<number>, minExpected = 5): { observed: number[]; expected: number[] } {
  const o: number[] = [];
  const e: number[] = [];
  let ao = 0;
  let ae = 0;
  for (let i = 0; i < observed.length; i++) {
    ao += observed[i]!;
    ae += expected[i]!;
    if (ae >= minExpected) {
      o.push(ao);
      e.push(ae);
      ao = 0;
      ae = 0;
    }
  }
  if (ae > 0 || ao > 0) {
    if (e.length === 0) {
      o.push(ao);
      e.push(ae);
    } else {
      o[o.length - 1]! += ao;
      e[e.length - 1]! += ae;
    }
  }
  return { observed: o, expected: e };
}

/** Relative difference |a − b| / |b| (absolute when b = 0). */
export function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}
