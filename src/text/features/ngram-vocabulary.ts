/**
 * An exact vocabulary of n-gram columns, stored as (prefix column, last word) per column, and the lookup
 * that finds a text's n-grams in it. Made by column selection, saved by the file format, used by the
 * transform.
 */
import { NgramTrie } from './ngram-trie.js';
import { WordTable } from './word-table.js';

/** An exact vocabulary: the n-gram of each column as (prefix column, last word). */
export interface NgramVocabulary {
  readonly words: readonly string[];
  readonly parents: Int32Array;
  readonly lastWords: Int32Array;
}

/** What transforming needs for an exact vocabulary, built on first use. */
export interface NgramLookup {
  readonly words: WordTable;
  /** Column of each word's unigram, -1 when it has none. */
  readonly unigram: Int32Array;
  /** Every n-gram keyed by (column of the prefix or -1, last word); a node's id is its column. */
  readonly trie: NgramTrie;
}

export function buildLookup(vocabulary: NgramVocabulary): NgramLookup {
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
export function childColumn(lookup: NgramLookup, column: number, word: number): number {
  return lookup.trie.find(column, word);
}
