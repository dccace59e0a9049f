import { OptionError } from '../../errors.js';
import { booleanValue, checkValue, integer, positiveNumber, type ValueParser } from '../options.js';

/** What `DocVecTrainer` accepts; every field has a default (see `DOCVEC_DEFAULTS`). */
export interface DocVecOptions {
  /** Size of the document and n-gram vectors. */
  readonly dim?: number;
  /** Passes of PV-DBOW over the labelled and unlabelled texts. */
  readonly epochs?: number;
  /** Passes over a new text's n-grams when its vector is folded in. */
  readonly inferEpochs?: number;
  /** Initial step size, falling linearly towards 0 (training and fold-in alike). */
  readonly learningRate?: number;
  /** α: the cosine's scale inside the sigmoid (the paper's `a`). */
  readonly cosineScale?: number;
  /** Noise n-grams drawn per occurrence (negative sampling). */
  readonly negatives?: number;
  /**
   * Punctuation marks and symbols are tokens of their own (`tokenizeWithPunctuation`), so that their
   * n-grams get vectors and features too; false: words only, as every other family tokenizes.
   */
  readonly punctuation?: boolean;
  /** Longest word n-gram that gets a vector (and an NB-weighted feature). */
  readonly ngrams?: number;
  /** N-grams found in fewer texts (labelled and unlabelled together) get neither. */
  readonly minDf?: number;
  /** Inverse regularisation strength of the logistic regression over the joined features. */
  readonly c?: number;
  /** Weight of the unit-length document vector beside the NB-weighted n-grams. */
  readonly vectorWeight?: number;
  /**
   * Threads that train the vectors, this one included (Hogwild: shared vectors, no locks), and then fold
   * the training texts in (each text's vector is the same on any thread). More than one is faster but
   * its model is not reproducible to the bit; 1 is.
   */
  readonly threads?: number;
}

export type ResolvedDocVecOptions = Required<DocVecOptions>;

/**
 * Defaults. The reference (Thongtan & Phienthrakul 2019) trains 500-wide vectors over uni-, bi- and
 * trigrams for 120 epochs at a constant step of 0.001 on 22 threads; that is hours on two cores. These
 * keep its step, α and n-grams but narrower vectors and fewer epochs, with the step decaying linearly.
 * The step: the cosine's gradient scales as 1/‖v‖, so a vector's first update is about α·step/‖v‖
 * long; at 0.05 the vectors alone scored 57–59% on a small validation slice, at 0.001 82.6%.
 * Chosen on the full split's validation slice (20,000 training reviews and the 50,000 unlabelled
 * ones, 5,000 held out; bench/results/unlabelled-full-validation*.json): the joined features scored
 * 92.56% with bigrams (10 or 20 epochs alike), 92.80% with trigrams at vector weight 3 and 92.84% at
 * 5, C 0.1 (0.3 no better); the n-grams alone 91.42% and 91.62%.
 */
export const DOCVEC_DEFAULTS: ResolvedDocVecOptions = Object.freeze({
  dim: 100,
  epochs: 10,
  inferEpochs: 10,
  learningRate: 0.001,
  cosineScale: 6,
  negatives: 5,
  punctuation: true,
  ngrams: 3,
  minDf: 2,
  c: 0.1,
  vectorWeight: 5,
  threads: 1,
});

export const MAX_DOCVEC_DIM = 1000;
export const MAX_DOCVEC_NGRAMS = 3;

/** Each option's parser and bounds, written once (declarations and the trainer's check share them). */
export const DOCVEC_VALUES = {
  dim: integer({ ceiling: MAX_DOCVEC_DIM }),
  epochs: integer(),
  inferEpochs: integer(),
  learningRate: positiveNumber(),
  cosineScale: positiveNumber(),
  negatives: integer(),
  punctuation: booleanValue,
  ngrams: integer({ max: MAX_DOCVEC_NGRAMS }),
  minDf: integer(),
  c: positiveNumber(),
  vectorWeight: positiveNumber(),
  threads: integer({ max: 64 }),
} as const satisfies { readonly [K in keyof DocVecOptions]-?: ValueParser<NonNullable<DocVecOptions[K]>> };

/** Fills defaults and rejects values that cannot work, naming the option. */
export function resolveDocVecOptions(options: DocVecOptions = {}): ResolvedDocVecOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const resolved: ResolvedDocVecOptions = { ...DOCVEC_DEFAULTS, ...defined };
  for (const key of Object.keys(resolved)) {
    if (!(key in DOCVEC_DEFAULTS)) throw new OptionError(`docvec has no option "${key}"`);
  }
  for (const [key, parser] of Object.entries(DOCVEC_VALUES)) {
    checkValue(key, parser, resolved[key as keyof typeof DOCVEC_VALUES]);
  }
  return resolved;
}
