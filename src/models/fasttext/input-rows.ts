import { OptionError } from '../../errors.js';
import { NGRAM_SEPARATOR } from '../../text/ngrams.js';
import { Vocabulary, type VocabularyOptions } from '../../text/vocabulary.js';
import { forEachNgramBucket } from './word-ngrams.js';

/**
 * The vocabulary options of a fastText word list: every word kept (the cut is `minCount`), no
 * start marker, and unknown words dropped — a rare word has no row of its own, though it still
 * takes part in the hashed n-grams around it.
 */
export const FASTTEXT_VOCABULARY_OPTIONS: VocabularyOptions = Object.freeze({
  numWords: null,
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

/**
 * Maps a tokenized text to the rows of the input matrix that fastText averages: rows
 * `0 … words - 1` are the vocabulary's words (most frequent first), rows `words … words + buckets - 1`
 * the hashed n-grams of 2 to `ngrams` tokens. With `ngrams` 1 there are no bucket rows.
 */
export class InputRows {
  /** Rows in the input matrix. */
  readonly size: number;
  /** Bucket rows actually allocated: `buckets`, or 0 when `ngrams` is 1. */
  readonly bucketRows: number;
  private readonly firstId: number;

  constructor(
    readonly vocabulary: Vocabulary,
    readonly ngrams: number,
    readonly buckets: number,
  ) {
    this.firstId = vocabulary.options.indexFrom + 1;
    this.bucketRows = ngrams > 1 ? buckets : 0;
    this.size = vocabulary.words.length + this.bucketRows;
  }

  /** Number of word rows. */
  get words(): number {
    return this.vocabulary.words.length;
  }

  /**
   * Counts the words of tokenized training texts and keeps those seen at least `minCount` times.
   * @throws OptionError when no word is left.
   */
  static fit(
    tokenized: readonly (readonly string[])[],
    options: { ngrams: number; buckets: number; minCount: number },
  ): InputRows {
    const counted = Vocabulary.fit(tokenized, FASTTEXT_VOCABULARY_OPTIONS);
    const counts = counted.counts!;
    let kept = 0;
    while (kept < counts.length && counts[kept] >= options.minCount) kept++;
    if (kept === 0) {
      throw new OptionError(
        `no word occurs ${options.minCount} or more times in the training split; lower minCount`,
      );
    }
    const vocabulary = Vocabulary.fromRankedWords(counted.words.slice(0, kept), FASTTEXT_VOCABULARY_OPTIONS);
    return new InputRows(vocabulary, options.ngrams, options.buckets);
  }

  /** The rows of a text: its known words in order, then its n-gram buckets. Repeats are kept. */
  rowsOf(tokens: readonly string[]): number[] {
    const rows: number[] = [];
    for (const token of tokens) {
      const id = this.vocabulary.wordIndex(token);
      if (id !== undefined) rows.push(id - this.firstId);
    }
    if (this.bucketRows > 0) {
      const offset = this.words;
      forEachNgramBucket(tokens, this.ngrams, this.buckets, (bucket) => rows.push(offset + bucket));
    }
    return rows;
  }

  /** The same rows as {@link rowsOf}, in the same order, each with the word or n-gram it stands for. */
  namedRowsOf(tokens: readonly string[]): NamedRow[] {
    const rows: NamedRow[] = [];
    for (const token of tokens) {
      const id = this.vocabulary.wordIndex(token);
      if (id !== undefined) rows.push({ token, row: id - this.firstId });
    }
    if (this.bucketRows > 0) {
      const offset = this.words;
      forEachNgramBucket(tokens, this.ngrams, this.buckets, (bucket, start, n) =>
        rows.push({ token: tokens.slice(start, start + n).join(NGRAM_SEPARATOR), row: offset + bucket }),
      );
    }
    return rows;
  }
}
