/**
 * The ensemble family's entry in the model table: a weighted vote of other models, trained afresh
 * (by their own families' trainers, through the table) or loaded from saved directories. It may
 * hold a network, so it starts the TensorFlow.js backend.
 */
import { OptionError } from '../../errors.js';
import type { ModelFamilyEntry } from '../family.js';
import type { EnsembleMember } from './ensemble-trainer.js';
import { ENSEMBLE_OPTIONS } from './option-declarations.js';
import { isDirectory } from '../../util/paths.js';
import { DEFAULT_ENSEMBLE_VALIDATION_SPLIT, DEFAULT_WEIGHT_FOLDS } from './ensemble-defaults.js';

const ENSEMBLE = 'ensemble';

/** The part of the trainer options an ensemble reads; its fresh members read the rest. */
export interface EnsembleChoice {
  /** Ensemble members: model names to train afresh, or saved model directories. */
  readonly members?: readonly string[];
  readonly ensembleValidationSplit?: number;
  /** Folds of the out-of-fold predictions its weights are learnt on; 0: a held-out slice. */
  readonly weightFolds?: number;
}

export const ensembleFamily: ModelFamilyEntry<EnsembleChoice> = {
  family: 'ensemble',
  models: () => [ENSEMBLE],
  needsBackend: true,
  // Its weights are learnt on a held-out slice; its fresh members hold out nothing of their own.
  run: {
    validationSplit: {
      path: ['ensembleValidationSplit'],
      default: DEFAULT_ENSEMBLE_VALIDATION_SPLIT,
      purpose: 'with --weight-folds 0, the slice its weights are learnt on',
    },
  },
  options: ENSEMBLE_OPTIONS,
  async createTrainer(_name, choice, context) {
    const members = choice.members ?? [];
    if (members.length < 2)
      throw new OptionError('--model ensemble needs --members with at least two models, e.g. nbsvm,cnn');
    const crossFitted = (choice.weightFolds ?? DEFAULT_WEIGHT_FOLDS) > 0;
    const resolved: EnsembleMember[] = [];
    try {
      for (const member of members) {
        if (member === ENSEMBLE) throw new OptionError('an ensemble cannot have an ensemble member');
        if (await isDirectory(member)) {
          // Cross-fitting trains a saved member again on each fold, from what its manifest records.
          const trainer = crossFitted ? await context.trainerOfSaved(member) : undefined;
          resolved.push({ name: member, trainer, classifier: await context.loadClassifier(member) });
        } else {
          resolved.push({ name: member, trainer: await context.createTrainer(member, choice) });
        }
      }
      const { EnsembleTrainer } = await import('./ensemble-trainer.js');
      return new EnsembleTrainer({
        members: resolved,
        validationSplit: choice.ensembleValidationSplit,
        weightFolds: choice.weightFolds,
      });
    } catch (error) {
      resolved.forEach((m) => 'classifier' in m && m.classifier.dispose());
      throw error;
    }
  },
  async load(dir, manifest, context) {
    const { EnsembleClassifier } = await import('./ensemble.js');
    return EnsembleClassifier.load(dir, manifest, (member) => context.loadClassifier(member));
  },
  async onnxGraph(classifier, graph, text, context) {
    const { EnsembleClassifier } = await import('./ensemble.js');
    if (!(classifier instanceof EnsembleClassifier)) {
      throw new OptionError('the ensemble family exports only the ensembles it loaded');
    }
    const { ensembleOnnxGraph } = await import('./onnx-export.js');
    return ensembleOnnxGraph(classifier, graph, text, context);
  },
};
