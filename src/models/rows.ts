/**
 * Data operations for numeric samples stored row-major in one Float64Array, `dims` values a row
 * (dims = 1 for the 1-D models). Shared by gaussian, mvn and gmm.
 */

import type { Rng } from "../stats/rng.js";
import type { DataOps } from "./model.js";
import { appendOnlyPool, concatTyped } from "./typed.js";

export function rowOps(dims: number): DataOps<Float64Array> {
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
