/**
 * The linear family's options (nb, linear, nbsvm), declared once: the CLI's flags and --help and
 * the search grid's keys come from here. Their defaults differ per model (`LINEAR_DEFAULTS`, chosen
 * by measurement and documented in the README), so --help does not list them; `resolveLinearOptions`
 * refuses an option given to a model that does not read it.
 */
import { MAX_NGRAMS } from '../../text/features/vectorizer.js';
import {
  booleanValue,
  integer,
  oneOf,
  positiveNumber,
  unitInterval,
  type FamilyOptions,
  type OptionDeclaration,
} from '../options.js';
import { CLASS_WEIGHT_OPTION } from '../shared-option-declarations.js';
import {
  LINEAR_DEFAULTS,
  LINEAR_LOSSES,
  LINEAR_MODELS,
  MAX_HASH_BITS,
  type LinearModelName,
  type LinearTrainerOptions,
} from './linear-options.js';

/** --max-features at most: as many columns as the widest hashed space (the vectorizer's MAX_HASH_BITS). */
const MAX_FEATURES = 2 ** MAX_HASH_BITS;

type DefaultKey = keyof (typeof LINEAR_DEFAULTS)[LinearModelName] & keyof LinearTrainerOptions;

/**
 * An option of `LinearTrainerOptions` (its parser typed by the option's type) with a default per
 * model in `LINEAR_DEFAULTS`, read by `models` (all three when omitted).
 */
function linear<K extends DefaultKey>(
  key: K,
  declaration: Omit<OptionDeclaration<NonNullable<LinearTrainerOptions[K]>>, 'key' | 'models'>,
  models?: readonly LinearModelName[],
): OptionDeclaration {
  return {
    key,
    default: (model: string) => LINEAR_DEFAULTS[model as LinearModelName][key],
    defaultInHelp: false,
    models: models && (() => models),
    ...declaration,
  } as OptionDeclaration;
}

export const LINEAR_OPTION_DECLARATIONS: readonly OptionDeclaration[] = [
  CLASS_WEIGHT_OPTION,
  linear('ngrams', {
    value: integer({ max: MAX_NGRAMS }),
    help: 'use all n-grams from 1 to N words',
    search: true,
  }),
  linear('minDf', {
    value: integer(),
    help: 'keep n-grams found in at least N training reviews',
    search: true,
  }),
  linear('maxFeatures', {
    value: integer({ ceiling: MAX_FEATURES }),
    help: 'keep only the N most frequent n-grams',
    search: true,
  }),
  linear('hashBits', {
    value: integer({ ceiling: MAX_HASH_BITS, argument: 'b' }),
    help: 'hash n-grams into 2^B columns instead of keeping a vocabulary',
    search: true,
  }),
  linear(
    'c',
    {
      value: positiveNumber(),
      help: 'inverse regularisation strength (larger fits the training data harder)',
      search: true,
    },
    ['linear', 'nbsvm'],
  ),
  linear(
    'loss',
    {
      value: oneOf(LINEAR_LOSSES),
      help: 'logistic regression, or a linear SVM (hinge or squared-hinge)',
      search: true,
    },
    ['linear', 'nbsvm'],
  ),
  linear('alpha', { value: positiveNumber(), help: 'additive smoothing of the word counts', search: true }, [
    'nb',
    'nbsvm',
  ]),
  linear('beta', { value: unitInterval(), flag: false, search: true }, ['nbsvm']),
  linear(
    'sublinearTf',
    {
      value: booleanValue,
      help: 'term frequency as 1 + log(tf) (on by default for linear)',
      flag: { negation: 'raw term frequency' },
      search: true,
    },
    ['nb', 'linear'],
  ),
  linear(
    'binary',
    {
      value: booleanValue,
      help: 'word counts instead of binary presence',
      flag: { name: 'counts', sets: false },
    },
    ['nb'],
  ),
];

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
