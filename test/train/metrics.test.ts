import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classificationMetrics } from '../../src/train/metrics.js';

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
