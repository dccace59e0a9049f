/**
 * What a model family offers the rest of Polarity: one entry of the table in families.ts. Each
 * family's folder exports its entry (e.g. models/linear/family.ts); nothing outside the folder names
 * the family's classes, so the CLI, search, cross-validation, batch scoring, the service and the
 * loader work with any family the table holds.
 *
 * An entry imports its family's heavy modules (TensorFlow.js above all) on demand, inside the
 * functions below, so that looking a family up never loads another family's code: a linear model
 * loads and scores without TF.js.
 */
import type { OnnxGraphBuilder, OnnxGraphContext, OnnxGraphPart } from './onnx-graph.js';
import type { ModelManifest } from '../persist/manifest.js';
import type { Classifier, EpochRecord, Trainer } from './classifier.js';
import type { FamilyOptions } from './options.js';

/** The formats a saved model can be exported to (`polarity export --format`). */
export const EXPORT_FORMATS = ['onnx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a family's loader may call back into without importing the table (which imports it). */
export interface LoadContext {
  /** Loads any saved model directory (an ensemble's saved members). */
  loadClassifier(dir: string): Promise<Classifier>;
}

/** What a family's trainer factory may call back into without importing the table. */
export interface FamilyContext<Choice> extends LoadContext {
  /** The trainer of any model name the table knows (an ensemble's fresh members). */
  createTrainer(name: string, choice: Choice): Promise<Trainer>;
  /**
   * A trainer that trains a model as the one saved in `dir` was trained (its kind and recorded
   * options), to train it again on other data: an ensemble's saved member on each fold of its
   * cross-fitted weights. Throws an OptionError for a family without `trainerOfSaved`.
   */
  trainerOfSaved(dir: string): Promise<Trainer>;
}

/** A saved model described for `polarity summary`. */
export interface FamilySummary {
  /** The table of layers or parameters (Keras's `model.summary()` layout). */
  readonly text: string;
  /** The per-epoch metrics of its training, when it was trained in epochs. */
  readonly history?: readonly EpochRecord[];
  /** The epoch whose weights early stopping kept, when they are not the last epoch's. */
  readonly keptEpoch?: number;
}

/** The sizes `polarity summary --model ARCHITECTURE` may change. */
export interface UntrainedSizes {
  readonly numWords?: number;
  readonly maxLen?: number;
}

/**
 * A training run's own controls, beside the model's options: what `polarity train` sets with
 * --validation-split, --early-stopping and --checkpoint, and what `trainModel` takes as `run`.
 */
export interface RunOptions {
  /** Fraction of the training split held out (never the test split); undefined: the family's default. */
  readonly validationSplit?: number;
  /** Stop after `patience` epochs without a lower val_loss and keep the best epoch's weights. */
  readonly earlyStopping?: { readonly patience: number };
  /** Save the model here after each epoch that lowers val_loss. */
  readonly checkpointDir?: string;
}

/** A place in a family's trainer options, from the root of the choice: `['neural', 'earlyStopping']`. */
export type ChoicePath = readonly string[];

/** A slice of the training split a family holds out: where the fraction goes, its default, its use. */
export interface HeldOutSlice {
  readonly path: ChoicePath;
  /** The fraction held out when the run gives none (0: none). */
  readonly default: number;
  /** What is learnt on it when it is not validation loss per epoch: "the slice its weights are learnt on". */
  readonly purpose?: string;
}

/**
 * Which of a training run's controls a family reads, and where their values go in its trainer
 * options. `polarity train` refuses a control for the models of a family that does not read it, and
 * its --help tags each control with the families that do.
 */
export interface FamilyRunFacts {
  /** It trains in epochs and reports each one (`onEpochEnd`): a training report draws their curves. */
  readonly epochs?: boolean;
  /** Its trainer reads data in passes (`fitBatches`), never holding the texts (`train --stream`). */
  readonly streams?: boolean;
  /** It holds out a slice of the training split (`RunOptions.validationSplit`). */
  readonly validationSplit?: HeldOutSlice;
  /** Where early stopping goes (`RunOptions.earlyStopping`; it watches the validation slice). */
  readonly earlyStopping?: ChoicePath;
  /** Where the checkpoint directory goes (`RunOptions.checkpointDir`). */
  readonly checkpointDir?: ChoicePath;
}

/**
 * One model family. `Choice` is the part of the trainer options it reads (the table passes all of
 * them: see `TrainerChoice` in families.ts).
 */
export interface ModelFamilyEntry<Choice = unknown> {
  /** The family's name: `neural`, `linear`, `fasttext`, `ensemble`, or a registered family's. */
  readonly family: string;
  /** The model names `--model` accepts for it, in the order help lists them. Cheap: no heavy import. */
  models(): readonly string[];
  /** Whether a saved model of manifest kind `kind` is this family's; default: one of its model names. */
  loads?(kind: string): boolean;
  /** Whether its training or prediction runs on TensorFlow.js, so the backend must be started first. */
  readonly needsBackend: boolean;
  /**
   * Whether its trainer learns from texts without labels (`polarity train --unlabelled`, given to the
   * trainer as `FitOptions.unlabelled`); absent: it does not, and the option is refused for it.
   */
  readonly learnsFromUnlabelled?: boolean;
  /** The training run's controls it reads (validation slice, early stopping, checkpoints, streaming); absent: none. */
  readonly run?: FamilyRunFacts;
  /** Its option declarations: the CLI's flags and --help, search's grid keys and the checks come from them. */
  readonly options?: FamilyOptions;
  /** A trainer for model `name`, configured from the options that apply to the family. */
  createTrainer(name: string, choice: Choice, context: FamilyContext<Choice>): Promise<Trainer>;
  /** Loads a saved model of this family, whose manifest has been read and checked. */
  load(dir: string, manifest: ModelManifest, context: LoadContext): Promise<Classifier>;
  /**
   * A trainer for a model like the saved one whose checked manifest this is: its kind and the options
   * its manifest records, so that it can be trained again on other data (an ensemble's saved member,
   * once per fold of its cross-fitted weights). Absent: such a model cannot be trained again.
   */
  trainerOfSaved?(manifest: ModelManifest): Promise<Trainer>;
  /** Describes a saved model of this family (`polarity summary --model DIR`); absent: not described. */
  summarise?(classifier: Classifier): Promise<FamilySummary>;
  /** Describes model `name` before any training (`polarity summary --model NAME`); absent: not described. */
  summariseUntrained?(name: string, sizes: UntrainedSizes, nameOf: (key: string) => string): Promise<string>;
  /** The largest sizes `summariseUntrained` takes, so that a typo is refused before anything is built. */
  readonly untrainedSizeCeilings?: Required<UntrainedSizes>;
  /**
   * For families that read a review as word ids cut to a length: that length by default (`--max-len`),
   * which `polarity stats --report` marks on its review lengths.
   */
  readonly defaultMaxLen?: number;
  /**
   * A loaded model of this family as part of an ONNX graph (`polarity export --format onnx`, and
   * `--runtime onnx`): the nodes from the string tensor `text` (a graph-wide name) to its
   * probabilities `[N, labels]`, names in `graph`'s scope (see models/onnx-graph.ts). Throws an
   * OptionError for a model it cannot express. Absent: the family exports nothing.
   */
  onnxGraph?(
    classifier: Classifier,
    graph: OnnxGraphBuilder,
    text: string,
    context: OnnxGraphContext,
  ): Promise<OnnxGraphPart>;
  /** The settings a training report lists for a trainer this family created. */
  trainingSettings?(trainer: Trainer, seed: number): Readonly<Record<string, string | number | boolean>>;
}
