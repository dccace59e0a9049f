/**
 * The ensemble's options, declared once: its members (model names to train afresh, or saved model
 * directories) and the slice its weights are learnt on. Other families' flags pass on to its fresh
 * members, except those a declaration marks `passedToMembers: false`.
 */
import {
  nameList,
  openFraction,
  type FamilyOptions,
  type OptionDeclaration,
  type OptionsOf,
} from '../options.js';

/**
 * The bound of the slice the weights are learnt on, written once: its declaration parses with it and
 * `EnsembleTrainer` checks a library caller's value with it. It must be some of the training split
 * (weights learnt on nothing mean nothing) and not all of it (the members train on the rest).
 */
export const ENSEMBLE_VALUES = { validationSplit: openFraction() } as const;

export const ENSEMBLE_OPTION_DECLARATIONS = [
  {
    key: 'members',
    value: nameList(),
    help: 'ensemble members, comma-separated: model names and/or saved model directories (e.g. nbsvm,cnn)',
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
        'are learnt on --validation-split (default 0.1) of the training split, never the test split',
      ],
    },
  ],
};
