import { OptionError } from '../../errors.js';
import { checkValue, integer, positiveNumber, type ValueParser } from '../options.js';

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
 * keep its step and α but fewer epochs and narrower vectors, with the step decaying linearly.
 * The step: the cosine's gradient scales as 1/‖v‖, so a vector's first update is about α·step/‖v‖
 * long; at 0.05 that throws every fresh vector far along its first n-gram and the vectors alone
 * scored 57–59% on a validation slice (2,000 labelled + 2,500 unlabelled reviews, 500 scored,
 * dim 50, 5 epochs), at 0.001 82.6%. On the same slice the joined features scored 86.2% with the
 * vector at weight 1 and 87.2–87.6% at weight 3 (C 0.1), against 85.8% for the n-grams alone: hence
 * weight 3 and C 0.1. A slice of 500 has a standard error near 1.5 points, and whether 10 epochs of
 * 100 dims reach the figures on the full split was not measured (see docs/models.md).
 */
export const DOCVEC_DEFAULTS: ResolvedDocVecOptions = Object.freeze({
  dim: 100,
  epochs: 10,
  inferEpochs: 10,
  learningRate: 0.001,
  cosineScale: 6,
  negatives: 5,
  ngrams: 2,
  minDf: 2,
  c: 0.1,
  vectorWeight: 3,
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
