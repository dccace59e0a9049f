import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketByLength } from '../../../src/models/neural/length-buckets.js';
import { Random } from '../../../src/util/random.js';

describe('bucketByLength', () => {
  const lengths = Array.from({ length: 100 }, (_, i) => (i * 37) % 100); // distinct lengths 0..99
  const order = new Random(1).shuffle(Array.from({ length: 100 }, (_, i) => i));

  it('keeps every review exactly once', () => {
    const bucketed = bucketByLength(order, lengths, 8, new Random(2), 3);
    assert.deepEqual(
      [...bucketed].sort((a, b) => a - b),
      [...order].sort((a, b) => a - b),
    );
  });

  it('within one window, batches hold disjoint ranges of lengths, in a shuffled order', () => {
    const bucketed = bucketByLength(order, lengths, 10, new Random(2), 10); // one window of 100
    const batches = Array.from({ length: 10 }, (_, b) =>
      bucketed.slice(b * 10, b * 10 + 10).map((i) => lengths[i]),
    );
    const ranges = batches.map((batch) => [Math.min(...batch), Math.max(...batch)]);
    for (const [lo, hi] of ranges) assert.equal(hi - lo, 9);
    const starts = ranges.map(([lo]) => lo);
    assert.deepEqual(
      [...starts].sort((a, b) => a - b),
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90],
    );
    assert.notDeepEqual(starts, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90], 'batches were not shuffled');
  });

  it('follows the seed', () => {
    assert.deepEqual(
      bucketByLength(order, lengths, 8, new Random(5)),
      bucketByLength(order, lengths, 8, new Random(5)),
    );
    assert.notDeepEqual(
      bucketByLength(order, lengths, 8, new Random(5)),
      bucketByLength(order, lengths, 8, new Random(6)),
    );
  });
});
