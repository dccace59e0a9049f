/**
 * Polarity's library API: everything the CLI does is reachable from here.
 */
export * from './errors.js';
export type { Dataset, Example, SplitName } from './data/types.js';
export * from './data/index.js';
export { fingerprintExamples } from './data/fingerprint.js';
export { readTextInputs, type TextInput } from './data/text-input.js';
export * from './text/index.js';
export * from './engine/index.js';
export type * from './models/classifier.js';
export * from './models/neural-config.js';
export { NeuralClassifier } from './models/neural-classifier.js';
export { architecture, modelNames, type NeuralArchitecture } from './models/registry.js';
export { modelSummary } from './models/summary.js';
export { loadClassifier } from './models/load.js';
export { NeuralTrainer, DEFAULT_SEED, type NeuralTrainerOptions } from './train/neural-trainer.js';
export { evaluateClassifier, type EvaluationReport, type EvaluateOptions } from './train/evaluate.js';
export { classificationMetrics, type ClassificationMetrics } from './train/metrics.js';
export * from './persist/index.js';
export { Random } from './util/random.js';
export type { ProgressCallback, ProgressEvent } from './util/progress.js';
