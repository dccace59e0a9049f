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
import type { ModelManifest } from '../persist/manifest.js';
import type { Classifier, EpochRecord, Trainer } from './classifier.js';
import type { FamilyOptions } from './options.js';

/** What a family's loader may call back into without importing the table (which imports it). */
export interface LoadContext {
  /** Loads any saved model directory (an ensemble's saved members). */
  loadClassifier(dir: string): Promise<Classifier>;
}

/** What a family's trainer factory may call back into without importing the table. */
export interface FamilyContext<Choice> extends LoadContext {
  /** The trainer of any model name the table knows (an ensemble's fresh members). */
  createTrainer(name: string, choice: Choice): Promise<Trainer>;
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
  /** Its option declarations: the CLI's flags and --help, search's grid keys and the checks come from them. */
  readonly options?: FamilyOptions;
  /** A trainer for model `name`, configured from the options that apply to the family. */
  createTrainer(name: string, choice: Choice, context: FamilyContext<Choice>): Promise<Trainer>;
  /** Loads a saved model of this family, whose manifest has been read and checked. */
  load(dir: string, manifest: ModelManifest, context: LoadContext): Promise<Classifier>;
  /** Describes a saved model of this family (`polarity summary --model DIR`); absent: not described. */
  summarise?(classifier: Classifier): Promise<FamilySummary>;
  /** Describes model `name` before any training (`polarity summary --model NAME`); absent: not described. */
  summariseUntrained?(name: string, sizes: UntrainedSizes, nameOf: (key: string) => string): Promise<string>;
  /** The settings a training report lists for a trainer this family created. */
  trainingSettings?(trainer: Trainer, seed: number): Readonly<Record<string, string | number | boolean>>;
}
