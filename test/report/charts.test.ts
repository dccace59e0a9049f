import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochRecord } from '../../src/models/classifier.js';
import {
  boxPlotChart,
  labelBalanceChart,
  lengthHistogramChart,
  wordsChart,
} from '../../src/report/dataset-charts.js';
import { confusionMatrixChart, rocCurveChart } from '../../src/report/evaluation-charts.js';
import { renderSvg } from '../../src/report/render.js';
import { boxSummary, histogram } from '../../src/report/summaries.js';
import { barChart, lineChart } from '../../src/report/table-charts.js';
import type { ChartSpec } from '../../src/report/theme.js';
import { trainingCurvesChart } from '../../src/report/training-charts.js';
import { markItems, parseSvg, svgTexts } from './helpers.js';

/** Renders a spec; it must compile and draw without a warning, as well-formed SVG. */
async function draw(spec: ChartSpec) {
  const { svg, warnings } = await renderSvg(spec);
  assert.deepEqual(warnings, []);
  const document = parseSvg(svg);
  return { document, texts: svgTexts(document) };
}

const neg = [10, 12, 15, 20, 22, 30, 31, 33, 40, 41, 55, 60, 200];
const pos = [8, 25, 26, 27, 35, 36, 38, 45, 50, 51, 52, 70, 75, 90];

describe('dataset charts', () => {
  it('length histogram: one bar per bin and group, axis titles, legend, markers', async () => {
    const bins = histogram(
      [
        { group: 'neg', values: neg },
        { group: 'pos', values: pos },
      ],
      { binWidth: 20 },
    );
    const spec = lengthHistogramChart(bins, {
      groups: ['neg', 'pos'],
      markers: [{ name: 'mean', value: 40.25 }],
    });
    const { document, texts } = await draw(spec);
    assert.equal(markItems(document, 'rect'), bins.length);
    for (const text of ['Review length', 'review length (words)', 'reviews', 'neg', 'pos', 'mean 40.3']) {
      assert.ok(texts.includes(text), `"${text}" in ${JSON.stringify(texts)}`);
    }
  });

  it('box plot: one box per group in the given order, one point per distinct outlier', async () => {
    const boxes = [boxSummary({ group: 'pos', values: pos })!, boxSummary({ group: 'neg', values: neg })!];
    const { document, texts } = await draw(boxPlotChart(boxes, { labels: ['neg', 'pos'] }));
    assert.equal(markItems(document, 'rect'), 4, 'a box and a median tick per group');
    assert.equal(
      markItems(document, 'symbol'),
      boxes.reduce((n, b) => n + b.outliers.length, 0),
    );
    assert.ok(boxes[1].outliers.includes(200), 'the long review is an outlier');
    const groups = texts.filter((t) => t === 'neg' || t === 'pos');
    assert.deepEqual(groups, ['pos', 'neg']);
  });

  it('label balance: a bar and a count per split and label', async () => {
    const counts = [
      { split: 'train', label: 'neg', count: 12500 },
      { split: 'train', label: 'pos', count: 12500 },
      { split: 'test', label: 'neg', count: 1000 },
      { split: 'test', label: 'pos', count: 3 },
    ];
    const { document, texts } = await draw(labelBalanceChart(counts));
    assert.equal(markItems(document, 'rect'), 4);
    for (const text of ['train', 'test', '12,500', '1,000', '3', 'Label balance']) {
      assert.ok(texts.includes(text), `"${text}" in ${JSON.stringify(texts)}`);
    }
  });

  it('words chart: a panel per label, each with its own words', async () => {
    const words = [
      { label: 'neg', word: 'awful', value: 0.3 },
      { label: 'neg', word: 'boring', value: 0.2 },
      { label: 'pos', word: 'superb', value: 0.25 },
    ];
    const { document, texts } = await draw(
      wordsChart(words, { labels: ['neg', 'pos'], valueTitle: 'share of reviews', format: '.0%' }),
    );
    assert.equal(markItems(document, 'rect'), 3);
    for (const text of ['awful', 'boring', 'superb', 'neg', 'pos', 'share of reviews', '30%']) {
      assert.ok(texts.includes(text), `"${text}" in ${JSON.stringify(texts)}`);
    }
  });
});

describe('training curves', () => {
  const history: EpochRecord[] = [1, 2, 3].map((epoch) => ({
    epoch,
    loss: 0.7 / epoch,
    accuracy: 0.6 + 0.1 * epoch,
    valLoss: 0.5 + 0.01 * epoch,
    valAccuracy: 0.8,
    seconds: 1,
  }));

  it('draws loss and accuracy, training and validation, with integer epochs', async () => {
    const { document, texts } = await draw(trainingCurvesChart(history));
    assert.equal(markItems(document, 'line'), 4);
    for (const text of ['loss (cross-entropy)', 'accuracy', 'training', 'validation', 'epoch', '1', '3']) {
      assert.ok(texts.includes(text), `"${text}" in ${JSON.stringify(texts)}`);
    }
    assert.ok(!texts.includes('1.5'), 'no half epochs on the axis');
  });

  it('without a validation slice, draws the training lines only', async () => {
    const { document, texts } = await draw(
      trainingCurvesChart(history.map(({ valLoss: _l, valAccuracy: _a, ...r }) => r)),
    );
    assert.equal(markItems(document, 'line'), 2);
    assert.ok(!texts.includes('validation'), 'no validation legend entry');
  });
});

describe('evaluation charts', () => {
  it('confusion matrix: a cell per pair with its count and its share of the true label', async () => {
    const { document, texts } = await draw(
      confusionMatrixChart(
        ['neg', 'pos'],
        [
          [11000, 1500],
          [1300, 11200],
        ],
      ),
    );
    assert.equal(markItems(document, 'rect'), 4);
    const joined = texts.join(' ');
    for (const text of ['11,000', '88.0%', '1,300', '10.4%', 'predicted label', 'true label']) {
      assert.ok(joined.includes(text), `"${text}" in ${joined}`);
    }
  });

  it('confusion matrix: rejects a matrix of the wrong size', () => {
    assert.throws(() => confusionMatrixChart(['a', 'b'], [[1, 2]]), RangeError);
  });

  it('ROC curve: AUC in the title, the curve thinned to what can be seen', async () => {
    const n = 5000;
    const fpr = Array.from({ length: n }, (_, i) => i / (n - 1));
    const tpr = fpr.map((x) => Math.sqrt(x));
    const spec = rocCurveChart({ fpr, tpr, auc: 0.6667 }, { positiveLabel: 'pos' });
    const { texts } = await draw(spec);
    assert.ok(texts.includes('ROC curve, AUC 0.6667'), JSON.stringify(texts));
    assert.ok(texts.includes('false-positive rate') && texts.includes('true-positive rate'), 'axis titles');
    const layers = (spec as { layer: { data: { values: { fpr: number; tpr: number }[] } }[] }).layer;
    const points = layers[1].data.values;
    assert.ok(points.length < 1000, `${points.length} points`);
    assert.deepEqual(points[0], { fpr: 0, tpr: 0, index: 0 });
    assert.equal(points.at(-1)!.fpr, 1);
    assert.equal(points.at(-1)!.tpr, 1);
  });

  it('ROC curve: rejects rates of different lengths', () => {
    assert.throws(() => rocCurveChart({ fpr: [0, 1], tpr: [0], auc: 0.5 }), RangeError);
  });
});

describe('bar and line charts of result tables', () => {
  it('bar chart: bars in the given order with their values, error bars where given', async () => {
    const points = [
      { x: 'fold 2', y: 0.885, low: 0.88, high: 0.89 },
      { x: 'fold 1', y: 0.9, low: 0.895, high: 0.905 },
    ];
    const { document, texts } = await draw(
      barChart(points, { title: 'Accuracy per fold', xTitle: 'fold', yTitle: 'accuracy', yFormat: '.1%' }),
    );
    assert.equal(markItems(document, 'rect'), 2);
    assert.equal(markItems(document, 'rule'), 2);
    const folds = texts.filter((t) => t.startsWith('fold '));
    assert.deepEqual(folds, ['fold 2', 'fold 1']);
    for (const text of ['Accuracy per fold', 'accuracy', '88.5%', '90.0%']) {
      assert.ok(texts.includes(text), `"${text}" in ${JSON.stringify(texts)}`);
    }
  });

  it('bar chart: series side by side with a legend', async () => {
    const points = ['nb', 'nbsvm'].flatMap((x) =>
      ['validation', 'test'].map((series) => ({ x, series, y: 0.9 })),
    );
    const { document, texts } = await draw(
      barChart(points, { title: 'Models', xTitle: 'model', yTitle: 'accuracy' }),
    );
    assert.equal(markItems(document, 'rect'), 4);
    assert.ok(texts.includes('validation') && texts.includes('test'), 'legend');
  });

  it('line chart: a line per series on a log axis ticked at the values tried', async () => {
    const points = [0.01, 0.1, 1, 10].flatMap((c) =>
      ['1-2', '1-3'].map((n) => ({ x: c, series: `ngrams ${n}`, y: 0.88 + c / 1000 })),
    );
    const { document, texts } = await draw(
      lineChart(points, { title: 'Search', xTitle: 'C', yTitle: 'validation accuracy', xLog: true }),
    );
    assert.equal(markItems(document, 'line'), 2);
    for (const text of ['0.01', '0.1', '1', '10', 'ngrams 1-2', 'ngrams 1-3', 'C', 'validation accuracy']) {
      assert.ok(texts.includes(text), `"${text}" in ${JSON.stringify(texts)}`);
    }
    assert.ok(!texts.includes('0.02'), 'no ticks between the values tried');
  });
});
