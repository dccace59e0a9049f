/**
 * THE table of model families. Each family lives in its own folder and exports one entry (see
 * family.ts); the CLI, search, cross-validation, batch scoring, the service and the loader find a
 * family here by model name or by a saved model's manifest kind, and never name one themselves.
 * Adding a family is one folder and one line below (or, from outside the library, `registerFamily`).
 */
import { OptionError } from '../errors.js';
import { docVecFamily, type DocVecChoice } from './docvec/family.js';
import { ensembleFamily, type EnsembleChoice } from './ensemble/family.js';
import type { ModelFamilyEntry } from './family.js';
import { fastTextFamily, type FastTextChoice } from './fasttext/family.js';
import { linearFamily, type LinearChoice } from './linear/family.js';
import { neuralFamily, type NeuralChoice } from './neural/family.js';

/** Options for any model family; each family reads its own part. */
export interface TrainerChoice
  extends NeuralChoice, LinearChoice, FastTextChoice, EnsembleChoice, DocVecChoice {}

/** The families Polarity ships, in the order `--model` lists their models. */
const FAMILIES: ModelFamilyEntry<TrainerChoice>[] = [
  neuralFamily,
  linearFamily,
  fastTextFamily,
  docVecFamily,
  ensembleFamily,
];
/** How many of them are built in: those are never unregistered. */
const BUILT_IN = FAMILIES.length;

/** How a registered family reaches worker threads, which start with the built-in table only. */
export interface RegistrationOptions {
  /**
   * The URL (absolute, e.g. the registering module's `import.meta.url`) of a module whose import
   * registers this family. Worker threads that load models (`predict --workers N`) import it before
   * they load one; without it, a worker cannot load the family's models.
   */
  readonly module?: string | URL;
}

/** The registering module of each registered family that named one, by family name. */
const MODULES = new Map<string, string>();

/** Every family in the table, built-in first, then registered ones in the order they came. */
export function families(): readonly ModelFamilyEntry<TrainerChoice>[] {
  return FAMILIES;
}

/**
 * Adds a family to the table (a plug-in, or a test's toy family). Its name and model names must be
 * new: a model name belongs to one family, so that a `--model` and a manifest kind find one entry.
 */
export function registerFamily<Choice>(
  entry: ModelFamilyEntry<Choice>,
  options: RegistrationOptions = {},
): void {
  const module = options.module === undefined ? undefined : absoluteUrl(options.module);
  if (FAMILIES.some((f) => f.family === entry.family)) {
    throw new OptionError(`a model family named "${entry.family}" is already registered`);
  }
  const taken = entry.models().filter((name) => familyOfModel(name) !== undefined);
  if (taken.length > 0)
    throw new OptionError(`model names already taken by another family: ${taken.join(', ')}`);
  FAMILIES.push(entry as ModelFamilyEntry<TrainerChoice>);
  if (module !== undefined) MODULES.set(entry.family, module);
}

/** The modules that register the families registered so far (see `RegistrationOptions.module`). */
export function familyModules(): string[] {
  return [...new Set(MODULES.values())];
}

function absoluteUrl(module: string | URL): string {
  try {
    return new URL(module).href;
  } catch {
    throw new OptionError(
      `a family's module must be an absolute URL (e.g. import.meta.url), got "${String(module)}"`,
    );
  }
}

/** Removes a registered family again (tests); the built-in ones stay. */
export function unregisterFamily(family: string): void {
  const index = FAMILIES.findIndex((f) => f.family === family);
  if (index < BUILT_IN) return;
  FAMILIES.splice(index, 1);
  MODULES.delete(family);
}

/** The family whose `--model` names include `name`, if any. */
export function familyOfModel(name: string): ModelFamilyEntry<TrainerChoice> | undefined {
  return FAMILIES.find((f) => f.models().includes(name));
}

/** The family that loads saved models of manifest kind `kind`, if any. */
export function familyOfKind(kind: string): ModelFamilyEntry<TrainerChoice> | undefined {
  return FAMILIES.find((f) => (f.loads ? f.loads(kind) : f.models().includes(kind)));
}

/** Every model name `polarity train --model` accepts, family by family. */
export function trainableModels(): string[] {
  return FAMILIES.flatMap((f) => [...f.models()]);
}

/** The family named `family` (an OptionError when the table has none). */
export function familyNamed(family: string): ModelFamilyEntry<TrainerChoice> {
  const found = FAMILIES.find((f) => f.family === family);
  if (!found) throw new OptionError(`unknown model family "${family}"`);
  return found;
}

/** Whether a family runs on TensorFlow.js (an ensemble may hold a network), so the backend must be started. */
export function familyNeedsBackend(family: string): boolean {
  return FAMILIES.find((f) => f.family === family)?.needsBackend ?? false;
}
