/**
 * Generation-0 checks of seed data given as numeric columns (mvn, gmm): each column's variance
 * must be a normal double, no column may be constant, none a linear combination of the others.
 * Each failure is an InputError naming the column and where the data came from.
 */
import { InputError } from "../errors.js";
import { choleskyFailure } from "../stats/cholesky.js";
import { MIN_NORMAL, short } from "../stats/limits.js";
import { type Rows, rowMean } from "./rows.js";

/**
 * Each column's variance must be a normal finite double for a covariance (and its Cholesky
 * factor, its determinant) to mean anything: deviations beyond ≈1e154 square to Infinity,
 * deviations below ≈1e-154 square to (sub)normal dust. Either is named here, before generation 0
 * is fitted, as what it is — not as equal values, collinear columns or a hang.
 */
export function checkColumnRange(r: Rows, model: string, where: string): void {
  const d = r.dims;
  const x = r.values;
  const n = x.length / d;
  if (n === 0) return;
  const mu = rowMean(r, new Float64Array(d));
  for (let j = 0; j < d; j++) {
    let ss = 0;
    let top = 0;
    for (let i = 0; i < n; i++) {
      const dev = x[i * d + j]! - mu[j]!;
      ss += dev * dev;
      top = Math.max(top, Math.abs(dev));
    }
    const column = `${where}: column ${JSON.stringify(r.names?.[j] ?? String(j + 1))}`;
    if (!Number.isFinite(ss / n)) {
      throw new InputError(
        `${column}: its variance overflows a double (values up to ${short(top)} from the mean; --model ${model} needs deviations below 1e154); rescale the column (divide it by a power of 10)`,
      );
    }
    if (top > 0 && ss / n < MIN_NORMAL) {
      throw new InputError(
        `${column}: its variance underflows a double (values only ${short(top)} from the mean; --model ${model} needs deviations above 1e-154); rescale the column (multiply it by a power of 10)`,
      );
    }
  }
}

/** Columns are collinear when R² of one on the others exceeds 1 − COLLINEAR. */
const COLLINEAR = 1e-10;

/**
 * The generation-0 checks of a covariance: named columns that are constant or collinear are an
 * InputError. A column counts as constant when its standard deviation is below 1e-12 of its mean's
 * magnitude: the rounding of the mean alone leaves a variance of that order in an equal column.
 */
export function checkCovariance(cov: Float64Array, mean: Float64Array, d: number, names: readonly string[], model: string, where: string): void {
  const name = (j: number) => `${where}: column ${JSON.stringify(names[j] ?? String(j + 1))}`;
  for (let j = 0; j < d; j++) {
    if (!(cov[j * d + j]! > (1e-12 * mean[j]!) ** 2))
      throw new InputError(
        `${name(j)}: all values are equal (${+mean[j]!.toPrecision(12)}); --model ${model} needs spread in every column — pick other columns with --column, or other data`,
      );
  }
  // (√ each variance separately: their product under- or overflows for variances of 1e-200 or 1e200.)
  // Cholesky of the correlation matrix: pivot_j² = 1 − R²_j, the share of column j's variance not
  // explained linearly by the columns before it.
  const corr = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) corr[a * d + b] = cov[a * d + b]! / (Math.sqrt(cov[a * d + a]!) * Math.sqrt(cov[b * d + b]!));
  }
  const j = choleskyFailure(corr, d, new Float64Array(d * d), COLLINEAR);
  if (j >= 0) {
    const before = names
      .slice(0, j)
      .map((n) => JSON.stringify(n))
      .join(", ");
    throw new InputError(
      `${name(j)} is (almost) a linear combination of ${before} (R² > 1 − ${COLLINEAR}); the covariance is singular — drop one of these columns with --column`,
    );
  }
}
