import { OptionError } from '../errors.js';
import type { SparseMatrix } from '../text/features/sparse.js';
import type { Random } from '../util/random.js';
import {
  addRow,
  dotRow,
  rowCosts,
  rowSquaredNorms,
  shufflePrefix,
  type BinarySolution,
} from './sparse-ops.js';

/**
 * L2-regularised logistic regression by dual coordinate descent (Yu, Huang, Lin 2011, "Dual
 * coordinate descent methods for logistic regression and maximum entropy models"), as liblinear's
 * `solve_l2r_lr_dual` does it. Primal:
 *
 *   min_w ½‖w‖² + C Σ_i log(1 + exp(−y_i wᵀx_i))
 *
 * Chosen over a primal Newton or L-BFGS method because it shares the SVM solver's shape (one
 * sparse dot and one sparse axpy per row, a seeded order per pass), needs no line search over the
 * whole data, and on text — many more features than rows — reaches a useful accuracy in a handful
 * of passes. Each dual variable α_i ∈ (0, C) (paired with C − α_i so that the entropy terms stay
 * finite) is set by a few safeguarded Newton steps on its one-variable sub-problem.
 */
export interface LogisticOptions {
  /** Inverse regularisation strength (liblinear `-c`, scikit-learn `C`). */
  readonly c: number;
  /** Value of the constant bias feature; 0 learns no bias. Default 1. */
  readonly biasFeature?: number;
  /** Stop when the largest sub-problem gradient of a pass falls below this (liblinear `-e`, default 0.1). */
  readonly tolerance?: number;
  /** Cap on passes over the data. */
  readonly maxIterations?: number;
  /** Orders the coordinates of each pass, so that a seed gives one solution. */
  readonly random: Random;
  /** `‖x_i‖²` per row without the bias feature, when the caller already has it. */
  readonly squaredNorms?: Float64Array;
  /** A weight per row that scales its loss term: row i gets C·wᵢ. Default: all 1. */
  readonly rowWeights?: Float64Array;
}

export const LOGISTIC_DEFAULT_TOLERANCE = 0.1;
export const LOGISTIC_DEFAULT_MAX_ITERATIONS = 1000;
const MAX_INNER_ITERATIONS = 100;
/** Newton steps that would leave (0, C) shrink z by this factor instead (ξ in the paper). */
const ETA = 0.1;

/** Trains one binary logistic regression; `y[i]` is +1 or −1. */
export function trainLogistic(x: SparseMatrix, y: Int8Array, options: LogisticOptions): BinarySolution {
  const l = x.rows;
  if (y.length !== l) throw new OptionError(`labels (${y.length}) and rows (${l}) differ in number`);
  if (!(options.c > 0) || !Number.isFinite(options.c))
    throw new OptionError(`c must be a positive number, got ${options.c}`);
  const cost = rowCosts(options.c, l, options.rowWeights);
  const biasFeature = options.biasFeature ?? 1;
  const eps = options.tolerance ?? LOGISTIC_DEFAULT_TOLERANCE;
  const maxIterations = options.maxIterations ?? LOGISTIC_DEFAULT_MAX_ITERATIONS;

  const w = new Float64Array(x.cols + 1);
  // alpha[2i] is α_i, alpha[2i+1] is Cᵢ − α_i; both start strictly inside (0, Cᵢ).
  const alpha = new Float64Array(2 * l);
  const xx = new Float64Array(l);
  const norms = options.squaredNorms ?? rowSquaredNorms(x, 0);
  for (let i = 0; i < l; i++) {
    const c = cost[i];
    const start = Math.min(0.001 * c, 1e-8);
    xx[i] = norms[i] + biasFeature * biasFeature;
    alpha[2 * i] = start;
    alpha[2 * i + 1] = c - start;
    addRow(w, x, i, y[i] * start, biasFeature);
  }

  const index = new Int32Array(l);
  for (let i = 0; i < l; i++) index[i] = i;
  const next = (n: number) => options.random.int(n);
  let innerEps = 1e-2;
  const innerEpsMin = Math.min(1e-8, eps);
  let iteration = 0;
  let converged = false;

  while (iteration < maxIterations) {
    shufflePrefix(index, l, next);
    let newtonIterations = 0;
    let gMax = 0;
    for (let s = 0; s < l; s++) {
      const i = index[s];
      const yi = y[i];
      const c = cost[i];
      const a = xx[i];
      const b = yi * dotRow(w, x, i, biasFeature);
      // Minimise over whichever of α_i and C − α_i the gradient points away from, for stability.
      let ind1 = 2 * i;
      let ind2 = 2 * i + 1;
      let sign = 1;
      if (0.5 * a * (alpha[ind2] - alpha[ind1]) + b < 0) {
        ind1 = 2 * i + 1;
        ind2 = 2 * i;
        sign = -1;
      }
      // g(z) = z log z + (C − z) log(C − z) + ½a(z − z₀)² + sign·b(z − z₀)
      const zOld = alpha[ind1];
      let z = zOld;
      if (c - z < 0.5 * c) z = 0.1 * z;
      let gp = a * (z - zOld) + sign * b + Math.log(z / (c - z));
      gMax = Math.max(gMax, Math.abs(gp));
      let inner = 0;
      while (inner <= MAX_INNER_ITERATIONS) {
        if (Math.abs(gp) < innerEps) break;
        const gpp = a + c / (c - z) / z;
        const tmp = z - gp / gpp;
        z = tmp <= 0 ? z * ETA : tmp;
        gp = a * (z - zOld) + sign * b + Math.log(z / (c - z));
        newtonIterations++;
        inner++;
      }
      if (inner > 0) {
        alpha[ind1] = z;
        alpha[ind2] = c - z;
        addRow(w, x, i, sign * (z - zOld) * yi, biasFeature);
      }
    }
    iteration++;
    if (gMax < eps) {
      converged = true;
      break;
    }
    // Sub-problems solved cheaply: ask for more precision in each.
    if (newtonIterations <= l / 10) innerEps = Math.max(innerEpsMin, 0.1 * innerEps);
  }
  const duals = new Float64Array(l);
  for (let i = 0; i < l; i++) duals[i] = alpha[2 * i];
  return {
    weights: w.subarray(0, x.cols),
    bias: w[x.cols] * biasFeature,
    alpha: duals,
    iterations: iteration,
    converged,
  };
}

/**
 * The primal objective ½‖w‖² + Σ Cᵢ log(1 + exp(−y wᵀx)) (Cᵢ = C, or C·wᵢ with row weights) and its
 * gradient (bias weight last, its feature value `biasFeature`): to check a solution, since the
 * gradient vanishes at the optimum.
 */
export function logisticObjective(
  x: SparseMatrix,
  y: Int8Array,
  c: number,
  weights: ArrayLike<number>,
  bias: number,
  biasFeature = 1,
  rowWeights?: Float64Array,
): { value: number; gradient: Float64Array } {
  const cost = rowCosts(c, x.rows, rowWeights);
  const w = new Float64Array(x.cols + 1);
  for (let j = 0; j < x.cols; j++) w[j] = weights[j];
  w[x.cols] = biasFeature === 0 ? 0 : bias / biasFeature;
  let value = 0;
  for (let j = 0; j <= x.cols; j++) value += 0.5 * w[j] * w[j];
  const gradient = Float64Array.from(w);
  for (let i = 0; i < x.rows; i++) {
    const margin = y[i] * dotRow(w, x, i, biasFeature);
    value += cost[i] * (margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin)));
    const sigma = 1 / (1 + Math.exp(margin)); // σ(−margin)
    addRow(gradient, x, i, -cost[i] * y[i] * sigma, biasFeature);
  }
  return { value, gradient };
}
