import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Dataset } from '../../../src/data/types.js';
import { datasetStatistics, formatStatistics, lengthSummary } from '../../../src/text/corpus/stats.js';

// Lengths in words: train 4, 1, 5; test 2, 0.
const dataset: Dataset = {
  name: 'tiny',
  labels: ['neg', 'pos'],
  train: [
    { text: 'Good movie.<br />Great fun', label: 'pos' },
    { text: 'Bad.', label: 'neg' },
    { text: 'It was bad, bad, bad!', label: 'neg' },
  ],
  test: [
    { text: 'not GOOD', label: 'pos' },
    { text: '', label: 'neg' },
  ],
};

function close(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} ≉ ${expected}`);
}

describe('datasetStatistics', () => {
  const stats = datasetStatistics(dataset);

  it('counts reviews, labels, words and distinct words per split', () => {
    assert.equal(stats.name, 'tiny');
    assert.deepEqual(
      [stats.train, stats.test, stats.all].map((s) => [s.reviews, s.labels, s.words, s.distinctWords]),
      [
        [3, { neg: 2, pos: 1 }, 10, 7],
        [2, { neg: 1, pos: 1 }, 2, 2],
        [5, { neg: 3, pos: 2 }, 12, 8],
      ],
    );
  });

  it('summarises lengths with population std and linearly interpolated quartiles', () => {
    // train: [1, 4, 5]: mean 10/3, variance ((7/3)² + (2/3)² + (5/3)²) / 3 = 26/9
    const train = stats.train.length;
    close(train?.mean, 10 / 3);
    close(train?.std, Math.sqrt(26) / 3);
    assert.deepEqual([train?.min, train?.q25, train?.median, train?.q75, train?.max], [1, 2.5, 4, 4.5, 5]);
    // test: [0, 2]
    assert.deepEqual(stats.test.length, { mean: 1, std: 1, min: 0, q25: 0.5, median: 1, q75: 1.5, max: 2 });
    // all: [0, 1, 2, 4, 5]: mean 2.4, variance (5.76 + 1.96 + 0.16 + 2.56 + 6.76) / 5 = 3.44
    const all = stats.all.length;
    close(all?.mean, 2.4);
    close(all?.std, Math.sqrt(3.44));
    assert.deepEqual([all?.min, all?.q25, all?.median, all?.q75, all?.max], [0, 1, 2, 4, 5]);
  });

  it('gives every label, even one without reviews, and null lengths for an empty split', () => {
    const s = datasetStatistics({ ...dataset, labels: ['neg', 'neutral', 'pos'], test: [] });
    assert.deepEqual(s.test, {
      reviews: 0,
      labels: { neg: 0, neutral: 0, pos: 0 },
      words: 0,
      distinctWords: 0,
      length: null,
    });
    assert.equal(s.all.labels.neutral, 0);
  });

  it('takes another tokenizer', () => {
    const s = datasetStatistics(dataset, { tokenizer: (text) => [...text] });
    assert.equal(s.test.words, 8);
  });

  it('hands every review with its tokens and split to onReview, once', () => {
    const seen: string[] = [];
    datasetStatistics(dataset, {
      onReview: (example, tokens, split) => seen.push(`${split} ${example.label} ${tokens.join(' ')}`),
    });
    assert.deepEqual(seen, [
      'train pos good movie great fun',
      'train neg bad',
      'train neg it was bad bad bad',
      'test pos not good',
      'test neg ',
    ]);
  });
});

describe('lengthSummary', () => {
  it('handles one value and no values, and leaves its input alone', () => {
    assert.deepEqual(lengthSummary([7]), { mean: 7, std: 0, min: 7, q25: 7, median: 7, q75: 7, max: 7 });
    assert.equal(lengthSummary([]), null);
    const values = [3, 1, 2];
    assert.equal(lengthSummary(values)?.median, 2);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe('formatStatistics', () => {
  it('renders a plain-text table with one column per split', () => {
    assert.equal(
      formatStatistics(datasetStatistics(dataset)),
      [
        'tiny: review lengths in words',
        '                train  test   all',
        'reviews             3     2     5',
        '  neg               2     1     3',
        '  pos               1     1     2',
        'words              10     2    12',
        'distinct words      7     2     8',
        'length mean      3.33  1.00  2.40',
        'length std       1.70  1.00  1.85',
        'length min          1     0     0',
        'length 25%        2.5   0.5   1.0',
        'length median     4.0   1.0   2.0',
        'length 75%        4.5   1.5   4.0',
        'length max          5     2     5',
      ].join('\n'),
    );
  });

  it('shows a dash for an empty split and groups thousands', () => {
    const many = { ...dataset, train: Array.from({ length: 1234 }, () => dataset.train[0]), test: [] };
    const text = formatStatistics(datasetStatistics(many));
    assert.match(text, /^reviews\s+1,234\s+0\s+1,234$/m);
    assert.match(text, /^length mean\s+4\.00\s+-\s+4\.00$/m);
  });
});
