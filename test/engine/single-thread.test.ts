/**
 * The same kernels on the single-threaded SIMD build (`threads: 1`), whose heap is an ordinary
 * (non-shared) WebAssembly memory. The threaded build is what kernels.test.ts runs by default on
 * a multi-core machine; a process starts only one of the two, hence this separate file.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { initBackend, wasmThreads } from '../../src/engine/index.js';
import { Random } from '../../src/util/random.js';
import { assertMatchesCpu, assertNoLeak, conv2DBackpropFilter, randomFloats, randomInts } from './helpers.js';

before(async () => {
  await initBackend({ backend: 'wasm', threads: 1 });
});

describe('wasm kernels, single-threaded build', () => {
  it('runs with one thread', () => {
    assert.equal(wasmThreads(), 1);
  });

  it('UnsortedSegmentSum matches cpu', async () => {
    const random = new Random(11);
    const x = randomFloats(3000 * 32, random);
    const ids = randomInts(3000, 500, random);
    await assertMatchesCpu(() =>
      tf.unsortedSegmentSum(tf.tensor2d(x, [3000, 32]), tf.tensor1d(ids, 'int32'), 500),
    );
  });

  it('Conv2DBackpropFilter matches cpu and does not leak', async () => {
    const random = new Random(12);
    const x = randomFloats(4 * 60 * 8, random);
    const dy = randomFloats(4 * 60 * 6, random);
    const build = (): tf.Tensor =>
      conv2DBackpropFilter(
        tf.tensor4d(x, [4, 1, 60, 8]),
        tf.tensor4d(dy, [4, 1, 60, 6]),
        [1, 3, 8, 6],
        [1, 1],
        'same',
      );
    await assertMatchesCpu(build);
    await assertNoLeak(build);
  });

  for (const [tA, tB] of [
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`BatchMatMul transposeA=${tA} transposeB=${tB} matches cpu`, async () => {
      const random = new Random(13);
      const a = randomFloats(96 * 200, random);
      const b = randomFloats(200 * 150, random);
      await assertMatchesCpu(() =>
        tf.matMul(
          tf.tensor2d(a, tA ? [200, 96] : [96, 200]),
          tf.tensor2d(b, tB ? [150, 200] : [200, 150]),
          tA,
          tB,
        ),
      );
    });
  }

  it('GatherV2 of an embedding matches cpu', async () => {
    const random = new Random(14);
    const table = randomFloats(1000 * 32, random);
    const ids = randomInts(64 * 100, 1000, random);
    await assertMatchesCpu(() =>
      tf.gather(tf.tensor2d(table, [1000, 32]), tf.tensor2d(ids, [64, 100], 'int32')),
    );
  });
});
