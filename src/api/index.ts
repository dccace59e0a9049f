/** The task-level library API: train, load, evaluate, and the classifier they return. */
export { train, type TrainOptions, type TrainSettings } from './train.js';
export { load } from './load.js';
export { evaluate, type EvaluateDataOptions } from './evaluate.js';
export { TextClassifier } from './text-classifier.js';
export type { DataInput, TextsAndLabels } from './data.js';
