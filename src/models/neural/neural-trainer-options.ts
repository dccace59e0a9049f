/**
 * A network's trainer options, apart from the trainer: the family table's `NeuralChoice` (and so
 * every `TrainerChoice`) names this type, and its declaration must not reach TensorFlow.js, whose
 * own type declarations do not compile under a library user's `skipLibCheck: false`.
 */
import type { ClassWeightSpec } from '../../fit/class-weight.js';
import type { EarlyStoppingOptions } from '../../fit/early-stopping.js';
import type { VocabularyOptions } from '../../text/sequences/vocabulary.js';
import type { NeuralHyperParameters } from './neural-config.js';
import type { EmbeddingsOption } from './pretrained-embeddings.js';

/** A network's trainer options: the architecture, its hyper-parameters, vocabulary, input and embeddings. */
export interface NeuralTrainerOptions {
  /** Architecture name from the registry (see `modelNames()`). */
  readonly model: string;
  readonly hyperParameters?: Partial<NeuralHyperParameters>;
  /** Keras `load_data` options other than `numWords` (which is a hyper-parameter). */
  readonly vocabulary?: Partial<Omit<VocabularyOptions, 'numWords'>>;
  readonly padding?: 'pre' | 'post';
  readonly truncating?: 'pre' | 'post';
  /**
   * Drop training reviews of `maxLen` ids or more (start char included), as Keras
   * `load_data(maxlen=…)` does (its code keeps `len < maxlen`), instead of truncating them as
   * `pad_sequences` does. Evaluation always keeps every review.
   */
  readonly dropLonger?: boolean;
  /**
   * Start the embedding from pre-trained word vectors. The embedding's dimension is then the file's
   * (the saved hyper-parameters say so); giving another `embeddingDim` is an OptionError.
   */
  readonly embeddings?: EmbeddingsOption;
  /** Stop when the validation loss stops improving and keep the best epoch's weights; needs a validation split. */
  readonly earlyStopping?: EarlyStoppingOptions;
  /** Weigh each label's examples in the loss (imbalanced data); default: all 1. */
  readonly classWeight?: ClassWeightSpec;
  /**
   * Save the model directory here (atomically) after each epoch whose validation loss is the best
   * so far, or after every epoch without a validation split, so that a crash leaves the best model.
   */
  readonly checkpointDir?: string;
  /**
   * Train the mlp and cnn through a twin that skips the work on padding in their Dense layer
   * (training-twin.ts): the same function and gradients, half the multiply-adds on IMDB. Off by
   * default: XNNPACK's per-call packing and our transposes, which it does not reduce, weigh as much
   * as the multiply-adds; on the shared 2-core machine an mlp epoch took 40.1 s against 48.1 s and
   * a cnn epoch 39.7 s against 36.8 s. `npm run bench:train -- --skip-padding` measures both ways.
   */
  readonly skipPadding?: boolean;
  /**
   * Batch reviews of similar length together (length-buckets.ts), reproducibly with the seed.
   * Default: on for the recurrent models, whose cost follows a batch's longest review; off for the
   * others (their cost follows the padded length).
   */
  readonly bucketByLength?: boolean;
}
