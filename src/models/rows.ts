/**
 * Numeric samples stored row-major in one Float64Array, `dims` values a row (dims = 1 for the 1-D
 * models): their data operations (sampleOps for gaussian, rowMatrixOps for mvn and gmm), the Rows
 * type of the multivariate models, the conversion of table seed input to Rows, and their mean and
 * covariance.
 */

import { solveLower } from "../stats/cholesky.js";
import type { Rng } from "../stats/rng.js";
import type { DataOps, SeedInput } from "./model.js";
import { appendOnlyPool, concatTyped } from "./typed.js";

/**
 * The regimes' data operations on a bare Float64Array of row-major rows whose width `dims` is
 * fixed here, not carried by the data: a "row" is `dims` consecutive numbers, and thin, subset and
 * resample keep rows whole. The building block of sampleOps (dims = 1) and rowMatrixOps.
 */
export function flatRowOps(dims: number): DataOps<Float64Array> {
  const rows = (x: Float64Array) => x.length / dims;
  const copyRow = (to: Float64Array, toRow: number, from: Float64Array, fromRow: number) => {
    if (dims === 1) to[toRow] = from[fromRow]!;
    else to.set(from.subarray(fromRow * dims, fromRow * dims + dims), toRow * dims);
  };
  return {
    size: rows,
    thin(x: Float64Array, keep: number, rng: Rng): Float64Array {
      const n = rows(x);
      const out = new Float64Array(x.length);
      let kept = 0;
      for (let i = 0; i < n; i++) if (rng.random() < keep) copyRow(out, kept++, x, i);
      return out.slice(0, kept * dims);
    },
    subset(x: Float64Array, n: number, rng: Rng): Float64Array {
      // A partial Fisher–Yates shuffle of row indices: n draws, each row at most once.
      const total = rows(x);
      const index = new Int32Array(total);
      for (let i = 0; i < total; i++) index[i] = i;
      const out = new Float64Array(n * dims);
      for (let i = 0; i < n; i++) {
        const j = i + rng.below(total - i);
        const t = index[j]!;
        index[j] = index[i]!;
        index[i] = t;
        copyRow(out, i, x, t);
      }
      return out;
    },
    resample(x: Float64Array, n: number, rng: Rng): Float64Array {
      const total = rows(x);
      const out = new Float64Array(n * dims);
      for (let i = 0; i < n; i++) copyRow(out, i, x, rng.below(total));
      return out;
    },
    concat: (parts: readonly Float64Array[]) => concatTyped(parts, (n) => new Float64Array(n)),
    pool: (initial: Float64Array) => appendOnlyPool(initial, (n) => new Float64Array(n)),
  };
}

/** Numeric rows: `values` is row-major with `dims` numbers a row. */
export interface Rows {
  readonly dims: number;
  readonly values: Float64Array;
  /** Column names, on seed data only (for error messages). */
  readonly names?: readonly string[];
}

/** The regimes' data operations on a 1-D sample: a Float64Array of numbers, one per row (gaussian). */
export const sampleOps: DataOps<Float64Array> = flatRowOps(1);

const opsByDims: DataOps<Float64Array>[] = [];
const opsFor = (d: number) => (opsByDims[d] ??= flatRowOps(d));

/**
 * The regimes' data operations on a d-column row matrix (Rows, which carries its width `dims`;
 * mvn and gmm): flatRowOps for that width, applied to `values`.
 */
export const rowMatrixOps: DataOps<Rows> = {
  size: (r) => r.values.length / r.dims,
  thin: (r, keep, rng) => ({ dims: r.dims, values: opsFor(r.dims).thin(r.values, keep, rng) }),
  subset: (r, n, rng) => ({ dims: r.dims, values: opsFor(r.dims).subset(r.values, n, rng) }),
  resample: (r, n, rng) => ({ dims: r.dims, values: opsFor(r.dims).resample(r.values, n, rng) }),
  concat(parts) {
    const d = parts[0]!.dims;
    return { dims: d, values: opsFor(d).concat(parts.map((p) => p.values)) };
  },
  pool(initial) {
    const d = initial.dims;
    const pool = opsFor(d).pool(initial.values);
    return { add: (r: Rows) => pool.add(r.values), view: () => ({ dims: d, values: pool.view() }) };
  },
};

/** Seed columns (a table input) as row-major Rows. */
export function tableRows(input: SeedInput, model: string): Rows {
  if (input.kind !== "table") throw new Error(`${model} reads a table of numeric columns`);
  const d = input.columns.length;
  const n = d === 0 ? 0 : input.columns[0]!.length;
  const values = new Float64Array(n * d);
  input.columns.forEach((col, j) => {
    for (let i = 0; i < n; i++) values[i * d + j] = col[i]!;
  });
  return { dims: d, values, names: input.names };
}

/** Mean vector of the rows. */
export function rowMean(r: Rows, out: Float64Array): Float64Array {
  const d = r.dims;
  const n = r.values.length / d;
  out.fill(0, 0, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j]! += r.values[i * d + j]!;
  for (let j = 0; j < d; j++) out[j]! /= n;
  return out;
}

/** Σ_i (x_i − μ)(x_i − μ)ᵀ / divisor, both triangles filled. */
export function rowCovariance(r: Rows, mu: Float64Array, divisor: number, out: Float64Array): Float64Array {
  const d = r.dims;
  const x = r.values;
  const n = x.length / d;
  out.fill(0, 0, d * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const da = x[o + a]! - mu[a]!;
      for (let b = 0; b <= a; b++) out[a * d + b]! += da * (x[o + b]! - mu[b]!);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) out[b * d + a] = out[a * d + b] = out[a * d + b]! / divisor;
  }
  return out;
}

/** Each row's squared Mahalanobis distance (x − μ)ᵀΣ⁻¹(x − μ), Σ = L·Lᵀ given by its Cholesky factor L. */
export function rowMahalanobis2(r: Rows, mu: Float64Array, chol: Float64Array): Float64Array {
  const d = r.dims;
  const n = r.values.length / d;
  const out = new Float64Array(n);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) c[a] = r.values[i * d + a]! - mu[a]!;
    solveLower(chol, d, c, c);
    let s = 0;
    for (let a = 0; a < d; a++) s += c[a]! * c[a]!;
    out[i] = s;
  }
  return out;
}
