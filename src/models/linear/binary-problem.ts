import type { SparseMatrix } from '../../text/features/sparse.js';
import type { Random } from '../../util/random.js';
import { trainDualCdSvm } from './dual-cd-svm.js';
import type { LinearLoss } from './linear-options.js';
import { trainLogistic } from '../../fit/logistic.js';
import { interpolateWeights, logCountRatio, scaleColumns } from './nbsvm.js';

/** How each binary problem is trained. */
export interface DiscriminativeOptions {
  readonly loss: LinearLoss;
  readonly c: number;
  readonly tolerance: number;
  readonly maxIterations: number;
  /** NBSVM: scale features by the log-count ratio with this α; null trains on the features as they are. */
  readonly ratioAlpha: number | null;
  /** NBSVM with an SVM loss: Wang & Manning's interpolation β; null leaves the weights as trained. */
  readonly beta: number | null;
  /** SVM losses: fraction of rows held out to fit the Platt sigmoid. */
  readonly calibrationSplit: number | null;
  /**
   * A weight per label; every row's loss term (C) is scaled by its own label's weight in each
   * problem, as scikit-learn's `class_weight` does, and so is its term in the Platt fit. Null: all 1.
   */
  readonly classWeights?: Float64Array | null;
}

export interface SolvedProblem {
  /** Weights over the unscaled features (any NBSVM ratio folded in). */
  readonly weights: Float64Array;
  readonly bias: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * One binary problem (`y[i]` is +1 or −1): logistic regression or an SVM, on the features as they
 * are or NBSVM-scaled by the log-count ratio of these rows.
 * @param squaredNorms the rows' `‖x_i‖²` when the caller already has them (unscaled features only).
 */
export function solveBinary(
  x: SparseMatrix,
  y: Int8Array,
  options: DiscriminativeOptions,
  random: Random,
  squaredNorms?: Float64Array,
  rowWeights?: Float64Array,
): SolvedProblem {
  const ratio = options.ratioAlpha === null ? null : logCountRatio(x, y, options.ratioAlpha);
  const features = ratio ? scaleColumns(x, ratio) : x;
  const common = {
    c: options.c,
    tolerance: options.tolerance,
    maxIterations: options.maxIterations,
    random,
    squaredNorms: ratio ? undefined : squaredNorms,
    rowWeights,
  };
  const solution =
    options.loss === 'logistic'
      ? trainLogistic(features, y, common)
      : trainDualCdSvm(features, y, { ...common, loss: options.loss });
  let w = solution.weights;
  if (options.beta !== null) w = interpolateWeights(w, options.beta);
  const weights = new Float64Array(x.cols);
  for (let j = 0; j < x.cols; j++) weights[j] = ratio ? w[j] * ratio[j] : w[j];
  return { weights, bias: solution.bias, iterations: solution.iterations, converged: solution.converged };
}
