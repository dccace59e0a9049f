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
import { DatasetError, ModelFormatError, OptionError } from '../../errors.js';
import {
  NGRAM_SEPARATOR,
  NgramTrie,
  TRIE_ID,
  TRIE_PARENT,
  TRIE_PAYLOAD,
  TRIE_WORD,
  WordTable,
  murmurBlock,
  murmurFinish,
  murmurHash3,
  ngramCount,
} from './ngrams.js';
import { ColumnSorter, CsrBuilder, type SparseMatrix } from './sparse.js';
import { corpusSize, corpusTokens, type TokenIdCorpus } from './token-ids.js';
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
export const VECTORIZER_FORMAT = 'polarity-vectorizer';
export const VECTORIZER_VERSION = 1;

/**
 * The JSON form of a vectorizer. The per-column arrays are little-endian Int32 blobs, base64-encoded here
 * and raw bytes in {@link Vectorizer.toFiles}, so that a trigram vocabulary of millions of n-grams stays
 * compact: 8 bytes per n-gram plus 4 for its df, the words themselves stored once.
 */
export interface VectorizerJSON {
  readonly format: typeof VECTORIZER_FORMAT;
  readonly version: typeof VECTORIZER_VERSION;
  readonly options: ResolvedVectorizerOptions;
  /** Number of training documents (the n of the idf). */
  readonly documents: number;
  /** Number of columns. */
  readonly size: number;
  /** Exact vocabulary: the words its n-grams are made of, sorted by UTF-16 code unit. */
  readonly words?: readonly string[];
  /**
   * Exact vocabulary: for column c, Int32 `[2c]` is the column of the n-gram without its last word (-1 for a
   * unigram; always a smaller column, since a prefix sorts first) and `[2c + 1]` the index of its last word.
   */
  readonly ngrams?: string;
  /** TF-IDF: Int32 document frequency of each column. */
  readonly df?: string;
}

/** One feature of a text, for explanations. */
export interface TextFeature {
  readonly ngram: string;
  readonly column: number;
  readonly value: number;
}

/** One row of features: sorted unique columns and their values. */
export interface SparseRow {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** An exact vocabulary: the n-gram of each column as (prefix column, last word). */
interface Vocabulary {
  readonly words: readonly string[];
  readonly parents: Int32Array;
  readonly lastWords: Int32Array;
}

/** What transforming needs for an exact vocabulary, built on first use. */
interface Lookup {
  readonly words: WordTable;
  /** Column of each word's unigram, -1 when it has none. */
  readonly unigram: Int32Array;
  /** Every n-gram keyed by (column of the prefix or -1, last word); a node's id is its column. */
  readonly trie: NgramTrie;
}

const OPTION_KEYS = Object.keys(DEFAULT_VECTORIZER_OPTIONS);

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

  private readonly vocabulary: Vocabulary | null;
  private readonly df: Int32Array | null;
  private readonly idf: Float64Array | null;
  private lookup: Lookup | undefined;
  private tokenIds = new Int32Array(256);
  private prefixes = new Int32Array(256);
  /** Where the prefetching loads go, so that the compiler cannot drop them. */
  private sink = 0;
  private sorter: ColumnSorter | undefined;
  private columns = new Int32Array(1024);
  private rowValues = new Float64Array(1024);

  private constructor(
    options: ResolvedVectorizerOptions,
    size: number,
    documents: number,
    vocabulary: Vocabulary | null,
    df: Int32Array | null,
  ) {
    this.options = Object.freeze({ ...options });
    this.size = size;
    this.documents = documents;
    this.vocabulary = vocabulary;
    this.df = df;
    this.idf = df === null ? null : idfOf(df, documents, options.smoothIdf);
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
    this.reserve(tokens.length);
    const columns = this.columns;
    const length =
      this.vocabulary === null ? this.hashedColumns(tokens) : this.exactColumns(tokens, this.getLookup());
    this.sorter ??= new ColumnSorter(Math.ceil(Math.log2(Math.max(2, this.size))));
    this.sorter.sort(columns, length);
    let distinct = 0;
    for (let i = 0; i < length; i++) if (i === 0 || columns[i] !== columns[i - 1]) distinct++;
    const indices = new Int32Array(distinct);
    const values = new Float32Array(distinct);
    for (let i = 0, k = -1; i < length; i++) {
      if (i === 0 || columns[i] !== columns[i - 1]) indices[++k] = columns[i];
      values[k]++;
    }
    this.weightRow(indices, values, 0, distinct);
    return { indices, values };
  }

  /**
   * The distinct n-grams of a text that have a column, with that column and the text's feature value in it,
   * in order of first occurrence (by start position, shorter first), for explanations. In a hashed space two
   * n-grams of the text may share a column; both are listed, with the column's (summed) value.
   */
  features(tokens: readonly string[]): TextFeature[] {
    const row = this.transformOne(tokens);
    const valueOf = new Map<number, number>();
    for (let k = 0; k < row.indices.length; k++) valueOf.set(row.indices[k], row.values[k]);
    const out: TextFeature[] = [];
    const seen = new Set<string>();
    const n = this.options.ngrams;
    const lookup = this.vocabulary === null ? undefined : this.getLookup();
    const seed = this.options.hashSeed;
    const mask = this.size - 1;
    for (let i = 0; i < tokens.length; i++) {
      let column = -1;
      let hash = seed | 0;
      for (let k = 0; k < n && i + k < tokens.length; k++) {
        if (lookup === undefined) {
          hash = murmurBlock(hash, murmurHash3(tokens[i + k], seed));
          column = murmurFinish(hash, 4 * (k + 1)) & mask;
        } else {
          const word = lookup.words.id(tokens[i + k]);
          if (word < 0) break;
          column = k === 0 ? lookup.unigram[word] : childColumn(lookup, column, word);
          if (column < 0) break;
        }
        const ngram = tokens.slice(i, i + k + 1).join(NGRAM_SEPARATOR);
        if (seen.has(ngram)) continue;
        seen.add(ngram);
        out.push({ ngram, column, value: valueOf.get(column) ?? 0 });
      }
    }
    return out;
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

  /** The document frequency of each column (TF-IDF only), or undefined. */
  documentFrequencies(): Int32Array | undefined {
    return this.df === null ? undefined : this.df.slice();
  }

  /** A plain object for `JSON.stringify`, read back by {@link fromJSON}. Prefer {@link toFiles} for big vocabularies. */
  toJSON(): VectorizerJSON {
    const base64 = (a: Int32Array) => Buffer.from(int32ToBytes(a)).toString('base64');
    return {
      ...this.header(),
      ...(this.vocabulary === null ? {} : { ngrams: base64(this.ngramTable()) }),
      ...(this.df === null ? {} : { df: base64(this.df) }),
    };
  }

  /**
   * The vectorizer as files for a model directory: `<prefix>.json` (options and words), and the raw
   * little-endian Int32 blobs `<prefix>-ngrams.bin` (exact vocabulary) and `<prefix>-df.bin` (TF-IDF).
   * Read back with {@link fromFiles}.
   */
  toFiles(prefix = 'vectorizer'): Record<string, Uint8Array | string> {
    const names = fileNames(prefix);
    const files: Record<string, Uint8Array | string> = { [names.json]: JSON.stringify(this.header()) };
    if (this.vocabulary !== null) files[names.ngrams] = int32ToBytes(this.ngramTable());
    if (this.df !== null) files[names.df] = int32ToBytes(this.df);
    return files;
  }

  /**
   * Reads what {@link toJSON} wrote, checking every field.
   * @param source the file it came from, for error messages.
   * @throws ModelFormatError saying what is wrong.
   */
  static fromJSON(json: unknown, source?: string): Vectorizer {
    const fail = (message: string): never => {
      throw new ModelFormatError(`vectorizer: ${message}`, source);
    };
    if (!isRecord(json)) return fail(`expected a JSON object, got ${describe(json)}`);
    const blob = (key: 'ngrams' | 'df'): Uint8Array | undefined => {
      const value = json[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'string') return fail(`"${key}" must be a base64 string, got ${describe(value)}`);
      return Buffer.from(value, 'base64');
    };
    return Vectorizer.assemble(json, blob('ngrams'), blob('df'), fail);
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
    const names = fileNames(prefix);
    const where = (name: string) => (source === undefined ? name : `${source}/${name}`);
    const failIn =
      (name: string) =>
      (message: string): never => {
        throw new ModelFormatError(`vectorizer: ${message}`, where(name));
      };
    const text = files[names.json];
    if (text === undefined) return failIn(names.json)('file is missing');
    let json: unknown;
    try {
      json = JSON.parse(typeof text === 'string' ? text : new TextDecoder().decode(text));
    } catch (error) {
      return failIn(names.json)(`not valid JSON (${(error as Error).message}); the file may be truncated`);
    }
    if (isRecord(json) && (json.ngrams !== undefined || json.df !== undefined)) {
      failIn(names.json)('holds "ngrams" or "df", which belong in their own files');
    }
    const bytes = (name: string): Uint8Array | undefined => {
      const data = files[name];
      if (typeof data === 'string') failIn(name)('expected binary data, got text');
      return data as Uint8Array | undefined;
    };
    const fail = failIn(names.json);
    const ngrams = bytes(names.ngrams);
    const df = bytes(names.df);
    return Vectorizer.assemble(json, ngrams, df, fail, (key) =>
      failIn(key === 'ngrams' ? names.ngrams : names.df),
    );
  }

  /** Validates a header and its blobs and builds the vectorizer; shared by fromJSON and fromFiles. */
  private static assemble(
    json: unknown,
    ngramBytes: Uint8Array | undefined,
    dfBytes: Uint8Array | undefined,
    fail: (message: string) => never,
    failFor: (key: 'ngrams' | 'df') => (message: string) => never = () => fail,
  ): Vectorizer {
    if (!isRecord(json)) return fail(`expected a JSON object, got ${describe(json)}`);
    if (json.format !== VECTORIZER_FORMAT) {
      fail(`expected format "${VECTORIZER_FORMAT}", got ${describe(json.format)}`);
    }
    if (json.version !== VECTORIZER_VERSION) {
      fail(`expected version ${VECTORIZER_VERSION}, got ${describe(json.version)}`);
    }
    const options = readOptions(json.options, fail);
    const documents = json.documents;
    if (!isCount(documents)) return fail(`"documents" must be an integer ≥ 0, got ${describe(documents)}`);
    const size = json.size;
    if (!isCount(size)) return fail(`"size" must be an integer ≥ 0, got ${describe(size)}`);
    let vocabulary: Vocabulary | null = null;
    if (options.hashBits !== null) {
      if (size !== 2 ** options.hashBits)
        fail(`"size" is ${size}, but hashBits ${options.hashBits} makes ${2 ** options.hashBits}`);
      if (json.words !== undefined || ngramBytes !== undefined)
        fail('a hashed vectorizer has no words or n-grams');
    } else {
      if (ngramBytes === undefined) return failFor('ngrams')('the n-gram table is missing');
      vocabulary = readVocabulary(json.words, ngramBytes, size, options.ngrams, fail, failFor('ngrams'));
    }
    let df: Int32Array | null = null;
    if (options.weighting === 'tfidf') {
      if (dfBytes === undefined)
        return failFor('df')('the document frequencies are missing (weighting is tfidf)');
      df = readDf(dfBytes, size, documents, options.hashBits === null, failFor('df'));
    } else if (dfBytes !== undefined) {
      fail(`document frequencies are present but weighting is ${options.weighting}`);
    }
    return new Vectorizer(options, size, documents, vocabulary, df);
  }

  private header(): VectorizerJSON {
    return {
      format: VECTORIZER_FORMAT,
      version: VECTORIZER_VERSION,
      options: { ...this.options },
      documents: this.documents,
      size: this.size,
      ...(this.vocabulary === null ? {} : { words: [...this.vocabulary.words] }),
    };
  }

  private ngramTable(): Int32Array {
    const { parents, lastWords } = this.vocabulary as Vocabulary;
    const table = new Int32Array(2 * parents.length);
    for (let c = 0; c < parents.length; c++) {
      table[2 * c] = parents[c];
      table[2 * c + 1] = lastWords[c];
    }
    return table;
  }

  private getLookup(): Lookup {
    if (this.lookup === undefined) this.lookup = buildLookup(this.vocabulary as Vocabulary);
    return this.lookup;
  }

  /** Makes the scratch buffers big enough for a text of `tokens` tokens. */
  private reserve(tokens: number): void {
    const needed = ngramCount(tokens, this.options.ngrams);
    if (this.columns.length < needed)
      this.columns = new Int32Array(Math.max(needed, 2 * this.columns.length));
    if (this.tokenIds.length < tokens) {
      this.tokenIds = new Int32Array(Math.max(tokens, 2 * this.tokenIds.length));
      this.prefixes = new Int32Array(this.tokenIds.length);
    }
  }

  /** Count rows (before weighting) of texts through the fitted columns. */
  private countRows(docs: readonly (readonly string[])[]): SparseMatrix {
    const n = this.options.ngrams;
    let total = 0;
    for (const doc of docs) total += ngramCount(doc.length, n);
    const builder = new CsrBuilder(this.size, docs.length, Math.ceil(total * 0.8));
    const lookup = this.vocabulary === null ? undefined : this.getLookup();
    for (const doc of docs) {
      this.reserve(doc.length);
      const length = lookup === undefined ? this.hashedColumns(doc) : this.exactColumns(doc, lookup);
      builder.addCounts(this.columns, length);
    }
    return builder.build();
  }

  /** Writes the columns of the n-grams of `tokens` that are in the vocabulary to `this.columns`; returns how many. */
  private exactColumns(tokens: readonly string[], lookup: Lookup): number {
    const { words, unigram, trie } = lookup;
    const table = trie.table;
    const ids = this.tokenIds;
    const prefixes = this.prefixes;
    const out = this.columns;
    const n = this.options.ngrams;
    const length = tokens.length;
    let m = 0;
    for (let i = 0; i < length; i++) {
      const word = words.id(tokens[i]);
      ids[i] = word;
      const column = word < 0 ? -1 : unigram[word];
      prefixes[i] = column;
      if (column >= 0) out[m++] = column;
    }
    // Level by level: prefixes[i] is the column of the (k)-gram at i, extended to the (k+1)-gram; a touch
    // pass first, so that the cache misses of the level's lookups overlap.
    let sink = 0;
    for (let k = 1; k < n; k++) {
      const starts = length - k;
      for (let i = 0; i < starts; i++) {
        if (prefixes[i] >= 0 && ids[i + k] >= 0) sink ^= trie.touch(prefixes[i], ids[i + k]);
      }
      let found = false;
      for (let i = 0; i < starts; i++) {
        const prefix = prefixes[i];
        if (prefix < 0) continue;
        const word = ids[i + k];
        const entry = word < 0 ? -1 : trie.entry(prefix, word);
        if (entry < 0) {
          prefixes[i] = -1;
          continue;
        }
        const column = table[entry + TRIE_ID] - 1;
        prefixes[i] = column;
        out[m++] = column;
        found = true;
      }
      if (!found) break;
    }
    this.sink ^= sink;
    return m;
  }

  /** Writes the hashed columns of every n-gram of `tokens` to `this.columns`; returns how many. */
  private hashedColumns(tokens: readonly string[]): number {
    const hashes = this.tokenIds;
    const out = this.columns;
    const n = this.options.ngrams;
    const seed = this.options.hashSeed;
    const mask = this.size - 1;
    const length = tokens.length;
    for (let i = 0; i < length; i++) hashes[i] = murmurHash3(tokens[i], seed);
    let m = 0;
    for (let i = 0; i < length; i++) {
      let hash = seed | 0;
      const end = Math.min(length, i + n);
      for (let j = i; j < end; j++) {
        hash = murmurBlock(hash, hashes[j]);
        out[m++] = murmurFinish(hash, 4 * (j - i + 1)) & mask;
      }
    }
    return m;
  }

  /** Turns a matrix of counts into feature values in place, as the options say. */
  private weightMatrix(matrix: SparseMatrix): void {
    const { weighting, sublinearTf, norm } = this.options;
    if (weighting === 'count' && !sublinearTf && norm === null) return;
    const { indptr, indices, values } = matrix;
    for (let r = 0; r < matrix.rows; r++) this.weightRow(indices, values, indptr[r], indptr[r + 1]);
  }

  /** Turns the counts of one row, `[start, end)` of the arrays, into feature values in place. */
  private weightRow(indices: Int32Array, values: Float32Array, start: number, end: number): void {
    const { weighting, sublinearTf, norm } = this.options;
    if (weighting === 'count' && !sublinearTf && norm === null) return;
    const binary = weighting === 'binary';
    const idf = this.idf;
    if (this.rowValues.length < end - start) this.rowValues = new Float64Array(2 * (end - start));
    const row = this.rowValues;
    let squares = 0;
    for (let k = start; k < end; k++) {
      const tf = values[k];
      let v = binary ? 1 : sublinearTf ? 1 + Math.log(tf) : tf;
      if (idf !== null) v *= idf[indices[k]];
      row[k - start] = v;
      squares += v * v;
    }
    const scale = norm === 'l2' && squares > 0 ? Math.sqrt(squares) : 1;
    for (let k = start; k < end; k++) values[k] = row[k - start] / scale;
  }
}

/**
 * What counting the training n-grams found, over "nodes": node u < V (the number of words) is the unigram of
 * word u, node V + t the longer n-gram of trie id t. A node's prefix always has a smaller node number.
 */
interface CountedNgrams {
  readonly words: readonly string[];
  /** Per node: its prefix node (-1 for a unigram) and last word. */
  readonly parents: Int32Array;
  readonly lastWords: Int32Array;
  /** Per node: total occurrences, and number of documents it occurs in (null when not tracked). */
  readonly counts: Int32Array | null;
  readonly df: Int32Array | null;
  /**
   * Every n-gram occurrence, document after document (fitTransform only): a word id w ≥ 0 for a unigram,
   * `~t` for trie id t.
   */
  readonly occurrences: Int32Array | null;
  /** Document d's occurrences are `occurrences[starts[d] .. starts[d + 1])`. */
  readonly starts: Int32Array | null;
  /** The occurrences are the caller's corpus itself (single words), not a buffer of ours to overwrite. */
  readonly borrowed?: boolean;
}

/** Where countNgrams' prefetching loads go, so that the compiler cannot drop them. */
const prefetch = { sink: 0 };

/** Payload fields of the counting trie, each only when tracked: total count, document frequency, last document + 1. */
const COUNT = TRIE_PAYLOAD;
const DF = TRIE_PAYLOAD + 1;
const LAST_DOC = TRIE_PAYLOAD + 2;

/** Which statistics {@link countNgrams} keeps per n-gram; each costs memory in the trie. */
interface Tracked {
  /** Total counts, for maxFeatures. */
  readonly counts: boolean;
  /** Document frequencies, for minDf (and TF-IDF when there is no matrix to count them from). */
  readonly df: boolean;
}

/**
 * Counts every n-gram of 1..n tokens of the training texts in one go; see {@link NgramCounter}.
 */
function countNgrams(
  input: readonly (readonly string[])[] | TokenIdCorpus,
  n: number,
  record: boolean,
  tracked: Tracked,
): CountedNgrams {
  const corpus = isCorpus(input) ? input : null;
  if (corpus !== null && n === 1) return countCorpusWords(corpus, record, tracked);
  const docs = corpus ? null : (input as readonly (readonly string[])[]);
  const documents = corpus ? corpusSize(corpus) : docs!.length;
  const lengthOf = (d: number) => (corpus ? corpus.starts[d + 1] - corpus.starts[d] : docs![d].length);
  // Size the trie once: on IMDB about 0.26 of the bigram occurrences and 0.9 of the trigram occurrences are
  // distinct n-grams. Growing instead copies the whole table, which for trigrams is hundreds of MB.
  let expected = 0;
  for (let d = 0; d < documents; d++) {
    const length = lengthOf(d);
    for (let k = 2; k <= n; k++) expected += Math.max(0, length - k + 1) * (k === 2 ? 0.3 : 0.9);
  }
  const counter = new NgramCounter(n, tracked, Math.ceil(expected), corpus ? corpus.words.length : undefined);
  if (!record) {
    counter.add(input);
    return counter.finish();
  }
  let total = 0;
  for (let d = 0; d < documents; d++) total += ngramCount(lengthOf(d), n);
  const occurrences = new Int32Array(total);
  const starts = new Int32Array(documents + 1);
  counter.add(input, { occurrences, starts });
  return { ...counter.finish(), occurrences, starts };
}

/**
 * {@link countNgrams} of single words from a corpus: its word ids (distinct words, numbered in order of
 * first occurrence, as a {@link NgramCounter} would number them) are the nodes, so counting is one pass
 * over the ids, and they are the occurrences as they are.
 */
function countCorpusWords(corpus: TokenIdCorpus, record: boolean, tracked: Tracked): CountedNgrams {
  const { words, ids, starts } = corpus;
  const size = words.length;
  const counts = tracked.counts ? new Int32Array(size) : null;
  if (counts !== null) for (let k = 0; k < ids.length; k++) counts[ids[k]]++;
  let df: Int32Array | null = null;
  if (tracked.df) {
    df = new Int32Array(size);
    const lastDoc = new Int32Array(size).fill(-1);
    for (let d = 0; d + 1 < starts.length; d++) {
      for (let k = starts[d], end = starts[d + 1]; k < end; k++) {
        const word = ids[k];
        if (lastDoc[word] !== d) {
          lastDoc[word] = d;
          df[word]++;
        }
      }
    }
  }
  const lastWords = new Int32Array(size);
  for (let w = 0; w < size; w++) lastWords[w] = w;
  return {
    words,
    parents: new Int32Array(size).fill(-1),
    lastWords,
    counts,
    df,
    occurrences: record ? ids : null,
    starts: record ? starts : null,
    borrowed: true,
  };
}

/**
 * Counts every n-gram of 1..n tokens of training texts given in any number of batches, so that a vocabulary
 * can be learnt from data read in passes. Each token becomes a word id through a {@link WordTable}, whose
 * counters sit in small per-word arrays that stay in cache; each longer n-gram is one probe of an
 * {@link NgramTrie} keyed by (the n-gram one token shorter, last word), whose counters sit in the probed entry
 * itself, so an occurrence costs one cache miss.
 */
export class NgramCounter {
  private readonly words: WordTable;
  private readonly trie: NgramTrie | null;
  private readonly trackCounts: boolean;
  private wordCounts: Int32Array;
  private wordDf: Int32Array;
  private wordLastDoc: Int32Array;
  private ids = new Int32Array(256);
  private prefixes = new Int32Array(256);
  private documents = 0;

  /**
   * @param expectedNgrams longer n-grams (not words) to size the trie for; it grows past that as needed.
   * @param expectedWords distinct words to size the word table for.
   */
  constructor(
    readonly n: number,
    private readonly tracked: Tracked,
    expectedNgrams = 1 << 16,
    expectedWords = 1 << 14,
  ) {
    this.words = new WordTable(expectedWords);
    this.wordCounts = new Int32Array(Math.max(1 << 14, expectedWords));
    this.wordDf = new Int32Array(this.wordCounts.length);
    this.wordLastDoc = new Int32Array(this.wordCounts.length);
    // With df the payload is count, df, last document; without, count alone (still a 16-byte entry).
    this.trie = n > 1 ? new NgramTrie(expectedNgrams, tracked.df ? 3 : tracked.counts ? 1 : 0) : null;
    this.trackCounts = tracked.counts || tracked.df;
  }

  /** Number of documents counted so far. */
  get documentCount(): number {
    return this.documents;
  }

  /**
   * Counts a batch of documents. A corpus's word ids are its own: they are mapped to this counter's (for the
   * first corpus given, they are the same). With `record`, every n-gram occurrence is written to
   * `record.occurrences` and each document's end to `record.starts` (fitTransform, one batch only).
   */
  add(
    input: readonly (readonly string[])[] | TokenIdCorpus,
    record?: { readonly occurrences: Int32Array; readonly starts: Int32Array },
  ): void {
    const n = this.n;
    const trackDf = this.tracked.df;
    const trackCounts = this.trackCounts;
    const words = this.words;
    const trie = this.trie;
    const corpus = isCorpus(input) ? input : null;
    const docs = corpus ? null : (input as readonly (readonly string[])[]);
    const batch = corpus ? corpusSize(corpus) : docs!.length;
    const wordOf = corpus ? Int32Array.from(corpus.words, (word) => words.idOrAdd(word)) : null;
    let { wordCounts, wordDf, wordLastDoc, ids, prefixes } = this;
    const occurrences = record?.occurrences ?? null;
    let sink = 0;
    let o = 0;
    for (let d = 0; d < batch; d++) {
      const tokens = docs === null ? null : docs[d];
      const base = corpus === null ? 0 : corpus.starts[d];
      const length = corpus === null ? tokens!.length : corpus.starts[d + 1] - base;
      const docMark = this.documents + d + 1;
      if (ids.length < length) {
        ids = new Int32Array(Math.max(length, 2 * ids.length));
        prefixes = new Int32Array(ids.length);
      }
      for (let i = 0; i < length; i++) {
        const word = tokens === null ? wordOf![corpus!.ids[base + i]] : words.idOrAdd(tokens[i]);
        if (word >= wordCounts.length) {
          wordCounts = grow(wordCounts, 2 * wordCounts.length);
          wordDf = grow(wordDf, wordCounts.length);
          wordLastDoc = grow(wordLastDoc, wordCounts.length);
        }
        ids[i] = word;
        wordCounts[word]++;
        if (wordLastDoc[word] !== docMark) {
          wordLastDoc[word] = docMark;
          wordDf[word]++;
        }
      }
      if (occurrences !== null) occurrences.set(ids.subarray(0, length), o);
      o += length;
      if (trie !== null) {
        // Level by level, as in exactColumns: a touch pass to overlap the misses, then the real probes.
        for (let i = 0; i < length; i++) prefixes[i] = ~ids[i];
        for (let k = 1; k < n; k++) {
          const starts = length - k;
          for (let i = 0; i < starts; i++) sink ^= trie.touch(prefixes[i], ids[i + k]);
          for (let i = 0; i < starts; i++) {
            const entry = trie.entryOrAdd(prefixes[i], ids[i + k]);
            const table = trie.table;
            if (trackCounts) table[entry + COUNT]++;
            if (trackDf && table[entry + LAST_DOC] !== docMark) {
              table[entry + LAST_DOC] = docMark;
              table[entry + DF]++;
            }
            const id = trie.idAt(entry);
            prefixes[i] = id;
            if (occurrences !== null) occurrences[o++] = ~id;
          }
        }
      }
      if (record) record.starts[d + 1] = o;
    }
    this.wordCounts = wordCounts;
    this.wordDf = wordDf;
    this.wordLastDoc = wordLastDoc;
    this.ids = ids;
    this.prefixes = prefixes;
    this.documents += batch;
    prefetch.sink ^= sink;
  }

  /** What was counted, as nodes (words, then the trie's n-grams). */
  finish(): CountedNgrams {
    const { words, trie, tracked } = this;
    const trackDf = tracked.df;
    const wordCount = words.size;
    const trieSize = trie === null ? 0 : trie.size;
    const nodes = wordCount + trieSize;
    const parents = new Int32Array(nodes);
    const lastWords = new Int32Array(nodes);
    const counts = tracked.counts ? new Int32Array(nodes) : null;
    const df = trackDf ? new Int32Array(nodes) : null;
    for (let w = 0; w < wordCount; w++) {
      parents[w] = -1;
      lastWords[w] = w;
    }
    counts?.set(this.wordCounts.subarray(0, wordCount));
    df?.set(this.wordDf.subarray(0, wordCount));
    if (trie !== null) {
      const { table, stride } = trie;
      for (let offset = 0; offset < table.length; offset += stride) {
        const id = table[offset + TRIE_ID] - 1;
        if (id < 0) continue;
        const node = wordCount + id;
        const parent = table[offset + TRIE_PARENT];
        parents[node] = parent < 0 ? ~parent : wordCount + parent;
        lastWords[node] = table[offset + TRIE_WORD];
        if (counts !== null) counts[node] = table[offset + COUNT];
        if (df !== null) df[node] = table[offset + DF];
      }
    }
    return {
      words: words.words,
      parents,
      lastWords,
      counts,
      df,
      occurrences: null,
      starts: null,
    };
  }
}

/**
 * Chooses the columns: n-grams with df ≥ minDf, the `maxFeatures` most frequent of them, sorted by name
 * (see the module comment). The kept set is closed under prefixes — a prefix occurs wherever its n-gram
 * does, so its count and df are at least as high, and on a tie in count its name sorts first — which lets
 * a column be stored as (prefix column, last word). Returns the column of each node (-1 when dropped).
 */
function selectColumns(
  counted: CountedNgrams,
  options: ResolvedVectorizerOptions,
): { vocabulary: Vocabulary; df: Int32Array | null; columnOf: Int32Array } {
  const { words, parents, lastWords, counts, df } = counted;
  if (df === null && options.minDf > 1) throw new Error('vectorizer: internal error, minDf without df');
  const nodes = parents.length;
  const lengths = new Uint8Array(nodes);
  for (let node = 0; node < nodes; node++) {
    const parent = parents[node];
    lengths[node] = parent < 0 ? 1 : lengths[parent] + 1;
  }
  let order: Int32Array;
  if (df === null) {
    order = new Int32Array(nodes);
    for (let node = 0; node < nodes; node++) order[node] = node;
  } else {
    order = keepWidespread(df, options.minDf);
  }
  if (options.maxFeatures !== null && order.length > options.maxFeatures) {
    if (counts === null) throw new Error('vectorizer: internal error, maxFeatures without counts');
    // Only n-grams at least as frequent as the last one kept can be kept: sort just those by name.
    order = atLeastAsFrequentAsCut(order, counts, options.maxFeatures);
  }
  // Ranks of the words the candidates end with (which, the set being closed under prefixes, are all the
  // words they hold). The default sort compares strings by UTF-16 code unit natively, several times
  // faster than a comparator.
  const needed = new Uint8Array(words.length);
  for (let k = 0; k < order.length; k++) needed[lastWords[order[k]]] = 1;
  const neededWords: string[] = [];
  const idOf = new Map<string, number>();
  for (let w = 0; w < words.length; w++) {
    if (needed[w] === 1) {
      neededWords.push(words[w]);
      idOf.set(words[w], w);
    }
  }
  const rankOrder = Int32Array.from(neededWords.sort(), (word) => idOf.get(word)!);
  const rank = new Int32Array(words.length);
  for (let r = 0; r < rankOrder.length; r++) rank[rankOrder[r]] = r;

  const sorted = sortByName(order, lengths, rank, parents, lastWords, options.ngrams);
  order = sorted.sorted;

  if (options.maxFeatures !== null && order.length > options.maxFeatures) {
    if (counts === null) throw new Error('vectorizer: internal error, maxFeatures without counts');
    order = keepMostFrequent(order, counts, options.maxFeatures);
  }

  const size = order.length;
  // The sort's spare buffer has room for every node when no minDf cut came first; saves one such array.
  const columnOf = (sorted.spare.length === nodes ? sorted.spare : new Int32Array(nodes)).fill(-1);
  for (let c = 0; c < size; c++) columnOf[order[c]] = c;
  const used = new Uint8Array(words.length);
  for (let c = 0; c < size; c++) used[lastWords[order[c]]] = 1;
  const wordIndex = new Int32Array(words.length).fill(-1);
  const keptWords: string[] = [];
  for (const w of rankOrder) {
    if (used[w] === 1) {
      wordIndex[w] = keptWords.length;
      keptWords.push(words[w]);
    }
  }
  const keptParents = new Int32Array(size);
  const keptLastWords = new Int32Array(size);
  const keptDf = df === null ? null : new Int32Array(size);
  for (let c = 0; c < size; c++) {
    const node = order[c];
    const parent = parents[node];
    keptParents[c] = parent < 0 ? -1 : columnOf[parent];
    if (parent >= 0 && keptParents[c] < 0) {
      throw new Error('vectorizer: internal error, a kept n-gram lost its prefix');
    }
    keptLastWords[c] = wordIndex[lastWords[node]];
    if (keptDf !== null && df !== null) keptDf[c] = df[node];
  }
  return {
    vocabulary: { words: keptWords, parents: keptParents, lastWords: keptLastWords },
    df: keptDf,
    columnOf,
  };
}

/** The nodes with df ≥ minDf, in node order. @throws OptionError when there are none. */
function keepWidespread(df: Int32Array, minDf: number): Int32Array {
  let candidates = 0;
  for (let node = 0; node < df.length; node++) if (df[node] >= minDf) candidates++;
  if (candidates === 0) {
    let widest = 0;
    for (let node = 0; node < df.length; node++) widest = Math.max(widest, df[node]);
    throw new OptionError(
      `vectorizer: minDf ${minDf} keeps no n-gram (the most widespread is in ${widest} documents)`,
    );
  }
  const kept = new Int32Array(candidates);
  for (let node = 0, k = 0; node < df.length; node++) if (df[node] >= minDf) kept[k++] = node;
  return kept;
}

/**
 * Sorts n-gram nodes by their token sequence (token ranks compared left to right, a proper prefix first)
 * with an LSD radix sort, one stable counting pass per token position from the last to the first.
 */
function sortByName(
  nodes: Int32Array,
  lengths: Uint8Array,
  rank: Int32Array,
  parents: Int32Array,
  lastWords: Int32Array,
  n: number,
): { sorted: Int32Array; spare: Int32Array } {
  let source: Int32Array = nodes;
  let target: Int32Array = new Int32Array(nodes.length);
  const buckets = new Int32Array(rank.length + 2);
  // The sort key of a node at a position: 0 past its end, else 1 + the rank of its word there. Computed
  // twice per pass rather than stored, to save an array as long as the vocabulary.
  const key = (node: number, position: number): number => {
    const length = lengths[node];
    if (length <= position) return 0;
    for (let up = length - 1; up > position; up--) node = parents[node];
    return rank[lastWords[node]] + 1;
  };
  for (let position = n - 1; position >= 0; position--) {
    buckets.fill(0);
    for (let k = 0; k < source.length; k++) buckets[key(source[k], position) + 1]++;
    for (let b = 1; b < buckets.length; b++) buckets[b] += buckets[b - 1];
    for (let k = 0; k < source.length; k++) target[buckets[key(source[k], position)]++] = source[k];
    const swap = source;
    source = target;
    target = swap;
  }
  return { sorted: source, spare: target };
}

/**
 * The `limit` nodes of highest total count, ties going to the earlier one in `sorted` (name order), returned
 * in name order.
 */
function keepMostFrequent(sorted: Int32Array, counts: Int32Array, limit: number): Int32Array {
  const { cut, above } = countAtCut(sorted, counts, limit);
  let tiesLeft = limit - above;
  const kept = new Int32Array(limit);
  let k = 0;
  for (const node of sorted) {
    const count = counts[node];
    if (count > cut || (count === cut && tiesLeft-- > 0)) kept[k++] = node;
  }
  return kept;
}

/**
 * The nodes of `order` (in its order) whose count is at least that of the `limit`-th most frequent: every
 * node {@link keepMostFrequent} could keep, ties at the cut included.
 */
function atLeastAsFrequentAsCut(order: Int32Array, counts: Int32Array, limit: number): Int32Array {
  const { cut, above } = countAtCut(order, counts, limit);
  let atCut = 0;
  for (const node of order) if (counts[node] === cut) atCut++;
  const kept = new Int32Array(above + atCut);
  let k = 0;
  for (const node of order) if (counts[node] >= cut) kept[k++] = node;
  return kept;
}

/**
 * The count of the `limit`-th most frequent of `nodes` (at most `nodes.length`), and how many nodes count
 * more. Found with a histogram of the counts instead of sorting by count.
 */
function countAtCut(nodes: Int32Array, counts: Int32Array, limit: number): { cut: number; above: number } {
  let highest = 0;
  for (const node of nodes) highest = Math.max(highest, counts[node]);
  const histogram = new Int32Array(highest + 1);
  for (const node of nodes) histogram[counts[node]]++;
  let cut = highest;
  let above = 0;
  while (above + histogram[cut] < limit) above += histogram[cut--];
  return { cut, above };
}

function buildLookup(vocabulary: Vocabulary): Lookup {
  const { words, parents, lastWords } = vocabulary;
  const table = new WordTable(words.length);
  for (const word of words) table.idOrAdd(word);
  const unigram = new Int32Array(words.length).fill(-1);
  // Sized exactly, at a higher load than a growing table, since it never grows: less memory to allocate.
  // Inserting every column in order makes each n-gram's id its column, so entries need no payload.
  const trie = new NgramTrie(parents.length, 0, LOOKUP_LOAD);
  for (let c = 0; c < parents.length; c++) {
    if (parents[c] < 0) unigram[lastWords[c]] = c;
    trie.findOrAdd(parents[c], lastWords[c]);
  }
  return { words: table, unigram, trie };
}

/** Load factor of a lookup trie: 12 bytes an entry / 0.7 ≈ 17 bytes per n-gram. */
const LOOKUP_LOAD = 0.7;

/** The column of the n-gram that extends column `column` by `word`, or -1. */
function childColumn(lookup: Lookup, column: number, word: number): number {
  return lookup.trie.find(column, word);
}

/**
 * Up to this many columns, a row's counts are tallied in a dense array (which then stays in cache) and only
 * its distinct columns are sorted; beyond, every occurrence's column is sorted and runs are counted.
 */
const DENSE_TALLY_COLUMNS = 1 << 16;

/** The training rows (counts) from the n-gram occurrences recorded while counting. */
function rowsFromOccurrences(counted: CountedNgrams, columnOf: Int32Array, size: number): SparseMatrix {
  const { occurrences, starts } = counted;
  if (occurrences === null || starts === null) throw new Error('vectorizer: internal error, no occurrences');
  // Occurrence x is word x (x ≥ 0) or trie node ~x, whose node number is words + ~x = words - x - 1.
  const words = counted.words.length;
  const rows = starts.length - 1;
  let longest = 0;
  for (let d = 0; d < rows; d++) longest = Math.max(longest, starts[d + 1] - starts[d]);
  if (size <= DENSE_TALLY_COLUMNS) {
    const builder = new CsrBuilder(size, rows, occurrences.length);
    const tally = new Int32Array(size);
    const distinct = new Int32Array(Math.min(size, longest));
    for (let d = 0; d < rows; d++) {
      let m = 0;
      for (let o = starts[d], end = starts[d + 1]; o < end; o++) {
        const x = occurrences[o];
        const column = columnOf[x >= 0 ? x : words - x - 1];
        if (column >= 0 && tally[column]++ === 0) distinct[m++] = column;
      }
      builder.addTally(distinct, m, tally);
    }
    return builder.build();
  }
  // The column indices go into the occurrences buffer itself (unless it is the caller's): each row is copied
  // out to `columns` before it is added, and a row never ends past where its occurrences began.
  const builder = new CsrBuilder(size, rows, occurrences.length, counted.borrowed ? undefined : occurrences);
  const columns = new Int32Array(longest);
  for (let d = 0; d < rows; d++) {
    let m = 0;
    for (let o = starts[d], end = starts[d + 1]; o < end; o++) {
      const x = occurrences[o];
      const column = columnOf[x >= 0 ? x : words - x - 1];
      if (column >= 0) columns[m++] = column;
    }
    builder.addCounts(columns, m);
  }
  return builder.build();
}

/** Number of rows each column has a non-zero in. */
function columnDocumentFrequencies(matrix: SparseMatrix): Int32Array {
  const df = new Int32Array(matrix.cols);
  const { indices } = matrix;
  for (let k = 0; k < indices.length; k++) df[indices[k]]++;
  return df;
}

/**
 * scikit-learn's idf. A hashed column that no training document reached (df 0) gets the idf of df 1 when
 * smoothing is off, where scikit-learn would divide by zero.
 */
function idfOf(df: Int32Array, documents: number, smooth: boolean): Float64Array {
  const idf = new Float64Array(df.length);
  for (let c = 0; c < df.length; c++) {
    idf[c] = smooth
      ? Math.log((1 + documents) / (1 + df[c])) + 1
      : Math.log(documents / Math.max(1, df[c])) + 1;
  }
  return idf;
}

function resolveOptions(options: VectorizerOptions): ResolvedVectorizerOptions {
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
function checkOptions(o: ResolvedVectorizerOptions): string | undefined {
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

function readOptions(value: unknown, fail: (message: string) => never): ResolvedVectorizerOptions {
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

function readVocabulary(
  wordsValue: unknown,
  bytes: Uint8Array,
  size: number,
  maxN: number,
  fail: (message: string) => never,
  failTable: (message: string) => never,
): Vocabulary {
  if (!Array.isArray(wordsValue))
    return fail(`"words" must be an array of strings, got ${describe(wordsValue)}`);
  const words = wordsValue as unknown[];
  for (let i = 0; i < words.length; i++) {
    if (typeof words[i] !== 'string') fail(`words[${i}] must be a string, got ${describe(words[i])}`);
    if (i > 0 && compareStrings(words[i - 1] as string, words[i] as string) >= 0) {
      fail(`words must be sorted and unique, but words[${i - 1}] ≥ words[${i}]`);
    }
  }
  const table = bytesToInt32(bytes, 2 * size, 'n-gram table', failTable);
  const parents = new Int32Array(size);
  const lastWords = new Int32Array(size);
  const lengths = new Uint8Array(size);
  // Each column's children must come in increasing word order (the lookup's binary search relies on it, and
  // it rules out repeated n-grams); a unigram's word must not repeat.
  const lastChild = new Int32Array(size).fill(-1);
  const hasUnigram = new Uint8Array(words.length);
  for (let c = 0; c < size; c++) {
    const parent = table[2 * c];
    const word = table[2 * c + 1];
    if (parent < -1 || parent >= c) failTable(`column ${c}: prefix column ${parent} is not in [-1, ${c})`);
    if (word < 0 || word >= words.length)
      failTable(`column ${c}: word ${word} is not in [0, ${words.length})`);
    lengths[c] = parent < 0 ? 1 : lengths[parent] + 1;
    if (lengths[c] > maxN) failTable(`column ${c}: an n-gram of ${lengths[c]} tokens, but ngrams is ${maxN}`);
    if (parent < 0) {
      if (hasUnigram[word] === 1) failTable(`column ${c} repeats the unigram of an earlier column`);
      hasUnigram[word] = 1;
    } else {
      if (word <= lastChild[parent]) {
        failTable(`column ${c} repeats an earlier n-gram or is out of name order after its prefix`);
      }
      lastChild[parent] = word;
    }
    parents[c] = parent;
    lastWords[c] = word;
  }
  return { words: words as string[], parents, lastWords };
}

function readDf(
  bytes: Uint8Array,
  size: number,
  documents: number,
  exact: boolean,
  fail: (message: string) => never,
): Int32Array {
  const df = bytesToInt32(bytes, size, 'document frequencies', fail);
  const low = exact ? 1 : 0;
  for (let c = 0; c < size; c++) {
    if (df[c] < low || df[c] > documents)
      fail(`df of column ${c} is ${df[c]}, not in [${low}, ${documents}]`);
  }
  return df;
}

function fileNames(prefix: string): { json: string; ngrams: string; df: string } {
  return { json: `${prefix}.json`, ngrams: `${prefix}-ngrams.bin`, df: `${prefix}-df.bin` };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Little-endian bytes of an Int32Array (a copy). */
function int32ToBytes(a: Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  const bytes = new Uint8Array(a.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < a.length; i++) view.setInt32(4 * i, a[i], true);
  return bytes;
}

/** An Int32Array of `length` from little-endian bytes, which may be unaligned (a Buffer from the pool). */
function bytesToInt32(
  bytes: Uint8Array,
  length: number,
  what: string,
  fail: (message: string) => never,
): Int32Array {
  if (bytes.byteLength !== 4 * length) {
    fail(
      `${what}: expected ${4 * length} bytes (${length} Int32), got ${bytes.byteLength}; the file may be truncated`,
    );
  }
  const out = new Int32Array(length);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < length; i++) out[i] = view.getInt32(4 * i, true);
  }
  return out;
}

function grow(a: Int32Array, size: number, fill = 0): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}

/**
 * UTF-16 code unit order (JavaScript's `<`). Python, and so scikit-learn, compares code points; the two agree
 * unless a word holds characters beyond U+FFFF.
 */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isCorpus(input: readonly (readonly string[])[] | TokenIdCorpus): input is TokenIdCorpus {
  return !Array.isArray(input);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a bad value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
