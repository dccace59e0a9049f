/**
 * The fastText family's options, declared once: the CLI's flags and --help and the search grid's
 * keys come from here. Flags it shares with another family (--epochs, --learning-rate, --ngrams)
 * add its default, or its own words, to that flag's help.
 */
import type { Assert, Declares, FamilyOptions, OptionDeclaration, OptionsOf } from '../options.js';
import { CLASS_WEIGHT_OPTION } from '../shared-option-declarations.js';
import { FASTTEXT_KIND } from './fasttext-classifier.js';
import { FASTTEXT_DEFAULTS as F, FASTTEXT_VALUES as V, type FastTextOptions } from './fasttext-options.js';

/** An option of `FastTextOptions` (its parser typed by the option's type) with its default from `FASTTEXT_DEFAULTS`. */
function fasttext<K extends keyof FastTextOptions>(
  key: K,
  declaration: Omit<OptionDeclaration<NonNullable<FastTextOptions[K]>>, 'key'>,
): OptionDeclaration<NonNullable<FastTextOptions[K]>, K> {
  return { key, default: () => F[key], ...declaration };
}

export const FASTTEXT_OPTION_DECLARATIONS = [
  CLASS_WEIGHT_OPTION,
  fasttext('dim', {
    value: V.dim,
    help: 'size of the word and n-gram vectors',
    search: true,
  }),
  fasttext('epochs', { value: V.epochs, help: 'passes over the training data', search: true }),
  fasttext('learningRate', {
    value: V.learningRate,
    help: 'the SGD step, decaying linearly to 0',
    sharedHelp: `; fasttext: the SGD step, decaying linearly to 0 (default: ${F.learningRate})`,
    search: true,
  }),
  fasttext('ngrams', {
    value: V.ngrams,
    help: 'use all word n-grams from 1 to N words, hashed into --buckets rows',
    sharedHelp: ` (fasttext: hashed into --buckets rows; default ${F.ngrams})`,
    search: true,
  }),
  fasttext('buckets', {
    value: V.buckets,
    help: 'rows that word n-grams are hashed into; memory grows as (words + buckets) × dim',
    search: true,
  }),
  fasttext('minCount', {
    value: V.minCount,
    help: 'words seen fewer times in the training split get no vector of their own',
    search: true,
  }),
  // Set by the command (train's --validation-split), not by a model flag.
  fasttext('validationSplit', { value: V.validationSplit, flag: false }),
] as const;

/** The fastText options as the declarations make them: one optional field per declared option. */
export type DeclaredFastTextOptions = OptionsOf<typeof FASTTEXT_OPTION_DECLARATIONS>;

// Every field of FastTextOptions is declared, but early stopping (the command's --early-stopping
// sets it), and every declaration is a field of the type it parses: otherwise this does not compile.
export type _FastTextDeclared = Assert<
  Declares<DeclaredFastTextOptions, Omit<FastTextOptions, 'earlyStopping'>>
>;

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
