import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boxSummary, histogram, niceStep } from '../../src/report/summaries.js';

describe('histogram', () => {
  it('bins every group on one grid, with a row for every bin and the maximum in the last bin', () => {
    const bins = histogram(
      [
        { group: 'a', values: [0, 9, 10, 25, 30] },
        { group: 'b', values: [12] },
      ],
      { binWidth: 10 },
    );
    assert.deepEqual(
      bins.filter((b) => b.group === 'a').map((b) => [b.start, b.end, b.count]),
      [
        [0, 10, 2],
        [10, 20, 1],
        [20, 30, 2],
      ],
    );
    assert.deepEqual(
      bins.filter((b) => b.group === 'b').map((b) => b.count),
      [0, 1, 0],
    );
  });

  it('starts at the bin of the smallest value and counts every value once', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 37 + ((i * 7919) % 1234));
    const bins = histogram([{ group: 'x', values }], { bins: 20 });
    assert.equal(
      bins.reduce((n, b) => n + b.count, 0),
      1000,
    );
    assert.ok(bins[0].start <= 37 && bins[0].end > 37, 'the first bin holds the smallest value');
    assert.ok(bins.at(-1)!.end >= Math.max(...values), 'the last bin holds the largest value');
    const width = bins[0].end - bins[0].start;
    assert.equal(width, niceStep(Math.max(...values) - 37, 20));
  });

  it('gives no bins for no values, and rejects a width that is not positive', () => {
    assert.deepEqual(histogram([{ group: 'x', values: [] }]), []);
    assert.throws(() => histogram([{ group: 'x', values: [1] }], { binWidth: 0 }), RangeError);
  });
});

describe('niceStep', () => {
  it('is 1, 2 or 5 times a power of ten, at least span/target', () => {
    assert.equal(niceStep(2470, 50), 50);
    assert.equal(niceStep(2470, 40), 100);
    assert.equal(niceStep(1, 4), 0.5);
    assert.equal(niceStep(30, 10), 5);
    assert.equal(niceStep(0, 10), 1);
  });
});

describe('boxSummary', () => {
  it('draws whiskers to the last values within 1.5 IQR and lists the rest as outliers', () => {
    // Sorted: -10, 1…9, 20, 20. Quartiles (NumPy, linear): q1 = 2.75, q3 = 8.25; IQR 5.5, so whiskers
    // may reach -5.5 and 16.5.
    const values = [20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, -10];
    const box = boxSummary({ group: 'g', values })!;
    assert.equal(box.count, 12);
    assert.deepEqual([box.min, box.q1, box.median, box.q3, box.max], [-10, 2.75, 5.5, 8.25, 20]);
    assert.equal(box.lowerWhisker, 1);
    assert.equal(box.upperWhisker, 9);
    assert.deepEqual(box.outliers, [-10, 20]);
    assert.equal(box.outlierCount, 3);
  });

  it('is null for no values', () => {
    assert.equal(boxSummary({ group: 'g', values: [] }), null);
  });
});
