/**
 * What the word-vector format readers share with the streaming front end (word-vectors.ts): the format
 * names, the contract each format's parser meets, where it hands its vectors, and the choice of format
 * from a file's name. The readers import this module and word-vectors.ts imports the readers, so no
 * import runs back from a reader to the front end.
 */
import { basename } from 'node:path';

export const WORD_VECTOR_FORMATS = ['glove', 'word2vec-text', 'word2vec-binary'] as const;
export type WordVectorFormat = (typeof WORD_VECTOR_FORMATS)[number];

/**
 * Where a parser hands its vectors. It asks first, so that the values of an unwanted word are never
 * parsed: on a large file that is most of the work saved.
 */
export interface VectorSink {
  wants(word: string): boolean;
  add(word: string, vector: Float32Array): void;
}

/** What the format parsers have in common: fed chunks of the (decompressed) file in order. */
export interface VectorParser {
  /** Known once the header (word2vec) or the first line (GloVe) has been read. */
  readonly dim: number | undefined;
  readonly format: WordVectorFormat | undefined;
  /** Words in the header (word2vec formats only). */
  readonly declaredWords: number | undefined;
  /** Vector records read so far, kept or not. */
  readonly records: number;
  push(chunk: Buffer): void;
  /** Called after the last chunk: checks that the file did not end early. */
  end(): void;
}

/** The format a file's name implies, or `undefined` when its first line must decide (text formats). */
export function formatFromName(file: string): WordVectorFormat | undefined {
  return /\.bin(\.gz)?$/i.test(basename(file)) ? 'word2vec-binary' : undefined;
}
