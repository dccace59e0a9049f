/**
 * `train()`: one call from a model name, its options (flat, typed per model) and data to a trained
 * classifier. It runs the train flow `polarity train` runs (`trainModel`): the trainer and its options
 * are checked before any data is read, the labels are checked, and TensorFlow.js starts only for a
 * model that needs it (the network family starts it on first use).
 */
import { type LoadDatasetOptions } from '../data/load-dataset.js';
import { OptionError } from '../errors.js';
import { trainingDataFrom, trainingDataOf, trainModel } from '../experiments/train-model.js';
import type { TrainingCallbacks } from '../models/classifier.js';
import { trainerChoiceOf } from '../models/flat-options.js';
import type { BuiltInModel, ModelOptions } from '../models/model-options.js';
import { trainingDataset, type DataInput } from './data.js';
import { TextClassifier } from './text-classifier.js';

/** What `train()` takes beside the model's name and options: the data, the seed and the run's controls. */
export interface TrainSettings extends TrainingCallbacks {
  /** The training data: a path (its training split is trained on), examples, texts and labels, or a `Dataset`. */
  readonly data: DataInput;
  /** How to read `data` when it is a path: its format, label map, a test split to hold out, … */
  readonly dataOptions?: LoadDatasetOptions;
  /** Seed of the weights, the shuffling and the held-out slices: the same seed trains the same model. Default 42. */
  readonly seed?: number;
  /** Stop after `patience` epochs without a lower validation loss, keeping the best epoch (networks, fastText). */
  readonly earlyStopping?: { readonly patience: number };
  /** Save the model here after each epoch that lowers the validation loss (networks). */
  readonly checkpointDir?: string;
  /** Told what the CLI prints as warnings: labels with too few examples to learn from. */
  readonly onWarning?: (message: string) => void;
}

/**
 * A model name, its options flat (`{ model: 'nbsvm', minDf: 2 }`: only the options that model's
 * family declares), and the settings of the run.
 */
export type TrainOptions<M extends BuiltInModel = BuiltInModel> = ModelOptions<M> & TrainSettings;

/** The settings' keys: what remains of the options is the model's own. */
const SETTINGS: readonly (keyof TrainSettings | 'model')[] = [
  'model',
  'data',
  'dataOptions',
  'seed',
  'earlyStopping',
  'checkpointDir',
  'onWarning',
  'onProgress',
  'onBatchEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onEmbeddings',
  'onCheckpoint',
  'onEarlyStopping',
];

/** The model's own options of `options`: every field that is not a setting. */
function modelOptionsOf(options: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).filter(([key]) => !(SETTINGS as readonly string[]).includes(key)),
  );
}

/** The training callbacks among the settings, alone: the trainer's fit options get nothing else. */
function callbacksOf(settings: TrainingCallbacks): TrainingCallbacks {
  const { onProgress, onBatchEnd, onEpochBegin, onEpochEnd, onEmbeddings, onCheckpoint, onEarlyStopping } =
    settings;
  return { onProgress, onBatchEnd, onEpochBegin, onEpochEnd, onEmbeddings, onCheckpoint, onEarlyStopping };
}

/**
 * Trains a model and returns it, ready to predict, explain and save.
 *
 * ```ts
 * const classifier = await train({ model: 'nbsvm', data: 'reviews.csv', minDf: 2 });
 * ```
 * @throws OptionError for an option the model does not take or a value out of its bounds (before any
 *   data is read); DatasetError for data that cannot be read or whose labels do not fit.
 */
export async function train<M extends BuiltInModel>(options: TrainOptions<M>): Promise<TextClassifier> {
  const settings: TrainSettings & { readonly model: string } = options;
  const { model, data, dataOptions, seed, earlyStopping, checkpointDir, onWarning } = settings;
  const choice = trainerChoiceOf(model, modelOptionsOf(options));
  if (typeof data !== 'string' && dataOptions !== undefined) {
    throw new OptionError('dataOptions say how to read a path; the data given is already in memory');
  }
  // In-memory data is checked now, before TensorFlow.js starts or anything trains.
  const source =
    typeof data === 'string' ? trainingDataFrom(data, dataOptions) : trainingDataOf(trainingDataset(data));
  const { classifier } = await trainModel({
    model,
    data: source,
    options: choice,
    run: { earlyStopping, checkpointDir },
    seed,
    callbacks: callbacksOf(settings),
    labels: { warn: onWarning },
  });
  return new TextClassifier(classifier);
}
