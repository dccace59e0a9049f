/**
 * Trainers by model name, found in the family table (families.ts): what `polarity train --model`,
 * search, cross-validation and the library's `createTrainer` use.
 */
import { OptionError } from '../errors.js';
import type { Trainer } from './classifier.js';
import { familyOfModel, trainableModels, type TrainerChoice } from './families.js';
import { loadClassifier } from './load.js';

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
  return found.createTrainer(name, choice, { createTrainer, loadClassifier });
}
