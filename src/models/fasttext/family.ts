/**
 * The fastText family's entry in the model table: averaged word and n-gram vectors under a softmax,
 * trained by per-review SGD in plain TypeScript, so it never needs TensorFlow.js.
 */
import { OptionError } from '../../errors.js';
import type { Classifier, Trainer } from '../classifier.js';
import type { ModelFamilyEntry } from '../family.js';
import { FASTTEXT_KIND, type FastTextClassifier } from './fasttext-classifier.js';
import { FASTTEXT_DEFAULTS, type FastTextOptions } from './fasttext-options.js';
import type { FastTextTrainer } from './fasttext-trainer.js';
import { FASTTEXT_OPTIONS } from './option-declarations.js';

/** The part of the trainer options fastText reads. */
export interface FastTextChoice {
  readonly fasttext?: FastTextOptions;
}

export const fastTextFamily: ModelFamilyEntry<FastTextChoice> = {
  family: 'fasttext',
  models: () => [FASTTEXT_KIND],
  needsBackend: false,
  // It trains in epochs, so it holds out a validation slice and stops early on it; no checkpoints.
  run: {
    epochs: true,
    validationSplit: { path: ['fasttext', 'validationSplit'], default: FASTTEXT_DEFAULTS.validationSplit },
    earlyStopping: ['fasttext', 'earlyStopping'],
  },
  options: FASTTEXT_OPTIONS,
  async createTrainer(_name, choice) {
    const { FastTextTrainer } = await import('./fasttext-trainer.js');
    return new FastTextTrainer(choice.fasttext);
  },
  async trainerOfSaved(manifest) {
    const { FastTextTrainer } = await import('./fasttext-trainer.js');
    // The manifest records the resolved options beside the shapes of its two matrices.
    const { input: _input, output: _output, ...options } = manifest.hyperParameters;
    return new FastTextTrainer(options);
  },
  async load(dir, manifest) {
    const { FastTextClassifier } = await import('./fasttext-classifier.js');
    return FastTextClassifier.load(dir, manifest);
  },
  async onnxGraph(classifier, graph, text) {
    const { FastTextClassifier } = await import('./fasttext-classifier.js');
    if (!(classifier instanceof FastTextClassifier)) {
      throw new OptionError('the fasttext family exports only the fastText models it loaded');
    }
    const { fastTextOnnxGraph } = await import('./onnx-export.js');
    return fastTextOnnxGraph(classifier, graph, text);
  },
  async summarise(classifier: Classifier) {
    const { fastTextSummary } = await import('./summary.js');
    const { epochHistory } = await import('../history.js');
    const model = classifier as FastTextClassifier;
    return { text: fastTextSummary(model), history: epochHistory(model.provenance.training) };
  },
  trainingSettings(trainer: Trainer, seed) {
    const { options } = trainer as FastTextTrainer;
    return {
      dim: options.dim,
      epochs: options.epochs,
      'learning rate': options.learningRate,
      ngrams: options.ngrams,
      buckets: options.buckets,
      'min count': options.minCount,
      'validation split': options.validationSplit,
      'early stopping': options.earlyStopping ? `patience ${options.earlyStopping.patience}` : 'off',
      seed,
    };
  },
};
