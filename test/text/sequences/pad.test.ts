import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { OptionError } from '../../../src/errors.js';
import { padSequences, removeLongSequences } from '../../../src/text/sequences/pad.js';

/** The padded matrix as rows, for readable assertions. */
function rows(sequences: number[][], options?: Parameters<typeof padSequences>[1]): number[][] {
  const { data, shape } = padSequences(sequences, options);
  const out: number[][] = [];
  for (let r = 0; r < shape[0]; r++) out.push([...data.subarray(r * shape[1], (r + 1) * shape[1])]);
  return out;
}

describe('padSequences', () => {
  const seqs = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10], []];

  it('defaults: maxLen = longest, pre-padding with 0', () => {
    const { data, shape } = padSequences(seqs);
    assert.deepEqual(shape, [4, 5]);
    assert.ok(data instanceof Int32Array);
    assert.deepEqual(rows(seqs), [
      [0, 0, 1, 2, 3],
      [0, 0, 0, 4, 5],
      [6, 7, 8, 9, 10],
      [0, 0, 0, 0, 0],
    ]);
  });

  it('post-padding', () => {
    assert.deepEqual(rows(seqs, { padding: 'post' }), [
      [1, 2, 3, 0, 0],
      [4, 5, 0, 0, 0],
      [6, 7, 8, 9, 10],
      [0, 0, 0, 0, 0],
    ]);
  });

  it('pre-truncating keeps the end, post-truncating keeps the start', () => {
    assert.deepEqual(rows(seqs, { maxLen: 3 }), [
      [1, 2, 3],
      [0, 4, 5],
      [8, 9, 10],
      [0, 0, 0],
    ]);
    assert.deepEqual(rows(seqs, { maxLen: 3, truncating: 'post' }), [
      [1, 2, 3],
      [0, 4, 5],
      [6, 7, 8],
      [0, 0, 0],
    ]);
  });

  it('padding and truncating are independent', () => {
    assert.deepEqual(rows(seqs, { maxLen: 4, padding: 'post', truncating: 'pre' }), [
      [1, 2, 3, 0],
      [4, 5, 0, 0],
      [7, 8, 9, 10],
      [0, 0, 0, 0],
    ]);
  });

  it('a padding value other than 0', () => {
    assert.deepEqual(rows([[1], [2, 3]], { value: -1 }), [
      [-1, 1],
      [2, 3],
    ]);
    assert.deepEqual(rows([[1], []], { value: 9, padding: 'post', maxLen: 3 }), [
      [1, 9, 9],
      [9, 9, 9],
    ]);
  });

  it('maxLen longer than every sequence', () => {
    assert.deepEqual(rows([[1, 2]], { maxLen: 6 }), [[0, 0, 0, 0, 1, 2]]);
  });

  it('empty input and maxLen 0', () => {
    assert.deepEqual(padSequences([]).shape, [0, 0]);
    assert.deepEqual(padSequences([], { maxLen: 4 }).shape, [0, 4]);
    assert.deepEqual(padSequences([[], []]).shape, [2, 0]);
    const zero = padSequences([[1, 2]], { maxLen: 0 });
    assert.deepEqual(zero.shape, [1, 0]);
    assert.equal(zero.data.length, 0);
  });

  it('rejects bad options and elements', () => {
    assert.throws(() => padSequences(seqs, { maxLen: -1 }), OptionError);
    assert.throws(() => padSequences(seqs, { maxLen: 2.5 }), OptionError);
    assert.throws(() => padSequences(seqs, { value: 0.5 }), OptionError);
    assert.throws(() => padSequences(seqs, { padding: 'middle' as 'pre' }), OptionError);
    assert.throws(() => padSequences(seqs, { truncating: 'both' as 'pre' }), OptionError);
    assert.throws(() => padSequences([[1, 2 ** 31]]), /sequences\[0\]\[1\]/);
    assert.throws(() => padSequences([[1.5]]), OptionError);
  });

  it('does not check elements that are cut off', () => {
    assert.deepEqual(rows([[Number.NaN, 1, 2]], { maxLen: 2 }), [[1, 2]]);
  });
});

describe('removeLongSequences', () => {
  const seqs = [[1, 2, 3], [1], [1, 2, 3, 4], [], [1, 2]];

  it('keeps only sequences shorter than maxLen, as Keras does', () => {
    assert.deepEqual(removeLongSequences(seqs, 3), { sequences: [[1], [], [1, 2]], indices: [1, 3, 4] });
  });

  it('keepEqual keeps sequences exactly maxLen long', () => {
    assert.deepEqual(removeLongSequences(seqs, 3, { keepEqual: true }), {
      sequences: [[1, 2, 3], [1], [], [1, 2]],
      indices: [0, 1, 3, 4],
    });
  });

  it('works on anything with a length and rejects a bad maxLen', () => {
    assert.deepEqual(removeLongSequences(['ab', 'abc'], 3).sequences, ['ab']);
    assert.deepEqual(removeLongSequences(seqs, 0).sequences, []);
    assert.throws(() => removeLongSequences(seqs, -2), OptionError);
  });
});
