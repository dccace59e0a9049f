/**
 * Every family's option declarations, in the order --help lists the families: the built-in ones
 * (listed here rather than in their table entries, which must load without TensorFlow.js while the
 * neural declarations read the architectures' registry), then those of families registered with
 * `registerFamily` whose entry carries its `options`.
 */
import { ENSEMBLE_OPTIONS } from './ensemble/option-declarations.js';
import { FASTTEXT_OPTIONS } from './fasttext/option-declarations.js';
import { LINEAR_OPTIONS } from './linear/option-declarations.js';
import { NEURAL_OPTIONS } from './neural/option-declarations.js';
import { families } from './families.js';
import type { FamilyOptions } from './options.js';

const BUILT_IN: readonly FamilyOptions[] = [
  NEURAL_OPTIONS,
  LINEAR_OPTIONS,
  FASTTEXT_OPTIONS,
  ENSEMBLE_OPTIONS,
];

/** The declarations of every family, built-in first, then registered ones in registration order. */
export function familyOptions(): readonly FamilyOptions[] {
  const registered = families().flatMap((entry) =>
    entry.options === undefined || BUILT_IN.includes(entry.options) ? [] : [entry.options],
  );
  return [...BUILT_IN, ...registered];
}

/** The options of the family that trains `model`, or undefined for a name no family trains. */
export function familyOptionsOf(model: string): FamilyOptions | undefined {
  return familyOptions().find((family) => family.models().includes(model));
}
