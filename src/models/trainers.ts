import { stat } from 'node:fs/promises';
import { OptionError } from '../errors.js';
import type { Trainer } from './classifier.js';
import { FASTTEXT_KIND } from './fasttext/fasttext-classifier.js';
import type { FastTextOptions } from './fasttext/fasttext-options.js';
import { FastTextTrainer } from './fasttext/fasttext-trainer.js';
import { loadClassifier } from './load.js';
import { LinearTrainer } from './linear/linear-trainer.js';
import {
  LINEAR_MODELS,
  type LinearModelName,
  type LinearTrainerOptions,
} from './linear/linear-options.js';
import { modelNames as neuralNames } from './neural/registry.js';
import { EnsembleTrainer, type EnsembleMember } from './ensemble/ensemble-trainer.js';
import { NeuralTrainer, type NeuralTrainerOptions } from './neural/neural-trainer.js';

/** Options for any model family; each family reads its own part. */
export interface TrainerChoice {
  readonly neural?: Omit<NeuralTrainerOptions, 'model'>;
  readonly linear?: Omit<LinearTrainerOptions, 'model'>;
  readonly fasttext?: FastTextOptions;
  /** Ensemble members: model names to train afresh, or saved model directories. */
  readonly members?: readonly string[];
  readonly ensembleValidationSplit?: number;
}

/** Every model name `polarity train --model` accepts. */
export function trainableModels(): string[] {
  return [...neuralNames(), ...LINEAR_MODELS, FASTTEXT_KIND, 'ensemble'];
}

/** Model families: each reads its own part of a `TrainerChoice` and has its own hyper-parameters. */
export type ModelFamily = 'neural' | 'linear' | 'fasttext' | 'ensemble';

/** The family of a model name. */
export function modelFamily(name: string): ModelFamily {
  if (neuralNames().includes(name)) return 'neural';
  if ((LINEAR_MODELS as readonly string[]).includes(name)) return 'linear';
  if (name === FASTTEXT_KIND) return 'fasttext';
  if (name === 'ensemble') return 'ensemble';
  throw new OptionError(`unknown model "${name}"; expected one of: ${trainableModels().join(', ')}`);
}

/** The trainer for a model name, configured from the options that apply to its family. */
export async function createTrainer(name: string, choice: TrainerChoice = {}): Promise<Trainer> {
  if (neuralNames().includes(name)) return new NeuralTrainer({ ...choice.neural, model: name });
  if ((LINEAR_MODELS as readonly string[]).includes(name)) {
    return new LinearTrainer({ ...choice.linear, model: name as LinearModelName });
  }
  if (name === FASTTEXT_KIND) return new FastTextTrainer(choice.fasttext);
  if (name === 'ensemble') {
    const members = choice.members ?? [];
    if (members.length < 2)
      throw new OptionError('--model ensemble needs --members with at least two models, e.g. nbsvm,cnn');
    const resolved: EnsembleMember[] = [];
    for (const member of members) {
      if (member === 'ensemble') throw new OptionError('an ensemble cannot have an ensemble member');
      if (await isDirectory(member)) resolved.push({ classifier: await loadClassifier(member) });
      else resolved.push({ name: member, trainer: await createTrainer(member, choice) });
    }
    return new EnsembleTrainer({ members: resolved, validationSplit: choice.ensembleValidationSplit });
  }
  throw new OptionError(
    `unknown model "${name}"; expected one of: ${trainableModels().join(', ')} (or, for --members, a saved model directory)`,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
