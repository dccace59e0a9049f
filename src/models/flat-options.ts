/**
 * Flat options of one model (`{ minDf: 2, c: 0.5 }`, as `ModelOptions<'nbsvm'>` types them) turned
 * into the nested `TrainerChoice` its family's trainer reads, from the family's option declarations:
 * each value goes to the declaration's place (the family's `path`, then its `target` or key), exactly
 * where the CLI's flag of the same option puts it (`trainerChoiceFromFlags`). The values themselves
 * are checked by the trainers (`checkValue`), against the same declared bounds as a flag's.
 */
import { OptionError } from '../errors.js';
import { familyOptionsOf } from './family-options.js';
import { familyOfModel, trainableModels, type TrainerChoice } from './families.js';
import { declarationPath, getIn, readersOf, setIn } from './options.js';

/**
 * The trainer choice that `options` describe for `model`. An option its family does not declare, one
 * only other models of the family read, or one given without the option it needs is an OptionError;
 * so is a size the family's own check refuses (a network over the ceilings), before any data is read.
 * An undefined value is left out, so that the family keeps its default.
 */
export function trainerChoiceOf(model: string, options: Readonly<Record<string, unknown>>): TrainerChoice {
  if (familyOfModel(model) === undefined) {
    throw new OptionError(`unknown model "${model}"; expected one of: ${trainableModels().join(', ')}`);
  }
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  const family = familyOptionsOf(model);
  if (family === undefined) {
    if (given.length > 0) throw new OptionError(`model ${model} takes no options, got ${given[0][0]}`);
    return {};
  }
  const byKey = new Map(family.declarations.map((declaration) => [declaration.key, declaration]));
  let choice: TrainerChoice = {};
  for (const [key, value] of given) {
    const declaration = byKey.get(key);
    if (declaration === undefined) {
      throw new OptionError(
        `${key} is not an option of model ${model}; its options are: ${[...byKey.keys()].join(', ')}`,
      );
    }
    // A network would keep an option its architecture does not read in its manifest, unused.
    if (family.trainerIgnoresUnread && !readersOf(family, declaration).includes(model)) {
      throw new OptionError(`${key} does not apply to model ${model}`);
    }
    if (declaration.needs !== undefined && options[declaration.needs] === undefined) {
      throw new OptionError(`${key} needs ${declaration.needs}`);
    }
    choice = setIn(choice, declarationPath(family, declaration), value);
  }
  family.check?.(model, getIn(choice, family.path), (key) => key);
  return choice;
}
