import { OptionError } from '../../errors.js';
import { LEARNING_RATE_SCHEDULES, type LearningRateSchedule } from '../../fit/learning-rate-schedule.js';
import {
  checkValue,
  fraction,
  integer,
  integerList,
  oneOf,
  positiveNumber,
  type ValueParser,
} from '../options.js';

/** The optimizers a neural model can train with: Adam (our fused kernel on wasm), plain SGD, RMSprop. */
export const NEURAL_OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type NeuralOptimizer = (typeof NEURAL_OPTIMIZERS)[number];

/** How a recurrent model turns its states into one vector: the last state, or each feature's maximum over all states. */
export const RECURRENT_POOLINGS = ['last', 'max'] as const;
export type RecurrentPooling = (typeof RECURRENT_POOLINGS)[number];

// The step-size schedules are shared with fastText (fit/learning-rate-schedule.ts); re-exported here for the networks' users.
export { LEARNING_RATE_SCHEDULES, type LearningRateSchedule };

/** Keras's default learning rate of each optimizer, used when none is given. */
export const DEFAULT_LEARNING_RATES: Readonly<Record<NeuralOptimizer, number>> = {
  adam: 0.001,
  sgd: 0.01,
  rmsprop: 0.001,
};

/**
 * Hyper-parameters of the neural models. Defaults are the Keras IMDB tutorial's: top 5,000 words,
 * reviews cut or padded to 500, a 32-dimensional embedding, Dense(250), Adam, batch 128, 2 epochs.
 * An architecture may change some defaults (see its registry entry); each reads only the fields
 * that describe it, and the rest are kept in the manifest unused.
 */
export interface NeuralHyperParameters {
  /** Size of the word-id space, reserved ids included (Keras `num_words`). */
  readonly numWords: number;
  /** Reviews are cut or padded to this many ids. */
  readonly maxLen: number;
  readonly embeddingDim: number;
  readonly hiddenUnits: number;
  /** Conv1D filters (per width for cnn-global) and width (cnn). */
  readonly filters: number;
  readonly kernelSize: number;
  readonly poolSize: number;
  /** Widths of the parallel Conv1D branches of cnn-global, each max-pooled over the whole review. */
  readonly filterSizes: readonly number[];
  /** Units of the recurrent layer (per direction for bilstm). */
  readonly units: number;
  /** What of the recurrent layer's states feeds the output (lstm, bilstm, gru). */
  readonly pooling: RecurrentPooling;
  /** Fraction of the features dropped before the output layer while training (cnn-global, recurrent). */
  readonly dropout: number;
  /**
   * Fraction of the embedding's dimensions dropped while training, each for a whole review (Keras's
   * SpatialDropout1D), between the embedding and the recurrent layer (lstm, bilstm, gru); 0: none.
   */
  readonly embeddingDropout: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: NeuralOptimizer;
  /** Step size; when not given, the optimizer's Keras default (see `DEFAULT_LEARNING_RATES`). */
  readonly learningRate: number;
  /** Whether the step size stays at `learningRate` or falls linearly to 0 over all epochs. */
  readonly learningRateSchedule: LearningRateSchedule;
  /** Fraction of the training split held out for validation (never the test split). */
  readonly validationSplit: number;
}

export const DEFAULT_NEURAL_HYPER_PARAMETERS: NeuralHyperParameters = {
  numWords: 5000,
  maxLen: 500,
  embeddingDim: 32,
  hiddenUnits: 250,
  filters: 32,
  kernelSize: 3,
  poolSize: 2,
  filterSizes: [3, 4, 5],
  units: 64,
  pooling: 'last',
  dropout: 0.5,
  embeddingDropout: 0,
  epochs: 2,
  batchSize: 128,
  optimizer: 'adam',
  learningRate: DEFAULT_LEARNING_RATES.adam,
  learningRateSchedule: 'constant',
  validationSplit: 0,
};

/**
 * The largest value each size hyper-parameter accepts, whatever the others are: far above the
 * useful range (IMDB's longest review is about 2,500 words; the largest public vocabularies hold a
 * few million words), low enough that a typo is caught before the combined ceiling is worked out
 * (network-size.ts says why the ceilings are where they are).
 */
export const MAX_NEURAL_SIZES = {
  numWords: 10_000_000,
  maxLen: 100_000,
  embeddingDim: 4_096,
  hiddenUnits: 65_536,
  filters: 4_096,
  units: 4_096,
  batchSize: 65_536,
} as const satisfies Partial<Record<keyof NeuralHyperParameters, number>>;

const MAX = MAX_NEURAL_SIZES;

/**
 * Each hyper-parameter's parser and bounds, written once: the option declarations (flags, --help,
 * search grid) take their parsers from here, and `resolveNeuralHyperParameters` checks a library
 * caller's values with the same ones. The `satisfies` clause makes a hyper-parameter without a
 * parser, or a parser of the wrong type, a compile error.
 */
export const NEURAL_VALUES = {
  numWords: integer({ ceiling: MAX.numWords }),
  maxLen: integer({ ceiling: MAX.maxLen }),
  embeddingDim: integer({ ceiling: MAX.embeddingDim }),
  hiddenUnits: integer({ ceiling: MAX.hiddenUnits }),
  filters: integer({ ceiling: MAX.filters }),
  kernelSize: integer(),
  poolSize: integer(),
  filterSizes: integerList(),
  units: integer({ ceiling: MAX.units }),
  pooling: oneOf(RECURRENT_POOLINGS, 'kind'),
  dropout: fraction(),
  embeddingDropout: fraction(),
  epochs: integer(),
  batchSize: integer({ ceiling: MAX.batchSize }),
  optimizer: oneOf(NEURAL_OPTIMIZERS),
  learningRate: positiveNumber(),
  learningRateSchedule: oneOf(LEARNING_RATE_SCHEDULES, 'kind'),
  validationSplit: fraction(),
} as const satisfies {
  readonly [K in keyof NeuralHyperParameters]-?: ValueParser<NeuralHyperParameters[K]>;
};

/**
 * Fills defaults (an architecture's own `modelDefaults` over the tutorial's) and rejects values
 * that cannot work, naming the option.
 */
export function resolveNeuralHyperParameters(
  partial: Partial<NeuralHyperParameters> = {},
  modelDefaults: Partial<NeuralHyperParameters> = {},
): NeuralHyperParameters {
  const given = stripUndefined(partial);
  const defaults = stripUndefined(modelDefaults);
  const defaultOptimizer = defaults.optimizer ?? DEFAULT_NEURAL_HYPER_PARAMETERS.optimizer;
  const optimizer = given.optimizer ?? defaultOptimizer;
  checkValue('optimizer', NEURAL_VALUES.optimizer, optimizer);
  // An architecture's own learning rate goes with its own optimizer; another starts from its Keras default.
  const learningRate =
    optimizer === defaultOptimizer
      ? (defaults.learningRate ?? DEFAULT_LEARNING_RATES[optimizer])
      : DEFAULT_LEARNING_RATES[optimizer];
  const merged: NeuralHyperParameters = {
    ...DEFAULT_NEURAL_HYPER_PARAMETERS,
    ...defaults,
    learningRate,
    ...given,
  };
  for (const [key, parser] of Object.entries(NEURAL_VALUES)) {
    checkValue(key, parser, merged[key as keyof NeuralHyperParameters]);
  }
  if (merged.numWords < 4)
    throw new OptionError(`numWords must be at least 4 (ids 0-2 are reserved), got ${merged.numWords}`);
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
