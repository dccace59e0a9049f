/**
 * The document-vector family's options, declared once: the CLI's flags and --help and the search grid's
 * keys come from here. Flags it shares with other families (--dim, --epochs, --learning-rate, --ngrams,
 * --min-df, --c) add its default to that flag's help.
 */
import type { Assert, Declares, FamilyOptions, OptionDeclaration, OptionsOf } from '../options.js';
import { DOCVEC_DEFAULTS as D, DOCVEC_VALUES as V, type DocVecOptions } from './docvec-options.js';

export const DOCVEC_KIND = 'docvec';

function docvec<K extends keyof DocVecOptions>(
  key: K,
  declaration: Omit<OptionDeclaration<NonNullable<DocVecOptions[K]>>, 'key'>,
): OptionDeclaration<NonNullable<DocVecOptions[K]>, K> {
  return { key, default: () => D[key], ...declaration };
}

export const DOCVEC_OPTION_DECLARATIONS = [
  docvec('dim', {
    value: V.dim,
    help: 'size of the document and n-gram vectors',
    sharedHelp: `; docvec: of the document and n-gram vectors (default: ${D.dim})`,
    search: true,
  }),
  docvec('epochs', {
    value: V.epochs,
    help: 'passes over the texts',
    sharedHelp: `; docvec: passes of PV-DBOW (default: ${D.epochs})`,
    search: true,
  }),
  docvec('inferEpochs', {
    value: V.inferEpochs,
    help: "passes over a new text's n-grams when its vector is folded in",
    search: true,
  }),
  docvec('learningRate', {
    value: V.learningRate,
    help: 'the SGD step, decaying linearly to 0',
    sharedHelp: `; docvec: the SGD step, decaying linearly to 0 (default: ${D.learningRate})`,
    search: true,
  }),
  docvec('cosineScale', {
    value: V.cosineScale,
    help: 'α, the scale of the cosine similarity inside the sigmoid',
    search: true,
  }),
  docvec('negatives', { value: V.negatives, help: 'noise n-grams drawn per occurrence', search: true }),
  docvec('punctuation', {
    value: V.punctuation,
    help: 'punctuation marks and symbols (! ? . , ( ) / …) are tokens of their own, so that n-grams such as "great !" and "7 / 10" get vectors and features (on by default)',
    flag: { negation: 'words only, as every other family tokenizes' },
    defaultInHelp: false,
  }),
  docvec('ngrams', {
    value: V.ngrams,
    help: 'n-grams of 1 to N words get vectors and NB-weighted features',
    sharedHelp: ` (docvec: default ${D.ngrams})`,
    search: true,
  }),
  docvec('minDf', {
    value: V.minDf,
    help: 'keep n-grams found in at least this many texts',
    sharedHelp: ` (docvec: default ${D.minDf}, labelled and unlabelled texts together)`,
    search: true,
  }),
  docvec('c', {
    value: V.c,
    help: 'inverse regularisation of the logistic regression',
    sharedHelp: ` (docvec: default ${D.c})`,
    search: true,
  }),
  docvec('vectorWeight', {
    value: V.vectorWeight,
    help: 'weight of the unit-length document vector beside the NB-weighted n-grams',
    search: true,
  }),
  docvec('threads', {
    value: V.threads,
    help: 'threads that train the vectors (Hogwild, as word2vec) and fold the training texts in: 2 or more is faster, but the vectors are then not reproducible to the bit',
  }),
] as const;

/** The document-vector options as the declarations make them: one optional field per declared option. */
export type DeclaredDocVecOptions = OptionsOf<typeof DOCVEC_OPTION_DECLARATIONS>;
export type _DocVecDeclared = Assert<Declares<DeclaredDocVecOptions, DocVecOptions>>;

export const DOCVEC_OPTIONS: FamilyOptions = {
  family: 'docvec',
  models: () => [DOCVEC_KIND],
  path: ['docvec'],
  declarations: DOCVEC_OPTION_DECLARATIONS,
  help: [
    {
      models: DOCVEC_KIND,
      lines: [
        'document vectors (PV-DBOW trained with cosine similarity over n-grams, Thongtan & Phienthrakul 2019)',
        'joined with NB-weighted n-grams in a logistic regression; learns from --unlabelled texts too',
      ],
    },
  ],
};
