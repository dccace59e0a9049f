/**
 * The document-vector family's entry in the model table: PV-DBOW vectors trained with cosine similarity
 * over n-grams, on the labelled and any unlabelled texts, joined with NB-weighted n-grams in a logistic
 * regression. Plain TypeScript: it never needs TensorFlow.js.
 */
import type { Trainer } from '../classifier.js';
import type { ModelFamilyEntry } from '../family.js';
import type { DocVecOptions } from './docvec-options.js';
import type { DocVecTrainer } from './docvec-trainer.js';
import { DOCVEC_KIND, DOCVEC_OPTIONS } from './option-declarations.js';

/** The part of the trainer options the document-vector family reads. */
export interface DocVecChoice {
  readonly docvec?: DocVecOptions;
}

export const docVecFamily: ModelFamilyEntry<DocVecChoice> = {
  family: 'docvec',
  models: () => [DOCVEC_KIND],
  needsBackend: false,
  learnsFromUnlabelled: true,
  options: DOCVEC_OPTIONS,
  async createTrainer(_name, choice) {
    const { DocVecTrainer } = await import('./docvec-trainer.js');
    return new DocVecTrainer(choice.docvec);
  },
  async load(dir, manifest) {
    const { DocVecClassifier } = await import('./docvec-classifier.js');
    return DocVecClassifier.load(dir, manifest);
  },
  trainingSettings(trainer: Trainer, seed) {
    const { options } = trainer as DocVecTrainer;
    return {
      dim: options.dim,
      epochs: options.epochs,
      'fold-in epochs': options.inferEpochs,
      'learning rate': options.learningRate,
      'cosine scale': options.cosineScale,
      negatives: options.negatives,
      ngrams: options.ngrams,
      'min df': options.minDf,
      c: options.c,
      'vector weight': options.vectorWeight,
      threads: options.threads,
      seed,
    };
  },
};
