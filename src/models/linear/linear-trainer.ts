import { fingerprintExamples } from '../../data/fingerprint.js';
import type { Dataset } from '../../data/types.js';
import { OptionError } from '../../errors.js';
import { tokenizeInParallel } from '../../text/parallel-tokenize.js';
import { classWeightRecord, exampleWeights, resolveClassWeights } from '../../train/class-weight.js';
import { Vectorizer, type VectorizerOptions } from '../../text/vectorizer.js';
import { Random } from '../../util/random.js';
import type { FitOptions, Trainer } from '../classifier.js';
import { SparseLinearClassifier } from './linear-classifier.js';
import {
  resolveLinearOptions,
  type LinearTrainerOptions,
  type ResolvedLinearOptions,
} from './linear-options.js';
import { fitNaiveBayes } from './naive-bayes.js';
import { trainOneVsRest, type ProblemRecord } from './one-vs-rest.js';
import type { ProbabilityMapping } from './probabilities.js';
import type { WeightMatrix } from './weights-file.js';

export const DEFAULT_LINEAR_SEED = 42;

/** The vectorizer configuration a resolved model needs. */
export function vectorizerOptionsFor(options: ResolvedLinearOptions): VectorizerOptions {
  const common = {
    ngrams: options.ngrams,
    minDf: options.minDf,
    maxFeatures: options.maxFeatures,
    hashBits: options.hashBits,
  };
  switch (options.model) {
    case 'nb':
      return {
        ...common,
        weighting: options.binary ? 'binary' : 'count',
        sublinearTf: options.sublinearTf,
        norm: null,
      };
    case 'nbsvm':
      return { ...common, weighting: 'binary', norm: null };
    case 'linear':
      return { ...common, weighting: 'tfidf', sublinearTf: options.sublinearTf, smoothIdf: true, norm: 'l2' };
  }
}

/**
 * Trains the linear n-gram models: multinomial naive Bayes, logistic regression or linear SVM over
 * TF-IDF features, and NBSVM. Tokenizing, building the features and fitting each report progress
 * (tasks "tokenizing", "features", "fitting"); the same seed gives the same model.
 */
export class LinearTrainer implements Trainer {
  readonly options: ResolvedLinearOptions;

  /**
   * @param threads threads for tokenizing (default: the cores available, at most 4); the result does
   *   not depend on it.
   */
  constructor(
    options: LinearTrainerOptions,
    private readonly threads?: number,
  ) {
    this.options = resolveLinearOptions(options);
  }

  async fit(dataset: Dataset, fit: FitOptions = {}): Promise<SparseLinearClassifier> {
    const options = this.options;
    const seed = fit.seed ?? DEFAULT_LINEAR_SEED;
    const random = new Random(seed);
    const labels = [...dataset.labels];
    if (labels.length < 2)
      throw new OptionError(`a classifier needs at least two labels, got ${labels.length}`);
    const examples = dataset.train;
    if (examples.length === 0) throw new OptionError('the training split is empty');
    const labelIndex = new Map(labels.map((label, i) => [label, i]));
    const y = Int32Array.from(examples, (e) => {
      const index = labelIndex.get(e.label);
      if (index === undefined)
        throw new OptionError(`training example label "${e.label}" is not in the dataset's labels`);
      return index;
    });
    const classWeights = resolveClassWeights(options.classWeight, labels, y);

    // Tokenized on every core into word ids: the main thread never holds a string per token.
    const corpus = await tokenizeInParallel(
      examples.map((e) => e.text),
      { threads: this.threads, onProgress: fit.onProgress },
    );

    fit.onProgress?.({ task: 'features', done: 0, total: 1 });
    const { vectorizer, matrix } = Vectorizer.fitTransform(corpus, vectorizerOptionsFor(options));
    fit.onProgress?.({ task: 'features', done: 1, total: 1 });
    await yieldToEventLoop();

    const numLabels = labels.length;
    const reportFitting = (done: number, total: number) =>
      fit.onProgress?.({ task: 'fitting', done, total, unit: 'problems' });
    let weights: WeightMatrix;
    let probability: ProbabilityMapping;
    let history: ProblemRecord[] = [];
    if (options.model === 'nb') {
      reportFitting(0, 1);
      const rowWeights = classWeights ? exampleWeights(classWeights, y) : undefined;
      const nb = fitNaiveBayes(matrix, y, numLabels, options.alpha ?? 1, rowWeights);
      weights = {
        rows: numLabels,
        cols: matrix.cols,
        weights: Float32Array.from(nb.logLikelihood),
        bias: Float32Array.from(nb.logPrior),
      };
      probability = { type: 'softmax' };
      reportFitting(1, 1);
    } else {
      reportFitting(0, numLabels === 2 ? 1 : numLabels);
      const result = trainOneVsRest(
        matrix,
        y,
        numLabels,
        {
          loss: options.loss ?? 'logistic',
          c: options.c ?? 1,
          tolerance: options.tolerance,
          maxIterations: options.maxIterations,
          ratioAlpha: options.model === 'nbsvm' ? (options.alpha ?? 1) : null,
          beta: options.beta,
          calibrationSplit: options.calibrationSplit,
          classWeights,
        },
        random,
        reportFitting,
      );
      weights = result.weights;
      probability = result.probability;
      history = result.history;
    }

    return new SparseLinearClassifier({
      kind: options.model,
      labels,
      vectorizer,
      weights,
      probability,
      provenance: {
        options,
        training: {
          createdAt: new Date().toISOString(),
          seed,
          dataFingerprint: fingerprintExamples(examples),
          examples: examples.length,
          history: history.map((record) => ({ ...record })),
          ...(classWeights ? { classWeights: classWeightRecord(labels, classWeights) } : {}),
        },
      },
    });
  }
}

/**
 * Lets timers and I/O run between the long synchronous stages, so that a progress bar can redraw
 * and a service stays responsive to signals; costs microseconds.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
