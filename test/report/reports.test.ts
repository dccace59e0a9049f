import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datasetReport, profileDataset } from '../../src/report/dataset-report.js';
import { evaluationReport } from '../../src/report/evaluation-report.js';
import { crossValidationReport, searchReport } from '../../src/report/results-report.js';
import type { ChartItem, Report, TableItem } from '../../src/report/report.js';
import { trainingReport } from '../../src/report/training-report.js';
import type { CrossValidationResult } from '../../src/experiments/cross-validation.js';
import type { EvaluationReport } from '../../src/experiments/evaluate.js';
import { headlineMetrics, summarizeMetrics } from '../../src/experiments/headline-metrics.js';
import { classificationMetrics } from '../../src/experiments/metrics.js';
import type { SearchResult } from '../../src/experiments/search.js';
import { imdbSample } from '../helpers/fixtures.js';

function items(report: Report) {
  return report.sections.flatMap((s) => s.items);
}

function chart(report: Report, name: string): ChartItem {
  const item = items(report).find((i) => i.kind === 'chart' && i.name === name);
  assert.ok(item, `chart ${name}`);
  return item as ChartItem;
}

function table(report: Report, name: string): TableItem {
  const item = items(report).find((i) => i.kind === 'table' && i.name === name);
  assert.ok(item, `table ${name}`);
  return item as TableItem;
}

/** The inline data of a chart's spec (top level, or of its first layer). */
function values(item: ChartItem): Record<string, unknown>[] {
  const spec = item.spec as {
    data?: { values: Record<string, unknown>[] };
    layer?: { data: { values: [] } }[];
  };
  return spec.data?.values ?? spec.layer![0].data.values;
}

describe('dataset report on the IMDB sample', async () => {
  const dataset = await imdbSample();
  const profile = profileDataset(dataset);
  const report = datasetReport(profile, { command: 'polarity stats', maxLen: 500 });

  it('profiles in one pass: the same statistics as datasetStatistics, lengths per split and label', () => {
    assert.equal(profile.statistics.all.reviews, 2500);
    const lengths = profile.lengths.map((l) => [l.split, l.label, l.values.length]);
    assert.deepEqual(lengths, [
      ['train', 'neg', 1000],
      ['train', 'pos', 1000],
      ['test', 'neg', 250],
      ['test', 'pos', 250],
    ]);
    const words = profile.lengths.reduce((n, l) => n + l.values.reduce((a, b) => a + b, 0), 0);
    assert.equal(words, profile.statistics.all.words);
    assert.equal(
      profile.words.reviews('neg') + profile.words.reviews('pos'),
      2000,
      'words of the train split',
    );
  });

  it('has the label balance, the length histogram and box plot, and the words per label', () => {
    assert.deepEqual(
      items(report).map((i) => `${i.kind} ${i.name}`),
      [
        'chart label-balance',
        'table statistics',
        'chart length-histogram',
        'chart length-boxplot',
        'table length-by-label',
        'chart frequent-words',
        'chart typical-words',
        'table typical-words',
      ],
    );
    assert.deepEqual(
      values(chart(report, 'label-balance')).map((v) => [v.split, v.label, v.count]),
      [
        ['train', 'neg', 1000],
        ['train', 'pos', 1000],
        ['test', 'neg', 250],
        ['test', 'pos', 250],
      ],
    );
    const bins = values(chart(report, 'length-histogram')) as { count: number }[];
    assert.equal(
      bins.reduce((n, b) => n + b.count, 0),
      2500,
    );
    const boxes = table(report, 'length-by-label').table.rows.map((r) => [r.group, r.count]);
    assert.deepEqual(boxes, [
      ['neg', 1250],
      ['pos', 1250],
      ['all', 2500],
    ]);
  });

  it('finds the words everyone would expect to tell the labels apart', () => {
    const typical = table(report, 'typical-words').table.rows;
    const top = (label: string) => typical.filter((r) => r.label === label).map((r) => r.word);
    assert.equal(top('neg').length, 20);
    assert.ok(top('neg').includes('bad') && top('neg').includes('worst'), top('neg').join(' '));
    assert.ok(top('pos').includes('great') && top('pos').includes('excellent'), top('pos').join(' '));
    const frequent = values(chart(report, 'frequent-words')).filter((v) => v.label === 'pos');
    assert.equal(frequent[0].word, 'the');
  });

  it('says how many reviews --max-len cuts', () => {
    const longer = profile.lengths.flatMap((l) => l.values).filter((n) => n > 499).length;
    const text = report.sections[1].text ?? '';
    assert.match(text, new RegExp(`\\(${longer}\\) are longer than 499 words`));
  });
});

describe('training report', () => {
  const history = [1, 2].map((epoch) => ({ epoch, loss: 0.5, accuracy: 0.8, seconds: 2 }));

  it('has the curves, the epochs and the settings, and says when nothing was held out', () => {
    const report = trainingReport(history, { model: 'mlp', settings: { epochs: 2, 'drop longer': false } });
    assert.deepEqual(
      items(report).map((i) => i.name),
      ['training-curves', 'epochs', 'settings'],
    );
    assert.match(report.sections[0].text ?? '', /No validation slice/);
    assert.deepEqual(
      table(report, 'epochs').table.columns.map((c) => c.key),
      ['epoch', 'loss', 'accuracy', 'seconds'],
    );
    assert.deepEqual(table(report, 'settings').table.rows, [
      { setting: 'epochs', value: 2 },
      { setting: 'drop longer', value: 'false' },
    ]);
  });

  it('has validation columns when the run held a slice out', () => {
    const report = trainingReport(
      history.map((r) => ({ ...r, valLoss: 0.6, valAccuracy: 0.7 })),
      { model: 'cnn' },
    );
    assert.ok(
      table(report, 'epochs').table.columns.some((c) => c.key === 'valAccuracy'),
      'val_accuracy',
    );
    assert.match(report.sections[0].text ?? '', /overfitting/);
  });
});

describe('evaluation report', () => {
  const metrics = classificationMetrics([0, 0, 1, 1], [0, 1, 1, 1], ['neg', 'pos']);

  it('has the scores, the per-label table and the confusion matrix; the ROC curve when given', () => {
    const without = evaluationReport(metrics, { model: 'nb model in m' });
    assert.deepEqual(
      items(without).map((i) => i.name),
      ['scores', 'per-label', 'confusion-matrix'],
    );
    assert.equal(without.title, 'Evaluation: nb model in m');
    const roc = { fpr: [0, 0.5, 1], tpr: [0, 1, 1], auc: 0.75, positiveLabel: 'pos' };
    const withRoc = evaluationReport(metrics, { model: 'nb', roc });
    assert.deepEqual(
      items(withRoc).map((i) => i.name),
      ['scores', 'per-label', 'confusion-matrix', 'roc-curve'],
    );
    assert.deepEqual(table(withRoc, 'scores').table.rows.at(-1), { metric: 'ROC AUC', value: 0.75 });
  });
});

function evaluation(truth: number[], predicted: number[]): EvaluationReport {
  return {
    ...classificationMetrics(truth, predicted, ['neg', 'pos']),
    rocAuc: 0.9,
    logLoss: 0.3,
    mistakes: [],
    reviewsPerSecond: 1000,
  };
}

describe('cross-validation report', () => {
  const reports = [evaluation([0, 0, 1, 1], [0, 1, 1, 1]), evaluation([0, 1, 1, 0], [0, 1, 0, 0])];
  const folds = reports.map((report, i) => ({
    fold: i + 1,
    trainExamples: 4,
    testExamples: 4,
    metrics: headlineMetrics(report),
    report,
    seconds: 1,
  }));
  const result: CrossValidationResult = { folds, summary: summarizeMetrics(folds.map((f) => f.metrics)) };
  const report = crossValidationReport(result, { model: 'nb' });

  it('draws accuracy, F1 and ROC AUC per fold, and tables the folds and their mean ± std', () => {
    assert.deepEqual(
      items(report).map((i) => `${i.kind} ${i.name}`),
      ['chart folds', 'table summary', 'table folds', 'chart confusion-matrix'],
    );
    const points = values(chart(report, 'folds'));
    assert.deepEqual(
      points.map((p) => [p.x, p.series]),
      [
        ['fold 1', 'accuracy'],
        ['fold 1', 'F1'],
        ['fold 1', 'ROC AUC'],
        ['fold 2', 'accuracy'],
        ['fold 2', 'F1'],
        ['fold 2', 'ROC AUC'],
      ],
    );
    const accuracy = table(report, 'summary').table.rows.find((r) => r.metric === 'accuracy')!;
    assert.equal(accuracy.mean, (0.75 + 0.75) / 2);
  });

  it('adds the folds’ confusion matrices into one', () => {
    const cells = values(chart(report, 'confusion-matrix')).map((c) => [c.truth, c.predicted, c.count]);
    assert.deepEqual(cells, [
      ['neg', 'neg', 3],
      ['neg', 'pos', 1],
      ['pos', 'neg', 1],
      ['pos', 'pos', 3],
    ]);
  });
});

describe('search report', () => {
  const metrics = (accuracy: number) => ({ ...headlineMetrics(evaluation([0, 1], [0, 1])), accuracy });
  const trial = (n: number, configuration: Record<string, number | string>, accuracy: number) => ({
    trial: n,
    configuration,
    metrics: metrics(accuracy),
    seconds: 2,
  });

  it('draws the score against a numeric setting, a line per value of the other, and marks the best', () => {
    const result: SearchResult = {
      metric: 'accuracy',
      trainExamples: 80,
      validationExamples: 20,
      bestTrial: 2,
      trials: [
        trial(1, { c: 0.01, loss: 'hinge' }, 0.8),
        trial(2, { c: 1, loss: 'hinge' }, 0.9),
        trial(3, { c: 0.01, loss: 'logistic' }, 0.85),
      ],
    };
    const report = searchReport(result, { model: 'linear' });
    const spec = chart(report, 'trials').spec as {
      title: { subtitle: string };
      layer: { mark: { type: string } }[];
    };
    assert.equal(spec.layer[0].mark.type, 'line');
    assert.match(spec.title.subtitle, /best by accuracy: trial 2 \(c=1 loss=hinge\), 0\.9000/);
    assert.deepEqual(
      values(chart(report, 'trials')).map((p) => [p.x, p.series, p.y]),
      [
        [0.01, 'loss=hinge', 0.8],
        [1, 'loss=hinge', 0.9],
        [0.01, 'loss=logistic', 0.85],
      ],
    );
    assert.deepEqual(
      table(report, 'trials').table.rows.map((r) => [r.trial, r.best, r['setting c'], r['setting loss']]),
      [
        [1, '', '0.01', 'hinge'],
        [2, '*', '1', 'hinge'],
        [3, '', '0.01', 'logistic'],
      ],
    );
  });

  it('draws a bar per trial when no setting is numeric', () => {
    const result: SearchResult = {
      metric: 'accuracy',
      trainExamples: 80,
      validationExamples: 20,
      bestTrial: 1,
      trials: [trial(1, { loss: 'hinge' }, 0.9), trial(2, { loss: 'logistic' }, 0.8)],
    };
    const spec = chart(searchReport(result, { model: 'linear' }), 'trials');
    assert.deepEqual(
      values(spec).map((p) => p.x),
      ['1: loss=hinge', '2: loss=logistic'],
    );
  });
});
