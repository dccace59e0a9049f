import { OptionError } from '../../errors.js';
import { NGRAM_SEPARATOR } from '../../text/features/ngrams.js';
import { WordTable } from '../../text/features/word-table.js';
import { corpusSize, type TokenIdCorpus } from '../../text/features/token-ids.js';
import { Vocabulary, type VocabularyOptions } from '../../text/sequences/vocabulary.js';
import { fnv1a, forEachNgramBucket } from './word-ngrams.js';

/**
 * The vocabulary options of a fastText word list: every word kept (the cut is `minCount`), no
 * start marker, and unknown words dropped — a rare word has no row of its own, though it still
 * takes part in the hashed n-grams around it.
 */
export const FASTTEXT_VOCABULARY_OPTIONS: VocabularyOptions = Object.freeze({
  numWords: null,
  skipTop: 0,
  startChar: null,
  unknown: 'skip',
  indexFrom: 1,
  oovChar: 1,
});

/** One input row of a text, named for explanations: a word, or an n-gram as "a b". */
export interface NamedRow {
  readonly token: string;
  readonly row: number;
}

/** The input rows of many texts in one array: text i's rows are `rows[offsets[i] … offsets[i + 1])`. */
export interface PackedRows {
  readonly rows: Int32Array;
  readonly offsets: Int32Array;
}

/**
 * Maps a tokenized text to the rows of the input matrix that fastText averages: rows
 * `0 … words - 1` are the vocabulary's words (most frequent first), rows `words … words + buckets - 1`
 * the hashed n-grams of 2 to `ngrams` tokens (see word-ngrams.ts). With `ngrams` 1 there are no
 * bucket rows. A text's rows are its known words in order, then its n-grams; repeats are kept.
 */
export class InputRows {
  /** Rows in the input matrix. */
  readonly size: number;
  /** Bucket rows actually allocated: `buckets`, or 0 when `ngrams` is 1. */
  readonly bucketRows: number;
  /**
   * The vocabulary's words by row. Looking tokens up here rather than in the vocabulary's Map makes
   * prediction about a third faster: the table compares hashes and characters held in compact typed arrays
   * instead of fetching each key string from the heap (see `WordTable`).
   */
  private readonly table: WordTable;

  constructor(
    readonly vocabulary: Vocabulary,
    readonly ngrams: number,
    readonly buckets: number,
  ) {
    this.table = new WordTable(vocabulary.words.length);
    for (const word of vocabulary.words) this.table.idOrAdd(word);
    this.bucketRows = ngrams > 1 ? buckets : 0;
    this.size = vocabulary.words.length + this.bucketRows;
  }

  /** Number of word rows. */
  get words(): number {
    return this.vocabulary.words.length;
  }

  /**
   * Keeps the words of a training corpus seen at least `minCount` times, most frequent first (ties
   * by UTF-16 order, as `Vocabulary.fit` ranks).
   * @throws OptionError when no word is left.
   */
  static fit(
    corpus: TokenIdCorpus,
    options: { readonly ngrams: number; readonly buckets: number; readonly minCount: number },
  ): InputRows {
    const counts = new Int32Array(corpus.words.length);
    for (let k = 0; k < corpus.ids.length; k++) counts[corpus.ids[k]]++;
    const words = corpus.words;
    const kept = Array.from(words.keys())
      .filter((id) => counts[id] >= options.minCount)
      .sort((a, b) => counts[b] - counts[a] || (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0));
    if (kept.length === 0) {
      throw new OptionError(
        `no word occurs ${options.minCount} or more times in the training split; lower minCount`,
      );
    }
    const vocabulary = Vocabulary.fromRankedWords(
      kept.map((id) => words[id]),
      FASTTEXT_VOCABULARY_OPTIONS,
    );
    return new InputRows(vocabulary, options.ngrams, options.buckets);
  }

  /** The rows of a tokenized text. */
  rowsOf(tokens: readonly string[]): number[] {
    const rows: number[] = [];
    const hashes = new Uint32Array(this.bucketRows > 0 ? tokens.length : 0);
    for (let i = 0; i < tokens.length; i++) {
      const row = this.table.id(tokens[i]);
      if (row >= 0) rows.push(row);
      if (hashes.length > 0) hashes[i] = fnv1a(tokens[i]);
    }
    this.pushNgramRows(hashes, rows);
    return rows;
  }

  /** The same rows as {@link rowsOf}, in the same order, each with the word or n-gram it stands for. */
  namedRowsOf(tokens: readonly string[]): NamedRow[] {
    const rows: NamedRow[] = [];
    for (const token of tokens) {
      const row = this.table.id(token);
      if (row >= 0) rows.push({ token, row });
    }
    if (this.bucketRows > 0) {
      const offset = this.words;
      forEachNgramBucket(tokens.map(fnv1a), this.ngrams, this.buckets, (bucket, start, n) =>
        rows.push({ token: tokens.slice(start, start + n).join(NGRAM_SEPARATOR), row: offset + bucket }),
      );
    }
    return rows;
  }

  /**
   * The rows of every text of a corpus, equal to {@link rowsOf} of each text's tokens, with each
   * distinct word looked up and hashed once rather than once per occurrence.
   */
  packCorpus(corpus: TokenIdCorpus): PackedRows {
    const wordRow = Int32Array.from(corpus.words, (word) => this.table.id(word));
    const wordHash = this.bucketRows > 0 ? Uint32Array.from(corpus.words, fnv1a) : new Uint32Array(0);
    const texts = corpusSize(corpus);
    const offsets = new Int32Array(texts + 1);
    let packed = new Int32Array(1 << 16);
    let length = 0;
    let hashes = new Uint32Array(1 << 10);
    for (let t = 0; t < texts; t++) {
      const from = corpus.starts[t];
      const to = corpus.starts[t + 1];
      const rows: number[] = [];
      for (let k = from; k < to; k++) {
        const row = wordRow[corpus.ids[k]];
        if (row >= 0) rows.push(row);
      }
      if (this.bucketRows > 0) {
        if (hashes.length < to - from) hashes = new Uint32Array(2 * (to - from));
        for (let k = from; k < to; k++) hashes[k - from] = wordHash[corpus.ids[k]];
        this.pushNgramRows(hashes.subarray(0, to - from), rows);
      }
      if (length + rows.length > packed.length) {
        const grown = new Int32Array(Math.max(2 * packed.length, length + rows.length));
        grown.set(packed.subarray(0, length));
        packed = grown;
      }
      packed.set(rows, length);
      length += rows.length;
      offsets[t + 1] = length;
    }
    return { rows: packed.slice(0, length), offsets };
  }

  private pushNgramRows(hashes: Uint32Array, rows: number[]): void {
    if (this.bucketRows === 0) return;
    const offset = this.words;
    forEachNgramBucket(hashes, this.ngrams, this.buckets, (bucket) => rows.push(offset + bucket));
  }
}
