/**
 * Turning tokens into feature rows through fitted columns: which columns a text's n-grams fall in (looked up
 * in an exact vocabulary, or hashed), their counts, then the weighting (binary, sublinear tf, idf, l2 norm).
 * Also the training rows that fitTransform builds straight from the n-gram occurrences it counted.
 */
import { NGRAM_SEPARATOR, murmurBlock, murmurFinish, murmurHash3, ngramCount } from './ngrams.js';
import { TRIE_ID } from './ngram-trie.js';
import type { CountedNgrams } from './ngram-counter.js';
import { buildLookup, childColumn, type NgramLookup, type NgramVocabulary } from './ngram-vocabulary.js';
import { ColumnSorter, CsrBuilder, type SparseMatrix } from './sparse.js';
import type { ResolvedVectorizerOptions } from './vectorizer-options.js';

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

/**
 * The row-building half of a vectorizer: its fitted columns and weights, and the scratch buffers reused
 * from one text to the next (so one instance must not be used from two threads, which JavaScript does not
 * do anyway).
 */
export class FeatureRows {
  private lookup: NgramLookup | undefined;
  private tokenIds = new Int32Array(256);
  private prefixes = new Int32Array(256);
  /** Where the prefetching loads go, so that the compiler cannot drop them. */
  private sink = 0;
  private sorter: ColumnSorter | undefined;
  private columns = new Int32Array(1024);
  private rowValues = new Float64Array(1024);

  /**
   * @param vocabulary the exact vocabulary's columns, or null for a hashed space of `size` columns.
   * @param idf each column's idf (TF-IDF), or null.
   */
  constructor(
    private readonly options: ResolvedVectorizerOptions,
    private readonly size: number,
    private readonly vocabulary: NgramVocabulary | null,
    private readonly idf: Float64Array | null,
  ) {}

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

  private getLookup(): NgramLookup {
    if (this.lookup === undefined) this.lookup = buildLookup(this.vocabulary as NgramVocabulary);
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
  countRows(docs: readonly (readonly string[])[]): SparseMatrix {
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
  private exactColumns(tokens: readonly string[], lookup: NgramLookup): number {
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
  weightMatrix(matrix: SparseMatrix): void {
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
 * Up to this many columns, a row's counts are tallied in a dense array (which then stays in cache) and only
 * its distinct columns are sorted; beyond, every occurrence's column is sorted and runs are counted.
 */
const DENSE_TALLY_COLUMNS = 1 << 16;

/** The training rows (counts) from the n-gram occurrences recorded while counting. */
export function rowsFromOccurrences(
  counted: CountedNgrams,
  columnOf: Int32Array,
  size: number,
): SparseMatrix {
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
export function columnDocumentFrequencies(matrix: SparseMatrix): Int32Array {
  const df = new Int32Array(matrix.cols);
  const { indices } = matrix;
  for (let k = 0; k < indices.length; k++) df[indices[k]]++;
  return df;
}

/**
 * scikit-learn's idf. A hashed column that no training document reached (df 0) gets the idf of df 1 when
 * smoothing is off, where scikit-learn would divide by zero.
 */
export function idfOf(df: Int32Array, documents: number, smooth: boolean): Float64Array {
  const idf = new Float64Array(df.length);
  for (let c = 0; c < df.length; c++) {
    idf[c] = smooth
      ? Math.log((1 + documents) / (1 + df[c])) + 1
      : Math.log(documents / Math.max(1, df[c])) + 1;
  }
  return idf;
}
