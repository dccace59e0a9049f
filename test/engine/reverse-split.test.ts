/**
 * Our wasm Reverse and SplitV (engine/kernels/reverse.ts, split.ts) against the cpu backend: every
 * combination of reversed axes, splits along each axis into equal and unequal pieces, the dtypes,
 * the bidirectional layer's use of both (forward and gradient), and leaks.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { initBackend } from '../../src/engine/index.js';
import { Random } from '../../src/util/random.js';
import { assertMatchesCpu, assertNoLeak, randomFloats, randomInts, runOn } from './helpers.js';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('Reverse (wasm)', () => {
  const shape = [3, 4, 5];
  const x = randomFloats(60, new Random(1));
  const ints = randomInts(60, 100, new Random(2));
  const axes = [[], [0], [1], [2], [-1], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
  for (const dims of axes) {
    it(`matches cpu for [${shape}] along [${dims}]`, async () => {
      await assertMatchesCpu(() => tf.reverse(tf.tensor(x, shape), dims));
      await assertMatchesCpu(() => tf.reverse(tf.tensor(ints, shape, 'int32'), dims));
    });
  }

  it('reverses vectors, matrices and bool', async () => {
    await assertMatchesCpu(() => tf.reverse(tf.tensor1d(x)));
    await assertMatchesCpu(() => tf.reverse(tf.tensor2d(x, [6, 10]), 1));
    const { values } = await runOn('wasm', () => tf.reverse(tf.tensor1d([true, false, false], 'bool')));
    assert.deepEqual(Array.from(values), [0, 0, 1]);
  });

  it('leaks no tensors or heap buffers', async () => {
    await assertNoLeak(() => tf.reverse(tf.ones([4, 6, 3]), 1));
  });
});

describe('SplitV (wasm)', () => {
  const shape = [4, 6, 10];
  const x = randomFloats(240, new Random(3));
  const splits: [number | number[], number][] = [
    [2, 0],
    [3, 1],
    [[2, 1, 3], 1],
    [[4, 6], 2],
    [[3, -1], -1],
  ];
  for (const [numOrSizeSplits, axis] of splits) {
    it(`matches cpu for [${shape}] split ${JSON.stringify(numOrSizeSplits)} along ${axis}`, async () => {
      const pieces = (numOrSizeSplits: number | number[]) => {
        const count = Array.isArray(numOrSizeSplits) ? numOrSizeSplits.length : numOrSizeSplits;
        return Array.from({ length: count }, (_, i) => i);
      };
      for (const i of pieces(numOrSizeSplits)) {
        await assertMatchesCpu(() => tf.split(tf.tensor(x, shape), numOrSizeSplits, axis)[i]);
      }
    });
  }

  it('splits int32', async () => {
    const ints = randomInts(240, 50, new Random(4));
    await assertMatchesCpu(() => tf.split(tf.tensor(ints, shape, 'int32'), [7, 3], 2)[1]);
  });

  it('gives the gradient of a concatenation (a bidirectional layer merging its halves)', async () => {
    const a = randomFloats(2 * 5 * 3, new Random(5));
    const b = randomFloats(2 * 5 * 4, new Random(6));
    const weights = randomFloats(2 * 5 * 7, new Random(7));
    const gradOf = (which: 0 | 1) => () =>
      tf.grads((p: tf.Tensor, q: tf.Tensor) =>
        tf.sum(tf.mul(tf.concat([p, tf.reverse(q, 1)], 2), tf.tensor(weights, [2, 5, 7]))),
      )([tf.tensor(a, [2, 5, 3]), tf.tensor(b, [2, 5, 4])])[which];
    await assertMatchesCpu(gradOf(0));
    await assertMatchesCpu(gradOf(1));
  });

  it('leaks no tensors or heap buffers', async () => {
    await assertNoLeak(() => tf.split(tf.ones([4, 6]), [2, 4], 1)[1]);
  });
});
