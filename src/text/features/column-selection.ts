/**
 * Which counted n-grams become columns, and in what order: the minDf and maxFeatures cuts, and the sort by
 * name that gives scikit-learn's column order (see vectorizer.ts).
 */
import { OptionError } from '../../errors.js';
import type { CountedNgrams } from './ngram-counter.js';
import type { NgramVocabulary } from './ngram-vocabulary.js';
import type { ResolvedVectorizerOptions } from './vectorizer-options.js';

/**
 * Chooses the columns: n-grams with df ≥ minDf, the `maxFeatures` most frequent of them, sorted by name
 * (see the module comment). The kept set is closed under prefixes — a prefix occurs wherever its n-gram
 * does, so its count and df are at least as high, and on a tie in count its name sorts first — which lets
 * a column be stored as (prefix column, last word). Returns the column of each node (-1 when dropped).
 */
export function selectColumns(
  counted: CountedNgrams,
  options: ResolvedVectorizerOptions,
): { vocabulary: NgramVocabulary; df: Int32Array | null; columnOf: Int32Array } {
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
