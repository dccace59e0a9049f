/**
 * Dataset statistics in words, as the Keras IMDB tutorials print them ("Number of words", "Review length:
 * Mean … words (std)"), plus label counts and quartiles — what one looks at to choose `numWords` and
 * `maxLen`. Words are counted with the same tokenizer the models use, so the numbers describe what a model
 * sees.
 *
 * Conventions, chosen to match NumPy so that numbers can be compared with a Python notebook: the standard
 * deviation is the population one (`np.std`, ddof = 0) and quartiles interpolate linearly between the two
 * nearest ranks (`np.percentile`'s default).
 */
import type { Dataset, Example, SplitName } from '../../data/types.js';
import { tokenize } from '../sequences/tokenize.js';

/** Review length in words. */
export interface LengthSummary {
  readonly mean: number;
  /** Population standard deviation. */
  readonly std: number;
  readonly min: number;
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
  readonly max: number;
}

export interface SplitStatistics {
  readonly reviews: number;
  /** Reviews per label, every label of the dataset present (0 when it has none), in the dataset's order. */
  readonly labels: Readonly<Record<string, number>>;
  /** Number of different tokens. */
  readonly distinctWords: number;
  /** Number of tokens in all. */
  readonly words: number;
  /** `null` when there are no reviews. */
  readonly length: LengthSummary | null;
}

export interface DatasetStatistics {
  readonly name: string;
  readonly train: SplitStatistics;
  readonly test: SplitStatistics;
  /** Train and test together. */
  readonly all: SplitStatistics;
}

export interface StatisticsOptions {
  /** Splits a text into words. Default: {@link tokenize}, the models' tokenizer. */
  readonly tokenizer?: (text: string) => string[];
  /**
   * Called with each review's tokens as they are counted, so that a caller that needs more than these
   * summaries (a report's length histogram, its words per label) does not tokenize every text again.
   */
  readonly onReview?: (example: Example, tokens: readonly string[], split: SplitName) => void;
}

/** Computes statistics of each split and of both together. Reads every text once. */
export function datasetStatistics(dataset: Dataset, options: StatisticsOptions = {}): DatasetStatistics {
  const tokenizer = options.tokenizer ?? tokenize;
  const allWords = new Set<string>();
  const split = (examples: readonly Example[], name: SplitName) => {
    const words = new Set<string>();
    const lengths = new Float64Array(examples.length);
    examples.forEach((example, i) => {
      const tokens = tokenizer(example.text);
      options.onReview?.(example, tokens, name);
      lengths[i] = tokens.length;
      for (const token of tokens) words.add(token);
    });
    for (const word of words) allWords.add(word);
    return { lengths, distinct: words.size };
  };
  const train = split(dataset.train, 'train');
  const test = split(dataset.test, 'test');
  const allLengths = new Float64Array(train.lengths.length + test.lengths.length);
  allLengths.set(train.lengths);
  allLengths.set(test.lengths, train.lengths.length);
  return {
    name: dataset.name,
    train: summarise(dataset.labels, dataset.train, train.lengths, train.distinct),
    test: summarise(dataset.labels, dataset.test, test.lengths, test.distinct),
    all: summarise(dataset.labels, [...dataset.train, ...dataset.test], allLengths, allWords.size),
  };
}

function summarise(
  labels: readonly string[],
  examples: readonly Example[],
  lengths: Float64Array,
  distinctWords: number,
): SplitStatistics {
  const counts: Record<string, number> = {};
  for (const label of labels) counts[label] = 0;
  for (const example of examples) counts[example.label] = (counts[example.label] ?? 0) + 1;
  let words = 0;
  for (const n of lengths) words += n;
  return { reviews: examples.length, labels: counts, distinctWords, words, length: lengthSummary(lengths) };
}

/** Mean, population std, min, quartiles and max of `values`; `null` when empty. Does not change `values`. */
export function lengthSummary(values: ArrayLike<number>): LengthSummary | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  return {
    mean,
    std: Math.sqrt(squares / n),
    min: sorted[0],
    q25: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q75: quantile(sorted, 0.75),
    max: sorted[n - 1],
  };
}

/** The `p` quantile of sorted values, interpolating linearly (NumPy's default, "type 7"). */
function quantile(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Renders statistics as a plain-text table (one column per split), for the CLI. */
export function formatStatistics(stats: DatasetStatistics): string {
  const columns = [stats.train, stats.test, stats.all];
  const rows: [string, ...string[]][] = [['', 'train', 'test', 'all']];
  const add = (title: string, cell: (s: SplitStatistics) => string) => {
    rows.push([title, ...columns.map(cell)]);
  };
  const length = (pick: (l: LengthSummary) => number, decimals: number) => (s: SplitStatistics) =>
    s.length === null ? '-' : formatNumber(pick(s.length), decimals);
  add('reviews', (s) => formatNumber(s.reviews, 0));
  for (const label of Object.keys(stats.all.labels)) {
    add(`  ${label}`, (s) => formatNumber(s.labels[label] ?? 0, 0));
  }
  add('words', (s) => formatNumber(s.words, 0));
  add('distinct words', (s) => formatNumber(s.distinctWords, 0));
  add(
    'length mean',
    length((l) => l.mean, 2),
  );
  add(
    'length std',
    length((l) => l.std, 2),
  );
  add(
    'length min',
    length((l) => l.min, 0),
  );
  add(
    'length 25%',
    length((l) => l.q25, 1),
  );
  add(
    'length median',
    length((l) => l.median, 1),
  );
  add(
    'length 75%',
    length((l) => l.q75, 1),
  );
  add(
    'length max',
    length((l) => l.max, 0),
  );

  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c] + 2))).join(''),
  );
  return [`${stats.name}: review lengths in words`, ...lines.map((line) => line.trimEnd())].join('\n');
}

/**
 * A number with a comma every three digits and a fixed number of decimals, independent of the machine's
 * locale so that the output is the same everywhere.
 */
function formatNumber(n: number, decimals: number): string {
  const [whole, fraction] = Math.abs(n).toFixed(decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
