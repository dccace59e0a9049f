/**
 * Trainers by model name, found in the family table (families.ts): what `polarity train --model`,
 * search, cross-validation and the library's `createTrainer` use.
 */
import { OptionError } from '../errors.js';
import type { Trainer } from './classifier.js';
import { familyOfModel, trainableModels, type TrainerChoice } from './families.js';
import { loadClassifier, savedModel } from './load.js';

export { trainableModels, type TrainerChoice };

/** The families Polarity ships; a registered family's name is any other string. */
export type BuiltInFamily = 'neural' | 'linear' | 'fasttext' | 'ensemble';

/** Model families: each reads its own part of a `TrainerChoice` and has its own hyper-parameters. */
export type ModelFamily = BuiltInFamily | (string & Record<never, never>);

/** The family of a model name. */
export function modelFamily(name: string): ModelFamily {
  const found = familyOfModel(name);
  if (!found)
    throw new OptionError(`unknown model "${name}"; expected one of: ${trainableModels().join(', ')}`);
  return found.family;
}

/** The trainer for a model name, configured from the options that apply to its family. */
export async function createTrainer(name: string, choice: TrainerChoice = {}): Promise<Trainer> {
  const found = familyOfModel(name);
  if (!found) {
    throw new OptionError(
      `unknown model "${name}"; expected one of: ${trainableModels().join(', ')} (or, for --members, a saved model directory)`,
    );
  }
  return found.createTrainer(name, choice, { createTrainer, loadClassifier, trainerOfSaved });
}

/**
 * A trainer that trains a model as the one saved in `dir` was: its family's `trainerOfSaved` with the
 * checked manifest.
 * @throws OptionError when its family cannot train a saved model again.
 */
export async function trainerOfSaved(dir: string): Promise<Trainer> {
  const { manifest, family } = await savedModel(dir);
  if (!family.trainerOfSaved) {
    throw new OptionError(
      `a saved ${manifest.kind} model cannot be trained again from its manifest (${dir}); its family records no trainer options`,
    );
  }
  return family.trainerOfSaved(manifest);
}
