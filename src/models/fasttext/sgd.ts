import { argmax, averageRows, scoreHidden, softmax, type FastTextWeights } from './fasttext-model.js';

/** What one step saw before it updated the weights: the example's loss and whether it was right. */
export interface StepResult {
  readonly loss: number;
  readonly correct: boolean;
}

/** Smallest probability the loss takes the log of, so that a confident mistake costs a finite loss. */
export const MIN_PROBABILITY = 1e-12;

/**
 * One example's stochastic gradient step on the softmax cross-entropy, updating in place only the
 * rows the example uses — the text's input rows and the output rows — which is what makes an
 * epoch over IMDB take about a second: a dense optimiser would touch all of the million or so
 * input rows at every step.
 *
 * With hidden vector h (the mean of the n input rows), probabilities p = softmax(W h) and target t:
 * the gradient of −log p_t is (p_k − [k = t]) h for output row k, and (1/n) Σ_k (p_k − [k = t]) W_k
 * for each input row. The input gradient is taken with the output rows as they were before this
 * step, and an input row used twice by the text is moved twice, as the gradient of a mean says.
 * Scratch buffers are kept between calls, so that a step allocates no arrays.
 */
export class SgdStep {
  private readonly hidden: Float64Array;
  private readonly gradient: Float64Array;
  private readonly probabilities: Float64Array;

  constructor(private readonly weights: FastTextWeights) {
    this.hidden = new Float64Array(weights.dim);
    this.gradient = new Float64Array(weights.dim);
    this.probabilities = new Float64Array(weights.labels);
  }

  /** Trains on the example whose input rows are `rows[start … end)` and whose label is `target`. */
  run(rows: Int32Array, start: number, end: number, target: number, learningRate: number): StepResult {
    const { dim, input, output, labels } = this.weights;
    const { hidden, gradient, probabilities } = this;
    const count = averageRows(this.weights, rows, start, end, hidden);
    scoreHidden(this.weights, hidden, probabilities);
    softmax(probabilities, probabilities);
    const result = {
      loss: -Math.log(Math.max(probabilities[target], MIN_PROBABILITY)),
      correct: argmax(probabilities) === target,
    };
    // A text with no known word and no n-gram has nothing to learn from (fastText skips it too).
    if (count === 0) return result;

    gradient.fill(0);
    for (let k = 0; k < labels; k++) {
      const alpha = learningRate * ((k === target ? 1 : 0) - probabilities[k]);
      const offset = k * dim;
      for (let d = 0; d < dim; d++) {
        gradient[d] += alpha * output[offset + d];
        output[offset + d] += alpha * hidden[d];
      }
    }
    for (let d = 0; d < dim; d++) gradient[d] /= count;
    for (let i = start; i < end; i++) {
      const offset = rows[i] * dim;
      for (let d = 0; d < dim; d++) input[offset + d] += gradient[d];
    }
    return result;
  }
}
