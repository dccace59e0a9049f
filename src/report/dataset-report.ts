/**
 * The report of `polarity stats --report`: label balance, review length (histogram and box plot, as the
 * Keras IMDB tutorial plots them), and words per label, each as charts and tables.
 */
import type { Dataset, SplitName } from '../data/types.js';
import { datasetStatistics, type DatasetStatistics, type SplitStatistics } from '../text/corpus/stats.js';
import { tokenize } from '../text/sequences/tokenize.js';
import { LabelWordCounts } from '../text/corpus/word-counts.js';
import { boxPlotChart, labelBalanceChart, lengthHistogramChart, wordsChart } from './dataset-charts.js';
import type { Report } from './report.js';
import { boxSummary, histogram, type BoxSummary } from './summaries.js';
import type { Table } from './table.js';

/** Everything the dataset report draws, gathered in one pass over the texts. */
export interface DatasetProfile {
  readonly statistics: DatasetStatistics;
  readonly labels: readonly string[];
  /** Review lengths in words, per split and label. */
  readonly lengths: readonly {
    readonly split: SplitName;
    readonly label: string;
    readonly values: number[];
  }[];
  /** Words per label in the training split, the reviews a model learns from. */
  readonly words: LabelWordCounts;
}

/** Tokenizes every review once, for the statistics, the lengths and the word counts together. */
export function profileDataset(
  dataset: Dataset,
  options: { readonly tokenizer?: (text: string) => string[] } = {},
): DatasetProfile {
  const words = new LabelWordCounts(dataset.labels);
  const lengths = (['train', 'test'] as const).flatMap((split) =>
    dataset.labels.map((label) => ({ split, label, values: [] as number[] })),
  );
  const slot = (split: SplitName, label: string) =>
    lengths.find((l) => l.split === split && l.label === label)!;
  const statistics = datasetStatistics(dataset, {
    tokenizer: options.tokenizer ?? tokenize,
    onReview(example, tokens, split) {
      slot(split, example.label).values.push(tokens.length);
      if (split === 'train') words.add(example.label, tokens);
    },
  });
  return { statistics, labels: dataset.labels, lengths, words };
}

export interface DatasetReportOptions {
  readonly command?: string;
  readonly created?: Date;
  /** Words shown per label in each word chart. Default 20. */
  readonly topWords?: number;
  /** Bins the length histogram aims at. Default 50. */
  readonly bins?: number;
  /**
   * The neural models' `--max-len`, marked on the histogram with the share of reviews it cuts. It counts
   * ids with the start mark, so a review keeps `maxLen - 1` words.
   */
  readonly maxLen?: number;
}

export function datasetReport(profile: DatasetProfile, options: DatasetReportOptions = {}): Report {
  const { statistics, labels } = profile;
  const top = options.topWords ?? 20;
  const byLabel = labels.map((label) => ({
    group: label,
    values: profile.lengths.filter((l) => l.label === label).flatMap((l) => l.values),
  }));
  const all = { group: 'all', values: byLabel.flatMap((g) => g.values) };
  const boxes = [...byLabel, all].map(boxSummary).filter((b): b is BoxSummary => b !== null);
  const length = statistics.all.length;
  const frequent = labels.flatMap((label) =>
    profile.words.mostFrequent(label, top).map((w) => ({ label, word: w.word, value: w.share })),
  );
  const typical = labels.flatMap((label) =>
    profile.words.mostTypical(label, top).map((w) => ({ label, ...w })),
  );
  const trainReviews = labels.reduce((n, label) => n + profile.words.reviews(label), 0);

  return {
    title: `${statistics.name}: dataset report`,
    command: options.command,
    created: options.created,
    sections: [
      {
        heading: 'Reviews and labels',
        items: [
          {
            kind: 'chart',
            name: 'label-balance',
            spec: labelBalanceChart(
              (['train', 'test'] as const).flatMap((split) =>
                labels.map((label) => ({ split, label, count: statistics[split].labels[label] ?? 0 })),
              ),
              { labels },
            ),
            caption:
              'Reviews per label in each split. Accuracy is a fair measure only when labels are balanced.',
          },
          {
            kind: 'table',
            name: 'statistics',
            title: 'Statistics',
            table: statisticsTable(statistics),
            caption:
              'Words as the models’ tokenizer splits them. Standard deviation and quartiles as NumPy computes them.',
          },
        ],
      },
      {
        heading: 'Review length',
        text: `Length in words of every review, train and test together.${cutText(all.values, options.maxLen)}`,
        items: [
          {
            kind: 'chart',
            name: 'length-histogram',
            spec: lengthHistogramChart(histogram(byLabel, { bins: options.bins ?? 50 }), {
              groups: labels,
              markers: [
                ...(length
                  ? [
                      { name: 'median', value: length.median },
                      { name: 'mean', value: length.mean },
                    ]
                  : []),
                ...(options.maxLen === undefined
                  ? []
                  : [{ name: 'max-len', value: options.maxLen - 1, label: `--max-len ${options.maxLen}` }]),
              ],
            }),
          },
          {
            kind: 'chart',
            name: 'length-boxplot',
            spec: boxPlotChart(boxes, { labels }),
          },
          {
            kind: 'table',
            name: 'length-by-label',
            title: 'Review length by label',
            table: boxTable(boxes),
          },
        ],
      },
      {
        heading: 'Words per label',
        text: `Counted in the ${trainReviews.toLocaleString('en-US')} reviews of the training split; a word counts once per review.`,
        items: [
          {
            kind: 'chart',
            name: 'frequent-words',
            spec: wordsChart(frequent, {
              title: 'Most frequent words per label',
              labels,
              valueTitle: 'share of reviews containing the word',
              format: '.0%',
            }),
            caption: 'The most frequent words are much the same for every label: function words of English.',
          },
          {
            kind: 'chart',
            name: 'typical-words',
            spec: wordsChart(
              typical.map((w) => ({ label: w.label, word: w.word, value: w.z })),
              {
                title: {
                  text: 'Words most typical of each label',
                  subtitle: 'among words in at least 20 reviews',
                },
                labels,
                valueTitle: 'z-score of the log odds ratio',
              },
            ),
            caption:
              'Words whose presence most favours one label over the others: the log odds ratio of a review containing ' +
              'the word, this label against the rest, over its standard error.',
          },
          {
            kind: 'table',
            name: 'typical-words',
            title: 'Words most typical of each label',
            table: {
              columns: [
                { key: 'label', title: 'label' },
                { key: 'word', title: 'word' },
                { key: 'reviews', title: 'reviews of the label with it' },
                { key: 'share', title: 'share', percent: true, decimals: 1 },
                { key: 'otherReviews', title: 'reviews of other labels with it' },
                { key: 'logOddsRatio', title: 'log odds ratio', decimals: 3 },
                { key: 'z', title: 'z', decimals: 1 },
              ],
              rows: typical.map((w) => ({ ...w })),
            },
          },
        ],
      },
    ],
  };
}

/** "12.3% of them (6,150) are longer than 499 words and are cut…" when a maximum length is given. */
function cutText(lengths: readonly number[], maxLen: number | undefined): string {
  if (maxLen === undefined || lengths.length === 0) return '';
  const words = maxLen - 1;
  const longer = lengths.filter((n) => n > words).length;
  const share = ((100 * longer) / lengths.length).toFixed(1);
  return (
    ` ${share}% of them (${longer.toLocaleString('en-US')}) are longer than ${words.toLocaleString('en-US')} words ` +
    `and are cut by the neural models’ --max-len ${maxLen} (the start mark takes one place).`
  );
}

function statisticsTable(stats: DatasetStatistics): Table {
  const splits = [stats.train, stats.test, stats.all];
  // Rounded as the CLI prints them; the CSV then holds the same numbers as the terminal.
  const row = (measure: string, pick: (s: SplitStatistics) => number | null, decimals = 0) => ({
    measure,
    ...Object.fromEntries(
      splits.map((s, i) => {
        const value = pick(s);
        return [['train', 'test', 'all'][i], value === null ? null : Number(value.toFixed(decimals))];
      }),
    ),
  });
  const rows = [
    row('reviews', (s) => s.reviews),
    ...Object.keys(stats.all.labels).map((label) => row(`label ${label}`, (s) => s.labels[label] ?? 0)),
    row('words', (s) => s.words),
    row('distinct words', (s) => s.distinctWords),
    row('length mean', (s) => s.length?.mean ?? null, 2),
    row('length std', (s) => s.length?.std ?? null, 2),
    row('length min', (s) => s.length?.min ?? null),
    row('length 25%', (s) => s.length?.q25 ?? null, 2),
    row('length median', (s) => s.length?.median ?? null, 2),
    row('length 75%', (s) => s.length?.q75 ?? null, 2),
    row('length max', (s) => s.length?.max ?? null),
  ];
  return {
    columns: [
      { key: 'measure', title: '' },
      { key: 'train', title: 'train' },
      { key: 'test', title: 'test' },
      { key: 'all', title: 'all' },
    ],
    rows,
  };
}

function boxTable(boxes: readonly BoxSummary[]): Table {
  return {
    columns: [
      { key: 'group', title: 'label' },
      { key: 'count', title: 'reviews' },
      { key: 'mean', title: 'mean', decimals: 2 },
      { key: 'min', title: 'min' },
      { key: 'q1', title: '25%' },
      { key: 'median', title: 'median' },
      { key: 'q3', title: '75%' },
      { key: 'upperWhisker', title: 'upper whisker' },
      { key: 'max', title: 'max' },
      { key: 'outlierCount', title: 'beyond the whiskers' },
    ],
    rows: boxes.map(({ outliers: _, ...box }) => box),
  };
}
