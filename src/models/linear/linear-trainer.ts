import { ExampleFingerprint, fingerprintExamples } from '../../data/fingerprint.js';
import type { Dataset } from '../../data/types.js';
import { DatasetError, OptionError } from '../../errors.js';
import { tokenizeInParallel } from '../../text/features/parallel-tokenize.js';
import { classWeightRecord, exampleWeights, resolveClassWeights } from '../../fit/class-weight.js';
import { CsrBuilder, type SparseMatrix } from '../../text/features/sparse.js';
import type { TokenIdCorpus } from '../../text/features/token-ids.js';
import { tokenize } from '../../text/sequences/tokenize.js';
import { Vectorizer, type VectorizerOptions } from '../../text/features/vectorizer.js';
import { Random } from '../../util/random.js';
import type { BatchTrainer, FitOptions, TrainingBatches } from '../classifier.js';
import { SparseLinearClassifier } from './linear-classifier.js';
import {
  resolveLinearOptions,
  type LinearTrainerOptions,
  type ResolvedLinearOptions,
} from './linear-options.js';
import { NaiveBayesCounts } from './naive-bayes.js';
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
export class LinearTrainer implements BatchTrainer {
  readonly options: ResolvedLinearOptions;

  /**
   * @param threads threads for tokenizing (default: the cores available, at most 4) and, beyond one,
   *   for calibrating an SVM beside the final solve; the result does not depend on it.
   */
  constructor(
    options: LinearTrainerOptions,
    private readonly threads?: number,
  ) {
    this.options = resolveLinearOptions(options);
  }

  async fit(dataset: Dataset, fit: FitOptions = {}): Promise<SparseLinearClassifier> {
    const labels = checkLabels(dataset.labels);
    const examples = dataset.train;
    if (examples.length === 0) throw new OptionError('the training split is empty');
    const labelIndex = new Map(labels.map((label, i) => [label, i]));
    const y = Int32Array.from(examples, (e) => indexOfLabel(labelIndex, e.label));
    const classWeights = resolveClassWeights(this.options.classWeight, labels, y);
    const clock = new StageClock();

    // Tokenized on every core into word ids: the main thread never holds a string per token.
    const corpus = await tokenizeInParallel(
      examples.map((e) => e.text),
      { threads: this.threads, onProgress: fit.onProgress },
    );

    clock.lap('tokenizing');
    fit.onProgress?.({ task: 'features', done: 0, total: 1 });
    const { vectorizer, matrix } = Vectorizer.fitTransform(corpus, vectorizerOptionsFor(this.options));
    fit.onProgress?.({ task: 'features', done: 1, total: 1 });
    clock.lap('features');
    await yieldToEventLoop();

    const seed = fit.seed ?? DEFAULT_LINEAR_SEED;
    const model =
      this.options.model === 'nb'
        ? this.naiveBayes(NaiveBayesCounts.of(matrix, y, labels.length, rowWeightsOf(classWeights, y)), fit)
        : await this.fitWeights(matrix, y, labels.length, classWeights, new Random(seed), fit);
    clock.lap('fitting');
    const dataFingerprint = fingerprintExamples(examples);
    return this.classifier(labels, vectorizer, model, classWeights, {
      seed,
      dataFingerprint,
      examples: examples.length,
      seconds: clock.seconds(),
    });
  }

  /**
   * `fit` on training examples read in batches, for data larger than memory: the texts are read
   * twice and never held — once to learn the vocabulary (the n-grams and their document counts), once to
   * build the feature rows. Naive Bayes then needs only per-label sums, so its memory is bounded by the
   * vocabulary; the other models hold the sparse feature matrix (about 8 bytes per distinct n-gram of each
   * text), as their solvers pass over it many times. Gives the model `fit` gives on the same examples
   * in the same order.
   */
  async fitBatches(data: TrainingBatches, fit: FitOptions = {}): Promise<SparseLinearClassifier> {
    const labels = checkLabels(data.labels);
    const labelIndex = new Map(labels.map((label, i) => [label, i]));
    const fingerprint = new ExampleFingerprint();
    let y = new Int32Array(1 << 16);
    let rows = 0;
    const report = (task: string, done: number) =>
      fit.onProgress?.({
        task,
        done,
        total: rows > 0 && task !== 'vocabulary' ? rows : undefined,
        unit: 'reviews',
      });
    const threads = this.threads;
    // Pass 1: labels, fingerprint and the vocabulary.
    async function* corpora(): AsyncGenerator<TokenIdCorpus> {
      for await (const batch of data.read()) {
        if (rows + batch.length > y.length) {
          const grown = new Int32Array(Math.max(2 * y.length, rows + batch.length));
          grown.set(y);
          y = grown;
        }
        for (const example of batch) {
          y[rows++] = indexOfLabel(labelIndex, example.label);
          fingerprint.add(example);
        }
        yield await tokenizeInParallel(
          batch.map((e) => e.text),
          { threads },
        );
        report('vocabulary', rows);
      }
    }
    const vectorizer = await Vectorizer.fitBatches(corpora(), vectorizerOptionsFor(this.options));
    if (rows === 0) throw new OptionError('the training split is empty');
    y = y.slice(0, rows);
    const classWeights = resolveClassWeights(this.options.classWeight, labels, y);
    const rowWeights = rowWeightsOf(classWeights, y);
    await yieldToEventLoop();

    // Pass 2: the feature rows, added up for naive Bayes or gathered into one matrix for the others.
    const nb = this.options.model === 'nb' ? new NaiveBayesCounts(labels.length, vectorizer.size) : undefined;
    const builder = nb ? undefined : new CsrBuilder(vectorizer.size, rows);
    let done = 0;
    for await (const batch of data.read()) {
      if (done + batch.length <= rows) {
        const part = vectorizer.transform(batch.map((e) => tokenize(e.text)));
        if (nb)
          nb.add(
            part,
            y.subarray(done, done + batch.length),
            rowWeights?.subarray(done, done + batch.length),
          );
        else builder!.addRows(part);
        report('features', done + batch.length);
      }
      done += batch.length;
    }
    if (done !== rows) {
      throw new DatasetError(
        `the training data changed between two reads (${rows} examples, then ${done}): it must stay the same while a model trains`,
      );
    }
    await yieldToEventLoop();
    const seed = fit.seed ?? DEFAULT_LINEAR_SEED;
    const model = nb
      ? this.naiveBayes(nb, fit)
      : await this.fitWeights(builder!.build(), y, labels.length, classWeights, new Random(seed), fit);
    return this.classifier(labels, vectorizer, model, classWeights, {
      seed,
      dataFingerprint: fingerprint.digest(),
      examples: rows,
    });
  }

  private naiveBayes(counts: NaiveBayesCounts, fit: FitOptions): FittedWeights {
    fit.onProgress?.({ task: 'fitting', done: 0, total: 1, unit: 'problems' });
    const nb = counts.model(this.options.alpha ?? 1);
    fit.onProgress?.({ task: 'fitting', done: 1, total: 1, unit: 'problems' });
    return {
      weights: {
        rows: counts.numLabels,
        cols: counts.cols,
        weights: Float32Array.from(nb.logLikelihood),
        bias: Float32Array.from(nb.logPrior),
      },
      probability: { type: 'softmax' },
      history: [],
    };
  }

  /** Logistic regression or SVM weights (one-vs-rest beyond two labels), with NBSVM scaling for nbsvm. */
  private fitWeights(
    matrix: SparseMatrix,
    y: Int32Array,
    numLabels: number,
    classWeights: Float64Array | null,
    random: Random,
    fit: FitOptions,
  ): Promise<FittedWeights> {
    const options = this.options;
    const reportFitting = (done: number, total: number) =>
      fit.onProgress?.({ task: 'fitting', done, total, unit: 'problems' });
    reportFitting(0, numLabels === 2 ? 1 : numLabels);
    return trainOneVsRest(
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
      { threads: this.threads },
    );
  }

  private classifier(
    labels: readonly string[],
    vectorizer: Vectorizer,
    model: FittedWeights,
    classWeights: Float64Array | null,
    training: {
      seed: number;
      dataFingerprint: string;
      examples: number;
      seconds?: Readonly<Record<string, number>>;
    },
  ): SparseLinearClassifier {
    return new SparseLinearClassifier({
      kind: this.options.model,
      labels,
      vectorizer,
      weights: model.weights,
      probability: model.probability,
      provenance: {
        options: this.options,
        training: {
          createdAt: new Date().toISOString(),
          ...training,
          history: model.history.map((record) => ({ ...record })),
          ...(classWeights ? { classWeights: classWeightRecord(labels, classWeights) } : {}),
        },
      },
    });
  }
}

/** The contract's batches (models/classifier.ts), named here too as this module exported them first. */
export type { TrainingBatches };

interface FittedWeights {
  readonly weights: WeightMatrix;
  readonly probability: ProbabilityMapping;
  readonly history: readonly ProblemRecord[];
}

/** Seconds from its creation to each lap, by the lap's name, and in all. */
class StageClock {
  private readonly started = performance.now();
  private last = this.started;
  private readonly laps: Record<string, number> = {};

  lap(stage: string): void {
    const now = performance.now();
    this.laps[stage] = roundSeconds(now - this.last);
    this.last = now;
  }

  seconds(): Record<string, number> {
    return { ...this.laps, total: roundSeconds(performance.now() - this.started) };
  }
}

function roundSeconds(milliseconds: number): number {
  return Math.round(milliseconds) / 1000;
}

/** Naive Bayes counts each row its label's weight times. */
function rowWeightsOf(classWeights: Float64Array | null, y: Int32Array): Float64Array | undefined {
  return classWeights ? exampleWeights(classWeights, y) : undefined;
}

function checkLabels(labels: readonly string[]): string[] {
  if (labels.length < 2)
    throw new OptionError(`a classifier needs at least two labels, got ${labels.length}`);
  return [...labels];
}

function indexOfLabel(labelIndex: ReadonlyMap<string, number>, label: string): number {
  const index = labelIndex.get(label);
  if (index === undefined)
    throw new OptionError(`training example label "${label}" is not in the dataset's labels`);
  return index;
}

/**
 * Lets timers and I/O run between the long synchronous stages, so that a progress bar can redraw
 * and a service stays responsive to signals; costs microseconds.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
