/**
 * What the neural trainer does with `embeddings`: check the vector file against the options before
 * the long work starts, read it for the fitted vocabulary, and describe it for the manifest.
 */
import { OptionError } from '../../errors.js';
import type { EmbeddingsRecord } from '../../persist/manifest.js';
import {
  readPretrainedEmbedding,
  type PretrainedEmbedding,
} from '../../text/embeddings/pretrained-embedding.js';
import type { Vocabulary } from '../../text/sequences/vocabulary.js';
import { inspectWordVectors, type WordVectorFormat } from '../../text/embeddings/word-vectors.js';
import type { ProgressCallback } from '../../util/progress.js';
import { Random } from '../../util/random.js';

/** Pre-trained word vectors to start a neural model's embedding from. */
export interface EmbeddingsOption {
  /** A GloVe text, word2vec text or word2vec binary (`.bin`) file, optionally gzip-compressed. */
  readonly file: string;
  /** The file's format; default: detected from its name and first line. */
  readonly format?: WordVectorFormat;
  /** Keep the vectors fixed during training; default: fine-tune them with the rest of the model. */
  readonly freeze?: boolean;
  /** The longest line (text formats) or vector (binary) accepted; default 10 MiB. */
  readonly maxRecordBytes?: number;
}

/**
 * Reads the file's header or first line, so that a missing file, a foreign format or an embedding
 * dimension that contradicts the file fails before tokenizing.
 * @param embeddingDim the dimension the caller asked for, if any.
 * @throws OptionError when `embeddingDim` differs from the file's; DatasetError for the file.
 */
export async function checkEmbeddingsFile(option: EmbeddingsOption, embeddingDim?: number): Promise<number> {
  const { dim } = await inspectWordVectors(option.file, option.format, option);
  if (embeddingDim !== undefined && embeddingDim !== dim) {
    throw new OptionError(
      `embeddingDim ${embeddingDim} contradicts the ${dim}-dimensional vectors of ${option.file}: ` +
        'with pre-trained vectors the dimension is the file’s, so leave embeddingDim unset',
    );
  }
  return dim;
}

/** The embedding matrix for `vocabulary`; rows without a vector are drawn from `seed`. */
export function readEmbeddings(
  option: EmbeddingsOption,
  vocabulary: Vocabulary,
  tokenized: readonly (readonly string[])[],
  seed: number,
  onProgress?: ProgressCallback,
): Promise<PretrainedEmbedding> {
  return readPretrainedEmbedding(option.file, vocabulary, {
    format: option.format,
    maxRecordBytes: option.maxRecordBytes,
    random: new Random(seed),
    tokens: tokenized.reduce((sum, tokens) => sum + tokens.length, 0),
    onProgress,
  });
}

/** What a saved model records about the vectors it started from. */
export function embeddingsRecord(embedding: PretrainedEmbedding, frozen: boolean): EmbeddingsRecord {
  return {
    file: embedding.file,
    format: embedding.format,
    dim: embedding.dim,
    frozen,
    coverage: { ...embedding.coverage },
  };
}
