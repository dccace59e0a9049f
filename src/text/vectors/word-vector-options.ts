/**
 * What `trainWordVectors` (and `polarity vectors`) take: word2vec's and fastText's settings, with
 * their defaults (fastText's `skipgram` for the sizes, word2vec's for sampling and step sizes).
 */
import { OptionError } from '../../errors.js';

export const WORD_VECTOR_ARCHITECTURES = ['skipgram', 'cbow'] as const;
/** Skip-gram predicts each context word from the centre word; CBOW the centre word from their mean. */
export type WordVectorArchitecture = (typeof WORD_VECTOR_ARCHITECTURES)[number];

export interface WordVectorOptions {
  readonly architecture?: WordVectorArchitecture;
  /** Vector size. Default 100. */
  readonly dim?: number;
  /** Passes over the corpus. Default 5. */
  readonly epochs?: number;
  /** Words seen fewer times get no vector (and are dropped from the contexts). Default 5. */
  readonly minCount?: number;
  /** Largest distance between the centre and a context word; each position draws 1..window. Default 5. */
  readonly window?: number;
  /** Negative samples per positive one, drawn from the unigram distribution to the power 0.75. Default 5. */
  readonly negative?: number;
  /** Subsampling threshold t: a word of frequency f is kept with probability (√(f/t)+1)·t/f. Default 1e-3. */
  readonly sample?: number;
  /** Starting step size, decayed linearly to nearly zero. Default 0.025 (skip-gram), 0.05 (CBOW). */
  readonly learningRate?: number;
  /** Also learn vectors for word n-grams up to this length ("not_good"), as centre units. Default 1: none. */
  readonly wordNgrams?: number;
  /** Threads training at once on shared vectors without locks (Hogwild), as word2vec and fastText do. Default 1. */
  readonly threads?: number;
  readonly seed?: number;
}

export type ResolvedWordVectorOptions = Required<WordVectorOptions>;

/** Bounds, written once: the CLI's parsers say the same (cli/vectors.ts). */
export const WORD_VECTOR_LIMITS = {
  dim: [1, 1000],
  epochs: [1, 1000],
  minCount: [1, 1_000_000],
  window: [1, 100],
  negative: [1, 100],
  wordNgrams: [1, 3],
  threads: [1, 64],
} as const;

export function resolveWordVectorOptions(options: WordVectorOptions = {}): ResolvedWordVectorOptions {
  const architecture = options.architecture ?? 'skipgram';
  if (!WORD_VECTOR_ARCHITECTURES.includes(architecture))
    throw new OptionError(`architecture must be skipgram or cbow, got ${String(architecture)}`);
  const resolved: ResolvedWordVectorOptions = {
    architecture,
    dim: options.dim ?? 100,
    epochs: options.epochs ?? 5,
    minCount: options.minCount ?? 5,
    window: options.window ?? 5,
    negative: options.negative ?? 5,
    sample: options.sample ?? 1e-3,
    learningRate: options.learningRate ?? (architecture === 'cbow' ? 0.05 : 0.025),
    wordNgrams: options.wordNgrams ?? 1,
    threads: options.threads ?? 1,
    seed: options.seed ?? 42,
  };
  for (const [key, [min, max]] of Object.entries(WORD_VECTOR_LIMITS)) {
    const value = resolved[key as keyof typeof WORD_VECTOR_LIMITS];
    if (!Number.isInteger(value) || value < min || value > max)
      throw new OptionError(`${key} must be an integer from ${min} to ${max}, got ${value}`);
  }
  if (!(resolved.sample >= 0 && resolved.sample < 1))
    throw new OptionError(
      `sample must be a number from 0 (no subsampling) to below 1, got ${resolved.sample}`,
    );
  if (!(resolved.learningRate > 0 && resolved.learningRate <= 1))
    throw new OptionError(
      `learningRate must be a number above 0 and at most 1, got ${resolved.learningRate}`,
    );
  if (!Number.isSafeInteger(resolved.seed))
    throw new OptionError(`seed must be an integer, got ${resolved.seed}`);
  return resolved;
}
