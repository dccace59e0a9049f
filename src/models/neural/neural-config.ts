import { OptionError } from '../../errors.js';
import { LEARNING_RATE_SCHEDULES, type LearningRateSchedule } from '../../fit/learning-rate-schedule.js';

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
  epochs: 2,
  batchSize: 128,
  optimizer: 'adam',
  learningRate: DEFAULT_LEARNING_RATES.adam,
  learningRateSchedule: 'constant',
  validationSplit: 0,
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
  requireOneOf('optimizer', NEURAL_OPTIMIZERS, optimizer);
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
  const positiveIntegers = [
    'numWords',
    'maxLen',
    'embeddingDim',
    'hiddenUnits',
    'filters',
    'kernelSize',
    'poolSize',
    'units',
    'epochs',
    'batchSize',
  ] as const;
  for (const key of positiveIntegers) {
    const value = merged[key];
    if (!isPositiveInteger(value)) throw new OptionError(`${key} must be a positive integer, got ${value}`);
  }
  const widths = merged.filterSizes as unknown;
  if (!Array.isArray(widths) || widths.length === 0 || !widths.every(isPositiveInteger)) {
    throw new OptionError(`filterSizes must be a non-empty list of positive integers, got ${String(widths)}`);
  }
  requireOneOf('pooling', RECURRENT_POOLINGS, merged.pooling);
  requireOneOf('learningRateSchedule', LEARNING_RATE_SCHEDULES, merged.learningRateSchedule);
  if (!(merged.dropout >= 0 && merged.dropout < 1)) {
    throw new OptionError(`dropout must be in [0, 1), got ${merged.dropout}`);
  }
  if (merged.numWords < 4)
    throw new OptionError(`numWords must be at least 4 (ids 0-2 are reserved), got ${merged.numWords}`);
  if (!(merged.learningRate > 0) || !Number.isFinite(merged.learningRate)) {
    throw new OptionError(`learningRate must be a positive number, got ${merged.learningRate}`);
  }
  if (!(merged.validationSplit >= 0 && merged.validationSplit < 1)) {
    throw new OptionError(`validationSplit must be in [0, 1), got ${merged.validationSplit}`);
  }
  return merged;
}

/** Rejects a value outside a fixed set of names (which a caller in plain JavaScript can pass). */
function requireOneOf(key: string, choices: readonly string[], value: string): void {
  if (!choices.includes(value)) {
    throw new OptionError(`${key} must be one of ${choices.join(', ')}, got "${value}"`);
  }
}

function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
