/**
 * Counting the training n-grams: every n-gram of 1..n tokens, with its total count and document frequency
 * when an option needs them, and (for fitTransform) every occurrence, so that the training rows can be
 * built without looking anything up twice.
 */
import { ngramCount } from './ngrams.js';
import { NgramTrie, TRIE_ID, TRIE_PARENT, TRIE_PAYLOAD, TRIE_WORD } from './ngram-trie.js';
import { WordTable } from './word-table.js';
import { corpusSize, isTokenIdCorpus as isCorpus, type TokenIdCorpus } from './token-ids.js';

/**
 * What counting the training n-grams found, over "nodes": node u < V (the number of words) is the unigram of
 * word u, node V + t the longer n-gram of trie id t. A node's prefix always has a smaller node number.
 */
export interface CountedNgrams {
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
export interface Tracked {
  /** Total counts, for maxFeatures. */
  readonly counts: boolean;
  /** Document frequencies, for minDf (and TF-IDF when there is no matrix to count them from). */
  readonly df: boolean;
}

/**
 * Counts every n-gram of 1..n tokens of the training texts in one go; see {@link NgramCounter}.
 */
export function countNgrams(
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

function grow(a: Int32Array, size: number, fill = 0): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}
