/**
 * Every family's option declarations, in the order --help lists the families: those the table's
 * entries carry in their `options` (the built-in ones first, then families registered with
 * `registerFamily`, in registration order).
 */
import { families } from './families.js';
import type { FamilyOptions } from './options.js';

/** The declarations of every family, built-in first, then registered ones in registration order. */
export function familyOptions(): readonly FamilyOptions[] {
  return families().flatMap((entry) => (entry.options === undefined ? [] : [entry.options]));
}

/** The options of the family that trains `model`, or undefined for a name no family trains. */
export function familyOptionsOf(model: string): FamilyOptions | undefined {
  return familyOptions().find((family) => family.models().includes(model));
}
