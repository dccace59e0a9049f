import { OptionError } from '../errors.js';
import type { SparseMatrix } from '../text/features/sparse.js';

/**
 * The two kernels every coordinate-descent solver spends its time in: the dot product of a
 * dense weight vector with one sparse row, and adding a multiple of one row to the weights.
 * The weight vector has `cols + 1` entries; the last one is the bias weight, whose feature
 * value is `biasFeature` in every row (liblinear's `-B`, scikit-learn's `intercept_scaling`),
 * so the bias is learned (and regularised) like any other weight.
 */

/** `w · x_row`, bias feature included. */
export function dotRow(w: Float64Array, x: SparseMatrix, row: number, biasFeature: number): number {
  const { indptr, indices, values } = x;
  let sum = w[x.cols] * biasFeature;
  for (let k = indptr[row], end = indptr[row + 1]; k < end; k++) sum += w[indices[k]] * values[k];
  return sum;
}

/** `w += scale · x_row`, bias feature included. */
export function addRow(
  w: Float64Array,
  x: SparseMatrix,
  row: number,
  scale: number,
  biasFeature: number,
): void {
  const { indptr, indices, values } = x;
  for (let k = indptr[row], end = indptr[row + 1]; k < end; k++) w[indices[k]] += scale * values[k];
  w[x.cols] += scale * biasFeature;
}

/** `‖x_row‖²` for every row, bias feature included: the diagonal of the dual's Hessian. */
export function rowSquaredNorms(x: SparseMatrix, biasFeature: number): Float64Array {
  const norms = new Float64Array(x.rows);
  const { indptr, values } = x;
  for (let row = 0; row < x.rows; row++) {
    let sum = biasFeature * biasFeature;
    for (let k = indptr[row], end = indptr[row + 1]; k < end; k++) sum += values[k] * values[k];
    norms[row] = sum;
  }
  return norms;
}

/** Decision values `w · x_row + bias` of every row, for a solved weight vector (bias folded in). */
export function decisionValues(weights: ArrayLike<number>, bias: number, x: SparseMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  const { indptr, indices, values } = x;
  for (let row = 0; row < x.rows; row++) {
    let sum = bias;
    for (let k = indptr[row], end = indptr[row + 1]; k < end; k++) sum += weights[indices[k]] * values[k];
    out[row] = sum;
  }
  return out;
}

/** The solution of a binary problem: one weight per column and the bias (already multiplied by its feature value). */
export interface BinarySolution {
  readonly weights: Float64Array;
  readonly bias: number;
  /** The dual variables, one per row: a warm start for a later solve on (a superset of) the rows. */
  readonly alpha: Float64Array;
  /** Outer passes over the data that ran. */
  readonly iterations: number;
  /** False when `maxIterations` ran out before the stopping criterion held. */
  readonly converged: boolean;
}

/** Shuffles `order[0 .. length)` in place with the seeded generator (Fisher–Yates). */
export function shufflePrefix(order: Int32Array, length: number, next: (n: number) => number): void {
  for (let i = length - 1; i > 0; i--) {
    const j = next(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

/** Cᵢ = C·wᵢ per row (liblinear's per-class C, scikit-learn's `sample_weight`), checking the weights. */
export function rowCosts(c: number, rows: number, rowWeights?: Float64Array): Float64Array {
  if (!rowWeights) return new Float64Array(rows).fill(c);
  if (rowWeights.length !== rows)
    throw new OptionError(`row weights (${rowWeights.length}) and rows (${rows}) differ in number`);
  return rowWeights.map((w) => {
    if (!(w > 0) || !Number.isFinite(w)) throw new OptionError(`row weights must be positive, got ${w}`);
    return c * w;
  });
}
