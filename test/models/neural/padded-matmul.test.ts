/**
 * The padding-skipping product against the plain one: values and gradients (x, the padding
 * features, the kernel) on seeded random inputs with varied padding, and no tensors left behind.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../../src/engine/tf.js';
import { initBackend } from '../../../src/engine/index.js';
import { chunkPositions, paddedMatMul } from '../../../src/models/neural/padded-matmul.js';
import { Random } from '../../../src/util/random.js';

before(() => initBackend({ backend: 'wasm' }));

/** A mask with `lengths[b]` real positions per review, padded before ('pre') or after. */
function maskOf(lengths: number[], positions: number, side: 'pre' | 'post'): Uint8Array {
  const mask = new Uint8Array(lengths.length * positions);
  lengths.forEach((length, b) => {
    for (let p = 0; p < positions; p++) {
      const real = side === 'pre' ? p >= positions - length : p < length;
      mask[b * positions + p] = real ? 0 : 1;
    }
  });
  return mask;
}

/**
 * `x` with `pad` at the masked positions, as a network's padding positions hold the padding
 * features: the gradient of both products then reaches `pad` whichever way they route it.
 */
function padded(x: tf.Tensor2D, pad: tf.Tensor1D, mask: Uint8Array): tf.Tensor2D {
  const [batch, width] = x.shape;
  const positions = width / pad.shape[0];
  const isPad = tf.cast(tf.reshape(tf.tensor1d(mask, 'int32'), [batch, positions, 1]), 'bool');
  const filled = tf.where(isPad, tf.reshape(pad, [1, 1, -1]), tf.reshape(x, [batch, positions, -1]));
  return tf.reshape(filled, [batch, width]);
}

/** The plain computation: one product over every position. */
function plain(x: tf.Tensor2D, pad: tf.Tensor1D, w: tf.Tensor2D, mask: Uint8Array): tf.Tensor2D {
  return tf.matMul(padded(x, pad, mask), w);
}

function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / Math.max(tf.norm(b).dataSync()[0], 1e-12));
}

function randomTensor(random: Random, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => random.next() * 2 - 1),
    shape,
  );
}

describe('paddedMatMul', () => {
  it('chunks positions by a divisor of their number', () => {
    assert.equal(chunkPositions(500), 25);
    assert.equal(chunkPositions(250), 25);
    assert.equal(chunkPositions(48), 24);
    assert.equal(chunkPositions(29), 1);
  });

  for (const side of ['pre', 'post'] as const) {
    it(`computes the plain product and its gradients (padding ${side})`, () => {
      const random = new Random(7);
      const [batch, positions, features, units, chunk] = [9, 20, 3, 5, 4];
      // Lengths from none to all, including lengths that end inside a chunk.
      const lengths = [0, 1, 3, 4, 5, 11, 19, 20, 8];
      const mask = maskOf(lengths, positions, side);
      const x = randomTensor(random, [batch, positions * features]) as tf.Tensor2D;
      const pad = randomTensor(random, [features]) as tf.Tensor1D;
      const w = randomTensor(random, [positions * features, units]) as tf.Tensor2D;
      const r = randomTensor(random, [batch, units]);
      const before = tf.memory().numTensors;
      const errors = tf.tidy(() => {
        const loss = (f: typeof plain) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor1D, c as tf.Tensor2D, mask), r));
        const skipping = (a: tf.Tensor2D, b: tf.Tensor1D, c: tf.Tensor2D, m: Uint8Array) =>
          paddedMatMul(padded(a, b, m), b, c, m, chunk);
        const values = [skipping(x, pad, w, mask), plain(x, pad, w, mask)];
        const ours = tf.grads(loss(skipping))([x, pad, w]);
        const theirs = tf.grads(loss(plain))([x, pad, w]);
        return [relativeError(values[0], values[1]), ...ours.map((g, i) => relativeError(g, theirs[i]))];
      });
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
      errors.forEach((e, i) =>
        assert.ok(e < 1e-5, `relative error ${e} of ${['value', 'dx', 'dpad', 'dw'][i]}`),
      );
      tf.dispose([x, pad, w, r]);
    });
  }

  it('leaves no tensors behind after a training step through it', () => {
    const random = new Random(3);
    const w = tf.variable(randomTensor(random, [40, 2]) as tf.Tensor2D);
    const pad = tf.variable(randomTensor(random, [4]) as tf.Tensor1D);
    const x = randomTensor(random, [3, 40]) as tf.Tensor2D;
    const mask = maskOf([2, 10, 0], 10, 'pre');
    const optimizer = tf.train.sgd(0.1);
    const step = () =>
      optimizer.minimize(() =>
        tf.sum(tf.square(paddedMatMul(x, pad as tf.Tensor1D, w as tf.Tensor2D, mask, 5))),
      );
    step();
    const before = tf.memory().numTensors;
    step();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([w, pad, x]);
    optimizer.dispose();
  });
});
