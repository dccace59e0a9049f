import type { Random } from '../../util/random.js';

/**
 * The two weight matrices of a fastText classifier, row-major Float32: `input` holds one
 * `dim`-vector per word and n-gram bucket, `output` one per label. A text's hidden vector is the
 * mean of its input rows, and label k's score (logit) is `output[k] · hidden`. There is no bias,
 * as in fastText: a score is then exactly the sum of its rows' shares, which is what
 * explanations report.
 */
export interface FastTextWeights {
  readonly dim: number;
  readonly inputRows: number;
  readonly labels: number;
  readonly input: Float32Array;
  readonly output: Float32Array;
}

/**
 * Fresh weights as fastText starts them: input rows uniform in ±1/dim (so that the average of a
 * text's rows starts small and every row gets a gradient from the first step), output zero (every
 * label starts equally likely).
 */
export function initialWeights(
  inputRows: number,
  dim: number,
  labels: number,
  random: Random,
): FastTextWeights {
  const input = new Float32Array(inputRows * dim);
  const scale = 1 / dim;
  for (let i = 0; i < input.length; i++) input[i] = (2 * random.next() - 1) * scale;
  return { dim, inputRows, labels, input, output: new Float32Array(labels * dim) };
}

/**
 * Writes the mean of the input rows `rows[start … end)` into `hidden` and returns how many rows
 * there were (0 leaves `hidden` zero: a text without known words or n-grams).
 */
export function averageRows(
  weights: FastTextWeights,
  rows: ArrayLike<number>,
  start: number,
  end: number,
  hidden: Float64Array,
): number {
  const { dim, input } = weights;
  hidden.fill(0);
  for (let i = start; i < end; i++) {
    const offset = rows[i] * dim;
    for (let d = 0; d < dim; d++) hidden[d] += input[offset + d];
  }
  const count = end - start;
  if (count > 0) for (let d = 0; d < dim; d++) hidden[d] /= count;
  return count;
}

/** Label scores `output · hidden` into `logits`. */
export function scoreHidden(weights: FastTextWeights, hidden: Float64Array, logits: Float64Array): void {
  const { dim, output, labels } = weights;
  for (let k = 0; k < labels; k++) {
    let sum = 0;
    const offset = k * dim;
    for (let d = 0; d < dim; d++) sum += output[offset + d] * hidden[d];
    logits[k] = sum;
  }
}

/** Softmax of `logits` into `out` (which may be `logits`), shifted by the maximum for stability. */
export function softmax(logits: ArrayLike<number>, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    out[k] = Math.exp(logits[k] - max);
    sum += out[k];
  }
  for (let k = 0; k < logits.length; k++) out[k] /= sum;
  return out;
}

/** Index of the largest value; the first on ties, so label order breaks them. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}
