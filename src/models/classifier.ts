import type { Dataset, Example } from '../data/types.js';
import type { EmbeddingsRecord, ModelManifest } from '../persist/manifest.js';
import type { ProgressCallback } from '../util/progress.js';

/** One prediction: the winning label, its probability, and the probability of every label. */
export interface Prediction {
  readonly label: string;
  readonly score: number;
  readonly scores: Readonly<Record<string, number>>;
}

/** How much one token pushed a prediction towards (positive) or away from (negative) a label. */
export interface TokenAttribution {
  readonly token: string;
  readonly weight: number;
}

/**
 * A trained model with its text encoder: raw text in, predictions out. Every model family, neural
 * or linear, sits behind this interface so that the CLI, evaluation and (later) the service never
 * ask which kind they hold.
 */
export interface Classifier {
  readonly kind: string;
  readonly labels: readonly string[];
  /** A prediction per text, in the order given. */
  predict(texts: readonly string[]): Promise<Prediction[]>;
  /** Which tokens pushed the prediction of `text` which way, by the model's own weights (absent: it has none). */
  explain?(text: string): Promise<TokenAttribution[]>;
  /** Per-epoch metrics of the training run, for families trained in epochs (saved with the model). */
  readonly history?: readonly EpochRecord[];
  /** Writes the model directory atomically: a temp dir next to `dir`, then a rename. */
  save(dir: string): Promise<void>;
  /** Frees what the model holds (TensorFlow.js tensors). */
  dispose(): void;
  /**
   * The classifier this one delegates to, for a wrapper (the library's `TextClassifier`): an
   * explanation looks through it, so that a wrapper's `explain` is not taken for the model's own.
   */
  readonly wrapped?: Classifier;
}

/** Metrics of one training epoch, as Keras's History records them. */
export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  readonly seconds: number;
}

/** Per-batch and per-epoch reports from a training run. */
export interface TrainingCallbacks {
  readonly onProgress?: ProgressCallback;
  /** After each gradient step: the epoch, the batch within it, the batches per epoch, the running loss and accuracy. */
  readonly onBatchEnd?: (
    epoch: number,
    batch: number,
    batches: number,
    logs: { loss: number; accuracy: number },
  ) => void;
  /** Before each epoch: the epoch, the number of epochs and of training samples. */
  readonly onEpochBegin?: (epoch: number, epochs: number, samples: number) => void;
  /** After each epoch: its metrics, validation loss and accuracy included where a slice is held out. */
  readonly onEpochEnd?: (record: EpochRecord) => void;
  /** A neural model has read its pre-trained word vectors: what they cover, before training starts. */
  readonly onEmbeddings?: (record: EmbeddingsRecord) => void;
  /** A checkpoint of the model after `epoch` was written to `dir`. */
  readonly onCheckpoint?: (epoch: number, dir: string) => void;
  /** Early stopping's outcome, once training has ended (whether it stopped early or not). */
  readonly onEarlyStopping?: (report: EarlyStoppingReport) => void;
}

/** What early stopping did, for the manifest and the CLI. */
export interface EarlyStoppingReport {
  readonly patience: number;
  readonly minDelta: number;
  /** The epoch with the lowest validation loss, whose weights the model ends with. */
  readonly bestEpoch: number;
  readonly bestValLoss: number;
  /** The epoch after which training stopped early; null when every epoch ran. */
  readonly stoppedEpoch: number | null;
  /** Whether weights of a later epoch were replaced by the best epoch's. */
  readonly restored: boolean;
}

/** The seed a trainer uses when its FitOptions give none (same seed, same model). */
export const DEFAULT_SEED = 42;

export interface FitOptions extends TrainingCallbacks {
  readonly seed?: number;
  /**
   * Texts without labels (`polarity train --unlabelled`), for the families that learn from them (the
   * table entry's `learnsFromUnlabelled`); the others never receive any.
   */
  readonly unlabelled?: UnlabelledInput;
}

/** Unlabelled texts with what a saved model records of them. */
export interface UnlabelledInput {
  readonly texts: readonly string[];
  /** SHA-256 over the texts in order. */
  readonly fingerprint: string;
  /** Whether texts of the test split are among them (`--transductive`). */
  readonly transductive: boolean;
}

/** Trains a model of one family on a dataset's training split: what `createTrainer` returns. */
export interface Trainer {
  /** Trains on `train.train` (its test split is never read) and returns the fitted classifier. */
  fit(train: Dataset, options?: FitOptions): Promise<Classifier>;
}

/** Training examples read in batches, as often as a trainer needs, in the same order each time. */
export interface TrainingBatches {
  /** Every label, sorted, as in a `Dataset`. */
  readonly labels: readonly string[];
  /** Reads the training examples again from the start. */
  read(): AsyncIterable<readonly Example[]>;
}

/** A trainer that can also learn from data it reads in passes, never holding the texts (`train --stream`). */
export interface BatchTrainer extends Trainer {
  /** Trains on data read in passes, as often as the trainer needs, never holding the texts. */
  fitBatches(data: TrainingBatches, options?: FitOptions): Promise<Classifier>;
}

/** Whether `trainer` can learn from batches read in passes. */
export function canFitBatches(trainer: Trainer): trainer is BatchTrainer {
  return typeof (trainer as Partial<BatchTrainer>).fitBatches === 'function';
}

/** Where a model came from, kept in its manifest: the options it was trained with, how, and its held-out metrics. */
export interface ModelProvenance<Options> {
  readonly options: Options;
  readonly training: ModelManifest['training'];
  readonly metrics?: Readonly<Record<string, number>>;
}
