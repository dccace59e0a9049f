import { OptionError } from '../../errors.js';
import type { SparseMatrix } from '../../text/features/sparse.js';

/**
 * NBSVM (Wang & Manning 2012, "Baselines and Bigrams: Simple, Good Sentiment and Topic
 * Classification"): a linear classifier trained on binarised n-gram features that are first
 * scaled, feature by feature, by the naive Bayes log-count ratio
 *
 *   r = log( (p / ‖p‖₁) / (q / ‖q‖₁) ),   p = α + Σ_{i: y_i = +1} x̂_i,   q = α + Σ_{i: y_i = −1} x̂_i
 *
 * so that features that naive Bayes finds telling start out large. With more than two labels each
 * one-vs-rest problem gets its own ratio. Since the model is linear, the scaling folds into the
 * weights after training (w'_j = r_j · w_j), and prediction is one sparse dot product per label.
 */

/** The log-count ratio of every column; `y[i]` is +1 or −1, `x` should hold binarised features. */
export function logCountRatio(x: SparseMatrix, y: Int8Array, alpha = 1): Float64Array {
  if (!(alpha > 0) || !Number.isFinite(alpha))
    throw new OptionError(`alpha must be a positive number, got ${alpha}`);
  const p = new Float64Array(x.cols).fill(alpha);
  const q = new Float64Array(x.cols).fill(alpha);
  const { indptr, indices, values } = x;
  for (let row = 0; row < x.rows; row++) {
    const target = y[row] > 0 ? p : q;
    for (let k = indptr[row], end = indptr[row + 1]; k < end; k++) target[indices[k]] += values[k];
  }
  let pSum = 0;
  let qSum = 0;
  for (let j = 0; j < x.cols; j++) {
    pSum += p[j];
    qSum += q[j];
  }
  const r = new Float64Array(x.cols);
  const offset = Math.log(qSum / pSum);
  for (let j = 0; j < x.cols; j++) r[j] = Math.log(p[j] / q[j]) + offset;
  return r;
}

/** `x` with column j multiplied by `scale[j]` (same structure, new values). */
export function scaleColumns(x: SparseMatrix, scale: ArrayLike<number>): SparseMatrix {
  const values = new Float32Array(x.values.length);
  for (let k = 0; k < values.length; k++) values[k] = x.values[k] * scale[x.indices[k]];
  return { rows: x.rows, cols: x.cols, indptr: x.indptr, indices: x.indices, values };
}

/**
 * Wang & Manning's interpolation for the SVM variant: w' = (1 − β) w̄ + β w with w̄ = mean |w_j|,
 * which trusts naive Bayes (a flat w) more as β falls. The bias is left as it is.
 */
export function interpolateWeights(weights: Float64Array, beta: number): Float64Array {
  if (!(beta >= 0 && beta <= 1)) throw new OptionError(`beta must be in [0, 1], got ${beta}`);
  let mean = 0;
  for (let j = 0; j < weights.length; j++) mean += Math.abs(weights[j]);
  mean /= Math.max(weights.length, 1);
  const out = new Float64Array(weights.length);
  for (let j = 0; j < weights.length; j++) out[j] = (1 - beta) * mean + beta * weights[j];
  return out;
}
