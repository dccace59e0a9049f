/**
 * The linear family's entry in the model table: naive Bayes, a linear SVM or logistic regression,
 * and NBSVM over bags of n-grams. Plain TypeScript: it never needs TensorFlow.js, so a linear model
 * loads and scores without it (each batch-scoring worker saves the second TF.js takes to import).
 */
import { OptionError } from '../../errors.js';
import type { ModelFamilyEntry } from '../family.js';
import { LINEAR_MODELS, type LinearModelName, type LinearTrainerOptions } from './linear-options.js';
import { LINEAR_OPTIONS } from './option-declarations.js';

/** The part of the trainer options the linear models read. */
export interface LinearChoice {
  readonly linear?: Omit<LinearTrainerOptions, 'model'>;
}

export const linearFamily: ModelFamilyEntry<LinearChoice> = {
  family: 'linear',
  models: () => LINEAR_MODELS,
  needsBackend: false,
  // Solved in one go, not in epochs; its features can be built from data read in passes.
  run: { streams: true },
  options: LINEAR_OPTIONS,
  async createTrainer(name, choice) {
    const { LinearTrainer } = await import('./linear-trainer.js');
    return new LinearTrainer({ ...choice.linear, model: name as LinearModelName });
  },
  async trainerOfSaved(manifest) {
    const { LinearTrainer } = await import('./linear-trainer.js');
    const { trainerOptionsOfRecord } = await import('./linear-options.js');
    return new LinearTrainer(trainerOptionsOfRecord(manifest.hyperParameters));
  },
  async load(dir, manifest) {
    const { SparseLinearClassifier } = await import('./linear-classifier.js');
    return SparseLinearClassifier.load(dir, manifest);
  },
  async onnxGraph(classifier, graph, text) {
    const { SparseLinearClassifier } = await import('./linear-classifier.js');
    if (!(classifier instanceof SparseLinearClassifier)) {
      throw new OptionError('the linear family exports only the linear models it loaded');
    }
    const { linearOnnxGraph } = await import('./onnx-export.js');
    return linearOnnxGraph(classifier, graph, text);
  },
};
