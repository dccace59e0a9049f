/**
 * Pre-trained word vectors laid out as an embedding matrix for a {@link Vocabulary}: row `id` holds
 * the vector of the word with that id.
 *
 * - A word takes the vector of the same word in the file; failing that, of the first word in the file
 *   that lower-cases to it (our tokenizer lower-cases, while files such as word2vec's GoogleNews or
 *   glove.840B are cased, so "Paris" is the only vector "paris" can get).
 * - Row 0, the padding id, is zeros. Every other row without a vector (reserved ids, the OOV id,
 *   words the file lacks) starts as Keras's `Embedding` default does: uniform in ±0.05, drawn from
 *   the seeded generator so that a run is reproducible.
 * - Only the vectors the vocabulary can use are kept while the file streams by: at most two per
 *   vocabulary word (its own and one case variant), whatever the size of the file.
 */
import { basename } from 'node:path';
import type { ProgressCallback } from '../../util/progress.js';
import type { Random } from '../../util/random.js';
import type { Vocabulary } from '../sequences/vocabulary.js';
import type { RecordLimit } from '../../data/record-limit.js';
import { readWordVectors, type WordVectorFormat, type WordVectors } from './word-vectors.js';

/** Keras's default `Embedding` initialiser draws from uniform(-0.05, 0.05). */
const INIT_LIMIT = 0.05;

/** How much of a vocabulary a vector file covers. */
export interface EmbeddingCoverage {
  /** Vocabulary words that encode as themselves (the `skipTop` words never do, so they do not count). */
  readonly words: number;
  /** Of them, words that got a vector. */
  readonly found: number;
  /** Of `found`, words that got it from a differently cased word of the file. */
  readonly foundByCase: number;
  /**
   * Share of the training tokens whose word got a vector, when the vocabulary knows its counts; out of
   * `tokens` when given, else out of the tokens of the vocabulary's own words.
   */
  readonly tokenShare?: number;
}

/** An embedding matrix made from a vector file, with where it came from and what it covers. */
export interface PretrainedEmbedding {
  /** The file's name, without its directory (this is recorded in saved models). */
  readonly file: string;
  readonly format: WordVectorFormat;
  readonly dim: number;
  /** Rows of `matrix`: the vocabulary's id space. */
  readonly rows: number;
  /** `rows × dim`, row-major. */
  readonly matrix: Float32Array;
  readonly coverage: EmbeddingCoverage;
}

export interface PretrainedEmbeddingOptions extends RecordLimit {
  /** The vector file's format; default: detected from its name and first line. */
  readonly format?: WordVectorFormat;
  /** Draws the rows of words without a vector. */
  readonly random: Random;
  /** All training tokens, out-of-vocabulary ones included, as the base of `coverage.tokenShare`. */
  readonly tokens?: number;
  readonly onProgress?: ProgressCallback;
}

/**
 * Streams `file` and builds the embedding matrix for `vocabulary`.
 * @throws DatasetError when the file is missing or malformed.
 */
export async function readPretrainedEmbedding(
  file: string,
  vocabulary: Vocabulary,
  options: PretrainedEmbeddingOptions,
): Promise<PretrainedEmbedding> {
  const vectors = await readWordVectors(file, {
    format: options.format,
    maxRecordBytes: options.maxRecordBytes,
    keep: vocabularyFilter(vocabulary),
    onProgress: options.onProgress,
  });
  const { matrix, coverage } = embeddingMatrix(vocabulary, vectors, options.random, options.tokens);
  return {
    file: basename(file),
    format: vectors.format,
    dim: vectors.dim,
    rows: vocabulary.size,
    matrix,
    coverage,
  };
}

/**
 * Which words of a vector file a vocabulary can use: its own words, and the first case variant of
 * each. Stateful: it accepts one case variant per word, so use a fresh one for each file.
 */
export function vocabularyFilter(vocabulary: Vocabulary): (word: string) => boolean {
  const variantTaken = new Set<string>();
  return (word) => {
    if (vocabulary.has(word)) return true;
    const lower = word.toLowerCase();
    if (lower === word || !vocabulary.has(lower) || variantTaken.has(lower)) return false;
    variantTaken.add(lower);
    return true;
  };
}

/** Lays `vectors` out by the vocabulary's ids (see the module comment for the rules). */
export function embeddingMatrix(
  vocabulary: Vocabulary,
  vectors: Pick<WordVectors, 'dim' | 'vectors'>,
  random: Random,
  tokens?: number,
): { matrix: Float32Array; coverage: EmbeddingCoverage } {
  const { dim } = vectors;
  const matrix = new Float32Array(vocabulary.size * dim);
  for (let i = dim; i < matrix.length; i++) matrix[i] = (random.next() * 2 - 1) * INIT_LIMIT;

  const byCase = new Map<string, Float32Array>();
  for (const [word, vector] of vectors.vectors) {
    const lower = word.toLowerCase();
    if (lower !== word && !byCase.has(lower)) byCase.set(lower, vector);
  }

  const { skipTop, indexFrom } = vocabulary.options;
  const counts = vocabulary.counts;
  let found = 0;
  let foundByCase = 0;
  let tokensFound = 0;
  let vocabularyTokens = 0;
  for (let i = skipTop; i < vocabulary.words.length; i++) {
    const word = vocabulary.words[i];
    vocabularyTokens += counts?.[i] ?? 0;
    const own = vectors.vectors.get(word);
    const vector = own ?? byCase.get(word);
    if (vector === undefined) continue;
    if (vector.length !== dim) throw new Error(`vector of "${word}" has ${vector.length} values, not ${dim}`);
    matrix.set(vector, (indexFrom + 1 + i) * dim);
    found++;
    if (own === undefined) foundByCase++;
    tokensFound += counts?.[i] ?? 0;
  }
  const base = tokens ?? vocabularyTokens;
  const coverage: EmbeddingCoverage = {
    words: Math.max(0, vocabulary.words.length - skipTop),
    found,
    foundByCase,
    ...(counts !== undefined && base > 0 ? { tokenShare: tokensFound / base } : {}),
  };
  return { matrix, coverage };
}
