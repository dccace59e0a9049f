/**
 * The vectorizer's options: their types and defaults, the one rule they follow (a value that would have no
 * effect is an error, not silently ignored) and the checks that enforce it, both when fitting (an
 * OptionError) and when reading a saved vectorizer back (the reader's ModelFormatError).
 */
import { OptionError } from '../../errors.js';
import { TOKENIZER_ID } from '../sequences/tokenize.js';

export type Weighting = 'count' | 'binary' | 'tfidf';

/** Options of {@link Vectorizer.fit}; the defaults are those of {@link DEFAULT_VECTORIZER_OPTIONS}. */
export interface VectorizerOptions {
  /** All n-grams of 1 to `ngrams` tokens (at most {@link MAX_NGRAMS}). Default 1. */
  readonly ngrams?: number;
  /** Keep n-grams found in at least this many training documents (exact vocabulary only). Default 1. */
  readonly minDf?: number;
  /** Keep only this many n-grams, those with the highest total count in training, ties by name. Default null (all). */
  readonly maxFeatures?: number | null;
  /** A hashed space of 2^hashBits columns (1..{@link MAX_HASH_BITS}) instead of a vocabulary. Default null. */
  readonly hashBits?: number | null;
  /** Seed of the n-gram hash (an integer in [0, 2^32)); only with `hashBits`. Default 0. */
  readonly hashSeed?: number;
  /** Feature values: occurrences, 1 for present, or TF-IDF. Default `'count'`. */
  readonly weighting?: Weighting;
  /** tf → 1 + ln(tf). Default false. */
  readonly sublinearTf?: boolean;
  /** idf = ln((1 + n) / (1 + df)) + 1 rather than ln(n / df) + 1; only with `'tfidf'`. Default true. */
  readonly smoothIdf?: boolean;
  /** Divide each row by its l2 norm. Default `'l2'` for `'tfidf'` (as scikit-learn), null otherwise. */
  readonly norm?: 'l2' | null;
  /** Which tokenizer made the tokens; recorded so that a saved model tokenizes new text the same way. */
  readonly tokenizer?: string;
}

/** {@link VectorizerOptions} with every default filled in, as stored in a saved vectorizer. */
export interface ResolvedVectorizerOptions {
  readonly ngrams: number;
  readonly minDf: number;
  readonly maxFeatures: number | null;
  readonly hashBits: number | null;
  readonly hashSeed: number;
  readonly weighting: Weighting;
  readonly sublinearTf: boolean;
  readonly smoothIdf: boolean;
  readonly norm: 'l2' | null;
  readonly tokenizer: string;
}

/** Defaults; `norm` is null here but becomes `'l2'` when `weighting` is `'tfidf'` and `norm` is not given. */
export const DEFAULT_VECTORIZER_OPTIONS: ResolvedVectorizerOptions = Object.freeze({
  ngrams: 1,
  minDf: 1,
  maxFeatures: null,
  hashBits: null,
  hashSeed: 0,
  weighting: 'count',
  sublinearTf: false,
  smoothIdf: true,
  norm: null,
  tokenizer: TOKENIZER_ID,
});

export const MAX_NGRAMS = 8;
/** 2^28 columns already take 1 GiB per Float32 weight vector. */
export const MAX_HASH_BITS = 28;

export const OPTION_KEYS = Object.keys(DEFAULT_VECTORIZER_OPTIONS);

export function resolveOptions(options: VectorizerOptions): ResolvedVectorizerOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new OptionError(`vectorizer: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new OptionError(`vectorizer: unknown option "${key}" (known: ${OPTION_KEYS.join(', ')})`);
    }
  }
  const d = DEFAULT_VECTORIZER_OPTIONS;
  const weighting = options.weighting ?? d.weighting;
  const resolved: ResolvedVectorizerOptions = {
    ngrams: options.ngrams ?? d.ngrams,
    minDf: options.minDf ?? d.minDf,
    maxFeatures: options.maxFeatures === undefined ? d.maxFeatures : options.maxFeatures,
    hashBits: options.hashBits === undefined ? d.hashBits : options.hashBits,
    hashSeed: options.hashSeed ?? d.hashSeed,
    weighting,
    sublinearTf: options.sublinearTf ?? d.sublinearTf,
    smoothIdf: options.smoothIdf ?? d.smoothIdf,
    norm: options.norm === undefined ? (weighting === 'tfidf' ? 'l2' : null) : options.norm,
    tokenizer: options.tokenizer ?? d.tokenizer,
  };
  const problem = checkOptions(resolved);
  if (problem !== undefined) throw new OptionError(`vectorizer: ${problem}`);
  return resolved;
}

/** What is wrong with a set of options, or undefined. Shared by fit (OptionError) and fromJSON (ModelFormatError). */
export function checkOptions(o: ResolvedVectorizerOptions): string | undefined {
  const inRange = (v: unknown, low: number, high: number): v is number =>
    typeof v === 'number' && Number.isInteger(v) && v >= low && v <= high;
  if (!inRange(o.ngrams, 1, MAX_NGRAMS))
    return `ngrams must be an integer in [1, ${MAX_NGRAMS}], got ${describe(o.ngrams)}`;
  if (!inRange(o.minDf, 1, Number.MAX_SAFE_INTEGER))
    return `minDf must be an integer ≥ 1, got ${describe(o.minDf)}`;
  if (o.maxFeatures !== null && !inRange(o.maxFeatures, 1, 2 ** 31 - 1)) {
    return `maxFeatures must be an integer ≥ 1 or null, got ${describe(o.maxFeatures)}`;
  }
  if (o.hashBits !== null && !inRange(o.hashBits, 1, MAX_HASH_BITS)) {
    return `hashBits must be an integer in [1, ${MAX_HASH_BITS}] or null, got ${describe(o.hashBits)}`;
  }
  if (!inRange(o.hashSeed, 0, 2 ** 32 - 1))
    return `hashSeed must be an integer in [0, 2^32), got ${describe(o.hashSeed)}`;
  if (o.weighting !== 'count' && o.weighting !== 'binary' && o.weighting !== 'tfidf') {
    return `weighting must be "count", "binary" or "tfidf", got ${describe(o.weighting)}`;
  }
  if (typeof o.sublinearTf !== 'boolean')
    return `sublinearTf must be true or false, got ${describe(o.sublinearTf)}`;
  if (typeof o.smoothIdf !== 'boolean')
    return `smoothIdf must be true or false, got ${describe(o.smoothIdf)}`;
  if (o.norm !== 'l2' && o.norm !== null) return `norm must be "l2" or null, got ${describe(o.norm)}`;
  if (typeof o.tokenizer !== 'string' || o.tokenizer === '') {
    return `tokenizer must be a non-empty string, got ${describe(o.tokenizer)}`;
  }
  if (o.hashBits !== null && o.minDf !== 1) {
    return `minDf ${o.minDf} cannot be used with hashBits: a hashed column mixes n-grams (leave minDf at 1)`;
  }
  if (o.hashBits !== null && o.maxFeatures !== null) {
    return `maxFeatures cannot be used with hashBits: the hashed space has 2^hashBits columns`;
  }
  if (o.hashBits === null && o.hashSeed !== 0) return 'hashSeed only applies with hashBits';
  if (o.weighting === 'binary' && o.sublinearTf) return 'sublinearTf has no effect with weighting "binary"';
  if (o.weighting !== 'tfidf' && !o.smoothIdf) return `smoothIdf only applies with weighting "tfidf"`;
  return undefined;
}

export function readOptions(value: unknown, fail: (message: string) => never): ResolvedVectorizerOptions {
  if (!isRecord(value)) return fail(`"options" must be an object, got ${describe(value)}`);
  for (const key of OPTION_KEYS) if (!(key in value)) fail(`"options.${key}" is missing`);
  for (const key of Object.keys(value))
    if (!OPTION_KEYS.includes(key)) fail(`"options.${key}" is not a vectorizer option`);
  const options = value as unknown as ResolvedVectorizerOptions;
  const problem = checkOptions(options);
  if (problem !== undefined) fail(`options: ${problem}`);
  const picked: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) picked[key] = value[key];
  return picked as unknown as ResolvedVectorizerOptions;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
