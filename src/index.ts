/**
 * Polarity as a library: train a text classifier in one call, load a saved one, predict, explain,
 * evaluate; the contracts every model family implements; what a new family is built from; the HTTP
 * service and batch scoring. Everything else in the package is internal and may change.
 *
 * ```ts
 * import { load, train } from 'polarity';
 *
 * const classifier = await train({ model: 'nbsvm', data: 'reviews.csv' });
 * await classifier.save('models/reviews');
 * console.log(await (await load('models/reviews')).predict(['A wonderful film.']));
 * ```
 * @packageDocumentation
 */

// The task API.
export {
  evaluate,
  load,
  TextClassifier,
  train,
  type DataInput,
  type EvaluateDataOptions,
  type TextsAndLabels,
  type TrainOptions,
  type TrainSettings,
} from './api/index.js';
export type { BuiltInModel, ModelOptions, ModelOptionsByName } from './models/model-options.js';
export type { DeclaredLinearOptions } from './models/linear/option-declarations.js';
export type { DeclaredNeuralOptions } from './models/neural/option-declarations.js';
export type { DeclaredFastTextOptions } from './models/fasttext/option-declarations.js';
export type { DeclaredEnsembleOptions } from './models/ensemble/option-declarations.js';
export type { DeclaredDocVecOptions } from './models/docvec/option-declarations.js';
export type { DocVecOptions } from './models/docvec/docvec-options.js';
export type { ClassWeightSpec } from './fit/class-weight.js';
export {
  loadDataset,
  type DataReport,
  type LoadDatasetOptions,
  type LoadedDataset,
  type SourceOptions,
} from './data/load-dataset.js';
export type { LabelMap } from './data/label-map.js';
export type { RowProblem, RowProblemKind } from './data/rows.js';
export type { DuplicateReport } from './data/leak-check.js';
export type { SplitRecord } from './data/split-record.js';
export { DEFAULT_MAX_RECORD_BYTES } from './data/record-limit.js';
export type { EvaluationReport, EvaluateOptions } from './experiments/evaluate.js';
export type { ClassificationMetrics } from './experiments/metrics.js';
export type { RocCurve } from './experiments/roc.js';
export type { Mistake } from './experiments/mistakes.js';
export type { ExplanationMethod, TextExplanation } from './explain/explain-text.js';
export type { WordAttribution } from './explain/occlusion.js';
export type { TextWord } from './explain/words.js';
export type { ProgressCallback, ProgressEvent } from './util/progress.js';
export { initBackend, preferBackend, type BackendName, type InitBackendOptions } from './api/backend.js';

// The contracts.
export type {
  BatchTrainer,
  Classifier,
  EarlyStoppingReport,
  EpochRecord,
  FitOptions,
  Prediction,
  TokenAttribution,
  Trainer,
  TrainingBatches,
  TrainingCallbacks,
  UnlabelledInput,
} from './models/classifier.js';
export type { Dataset, Example, SplitName } from './data/types.js';
export * from './errors.js';

// The families Polarity ships: their trainers and classifiers.
export { LinearTrainer } from './models/linear/linear-trainer.js';
export { SparseLinearClassifier } from './models/linear/linear-classifier.js';
export type { LinearTrainerOptions, LinearModelName, LinearLoss } from './models/linear/linear-options.js';
export { FastTextTrainer } from './models/fasttext/fasttext-trainer.js';
export { FastTextClassifier } from './models/fasttext/fasttext-classifier.js';
export type { FastTextOptions } from './models/fasttext/fasttext-options.js';
export type { EarlyStoppingOptions } from './fit/early-stopping.js';
// NeuralTrainer and NeuralClassifier hold TF.js objects: they are in 'polarity/neural' (src/neural.ts).
export type { NeuralHyperParameters } from './models/neural/neural-config.js';
export type { EmbeddingsOption } from './models/neural/pretrained-embeddings.js';
export type { VocabularyOptions } from './text/sequences/vocabulary.js';
export {
  EnsembleTrainer,
  type EnsembleMember,
  type EnsembleTrainerOptions,
} from './models/ensemble/ensemble-trainer.js';
export { EnsembleClassifier, type EnsembleWeighting } from './models/ensemble/ensemble.js';
export { createTrainer, trainableModels, type TrainerChoice } from './models/trainers.js';
export { loadClassifier } from './models/load.js';

// Building blocks of a new model family.
export { registerFamily, unregisterFamily, type RegistrationOptions } from './models/families.js';
export type {
  ChoicePath,
  FamilyContext,
  FamilyRunFacts,
  FamilySummary,
  HeldOutSlice,
  LoadContext,
  ModelFamilyEntry,
  RunOptions,
  UntrainedSizes,
} from './models/family.js';
export {
  OnnxGraphBuilder,
  type NamedTensor,
  type OnnxGraphContext,
  type OnnxGraphPart,
} from './models/onnx-graph.js';
export type { OnnxAttributeValue, OnnxNode, OnnxTensor } from './persist/onnx/onnx-proto.js';
export {
  booleanValue,
  checkValue,
  custom,
  fraction,
  integer,
  integerList,
  nameList,
  oneOf,
  openFraction,
  positiveNumber,
  text,
  unitInterval,
  type Assert,
  type DeclaredValue,
  type Declares,
  type FamilyHelp,
  type FamilyOptions,
  type FlagDeclaration,
  type IntegerBounds,
  type OptionDeclaration,
  type OptionsOf,
  type ValueParser,
} from './models/options.js';
export { readManifest, readModelFile, writeModelDirectory } from './persist/model-dir.js';
export type { EmbeddingsRecord, FileRecord, ModelManifest } from './persist/manifest.js';
export type { FileContents } from './persist/atomic-dir.js';

// The HTTP service and batch scoring.
export { createService, type ServiceOptions } from './serve/server.js';
export { DEFAULT_LIMITS, type ServiceLimits } from './serve/limits.js';
export {
  scoreInOrder,
  type ScoreStreamOptions,
  type ScoredChunk,
  type ScoredRow,
  type SkipReason,
} from './batch/score-stream.js';
export {
  readTextInputs,
  type InputFormat,
  type TextInput,
  type TextInputOptions,
} from './data/text-input.js';
export {
  openPredictionOutput,
  type OutputColumns,
  type OutputFormat,
  type PredictionWriter,
} from './batch/prediction-output.js';
