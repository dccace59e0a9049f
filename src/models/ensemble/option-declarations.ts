/**
 * The ensemble's options, declared once: its members (model names to train afresh, or saved model
 * directories) and the slice its weights are learnt on. Other families' flags pass on to its fresh
 * members, except those a declaration marks `passedToMembers: false`.
 */
import { DEFAULT_WEIGHT_FOLDS } from './ensemble-defaults.js';
import {
  integer,
  nameList,
  openFraction,
  type FamilyOptions,
  type OptionDeclaration,
  type OptionsOf,
  type ValueParser,
} from '../options.js';

/** The folds of the cross-fitted weights: 0 (a held-out slice instead) or 2 to 20; one fold is no fold. */
function foldCount(): ValueParser<number> {
  const range = integer({ min: 0, max: 20 });
  return {
    expected: '0 or an integer from 2 to 20',
    argument: 'k',
    parse: (text) => {
      const n = range.parse(text);
      return n === 1 ? undefined : n;
    },
    accepts: (value) => range.accepts?.(value) === true && value !== 1,
  };
}

/**
 * The bound of the slice the weights are learnt on, written once: its declaration parses with it and
 * `EnsembleTrainer` checks a library caller's value with it. It must be some of the training split
 * (weights learnt on nothing mean nothing) and not all of it (the members train on the rest).
 */
export const ENSEMBLE_VALUES = { validationSplit: openFraction(), weightFolds: foldCount() } as const;

export const ENSEMBLE_OPTION_DECLARATIONS = [
  {
    key: 'members',
    value: nameList(),
    help: 'ensemble members, comma-separated: model names and/or saved model directories (e.g. nbsvm,cnn)',
  },
  {
    key: 'weightFolds',
    value: ENSEMBLE_VALUES.weightFolds,
    default: () => DEFAULT_WEIGHT_FOLDS,
    help: 'learn the weights from out-of-fold predictions: each member (a saved one too, trained again from its recorded options) is trained K times without one of K folds of the training split and predicts that fold; 0: learn them on --validation-split instead (which saved members may have seen)',
  },
  // Set by the command (train's --validation-split), not by a model flag.
  {
    key: 'validationSplit',
    value: ENSEMBLE_VALUES.validationSplit,
    flag: false,
    target: ['ensembleValidationSplit'],
  },
] as const satisfies readonly OptionDeclaration[];

/** The ensemble's own options as the declarations make them, flat (its members take their own). */
export type DeclaredEnsembleOptions = OptionsOf<typeof ENSEMBLE_OPTION_DECLARATIONS>;

export const ENSEMBLE_OPTIONS: FamilyOptions = {
  family: 'ensemble',
  models: () => ['ensemble'],
  label: null,
  path: [],
  declarations: ENSEMBLE_OPTION_DECLARATIONS,
  takesMemberFlags: true,
  help: [
    {
      models: 'ensemble',
      lines: [
        'averages --members (names trained afresh and/or saved model directories); weights',
        'are learnt from out-of-fold predictions on the training split (--weight-folds), never',
        'the test split',
      ],
    },
  ],
};
