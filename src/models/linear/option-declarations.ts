/**
 * The linear family's options (nb, linear, nbsvm), declared once: the CLI's flags and --help and
 * the search grid's keys come from here. Their defaults differ per model (`LINEAR_DEFAULTS`, chosen
 * by measurement and documented in the README), so --help does not list them; `resolveLinearOptions`
 * refuses an option given to a model that does not read it.
 */
import type { Assert, Declares, FamilyOptions, OptionDeclaration, OptionsOf } from '../options.js';
import { CLASS_WEIGHT_OPTION } from '../shared-option-declarations.js';
import {
  LINEAR_DEFAULTS,
  LINEAR_MODELS,
  LINEAR_VALUES as V,
  type LinearModelName,
  type LinearTrainerOptions,
} from './linear-options.js';

type DefaultKey = keyof (typeof LINEAR_DEFAULTS)[LinearModelName] & keyof LinearTrainerOptions;

/**
 * An option of `LinearTrainerOptions` (its parser typed by the option's type) with a default per
 * model in `LINEAR_DEFAULTS`, read by `models` (all three when omitted).
 */
function linear<K extends DefaultKey>(
  key: K,
  declaration: Omit<OptionDeclaration<NonNullable<LinearTrainerOptions[K]>>, 'key' | 'models'>,
  models?: readonly LinearModelName[],
): OptionDeclaration<NonNullable<LinearTrainerOptions[K]>, K> {
  return {
    key,
    default: (model: string) => LINEAR_DEFAULTS[model as LinearModelName][key],
    defaultInHelp: false,
    models: models && (() => models),
    ...declaration,
  };
}

export const LINEAR_OPTION_DECLARATIONS = [
  CLASS_WEIGHT_OPTION,
  linear('ngrams', {
    value: V.ngrams,
    help: 'use all n-grams from 1 to N words',
    search: true,
  }),
  linear('minDf', {
    value: V.minDf,
    help: 'keep n-grams found in at least N training reviews',
    search: true,
  }),
  linear('maxFeatures', {
    value: V.maxFeatures,
    help: 'keep only the N most frequent n-grams',
    search: true,
  }),
  linear('hashBits', {
    value: V.hashBits,
    help: 'hash n-grams into 2^B columns instead of keeping a vocabulary',
    search: true,
  }),
  linear(
    'c',
    {
      value: V.c,
      help: 'inverse regularisation strength (larger fits the training data harder)',
      search: true,
    },
    ['linear', 'nbsvm'],
  ),
  linear(
    'loss',
    {
      value: V.loss,
      help: 'logistic regression, or a linear SVM (hinge or squared-hinge)',
      search: true,
    },
    ['linear', 'nbsvm'],
  ),
  linear('alpha', { value: V.alpha, help: 'additive smoothing of the word counts', search: true }, [
    'nb',
    'nbsvm',
  ]),
  linear('beta', { value: V.beta, flag: false, search: true }, ['nbsvm']),
  linear(
    'sublinearTf',
    {
      value: V.sublinearTf,
      help: 'term frequency as 1 + log(tf) (on by default for linear)',
      flag: { negation: 'raw term frequency' },
      search: true,
    },
    ['nb', 'linear'],
  ),
  linear(
    'binary',
    {
      value: V.binary,
      help: 'word counts instead of binary presence',
      flag: { name: 'counts', sets: false },
    },
    ['nb'],
  ),
] as const;

/** The linear options as the declarations make them: one optional field per declared option. */
export type DeclaredLinearOptions = OptionsOf<typeof LINEAR_OPTION_DECLARATIONS>;

// Every field of LinearTrainerOptions is declared but the model (--model) and the solver's and the
// calibration's settings, which only the library sets; every declaration is a field of the type it
// parses: otherwise this does not compile.
export type _LinearDeclared = Assert<
  Declares<
    DeclaredLinearOptions,
    Omit<LinearTrainerOptions, 'model' | 'maxIterations' | 'tolerance' | 'calibrationSplit'>
  >
>;

export const LINEAR_OPTIONS: FamilyOptions = {
  family: 'linear',
  models: () => LINEAR_MODELS,
  path: ['linear'],
  declarations: LINEAR_OPTION_DECLARATIONS,
  help: [
    { models: 'nb', lines: ['multinomial naive Bayes (default: binary 1-3-grams, min-df 2)'] },
    {
      models: 'linear',
      lines: [
        'TF-IDF + linear SVM or logistic regression (--loss; default: 1-2-grams, min-df 2, sublinear tf,',
        'squared hinge, C 1; SVM probabilities by Platt scaling on a held-out slice of the training split)',
      ],
    },
    {
      models: 'nbsvm',
      lines: [
        'NBSVM (Wang & Manning 2012): binary n-grams scaled by the naive-Bayes log-count ratio',
        '(default: 1-3-grams, min-df 3, logistic, C 1)',
      ],
    },
  ],
};
