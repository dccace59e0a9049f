/**
 * Every family's option declarations, in the order --help lists the families. (The family table,
 * when it lands, holds each family's `FamilyOptions`; this list then reads them from it.)
 */
import { ENSEMBLE_OPTIONS } from './ensemble/option-declarations.js';
import { FASTTEXT_OPTIONS } from './fasttext/option-declarations.js';
import { LINEAR_OPTIONS } from './linear/option-declarations.js';
import { NEURAL_OPTIONS } from './neural/option-declarations.js';
import type { FamilyOptions } from './options.js';

export const FAMILY_OPTIONS: readonly FamilyOptions[] = [
  NEURAL_OPTIONS,
  LINEAR_OPTIONS,
  FASTTEXT_OPTIONS,
  ENSEMBLE_OPTIONS,
];

/** The options of the family that trains `model`, or undefined for a name no family trains. */
export function familyOptionsOf(model: string): FamilyOptions | undefined {
  return FAMILY_OPTIONS.find((family) => family.models().includes(model));
}
