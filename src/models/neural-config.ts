import { OptionError } from '../errors.js';

/** The optimizers a neural model can train with: Adam (our fused kernel on wasm), plain SGD, RMSprop. */
export const NEURAL_OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type NeuralOptimizer = (typeof NEURAL_OPTIMIZERS)[number];

/** Keras's default learning rate of each optimizer, used when none is given. */
export const DEFAULT_LEARNING_RATES: Readonly<Record<NeuralOptimizer, number>> = {
  adam: 0.001,
  sgd: 0.01,
  rmsprop: 0.001,
};

/**
 * Hyper-parameters of the tutorial's neural models. Defaults are the Keras IMDB tutorial's:
 * top 5,000 words, reviews cut or padded to 500, a 32-dimensional embedding, Dense(250), Adam,
 * batch 128, 2 epochs.
 */
export interface NeuralHyperParameters {
  /** Size of the word-id space, reserved ids included (Keras `num_words`). */
  readonly numWords: number;
  /** Reviews are cut or padded to this many ids. */
  readonly maxLen: number;
  readonly embeddingDim: number;
  readonly hiddenUnits: number;
  /** Conv1D filters and width (CNN only). */
  readonly filters: number;
  readonly kernelSize: number;
  readonly poolSize: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: NeuralOptimizer;
  /** Step size; when not given, the optimizer's Keras default (see `DEFAULT_LEARNING_RATES`). */
  readonly learningRate: number;
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
  epochs: 2,
  batchSize: 128,
  optimizer: 'adam',
  learningRate: DEFAULT_LEARNING_RATES.adam,
  validationSplit: 0,
};

/** Fills defaults and rejects values that cannot work, naming the option. */
export function resolveNeuralHyperParameters(
  partial: Partial<NeuralHyperParameters> = {},
): NeuralHyperParameters {
  const given = stripUndefined(partial);
  const optimizer = given.optimizer ?? DEFAULT_NEURAL_HYPER_PARAMETERS.optimizer;
  if (!(NEURAL_OPTIMIZERS as readonly string[]).includes(optimizer)) {
    throw new OptionError(`optimizer must be one of ${NEURAL_OPTIMIZERS.join(', ')}, got "${optimizer}"`);
  }
  const merged: NeuralHyperParameters = {
    ...DEFAULT_NEURAL_HYPER_PARAMETERS,
    learningRate: DEFAULT_LEARNING_RATES[optimizer],
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
    'epochs',
    'batchSize',
  ] as const;
  for (const key of positiveIntegers) {
    const value = merged[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new OptionError(`${key} must be a positive integer, got ${value}`);
    }
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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
