/** Text encoding: tokenizer, Keras-style vocabulary, sequence padding and dataset statistics. */
export { tokenize, TOKENIZER_ID } from './tokenize.js';
export {
  Vocabulary,
  DEFAULT_VOCABULARY_OPTIONS,
  VOCABULARY_FORMAT,
  VOCABULARY_VERSION,
  PAD_TOKEN,
  START_TOKEN,
  OOV_TOKEN,
  UNUSED_TOKEN,
} from './vocabulary.js';
export type { VocabularyOptions, ResolvedVocabularyOptions, VocabularyJSON } from './vocabulary.js';
export { padSequences, removeLongSequences } from './pad.js';
export type { PadOptions, PaddedSequences, RemoveLongOptions } from './pad.js';
export { datasetStatistics, formatStatistics, lengthSummary } from './stats.js';
export type { DatasetStatistics, SplitStatistics, LengthSummary, StatisticsOptions } from './stats.js';
export { SequenceEncoder, DEFAULT_SEQUENCE_OPTIONS } from './encoder.js';
export {
  readWordVectors,
  inspectWordVectors,
  formatFromName,
  WORD_VECTOR_FORMATS,
  WORD_VECTORS_TASK,
} from './word-vectors.js';
export type {
  WordVectorFormat,
  WordVectors,
  WordVectorFileInfo,
  ReadWordVectorsOptions,
} from './word-vectors.js';
export { readPretrainedEmbedding, embeddingMatrix, vocabularyFilter } from './pretrained-embedding.js';
export type {
  PretrainedEmbedding,
  PretrainedEmbeddingOptions,
  EmbeddingCoverage,
} from './pretrained-embedding.js';
export type { SequenceOptions, EncoderConfig, EncodedBatch } from './encoder.js';
export { nonZeros, selectRows, type SparseMatrix } from './sparse.js';
export { CsrBuilder } from './sparse.js';
export {
  NGRAM_SEPARATOR,
  ngrams,
  ngramCount,
  murmurHash3,
  murmurHash3Words,
  hashNgram,
  NgramTrie,
} from './ngrams.js';
export {
  Vectorizer,
  DEFAULT_VECTORIZER_OPTIONS,
  MAX_NGRAMS,
  MAX_HASH_BITS,
  VECTORIZER_FORMAT,
  VECTORIZER_VERSION,
} from './vectorizer.js';
export type {
  VectorizerOptions,
  ResolvedVectorizerOptions,
  VectorizerJSON,
  Weighting,
  TextFeature,
  SparseRow,
} from './vectorizer.js';
export { LabelWordCounts } from './word-counts.js';
export type { WordCount, TypicalWord } from './word-counts.js';
