import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Classifier, Prediction } from '../../src/models/classifier.js';
import { evaluateClassifier } from '../../src/experiments/evaluate.js';
import { logLoss } from '../../src/experiments/log-loss.js';
import { classificationMetrics } from '../../src/experiments/metrics.js';
import { excerpt, mostConfidentMistakes } from '../../src/experiments/mistakes.js';

describe('classificationMetrics', () => {
  it('computes binary metrics for the second label by hand', () => {
    // truth:     neg neg neg pos pos pos pos
    // predicted: neg pos neg pos pos neg pos  → tp=3 fp=1 fn=1 tn=2
    const m = classificationMetrics([0, 0, 0, 1, 1, 1, 1], [0, 1, 0, 1, 1, 0, 1], ['neg', 'pos']);
    assert.equal(m.accuracy, 5 / 7);
    assert.equal(m.precision, 3 / 4);
    assert.equal(m.recall, 3 / 4);
    assert.equal(m.f1, 3 / 4);
    assert.deepEqual(m.confusion, [
      [2, 1],
      [1, 3],
    ]);
    assert.equal(m.perLabel[0].support, 3);
  });

  it('gives per-label scores and macro averages for two labels as well', () => {
    // neg: tp=2, predicted 3, support 3 → precision 2/3, recall 2/3; pos as above, 3/4 and 3/4.
    const m = classificationMetrics([0, 0, 0, 1, 1, 1, 1], [0, 1, 0, 1, 1, 0, 1], ['neg', 'pos']);
    assert.equal(m.perLabel[0].precision, 2 / 3);
    assert.equal(m.perLabel[0].recall, 2 / 3);
    assert.equal(m.macro.precision, (2 / 3 + 3 / 4) / 2);
    assert.equal(m.macro.f1, (2 / 3 + 3 / 4) / 2);
  });

  it('lets a rare label weigh as much as a common one in the macro F1', () => {
    // 8 "common" all right; 2 "rare", one missed: rare recall 1/2, precision 1, F1 2/3.
    const truth = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
    const predicted = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
    const m = classificationMetrics(truth, predicted, ['common', 'rare']);
    const commonF1 = (2 * (8 / 9) * 1) / (8 / 9 + 1);
    assert.ok(Math.abs(m.macro.f1 - (commonF1 + 2 / 3) / 2) < 1e-12);
    assert.equal(m.accuracy, 0.9);
  });

  it('macro-averages over three labels and scores a never-predicted label as zero', () => {
    const m = classificationMetrics([0, 1, 2, 2], [0, 1, 1, 1], ['a', 'b', 'c']);
    assert.equal(m.accuracy, 0.5);
    assert.equal(m.perLabel[2].precision, 0);
    assert.equal(m.recall, (1 + 1 + 0) / 3);
    assert.equal(m.precision, (1 + 1 / 3 + 0) / 3);
  });

  it('rejects mismatched lengths', () => {
    assert.throws(() => classificationMetrics([0, 1], [0], ['a', 'b']), /2 entries/);
  });
});

describe('logLoss', () => {
  it('is the mean negative log-probability of the true label', () => {
    const loss = logLoss([0, 1], [0.8, 0.2, 0.4, 0.6], 2);
    assert.ok(Math.abs(loss - -(Math.log(0.8) + Math.log(0.6)) / 2) < 1e-12);
    assert.ok(Math.abs(logLoss([2], [0.25, 0.25, 0.5], 3) - Math.log(2)) < 1e-12);
  });

  it('clips a zero probability instead of returning infinity', () => {
    assert.ok(Math.abs(logLoss([1], [1, 0], 2) - -Math.log(1e-15)) < 1e-9);
    assert.ok(Math.abs(logLoss([1], [1, 0], 2, 0.01) - -Math.log(0.01)) < 1e-12);
    assert.ok(logLoss([0], [1, 0], 2) > 0);
  });

  it('rejects a probability table of the wrong size', () => {
    assert.throws(() => logLoss([0, 1], [0.5, 0.5], 2), /expected 4 probabilities/);
  });
});

describe('mostConfidentMistakes', () => {
  const examples = ['one', 'two', 'three', 'four', 'five'].map((text, i) => ({
    text,
    label: i % 2 ? 'pos' : 'neg',
    id: `r${i}`,
  }));
  const truth = [0, 1, 0, 1, 0];
  const predicted = [1, 1, 1, 0, 1];
  // Wrong: 0 (pos at 0.7), 2 (pos at 0.9), 3 (neg at 0.7), 4 (pos at 0.6).
  const probabilities = [0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0.7, 0.3, 0.4, 0.6];

  it('lists the wrong predictions, most confident first, ties in input order', () => {
    const mistakes = mostConfidentMistakes(examples, truth, predicted, probabilities, ['neg', 'pos'], 3);
    assert.deepEqual(
      mistakes.map((m) => [m.index, m.id, m.trueLabel, m.predictedLabel, m.score, m.trueScore]),
      [
        [2, 'r2', 'neg', 'pos', 0.9, 0.1],
        [0, 'r0', 'neg', 'pos', 0.7, 0.3],
        [3, 'r3', 'pos', 'neg', 0.7, 0.3],
      ],
    );
    assert.equal(mistakes[0].excerpt, 'three');
    assert.deepEqual(mostConfidentMistakes(examples, truth, predicted, probabilities, ['neg', 'pos'], 0), []);
  });

  it('excerpts text on one line and cuts it at a word', () => {
    assert.equal(excerpt('Great.<br /><br />Really   great.'), 'Great. Really great.');
    assert.equal(excerpt('alpha beta gamma delta', 13), 'alpha beta…');
  });
});

describe('evaluateClassifier', () => {
  // Scores each text by the number in it, so that the ranking and probabilities are known.
  const classifier: Classifier = {
    kind: 'stub',
    labels: ['neg', 'pos'],
    async predict(texts) {
      return texts.map((text): Prediction => {
        const p = Number(text);
        return { label: p >= 0.5 ? 'pos' : 'neg', score: Math.max(p, 1 - p), scores: { neg: 1 - p, pos: p } };
      });
    },
    async save() {},
    dispose() {},
  };

  it('reports ROC AUC, log loss and the most confident mistakes', async () => {
    // The ranking of test/experiments/roc.test.ts, whose AUC is 7/9 by hand.
    const scores6 = [0.9, 0.8, 0.8, 0.5, 0.5, 0.1];
    const labels = ['pos', 'pos', 'neg', 'pos', 'neg', 'neg'];
    const examples = scores6.map((p, i) => ({ text: String(p), label: labels[i] }));
    const report = await evaluateClassifier(classifier, examples, { mistakes: 1, batchSize: 4 });
    assert.equal(report.rocAuc, 7 / 9);
    const expectedLoss =
      -scores6.reduce((sum, p, i) => sum + Math.log(labels[i] === 'pos' ? p : 1 - p), 0) / 6;
    assert.ok(Math.abs(report.logLoss - expectedLoss) < 1e-12);
    // Wrong: "0.8" (neg predicted pos at 0.8) and "0.5" (neg predicted pos at 0.5).
    assert.deepEqual(
      report.mistakes.map((m) => [m.index, m.predictedLabel, m.score]),
      [[2, 'pos', 0.8]],
    );
    assert.equal(report.accuracy, 4 / 6);
    assert.equal(report.rocCurve, undefined, 'the curve only when asked for');
  });

  it('returns the ROC curve of the second label when asked, the one rocAuc measures', async () => {
    const scores6 = [0.9, 0.8, 0.8, 0.5, 0.5, 0.1];
    const labels = ['pos', 'pos', 'neg', 'pos', 'neg', 'neg'];
    const examples = scores6.map((p, i) => ({ text: String(p), label: labels[i] }));
    const report = await evaluateClassifier(classifier, examples, { rocCurve: true });
    const { fpr, tpr } = report.rocCurve!;
    // Thresholds +∞, 0.9, 0.8, 0.5, 0.1 over 3 positives and 3 negatives; the point at 0.8 lies on the
    // straight line from 0.9 to 0.5, so the curve leaves it out.
    assert.deepEqual(fpr, [0, 0, 2 / 3, 1]);
    assert.deepEqual(tpr, [0, 1 / 3, 1, 1]);
    let area = 0;
    for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
    assert.ok(Math.abs(area - report.rocAuc!) < 1e-12, `${area} vs ${report.rocAuc}`);
  });
});
