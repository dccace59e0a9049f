/**
 * A corpus for word vectors: every text tokenized (by the tokenizer the models use, so that the
 * vectors meet the same words at training time) into word ids, words seen fewer than `minCount`
 * times dropped from the texts (as word2vec does, so that the window reaches past them), and
 * optionally the word n-grams ("not_good") that are frequent enough, each with an id after the words.
 */
import { tokenize } from '../sequences/tokenize.js';

/** What the trainer reads; plain typed arrays, so that worker threads can share them. */
export interface Corpus {
  /** The vocabulary: words by decreasing count (ties by word), then the kept n-grams. */
  readonly units: readonly string[];
  /** How many of `units` are words (the rest are n-grams, which are never a context). */
  readonly words: number;
  /** Occurrences of each unit in the corpus. */
  readonly counts: Float64Array;
  /** Every text's kept words, one after another. */
  readonly tokens: Int32Array;
  /** Where each text starts in `tokens`, plus the end: texts + 1 entries. */
  readonly starts: Int32Array;
  /**
   * For `wordNgrams` N > 1: N - 1 entries per position of `tokens`, the ids of the n-grams of
   * lengths 2..N that start there, or -1. Empty otherwise.
   */
  readonly ngrams: Int32Array;
  readonly ngramOrders: number;
}

/** Appends ints to a typed array that grows by doubling. */
class IntBuffer {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
}

/** Reads texts one at a time, then builds the corpus. */
export class CorpusBuilder {
  private readonly ids = new Map<string, number>();
  private readonly seen: string[] = [];
  private counts = new Float64Array(1024);
  private readonly tokens = new IntBuffer();
  private readonly starts = new IntBuffer();

  constructor() {
    this.starts.push(0);
  }

  get texts(): number {
    return this.starts.length - 1;
  }

  get tokenCount(): number {
    return this.tokens.length;
  }

  add(text: string): void {
    for (const token of tokenize(text)) {
      let id = this.ids.get(token);
      if (id === undefined) {
        id = this.seen.length;
        this.ids.set(token, id);
        this.seen.push(token);
        if (id === this.counts.length) {
          const bigger = new Float64Array(this.counts.length * 2);
          bigger.set(this.counts);
          this.counts = bigger;
        }
      }
      this.counts[id]++;
      this.tokens.push(id);
    }
    this.starts.push(this.tokens.length);
  }

  /** The corpus: words of at least `minCount` occurrences, and n-grams up to `wordNgrams` words as often. */
  build(minCount: number, wordNgrams = 1): Corpus {
    const kept = this.seen
      .map((word, id) => ({ word, id, count: this.counts[id] }))
      .filter((w) => w.count >= minCount)
      .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    const finalId = new Int32Array(this.seen.length).fill(-1);
    kept.forEach((w, i) => (finalId[w.id] = i));

    const tokens = new IntBuffer();
    const starts = new Int32Array(this.starts.length);
    for (let t = 0; t < this.texts; t++) {
      starts[t] = tokens.length;
      for (let i = this.starts.data[t]; i < this.starts.data[t + 1]; i++) {
        const id = finalId[this.tokens.data[i]];
        if (id >= 0) tokens.push(id);
      }
    }
    starts[this.texts] = tokens.length;
    const words = kept.map((w) => w.word);
    const counts = kept.map((w) => w.count);
    const flat = tokens.data.slice(0, tokens.length);
    const ngrams = wordNgrams > 1 ? ngramIds(flat, starts, words, wordNgrams, minCount) : [];
    return {
      units: ngrams.length === 0 ? words : [...words, ...ngrams[1]],
      words: words.length,
      counts: Float64Array.from(ngrams.length === 0 ? counts : [...counts, ...ngrams[2]]),
      tokens: flat,
      starts,
      ngrams: ngrams.length === 0 ? new Int32Array(0) : ngrams[0],
      ngramOrders: wordNgrams - 1,
    };
  }
}

/**
 * The n-grams of lengths 2..`n` within each text seen at least `minCount` times: their ids (after
 * the words') per position, their names (words joined by "_", as word2phrase writes phrases) and counts.
 */
function ngramIds(
  tokens: Int32Array,
  starts: Int32Array,
  words: readonly string[],
  n: number,
  minCount: number,
): [Int32Array, string[], number[]] {
  const orders = n - 1;
  const key = (i: number, length: number) => tokens.subarray(i, i + length).join(' ');
  const counts = new Map<string, number>();
  forEachNgram(starts, orders, (i, length) => {
    const k = key(i, length);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  const kept = [...counts]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const ids = new Map(kept.map(([k], i) => [k, words.length + i]));
  counts.clear();
  const at = new Int32Array(tokens.length * orders).fill(-1);
  forEachNgram(starts, orders, (i, length) => {
    at[i * orders + length - 2] = ids.get(key(i, length)) ?? -1;
  });
  const names = kept.map(([k]) =>
    k
      .split(' ')
      .map((id) => words[Number(id)])
      .join('_'),
  );
  return [at, names, kept.map(([, c]) => c)];
}

function forEachNgram(starts: Int32Array, orders: number, visit: (i: number, length: number) => void): void {
  for (let t = 0; t + 1 < starts.length; t++) {
    for (let i = starts[t]; i < starts[t + 1]; i++) {
      for (let length = 2; length <= orders + 1 && i + length <= starts[t + 1]; length++) visit(i, length);
    }
  }
}
