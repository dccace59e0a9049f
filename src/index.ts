/**
 * Polarity's library API: everything the CLI does is reachable from here.
 */
export * from './errors.js';
export type { Dataset, Example, SplitName } from './data/types.js';
export * from './data/index.js';
export { fingerprintExamples } from './data/fingerprint.js';
export {
  readTextInputs,
  INPUT_FORMATS,
  type InputFormat,
  type TextInput,
  type TextInputOptions,
} from './data/text-input.js';
export {
  openPredictionOutput,
  OUTPUT_FORMATS,
  type OutputColumns,
  type OutputFormat,
  type PredictionWriter,
} from './batch/prediction-output.js';
export * from './explain/index.js';
export * from './batch/index.js';
export { createService, type ServiceOptions } from './serve/server.js';
export { DEFAULT_LIMITS, type ServiceLimits } from './serve/limits.js';
export * from './text/index.js';
export * from './engine/index.js';
export type * from './models/classifier.js';
export { canFitBatches } from './models/classifier.js';
export * from './models/neural/neural-config.js';
export { NeuralClassifier } from './models/neural/neural-classifier.js';
export { architecture, modelNames, type NeuralArchitecture } from './models/neural/registry.js';
export { modelSummary } from './models/summary.js';
export { loadClassifier } from './models/load.js';
export { epochHistory, manifestHistory } from './models/history.js';
export {
  FastTextClassifier,
  FastTextTrainer,
  FASTTEXT_DEFAULTS,
  fastTextSummary,
  resolveFastTextOptions,
  type FastTextOptions,
  type ResolvedFastTextOptions,
} from './models/fasttext/index.js';
export { NeuralTrainer, DEFAULT_SEED, type NeuralTrainerOptions } from './models/neural/neural-trainer.js';
export type { EmbeddingsOption } from './models/neural/pretrained-embeddings.js';
export { ValidationMonitor, type EarlyStoppingOptions } from './fit/early-stopping.js';
export { EarlyStopping, type WeightHolder } from './models/neural/early-stopping.js';
export {
  parseClassWeight,
  resolveClassWeights,
  validateClassWeight,
  type ClassWeightSpec,
} from './fit/class-weight.js';
export { createOptimizer } from './models/neural/optimizers.js';
export { evaluateClassifier, type EvaluationReport, type EvaluateOptions } from './experiments/evaluate.js';
export { classificationMetrics, type ClassificationMetrics } from './experiments/metrics.js';
export { rocCurve, rocAuc, macroRocAuc, type RocCurve, type RocCurveOptions } from './experiments/roc.js';
export { logLoss, LOG_LOSS_EPSILON } from './experiments/log-loss.js';
export { mostConfidentMistakes, excerpt, type Mistake } from './experiments/mistakes.js';
export * from './experiments/headline-metrics.js';
export {
  stratifiedKFold,
  runCrossValidation,
  DEFAULT_FOLDS,
  type CrossValidationOptions,
  type CrossValidationResult,
  type FoldResult,
} from './experiments/cross-validation.js';
export {
  parseGrid,
  searchableModels,
  searchParameters,
  gridSize,
  configurationAt,
  gridConfigurations,
  sampleConfigurations,
  applyConfiguration,
  describeConfiguration,
  createTrainers,
  runSearch,
  bestTrial,
  DEFAULT_SEARCH_VALIDATION_SPLIT,
  type Configuration,
  type Grid,
  type GridAxis,
  type ParameterValue,
  type SearchOptions,
  type SearchParameter,
  type SearchParameters,
  type SearchResult,
  type TrialResult,
} from './experiments/search.js';
export {
  createTrainer,
  modelFamily,
  trainableModels,
  type ModelFamily,
  type TrainerChoice,
} from './models/trainers.js';
export {
  families,
  familyNamed,
  familyNeedsBackend,
  familyOfKind,
  familyOfModel,
  familyModules,
  registerFamily,
  unregisterFamily,
  type RegistrationOptions,
} from './models/families.js';
export type { BuiltInModel, ModelOptions, ModelOptionsByName } from './models/model-options.js';
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
  trainModel,
  trainingDataFrom,
  trainingDataOf,
  trainingSplits,
  withRunOptions,
  type TrainedModel,
  type TrainingData,
  type TrainModelOptions,
} from './experiments/train-model.js';
export * from './persist/index.js';
export { Random } from './util/random.js';
export type { ProgressCallback, ProgressEvent } from './util/progress.js';
export * from './report/index.js';
