import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { macroRocAuc, rocAuc, rocCurve } from '../../src/experiments/roc.js';

// Three positives, three negatives, with ties across the classes at 0.8 and 0.5.
// Pairs (positive score vs negative score), a tie counting one half:
//   0.9 beats 0.8, 0.5, 0.1 → 3;  0.8 ties 0.8, beats 0.5, 0.1 → 2.5;  0.5 loses to 0.8, ties 0.5, beats 0.1 → 1.5
// AUC = 7 / 9.
const positive = [1, 1, 0, 1, 0, 0];
const scores = [0.9, 0.8, 0.8, 0.5, 0.5, 0.1];

describe('rocCurve', () => {
  it('has one point per distinct score, ties moving the curve diagonally', () => {
    const curve = rocCurve(positive, scores, { dropIntermediate: false });
    assert.deepEqual(curve.thresholds, [Infinity, 0.9, 0.8, 0.5, 0.1]);
    assert.deepEqual(curve.fpr, [0, 0, 1 / 3, 2 / 3, 1]);
    assert.deepEqual(curve.tpr, [0, 1 / 3, 2 / 3, 1, 1]);
  });

  it('drops only points on a straight segment by default', () => {
    // (1/3, 2/3) lies on the line from (0, 1/3) to (2/3, 1).
    const curve = rocCurve(positive, scores);
    assert.deepEqual(curve.thresholds, [Infinity, 0.9, 0.5, 0.1]);
    assert.deepEqual(curve.fpr, [0, 0, 2 / 3, 1]);
    assert.deepEqual(curve.tpr, [0, 1 / 3, 1, 1]);
  });

  it('does not depend on the order of the input', () => {
    const order = [4, 1, 5, 0, 3, 2];
    const curve = rocCurve(
      order.map((i) => positive[i]),
      order.map((i) => scores[i]),
      { dropIntermediate: false },
    );
    assert.deepEqual(curve, rocCurve(positive, scores, { dropIntermediate: false }));
  });

  it('accepts booleans and refuses one-class input and NaN scores', () => {
    assert.deepEqual(rocCurve([true, false], [0.7, 0.2]).tpr, [0, 1, 1]);
    assert.throws(() => rocCurve([1, 1], [0.2, 0.3]), /got 2 positive and 0 negative/);
    assert.throws(() => rocCurve([1, 0], [0.2, NaN]), /NaN/);
    assert.throws(() => rocCurve([1, 0], [0.2]), /2 labels but 1 scores/);
  });
});

describe('rocAuc', () => {
  it('counts a tie between a positive and a negative as one half', () => {
    assert.equal(rocAuc(positive, scores), 7 / 9);
  });

  it('is 1 for a perfect ranking, 0 for an inverted one and 0.5 when every score ties', () => {
    assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.9]), 1);
    assert.equal(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.9]), 0);
    assert.equal(rocAuc([1, 0, 1, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.5]), 0.5);
  });

  it('equals the area under the curve that rocCurve draws', () => {
    const { fpr, tpr } = rocCurve(positive, scores);
    let area = 0;
    for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
    assert.ok(Math.abs(area - rocAuc(positive, scores)) < 1e-12);
  });
});

describe('macroRocAuc', () => {
  it('uses the second label’s probability for two labels', () => {
    const truth = [1, 1, 0, 1, 0, 0];
    const probabilities = scores.flatMap((p) => [1 - p, p]);
    assert.equal(macroRocAuc(truth, probabilities, 2), 7 / 9);
  });

  it('averages one-vs-rest AUCs over three labels', () => {
    const truth = [0, 1, 2, 0];
    // prettier-ignore
    const probabilities = [
      0.6, 0.3, 0.1,
      0.2, 0.5, 0.3,
      0.3, 0.3, 0.4,
      0.2, 0.1, 0.7,
    ];
    // label 0: positives 0.6, 0.2 vs negatives 0.2, 0.3 → (1 + 1 + 0.5 + 0) / 4
    // label 1: positive 0.5 vs 0.3, 0.3, 0.1 → 1;  label 2: positive 0.4 vs 0.1, 0.3, 0.7 → 2 / 3
    const expected = (0.625 + 1 + 2 / 3) / 3;
    assert.ok(Math.abs(macroRocAuc(truth, probabilities, 3)! - expected) < 1e-12);
  });

  it('skips labels without examples and is null with fewer than two labels present', () => {
    const probabilities = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4];
    // Labels 0 and 1 occur: both rank perfectly; label 2 has no examples, so no curve.
    assert.equal(macroRocAuc([0, 1, 0], probabilities, 3), 1);
    assert.equal(macroRocAuc([1, 1, 1], probabilities, 3), null);
    assert.throws(() => macroRocAuc([0, 1], [0.5, 0.5], 2), /expected 4 probabilities/);
  });
});
