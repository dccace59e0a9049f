/**
 * Bag-of-n-grams features for the linear models: tokenized texts in, a CSR {@link SparseMatrix} out, with
 * the semantics of scikit-learn's CountVectorizer / TfidfVectorizer so that numbers and recipes from the
 * literature (NBSVM, TF-IDF + linear SVM) carry over.
 *
 * What matches scikit-learn (1.2):
 * - n-grams of 1..`ngrams` tokens; an exact vocabulary's columns are sorted by n-gram name;
 * - `minDf` counts training documents; `maxFeatures` keeps the n-grams with the highest total count, after
 *   `minDf`;
 * - `tfidf`: tf (or 1 + ln tf with `sublinearTf`) × idf, idf = ln((1 + n) / (1 + df)) + 1 with `smoothIdf`
 *   (the default) and ln(n / df) + 1 without, then each row divided by its l2 norm;
 * - words unseen in training are ignored, and so is every n-gram that contains one.
 *
 * Where it differs, on purpose:
 * - Column order: n-grams are compared token by token by UTF-16 code unit, a proper prefix first. For tokens
 *   without characters at or below U+0020 (everything `tokenize` makes) that is exactly the order of the
 *   space-joined names that scikit-learn sorts; comparing token ranks instead of strings lets a trigram
 *   vocabulary of millions of n-grams be sorted with a radix sort in a fraction of a second.
 * - `maxFeatures` ties (equal total count) are broken by name, so the cut is deterministic; scikit-learn
 *   breaks them by an unstable sort.
 * - `minDf` is a document count only (scikit-learn also takes a proportion), and there is no `maxDf`.
 * - `sublinearTf` also applies to `'count'` weighting (scikit-learn has it only on TfidfVectorizer).
 * - Values are Float32 (computed in double and rounded once), as with scikit-learn's `dtype=np.float32`.
 * - Hashed space (`hashBits`): columns are {@link hashNgram} mod 2^bits, colliding n-grams are summed, and
 *   there is no alternating sign (scikit-learn's HashingVectorizer flips signs by default), so counts stay
 *   non-negative as naive Bayes needs. `minDf` and `maxFeatures` are rejected with `hashBits`: a hashed
 *   column mixes unrelated n-grams, so cutting by a column's frequency would not mean what those options
 *   say (scikit-learn's HashingVectorizer has neither). `tfidf` works: df is counted per column.
 *
 * Options follow one rule: a value that would have no effect is an error (OptionError naming the option),
 * not silently ignored — `sublinearTf` with `'binary'`, `smoothIdf: false` without `'tfidf'`, `minDf`,
 * `maxFeatures` with `hashBits`, `hashSeed` without it.
 *
 * Speed (`bench/features.ts`, full IMDB, this project's 2-core machine, quiet): fitTransform of the 25,000
 * training reviews takes 0.6 s for the top 5,000 unigrams, 2.3 s for all uni+bigrams (1.5 M columns) and
 * 5.4 s for uni+bi+trigrams (5.2 M columns); a hashed 2^20 uni+bigram space 0.7 s. What it costs, and so
 * what the code is shaped around: mapping each token to a word id (a {@link WordTable}, about 0.25 s for
 * 5.8 M tokens); one random access into a table of many MB per longer n-gram, which on this virtual machine
 * is a TLB miss as much as a cache miss (an {@link NgramTrie} whose entries hold their counters, probed level
 * by level after a prefetching pass); and garbage collection, since V8 runs a full collection for about every
 * 64 MB of new typed arrays and each one marks every token string the caller holds — so buffers are sized
 * once, reused where a dead one fits, and statistics no option needs are not kept. The exact vocabulary's
 * lookup table for `transform` is built on first use (0.8 s for 5 M trigrams); call `transformOne([])`
 * to pay that up front.
 */
import { DatasetError } from '../../errors.js';
import { selectColumns } from './column-selection.js';
import { FeatureRows, columnDocumentFrequencies, idfOf, rowsFromOccurrences } from './feature-rows.js';
import type { SparseRow, TextFeature } from './feature-rows.js';
import { NGRAM_SEPARATOR } from './ngrams.js';
import { NgramCounter, countNgrams } from './ngram-counter.js';
import type { NgramVocabulary } from './ngram-vocabulary.js';
import type { SparseMatrix } from './sparse.js';
import { corpusSize, corpusTokens, isTokenIdCorpus as isCorpus, type TokenIdCorpus } from './token-ids.js';
import {
  readVectorizerFiles,
  readVectorizerJSON,
  vectorizerToFiles,
  vectorizerToJSON,
  type VectorizerJSON,
  type VectorizerState,
} from './vectorizer-format.js';
import {
  resolveOptions,
  type ResolvedVectorizerOptions,
  type VectorizerOptions,
} from './vectorizer-options.js';

// What the vectorizer's users import with it, whichever of its files defines it.
export {
  DEFAULT_VECTORIZER_OPTIONS,
  MAX_HASH_BITS,
  MAX_NGRAMS,
  type ResolvedVectorizerOptions,
  type VectorizerOptions,
  type Weighting,
} from './vectorizer-options.js';
export { VECTORIZER_FORMAT, VECTORIZER_VERSION, type VectorizerJSON } from './vectorizer-format.js';
export type { SparseRow, TextFeature } from './feature-rows.js';
export { NgramCounter } from './ngram-counter.js';

/**
 * Turns tokenized texts into bag-of-n-gram rows. Immutable once fitted (it holds scratch buffers, so one
 * instance must not be used from two threads, which JavaScript does not do anyway).
 */
export class Vectorizer {
  readonly options: ResolvedVectorizerOptions;
  /** Number of columns. */
  readonly size: number;
  /** Number of training documents. */
  readonly documents: number;

  private readonly vocabulary: NgramVocabulary | null;
  private readonly df: Int32Array | null;
  private readonly rows: FeatureRows;

  private constructor(
    options: ResolvedVectorizerOptions,
    size: number,
    documents: number,
    vocabulary: NgramVocabulary | null,
    df: Int32Array | null,
  ) {
    this.options = Object.freeze({ ...options });
    this.size = size;
    this.documents = documents;
    this.vocabulary = vocabulary;
    this.df = df;
    const idf = df === null ? null : idfOf(df, documents, options.smoothIdf);
    this.rows = new FeatureRows(this.options, size, vocabulary, idf);
  }

  /**
   * Learns the columns (and document frequencies, for TF-IDF) from tokenized training texts.
   * @throws OptionError naming a bad option; DatasetError when the texts hold no token at all.
   */
  static fit(tokenized: readonly (readonly string[])[], options: VectorizerOptions = {}): Vectorizer {
    return Vectorizer.learn(tokenized, resolveOptions(options), false).vectorizer;
  }

  /**
   * {@link fit} and {@link transform} of the same texts, in one pass over the tokens: the n-grams found while
   * counting are kept as integer ids and become the rows, so nothing is looked up twice. The fast path for
   * training.
   */
  static fitTransform(
    tokenized: readonly (readonly string[])[] | TokenIdCorpus,
    options: VectorizerOptions = {},
  ): { vectorizer: Vectorizer; matrix: SparseMatrix } {
    const { vectorizer, matrix } = Vectorizer.learn(tokenized, resolveOptions(options), true);
    if (matrix === undefined) throw new Error('vectorizer: internal error, no matrix built');
    return { vectorizer, matrix };
  }

  /**
   * {@link fit} on texts given in batches, e.g. read from a file too big to hold: the n-grams are counted batch
   * by batch (the texts are not kept), and the result is the vectorizer that {@link fit} would learn from all
   * the texts at once. Memory grows with the distinct n-grams, not with the texts.
   * @throws OptionError naming a bad option; DatasetError when the texts hold no token at all.
   */
  static async fitBatches(
    batches: AsyncIterable<readonly (readonly string[])[] | TokenIdCorpus>,
    options: VectorizerOptions = {},
  ): Promise<Vectorizer> {
    const resolved = resolveOptions(options);
    const tfidf = resolved.weighting === 'tfidf';
    if (resolved.hashBits !== null) {
      const size = 2 ** resolved.hashBits;
      const hashed = new Vectorizer(resolved, size, 0, null, null);
      const df = tfidf ? new Int32Array(size) : null;
      let documents = 0;
      for await (const batch of batches) {
        const docs = isCorpus(batch)
          ? Array.from({ length: corpusSize(batch) }, (_, t) => corpusTokens(batch, t))
          : batch;
        documents += docs.length;
        if (df !== null) {
          const { indices } = hashed.countRows(docs);
          for (let k = 0; k < indices.length; k++) df[indices[k]]++;
        }
      }
      return new Vectorizer(resolved, size, documents, null, df);
    }
    const counter = new NgramCounter(resolved.ngrams, {
      counts: resolved.maxFeatures !== null,
      df: resolved.minDf > 1 || tfidf,
    });
    for await (const batch of batches) counter.add(batch);
    const counted = counter.finish();
    if (counted.words.length === 0) {
      throw new DatasetError('vectorizer: the training texts hold no tokens, so there is nothing to learn');
    }
    const selected = selectColumns(counted, resolved);
    const size = selected.vocabulary.parents.length;
    return new Vectorizer(
      resolved,
      size,
      counter.documentCount,
      selected.vocabulary,
      tfidf ? selected.df : null,
    );
  }

  private static learn(
    input: readonly (readonly string[])[] | TokenIdCorpus,
    options: ResolvedVectorizerOptions,
    wantMatrix: boolean,
  ): { vectorizer: Vectorizer; matrix?: SparseMatrix } {
    const corpus = isCorpus(input) ? input : null;
    if (options.hashBits !== null) {
      // Hashing needs the strings: a corpus is read back as tokens (its words are shared, not copied).
      const docs = corpus
        ? Array.from({ length: corpusSize(corpus) }, (_, t) => corpusTokens(corpus, t))
        : (input as readonly (readonly string[])[]);
      const size = 2 ** options.hashBits;
      const tfidf = options.weighting === 'tfidf';
      if (!wantMatrix && !tfidf)
        return { vectorizer: new Vectorizer(options, size, docs.length, null, null) };
      const hashed = new Vectorizer(options, size, docs.length, null, null);
      const counts = hashed.countRows(docs);
      const df = tfidf ? columnDocumentFrequencies(counts) : null;
      const vectorizer = tfidf ? new Vectorizer(options, size, docs.length, null, df) : hashed;
      if (wantMatrix) vectorizer.weightMatrix(counts);
      return { vectorizer, matrix: wantMatrix ? counts : undefined };
    }
    const tfidf = options.weighting === 'tfidf';
    // Document frequencies of every n-gram cost a bigger trie entry; they are needed only to cut by minDf,
    // or for TF-IDF without a matrix to count them from.
    const trackDf = options.minDf > 1 || (tfidf && !wantMatrix);
    const documents = isCorpus(input) ? corpusSize(input) : input.length;
    const counted = countNgrams(input, options.ngrams, wantMatrix, {
      counts: options.maxFeatures !== null,
      df: trackDf,
    });
    if (counted.words.length === 0) {
      throw new DatasetError('vectorizer: the training texts hold no tokens, so there is nothing to learn');
    }
    const selected = selectColumns(counted, options);
    const size = selected.vocabulary.parents.length;
    if (!wantMatrix) {
      const df = tfidf ? selected.df : null;
      return { vectorizer: new Vectorizer(options, size, documents, selected.vocabulary, df) };
    }
    const matrix = rowsFromOccurrences(counted, selected.columnOf, size);
    const df = tfidf ? (selected.df ?? columnDocumentFrequencies(matrix)) : null;
    const vectorizer = new Vectorizer(options, size, documents, selected.vocabulary, df);
    vectorizer.weightMatrix(matrix);
    return { vectorizer, matrix };
  }

  /** Feature rows of tokenized texts. N-grams unseen in training are ignored. */
  transform(tokenized: readonly (readonly string[])[]): SparseMatrix {
    const matrix = this.countRows(tokenized);
    this.weightMatrix(matrix);
    return matrix;
  }

  /** The feature row of one tokenized text: the fast path for prediction. */
  transformOne(tokens: readonly string[]): SparseRow {
    return this.rows.transformOne(tokens);
  }

  /**
   * The distinct n-grams of a text that have a column, with that column and the text's feature value in it,
   * in order of first occurrence (by start position, shorter first), for explanations. In a hashed space two
   * n-grams of the text may share a column; both are listed, with the column's (summed) value.
   */
  features(tokens: readonly string[]): TextFeature[] {
    return this.rows.features(tokens);
  }

  /** The n-gram of a column of an exact vocabulary, its tokens joined by a space; undefined when hashed. */
  featureName(column: number): string | undefined {
    const vocabulary = this.vocabulary;
    if (vocabulary === null || !Number.isInteger(column) || column < 0 || column >= this.size)
      return undefined;
    const parts: string[] = [];
    for (let c = column; c >= 0; c = vocabulary.parents[c])
      parts.push(vocabulary.words[vocabulary.lastWords[c]]);
    return parts.reverse().join(NGRAM_SEPARATOR);
  }

  /**
   * The exact vocabulary as stored (each column's prefix column and last word), or undefined when
   * hashed: what an export needs to rebuild the lookup elsewhere. Not to be modified.
   */
  exactVocabulary(): NgramVocabulary | undefined {
    return this.vocabulary ?? undefined;
  }

  /** The document frequency of each column (TF-IDF only), or undefined. */
  documentFrequencies(): Int32Array | undefined {
    return this.df === null ? undefined : this.df.slice();
  }

  /** A plain object for `JSON.stringify`, read back by {@link fromJSON}. Prefer {@link toFiles} for big vocabularies. */
  toJSON(): VectorizerJSON {
    return vectorizerToJSON(this.state());
  }

  /**
   * The vectorizer as files for a model directory: `<prefix>.json` (options and words), and the raw
   * little-endian Int32 blobs `<prefix>-ngrams.bin` (exact vocabulary) and `<prefix>-df.bin` (TF-IDF).
   * Read back with {@link fromFiles}.
   */
  toFiles(prefix = 'vectorizer'): Record<string, Uint8Array | string> {
    return vectorizerToFiles(this.state(), prefix);
  }

  /**
   * Reads what {@link toJSON} wrote, checking every field.
   * @param source the file it came from, for error messages.
   * @throws ModelFormatError saying what is wrong.
   */
  static fromJSON(json: unknown, source?: string): Vectorizer {
    return Vectorizer.fromState(readVectorizerJSON(json, source));
  }

  /**
   * Reads what {@link toFiles} wrote (extra files in `files` are ignored).
   * @param source the model directory, for error messages.
   * @throws ModelFormatError naming the file and what is wrong with it.
   */
  static fromFiles(
    files: Readonly<Record<string, Uint8Array | string>>,
    prefix = 'vectorizer',
    source?: string,
  ): Vectorizer {
    return Vectorizer.fromState(readVectorizerFiles(files, prefix, source));
  }

  private static fromState({ options, size, documents, vocabulary, df }: VectorizerState): Vectorizer {
    return new Vectorizer(options, size, documents, vocabulary, df);
  }

  private state(): VectorizerState {
    const { options, size, documents, vocabulary, df } = this;
    return { options, size, documents, vocabulary, df };
  }

  /** Count rows (before weighting) of texts through the fitted columns. */
  private countRows(docs: readonly (readonly string[])[]): SparseMatrix {
    return this.rows.countRows(docs);
  }

  /** Turns a matrix of counts into feature values in place, as the options say. */
  private weightMatrix(matrix: SparseMatrix): void {
    this.rows.weightMatrix(matrix);
  }
}
