import { OptionError } from '../../errors.js';
import { MAX_NETWORK_PARAMETERS } from '../../fit/size-limits.js';
import { validateClassWeight, type ClassWeightSpec } from '../../fit/class-weight.js';
import { validateEarlyStopping, type EarlyStoppingOptions } from '../../fit/early-stopping.js';
import { checkValue, fraction, integer, positiveNumber, type ValueParser } from '../options.js';

/** What `FastTextTrainer` accepts; every field has a default (see `FASTTEXT_DEFAULTS`). */
export interface FastTextOptions {
  /** Size of the word and n-gram vectors (the hidden layer). */
  readonly dim?: number;
  /** Passes over the training split. */
  readonly epochs?: number;
  /** Initial SGD step; it decays linearly to 0 over all epochs. */
  readonly learningRate?: number;
  /** Longest word n-gram: 1 = words only, 2 = words and hashed word pairs, … */
  readonly ngrams?: number;
  /** Rows the n-grams are hashed into (unused when `ngrams` is 1). */
  readonly buckets?: number;
  /** Words seen fewer times in the training split get no row of their own. */
  readonly minCount?: number;
  /** Fraction of the training split held out to report validation loss and accuracy each epoch. */
  readonly validationSplit?: number;
  /**
   * Weigh each label's examples in the loss: 'auto' (n / (labels × n_label)), 'none', or a weight per
   * label name. A weight scales the SGD step of its examples, which is the gradient of the weighted loss.
   */
  readonly classWeight?: ClassWeightSpec;
  /**
   * Stop once the validation loss has not fallen for `patience` epochs and keep the best epoch's
   * weights (needs `validationSplit` > 0); null trains every epoch. The step size still decays over
   * all of `epochs`, so a run that stops early has not taken its smallest steps: give more epochs
   * than a run without it would need.
   */
  readonly earlyStopping?: EarlyStoppingOptions | null;
}

export type ResolvedFastTextOptions = Required<FastTextOptions>;

/**
 * Defaults, chosen on validation slices of the IMDB training split (20,000 reviews to fit, 5,000 to
 * score, two seeds; never the test split). One slice's standard error is about 0.4 points, so
 * most settings below tie; the defaults are the cheapest of the best.
 * - Learning rate: fastText's own default, 0.1, is far too small for 5 epochs over 20,000 long
 *   texts (84.4%, still learning); 0.5 gives 90.1% and 1.0 90.1%; 0.25 over 10 epochs 90.3%.
 * - Dimension: 10 (as in the paper's sentiment runs) and 20 tie (90.1%, 90.2%); 50 gained nothing
 *   on a third slice (89.4% against 89.3% for 20); the input matrix grows with it.
 * - Buckets: 2^18 to 2^22 all score 89.8–90.2% — collisions among the 1.7 million bigrams cost
 *   little — but a smaller matrix stays in the CPU caches (an epoch takes 0.8 s at 2^18, about
 *   1.5 s at 2^20); 2^20 keeps the model near 43 MB (`(words + buckets) × dim` Float32 values).
 * - N-grams: words alone 88.3%; adding bigrams 90.1%; trigrams 90.0% at one and a half times the
 *   time. minCount 3 scores as 1 (90.1%) and 1 keeps every word.
 * - Epochs: training accuracy reaches 98.5% by epoch 5; 10 epochs at half the rate tie with 5.
 */
export const FASTTEXT_DEFAULTS: ResolvedFastTextOptions = Object.freeze({
  dim: 10,
  epochs: 5,
  learningRate: 0.5,
  ngrams: 2,
  buckets: 1 << 20,
  minCount: 1,
  validationSplit: 0,
  classWeight: 'none',
  earlyStopping: null,
});

/** Longest n-gram accepted: beyond this every n-gram is unique and only adds collisions. */
export const MAX_FASTTEXT_NGRAMS = 5;
/** Bucket rows at most, so that `(words + buckets) × dim` stays addressable and sane. */
export const MAX_BUCKETS = 1 << 26;
/** Widest vectors accepted (fastText's published models use 10 to 300). */
export const MAX_FASTTEXT_DIM = 1000;

/**
 * Each numeric option's parser and bounds, written once: the option declarations (flags, --help,
 * search grid) take their parsers from here, and `resolveFastTextOptions` checks a library caller's
 * values with the same ones. The `satisfies` clause makes a parser of the wrong type a compile error.
 */
export const FASTTEXT_VALUES = {
  dim: integer({ ceiling: MAX_FASTTEXT_DIM }),
  epochs: integer(),
  learningRate: positiveNumber(),
  ngrams: integer({ max: MAX_FASTTEXT_NGRAMS }),
  buckets: integer({ ceiling: MAX_BUCKETS }),
  minCount: integer(),
  validationSplit: fraction(),
} as const satisfies { readonly [K in keyof FastTextOptions]?: ValueParser<NonNullable<FastTextOptions[K]>> };

/** Fills defaults and rejects values that cannot work, naming the option. */
export function resolveFastTextOptions(options: FastTextOptions = {}): ResolvedFastTextOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const resolved: ResolvedFastTextOptions = { ...FASTTEXT_DEFAULTS, ...defined };
  for (const key of Object.keys(resolved)) {
    if (!(key in FASTTEXT_DEFAULTS)) throw new OptionError(`fasttext has no option "${key}"`);
  }
  for (const [key, parser] of Object.entries(FASTTEXT_VALUES)) {
    checkValue(key, parser, resolved[key as keyof typeof FASTTEXT_VALUES]);
  }
  checkBucketMatrix(resolved);
  validateClassWeight(resolved.classWeight);
  if (resolved.earlyStopping !== null) {
    validateEarlyStopping(resolved.earlyStopping);
    if (!(resolved.validationSplit > 0)) {
      throw new OptionError('early stopping watches the validation loss, so it needs validationSplit > 0');
    }
  }
  return resolved;
}

/**
 * Rejects a bucket matrix over the networks' parameter ceiling (see fit/size-limits.ts): it is
 * allocated before the first epoch, so `buckets × dim` alone can ask for gigabytes.
 */
function checkBucketMatrix({ ngrams, buckets, dim }: ResolvedFastTextOptions): void {
  if (ngrams === 1 || buckets * dim <= MAX_NETWORK_PARAMETERS) return;
  const n = (value: number) => value.toLocaleString('en-US');
  throw new OptionError(
    `buckets ${n(buckets)} × dim ${n(dim)} = ${n(buckets * dim)} parameters, over the ceiling of ` +
      `${n(MAX_NETWORK_PARAMETERS)}: lower buckets or dim`,
  );
}
