/**
 * The fastText family's options, declared once: the CLI's flags and --help and the search grid's
 * keys come from here. Flags it shares with another family (--epochs, --learning-rate, --ngrams)
 * add its default, or its own words, to that flag's help.
 */
import { fraction, integer, positiveNumber, type FamilyOptions, type OptionDeclaration } from '../options.js';
import { CLASS_WEIGHT_OPTION } from '../shared-option-declarations.js';
import { FASTTEXT_KIND } from './fasttext-classifier.js';
import {
  FASTTEXT_DEFAULTS as F,
  MAX_BUCKETS,
  MAX_FASTTEXT_DIM,
  MAX_FASTTEXT_NGRAMS,
  type FastTextOptions,
} from './fasttext-options.js';

/** An option of `FastTextOptions` (its parser typed by the option's type) with its default from `FASTTEXT_DEFAULTS`. */
function fasttext<K extends keyof FastTextOptions>(
  key: K,
  declaration: Omit<OptionDeclaration<NonNullable<FastTextOptions[K]>>, 'key'>,
): OptionDeclaration {
  return { key, default: () => F[key], ...declaration } as OptionDeclaration;
}

export const FASTTEXT_OPTION_DECLARATIONS: readonly OptionDeclaration[] = [
  CLASS_WEIGHT_OPTION,
  fasttext('dim', {
    value: integer({ ceiling: MAX_FASTTEXT_DIM }),
    help: 'size of the word and n-gram vectors',
    search: true,
  }),
  fasttext('epochs', { value: integer(), help: 'passes over the training data', search: true }),
  fasttext('learningRate', {
    value: positiveNumber(),
    help: 'the SGD step, decaying linearly to 0',
    sharedHelp: `; fasttext: the SGD step, decaying linearly to 0 (default: ${F.learningRate})`,
    search: true,
  }),
  fasttext('ngrams', {
    value: integer({ max: MAX_FASTTEXT_NGRAMS }),
    help: 'use all word n-grams from 1 to N words, hashed into --buckets rows',
    sharedHelp: ` (fasttext: hashed into --buckets rows; default ${F.ngrams})`,
    search: true,
  }),
  fasttext('buckets', {
    value: integer({ ceiling: MAX_BUCKETS }),
    help: 'rows that word n-grams are hashed into; memory grows as (words + buckets) × dim',
    search: true,
  }),
  fasttext('minCount', {
    value: integer(),
    help: 'words seen fewer times in the training split get no vector of their own',
    search: true,
  }),
  // Set by the command (train's --validation-split), not by a model flag.
  fasttext('validationSplit', { value: fraction(), flag: false }),
];

export const FASTTEXT_OPTIONS: FamilyOptions = {
  family: 'fasttext',
  models: () => [FASTTEXT_KIND],
  path: ['fasttext'],
  declarations: FASTTEXT_OPTION_DECLARATIONS,
  help: [
    {
      models: FASTTEXT_KIND,
      lines: [
        'fastText (Joulin et al. 2016): the mean of word and hashed word-bigram vectors → softmax,',
        `trained by SGD (default: dim ${F.dim}, ${F.epochs} epochs, learning rate ${F.learningRate} decaying to 0,`,
        `${F.buckets.toLocaleString('en-US')} buckets, min-count ${F.minCount}); an epoch over IMDB takes seconds`,
      ],
    },
  ],
};
