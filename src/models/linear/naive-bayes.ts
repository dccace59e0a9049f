import { OptionError } from '../../errors.js';
import type { SparseMatrix } from '../../text/features/sparse.js';

/**
 * Multinomial naive Bayes (as scikit-learn's `MultinomialNB` with `fit_prior=True`):
 *
 *   log P(feature j | label k) = log (N_kj + α) − log (N_k + α·n)
 *   log P(label k)             = log (documents of k / documents)
 *
 * where N_kj sums feature j's values over the rows of label k, N_k = Σ_j N_kj and n is the number
 * of features. A text's joint log-likelihood for label k is log P(k) + Σ_j x_j log P(j | k): a
 * linear model with one weight row per label, so it is stored and scored like the others, and
 * its posterior is the softmax of those scores. Naturally multi-class.
 */
export interface NaiveBayesModel {
  /** `labels × cols`, row-major: log P(feature | label). */
  readonly logLikelihood: Float64Array;
  /** log P(label), one per label. */
  readonly logPrior: Float64Array;
}

/**
 * Fits on a count (or binary) matrix; `labels[i]` is the label index of row i. With `rowWeights`,
 * row i counts wᵢ times in both the feature counts and the label prior, as scikit-learn's
 * `sample_weight` does; per-label weights of n / (labels × n_k) thus make the prior uniform.
 */
export function fitNaiveBayes(
  x: SparseMatrix,
  labels: Int32Array,
  numLabels: number,
  alpha = 1,
  rowWeights?: Float64Array,
): NaiveBayesModel {
  return NaiveBayesCounts.of(x, labels, numLabels, rowWeights).model(alpha);
}

/**
 * The sums naive Bayes is made of, gathered batch by batch: fitting on rows read in passes over a file
 * needs only these, never the whole matrix.
 */
export class NaiveBayesCounts {
  /** `labels × cols`: N_kj. */
  private readonly counts: Float64Array;
  /** Rows of each label (weighted). */
  private readonly documents: Float64Array;

  constructor(
    readonly numLabels: number,
    readonly cols: number,
  ) {
    this.counts = new Float64Array(numLabels * cols);
    this.documents = new Float64Array(numLabels);
  }

  /** The counts of one matrix. */
  static of(
    x: SparseMatrix,
    labels: Int32Array,
    numLabels: number,
    rowWeights?: Float64Array,
  ): NaiveBayesCounts {
    const counts = new NaiveBayesCounts(numLabels, x.cols);
    counts.add(x, labels, rowWeights);
    return counts;
  }

  /** Adds rows; `labels[i]` is the label index of row i of `x`, counted `rowWeights[i]` times (default 1). */
  add(x: SparseMatrix, labels: Int32Array, rowWeights?: Float64Array): void {
    if (labels.length !== x.rows)
      throw new OptionError(`labels (${labels.length}) and rows (${x.rows}) differ`);
    if (rowWeights && rowWeights.length !== x.rows)
      throw new OptionError(`row weights (${rowWeights.length}) and rows (${x.rows}) differ`);
    if (x.cols !== this.cols) throw new OptionError(`${x.cols} columns, expected ${this.cols}`);
    const { counts, documents, cols } = this;
    const { indptr, indices, values } = x;
    for (let row = 0; row < x.rows; row++) {
      const k = labels[row];
      const weight = rowWeights ? rowWeights[row] : 1;
      documents[k] += weight;
      const offset = k * cols;
      for (let p = indptr[row], end = indptr[row + 1]; p < end; p++)
        counts[offset + indices[p]] += weight * values[p];
    }
  }

  /** The model with additive smoothing `alpha`. */
  model(alpha = 1): NaiveBayesModel {
    if (!(alpha > 0) || !Number.isFinite(alpha)) {
      // α = 0 would give log 0 for any feature unseen with a label.
      throw new OptionError(`alpha must be a positive number, got ${alpha}`);
    }
    const { counts, documents, cols, numLabels } = this;
    const logLikelihood = new Float64Array(numLabels * cols);
    const logPrior = new Float64Array(numLabels);
    const totalDocuments = documents.reduce((a, b) => a + b, 0);
    for (let k = 0; k < numLabels; k++) {
      let total = 0;
      for (let j = 0; j < cols; j++) total += counts[k * cols + j];
      const logTotal = Math.log(total + alpha * cols);
      for (let j = 0; j < cols; j++)
        logLikelihood[k * cols + j] = Math.log(counts[k * cols + j] + alpha) - logTotal;
      logPrior[k] = Math.log(documents[k] / totalDocuments);
    }
    return { logLikelihood, logPrior };
  }
}
