/**
 * Words per label: in how many reviews of each label each word occurs. Reviews are counted, not
 * occurrences, so that one review repeating a name forty times does not rank it.
 *
 * Two rankings come from the counts. The most frequent words of every label are much the same function
 * words ("the", "and", "a"), as in any English text. The words most typical of a label are ranked by how
 * strongly their presence tells that label from the others: the log odds ratio of a review containing the
 * word, in this label against all others, divided by its standard error (a z-score, so that a word seen
 * in three reviews cannot outrank one seen in three thousand on a lucky ratio). Half a review is added to
 * each count (Haldane's correction) so that a word absent from one side still gets a finite score.
 */

export interface WordCount {
  readonly word: string;
  /** Reviews of the label that contain the word. */
  readonly reviews: number;
  /** `reviews` as a share of the label's reviews. */
  readonly share: number;
}

export interface TypicalWord extends WordCount {
  /** Reviews of the other labels that contain the word. */
  readonly otherReviews: number;
  /** Natural log of the odds ratio (this label against the others) of a review containing the word. */
  readonly logOddsRatio: number;
  /** `logOddsRatio` over its standard error. */
  readonly z: number;
}

export class LabelWordCounts {
  /** word → reviews containing it, one entry per label (in `labels` order). */
  private readonly counts = new Map<string, number[]>();
  private readonly reviewsPerLabel: number[];
  private readonly labelIndex: Map<string, number>;

  constructor(readonly labels: readonly string[]) {
    this.reviewsPerLabel = labels.map(() => 0);
    this.labelIndex = new Map(labels.map((label, i) => [label, i]));
  }

  /** Counts one review of `label`; each distinct token counts once. */
  add(label: string, tokens: readonly string[]): void {
    const k = this.labelIndex.get(label);
    if (k === undefined) throw new RangeError(`label "${label}" is not one of ${this.labels.join(', ')}`);
    this.reviewsPerLabel[k]++;
    for (const word of new Set(tokens)) {
      let perLabel = this.counts.get(word);
      if (perLabel === undefined) {
        perLabel = this.labels.map(() => 0);
        this.counts.set(word, perLabel);
      }
      perLabel[k]++;
    }
  }

  /** Reviews counted for `label`. */
  reviews(label: string): number {
    return this.reviewsPerLabel[this.index(label)];
  }

  /** The `n` words found in the most reviews of `label`; ties in word order. */
  mostFrequent(label: string, n: number): WordCount[] {
    const k = this.index(label);
    const total = this.reviewsPerLabel[k];
    return this.top(
      n,
      (counts) => counts[k],
      (word, counts) => ({ word, reviews: counts[k], share: counts[k] / Math.max(1, total) }),
    );
  }

  /**
   * The `n` words whose presence most favours `label` over the other labels (see the module comment),
   * among words found in at least `minReviews` reviews in all (default 20), which keeps out typos and names.
   */
  mostTypical(label: string, n: number, options: { readonly minReviews?: number } = {}): TypicalWord[] {
    const k = this.index(label);
    const minReviews = options.minReviews ?? 20;
    const inLabel = this.reviewsPerLabel[k];
    const inOthers = this.reviewsPerLabel.reduce((a, b) => a + b, 0) - inLabel;
    const score = (counts: readonly number[]) => {
      const a = counts[k];
      const c = counts.reduce((x, y) => x + y, 0) - a;
      if (a + c < minReviews) return null;
      const [a1, b1, c1, d1] = [a + 0.5, inLabel - a + 0.5, c + 0.5, inOthers - c + 0.5];
      const logOddsRatio = Math.log(a1 / b1) - Math.log(c1 / d1);
      const z = logOddsRatio / Math.sqrt(1 / a1 + 1 / b1 + 1 / c1 + 1 / d1);
      return { a, c, logOddsRatio, z };
    };
    return this.top(
      n,
      (counts) => score(counts)?.z ?? -Infinity,
      (word, counts) => {
        const s = score(counts)!;
        return {
          word,
          reviews: s.a,
          share: s.a / Math.max(1, inLabel),
          otherReviews: s.c,
          logOddsRatio: s.logOddsRatio,
          z: s.z,
        };
      },
    ).filter((w) => w.z > 0);
  }

  /** The `n` words of highest `key`, by insertion into a sorted list of at most `n` (n is small, words many). */
  private top<T>(
    n: number,
    key: (counts: readonly number[]) => number,
    describe: (word: string, counts: readonly number[]) => T,
  ): T[] {
    if (n <= 0) return [];
    const best: { word: string; counts: number[]; key: number }[] = [];
    for (const [word, counts] of this.counts) {
      const value = key(counts);
      if (value === -Infinity) continue;
      if (best.length === n && !better(value, word, best[n - 1])) continue;
      let i = best.length;
      while (i > 0 && better(value, word, best[i - 1])) i--;
      best.splice(i, 0, { word, counts, key: value });
      if (best.length > n) best.pop();
    }
    return best.map((b) => describe(b.word, b.counts));
  }

  private index(label: string): number {
    const k = this.labelIndex.get(label);
    if (k === undefined) throw new RangeError(`label "${label}" is not one of ${this.labels.join(', ')}`);
    return k;
  }
}

/** Higher value first; equal values in word order, so that rankings do not depend on insertion order. */
function better(value: number, word: string, than: { key: number; word: string }): boolean {
  return value > than.key || (value === than.key && word < than.word);
}
