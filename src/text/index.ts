/**
 * The text layer's public names, from its four folders: sequences/ (tokenizer, Keras-style vocabulary,
 * padding, the sequence encoder), features/ (bag-of-n-grams for the linear models), embeddings/ (word
 * vectors) and corpus/ (dataset statistics, words per label).
 */
export {
  PUNCTUATION_TOKENIZER_ID,
  tokenize,
  TOKENIZER_ID,
  tokenizeWithPunctuation,
} from './sequences/tokenize.js';
export {
  Vocabulary,
  DEFAULT_VOCABULARY_OPTIONS,
  VOCABULARY_FORMAT,
  VOCABULARY_VERSION,
  PAD_TOKEN,
  START_TOKEN,
  OOV_TOKEN,
  UNUSED_TOKEN,
} from './sequences/vocabulary.js';
export type { VocabularyOptions, ResolvedVocabularyOptions, VocabularyJSON } from './sequences/vocabulary.js';
export { padSequences, removeLongSequences } from './sequences/pad.js';
export type { PadOptions, PaddedSequences, RemoveLongOptions } from './sequences/pad.js';
export { datasetStatistics, formatStatistics, lengthSummary } from './corpus/stats.js';
export type { DatasetStatistics, SplitStatistics, LengthSummary, StatisticsOptions } from './corpus/stats.js';
export { SequenceEncoder, DEFAULT_SEQUENCE_OPTIONS } from './sequences/encoder.js';
export {
  readWordVectors,
  inspectWordVectors,
  formatFromName,
  WORD_VECTOR_FORMATS,
  WORD_VECTORS_TASK,
} from './embeddings/word-vectors.js';
export type {
  WordVectorFormat,
  WordVectors,
  WordVectorFileInfo,
  ReadWordVectorsOptions,
} from './embeddings/word-vectors.js';
export {
  readPretrainedEmbedding,
  embeddingMatrix,
  vocabularyFilter,
} from './embeddings/pretrained-embedding.js';
export type {
  PretrainedEmbedding,
  PretrainedEmbeddingOptions,
  EmbeddingCoverage,
} from './embeddings/pretrained-embedding.js';
export type { SequenceOptions, EncoderConfig, EncodedBatch } from './sequences/encoder.js';
export { nonZeros, selectRows, type SparseMatrix } from './features/sparse.js';
export { CsrBuilder } from './features/sparse.js';
export {
  NGRAM_SEPARATOR,
  ngrams,
  ngramCount,
  murmurHash3,
  murmurHash3Words,
  hashNgram,
} from './features/ngrams.js';
export { NgramTrie } from './features/ngram-trie.js';
export {
  Vectorizer,
  DEFAULT_VECTORIZER_OPTIONS,
  MAX_NGRAMS,
  MAX_HASH_BITS,
  VECTORIZER_FORMAT,
  VECTORIZER_VERSION,
} from './features/vectorizer.js';
export type {
  VectorizerOptions,
  ResolvedVectorizerOptions,
  VectorizerJSON,
  Weighting,
  TextFeature,
  SparseRow,
} from './features/vectorizer.js';
export { LabelWordCounts } from './corpus/word-counts.js';
export type { WordCount, TypicalWord } from './corpus/word-counts.js';
