import { OptionError } from '../../errors.js';
import {
  MAX_HASH_BITS,
  MAX_NGRAMS,
  type ResolvedVectorizerOptions,
  type VectorizerOptions,
} from '../../text/features/vectorizer-options.js';
import { validateClassWeight, type ClassWeightSpec } from '../../fit/class-weight.js';
import {
  booleanValue,
  checkValue,
  integer,
  oneOf,
  openFraction,
  positiveNumber,
  unitInterval,
  type ValueParser,
} from '../options.js';

/**
 * Widest hashed space: the vectorizer's (2^28 columns). Linear models once allowed 30 here, which the
 * vectorizer then refused after the data was read; the bound now lives in one place.
 */
export { MAX_HASH_BITS };

/** The linear model families `polarity train --model` can name. */
export const LINEAR_MODELS = ['nb', 'linear', 'nbsvm'] as const;
/** A model name of the linear family. */
export type LinearModelName = (typeof LINEAR_MODELS)[number];

/** 'hinge' and 'squared-hinge' train an SVM (probabilities by Platt scaling); 'logistic' a logistic regression. */
export const LINEAR_LOSSES = ['logistic', 'hinge', 'squared-hinge'] as const;
/** The loss a linear model minimises. */
export type LinearLoss = (typeof LINEAR_LOSSES)[number];

/** The vectorizer's options that a linear model takes as its own (the rest follow from the model). */
type FeatureOptionKey = 'ngrams' | 'minDf' | 'maxFeatures' | 'hashBits' | 'sublinearTf';

/**
 * What `LinearTrainer` accepts; everything but `model` has a per-model default (see `LINEAR_DEFAULTS`).
 * The n-gram options are the vectorizer's own (`VectorizerOptions`), so their types and meaning are
 * written once, there.
 */
export interface LinearTrainerOptions extends Pick<VectorizerOptions, FeatureOptionKey> {
  readonly model: LinearModelName;
  /** Inverse regularisation strength (linear, nbsvm). */
  readonly c?: number;
  /** The loss of a linear or nbsvm model. */
  readonly loss?: LinearLoss;
  /** Additive smoothing: naive Bayes's α, and the NBSVM ratio's α. */
  readonly alpha?: number;
  /** NBSVM with an SVM loss: interpolation β between the flat naive Bayes and the SVM weights. */
  readonly beta?: number;
  /** Naive Bayes: binary features (present or not) instead of counts. */
  readonly binary?: boolean;
  /** Cap on solver passes over the data. */
  readonly maxIterations?: number;
  /** Solver stopping tolerance (liblinear's `-e`). */
  readonly tolerance?: number;
  /** SVM losses: fraction of the training split held out to fit the Platt sigmoid. */
  readonly calibrationSplit?: number;
  /**
   * Weigh each label's training examples (imbalanced data): naive Bayes counts them that many
   * times (prior included); logistic regression and SVMs scale their C (and their Platt fit).
   */
  readonly classWeight?: ClassWeightSpec;
}

/** Options with every default filled in for the chosen model; what the manifest records. */
export interface ResolvedLinearOptions extends Pick<ResolvedVectorizerOptions, FeatureOptionKey> {
  readonly model: LinearModelName;
  readonly c: number | null;
  readonly loss: LinearLoss | null;
  readonly alpha: number | null;
  readonly beta: number | null;
  readonly binary: boolean;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly calibrationSplit: number | null;
  readonly classWeight: ClassWeightSpec;
}

type Defaults = Omit<ResolvedLinearOptions, 'model' | 'classWeight'>;

/**
 * Defaults per model, chosen on a validation slice of the IMDB training split (20,000 reviews to
 * fit, 5,000 to score; never the test split), each the most accurate setting measured that still
 * trains in seconds. Validation accuracy (one slice; its standard error is about 0.4 points):
 * - `nb`: binary 1-3-grams, min_df 2: 89.8% (binary 1-2-grams 89.0%, counts of the top 5,000 words
 *   84.1%); α barely matters (89.8% at 1, 90.1% at 0.1), so it stays at the usual 1.
 * - `linear`: TF-IDF 1-2-grams, min_df 2, sublinear tf, squared hinge: 91.4% at C = 1, 91.5% at 0.5,
 *   91.3% at 0.25 — a tie, so C stays at LinearSVC's 1; hinge 91.6%, logistic (C = 16) 91.6%;
 *   1-3-grams 91.9% at about 2.5 times the feature time. With the top 5,000 words only, a smaller C
 *   helps: 88.2% at C = 1, 89.2% at 0.25.
 * - `nbsvm`: binary 1-3-grams, min_df 3, logistic, C = 1: 92.6% (min_df 2: 92.5%, min_df 1: 92.1%,
 *   with 5.2 million instead of 0.5 million features; 1-2-grams: 91.9%); C from 0.25 to 4 moves it by
 *   less than 0.2 points, and on two more slices min_df 3 again scored at least as well as min_df 2.
 * Test accuracy and timings of these and of the scikit-learn reference configurations: bench/linear.ts.
 */
export const LINEAR_DEFAULTS: Readonly<Record<LinearModelName, Defaults>> = {
  nb: {
    ngrams: 3,
    minDf: 2,
    maxFeatures: null,
    hashBits: null,
    c: null,
    loss: null,
    alpha: 1,
    beta: null,
    sublinearTf: false,
    binary: true,
    maxIterations: 1,
    tolerance: 0,
    calibrationSplit: null,
  },
  linear: {
    ngrams: 2,
    minDf: 2,
    maxFeatures: null,
    hashBits: null,
    c: 1,
    loss: 'squared-hinge',
    alpha: null,
    beta: null,
    sublinearTf: true,
    binary: false,
    maxIterations: 1000,
    tolerance: 0.1,
    calibrationSplit: 0.1,
  },
  nbsvm: {
    ngrams: 3,
    minDf: 3,
    maxFeatures: null,
    hashBits: null,
    c: 1,
    loss: 'logistic',
    alpha: 1,
    beta: null,
    sublinearTf: false,
    binary: true,
    maxIterations: 1000,
    tolerance: 0.1,
    calibrationSplit: null,
  },
};

/** --max-features at most: 2^30, a billion n-grams, far beyond any vocabulary (a guard against typos). */
const MAX_FEATURES = 2 ** 30;

/**
 * Each option's parser and bounds, written once: the option declarations (flags, --help, search
 * grid) take their parsers from here, and `resolveLinearOptions` checks a library caller's values
 * with the same ones. The `satisfies` clause makes a parser of the wrong type a compile error.
 */
export const LINEAR_VALUES = {
  ngrams: integer({ max: MAX_NGRAMS }),
  minDf: integer(),
  maxFeatures: integer({ ceiling: MAX_FEATURES }),
  hashBits: integer({ ceiling: MAX_HASH_BITS, argument: 'b' }),
  c: positiveNumber(),
  loss: oneOf(LINEAR_LOSSES),
  alpha: positiveNumber(),
  beta: unitInterval(),
  sublinearTf: booleanValue,
  binary: booleanValue,
  maxIterations: integer(),
  tolerance: positiveNumber(),
  calibrationSplit: openFraction(),
} as const satisfies {
  readonly [K in keyof LinearTrainerOptions]?: ValueParser<NonNullable<LinearTrainerOptions[K]>>;
};

const DEFAULT_BETA = 0.25;
const DEFAULT_CALIBRATION_SPLIT = 0.1;

/**
 * Fills the defaults of `options.model` and rejects what cannot work, naming the option: a value out
 * of range, or an option given for a model it does not apply to (so that a typo'd intent is not
 * silently ignored).
 */
export function resolveLinearOptions(options: LinearTrainerOptions): ResolvedLinearOptions {
  const model = options.model;
  if (!(LINEAR_MODELS as readonly string[]).includes(model)) {
    throw new OptionError(`unknown linear model "${model}"; expected one of: ${LINEAR_MODELS.join(', ')}`);
  }
  const defaults = LINEAR_DEFAULTS[model];
  const notFor = (option: keyof LinearTrainerOptions, models: readonly LinearModelName[], why = '') => {
    if (options[option] !== undefined && !models.includes(model)) {
      throw new OptionError(
        `${option} does not apply to model "${model}" (only to ${models.join(', ')})${why ? `: ${why}` : ''}`,
      );
    }
  };
  notFor('c', ['linear', 'nbsvm'], 'naive Bayes has no regularisation');
  notFor('loss', ['linear', 'nbsvm']);
  notFor('alpha', ['nb', 'nbsvm']);
  notFor('beta', ['nbsvm']);
  notFor('sublinearTf', ['nb', 'linear'], 'NBSVM features are binary');
  notFor('binary', ['nb']);
  notFor('maxIterations', ['linear', 'nbsvm']);
  notFor('tolerance', ['linear', 'nbsvm']);

  const loss = options.loss ?? defaults.loss;
  if (loss !== null) checkValue('loss', LINEAR_VALUES.loss, loss);
  const svm = loss === 'hinge' || loss === 'squared-hinge';
  if (options.beta !== undefined && !svm) {
    throw new OptionError(
      'beta (NBSVM interpolation) applies only with an SVM loss (hinge or squared-hinge)',
    );
  }
  if (options.calibrationSplit !== undefined && !svm) {
    throw new OptionError('calibrationSplit applies only to SVM losses (hinge or squared-hinge)');
  }
  if (options.hashBits != null && options.maxFeatures != null) {
    throw new OptionError('maxFeatures and hashBits exclude each other: hashing keeps no vocabulary to cut');
  }
  if (options.hashBits != null && options.minDf !== undefined && options.minDf !== 1) {
    throw new OptionError('minDf and hashBits exclude each other: a hashed column mixes unrelated n-grams');
  }
  if (model === 'nb' && options.sublinearTf && (options.binary ?? defaults.binary)) {
    throw new OptionError('sublinearTf has no effect on binary features; give binary: false to use counts');
  }

  const resolved: ResolvedLinearOptions = {
    model,
    ngrams: options.ngrams ?? defaults.ngrams,
    // A hashed space keeps no vocabulary to cut by document frequency.
    minDf: options.minDf ?? (options.hashBits != null ? 1 : defaults.minDf),
    maxFeatures: options.maxFeatures !== undefined ? options.maxFeatures : defaults.maxFeatures,
    hashBits: options.hashBits !== undefined ? options.hashBits : defaults.hashBits,
    c: options.c ?? defaults.c,
    loss,
    alpha: options.alpha ?? defaults.alpha,
    beta: model === 'nbsvm' && svm ? (options.beta ?? DEFAULT_BETA) : null,
    sublinearTf: options.sublinearTf ?? defaults.sublinearTf,
    binary: options.binary ?? defaults.binary,
    maxIterations: options.maxIterations ?? defaults.maxIterations,
    tolerance: options.tolerance ?? defaults.tolerance,
    calibrationSplit: svm ? (options.calibrationSplit ?? DEFAULT_CALIBRATION_SPLIT) : null,
    classWeight: validateClassWeight(options.classWeight ?? 'none'),
  };

  for (const [key, parser] of Object.entries(LINEAR_VALUES)) {
    // Naive Bayes has no solver: its recorded 1 pass and tolerance 0 are not options it reads.
    if (model === 'nb' && (key === 'maxIterations' || key === 'tolerance')) continue;
    const value = resolved[key as keyof typeof LINEAR_VALUES];
    if (value !== null) checkValue(key, parser, value);
  }
  return resolved;
}

/**
 * The trainer options that give again the options a saved model records (its manifest's
 * hyper-parameters, `ResolvedLinearOptions` beside its weights): those that differ from the model's
 * defaults, as a user would have given them, so that no option a model does not read is passed.
 */
export function trainerOptionsOfRecord(recorded: Readonly<Record<string, unknown>>): LinearTrainerOptions {
  const model = recorded.model as LinearModelName;
  if (!LINEAR_MODELS.includes(model)) throw new OptionError(`not a linear model: ${String(recorded.model)}`);
  const defaults = resolveLinearOptions({ model }) as unknown as Record<string, unknown>;
  const options: Record<string, unknown> = { model };
  for (const key of Object.keys(defaults)) {
    if (key === 'model' || !(key in recorded)) continue;
    if (JSON.stringify(recorded[key]) !== JSON.stringify(defaults[key])) options[key] = recorded[key];
  }
  return options as unknown as LinearTrainerOptions;
}
