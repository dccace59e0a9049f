/**
 * Max pooling over the real steps of a masked sequence: values, gradients, the empty sequence, and
 * its place after a masking embedding and a recurrent layer.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../../src/engine/tf.js';
import { initBackend } from '../../../src/engine/index.js';
import { FusedLSTM } from '../../../src/engine/recurrent/layers.js';
import { MaskedGlobalMaxPooling1D } from '../../../src/models/neural/masked-max-pooling.js';

before(() => initBackend({ backend: 'wasm' }));

// Two sequences of 3 steps, 2 features; the first has its first step masked, the second none real.
const STATES = [
  [
    [9, -9],
    [1, -3],
    [2, -5],
  ],
  [
    [4, 4],
    [5, 5],
    [6, 6],
  ],
];
const MASK = [
  [false, true, true],
  [false, false, false],
];

describe('MaskedGlobalMaxPooling1D', () => {
  it('takes the maximum over real steps only, and gives zeros for a sequence with none', () => {
    const layer = new MaskedGlobalMaxPooling1D();
    const pooled = tf.tidy(() =>
      Array.from(layer.call(tf.tensor3d(STATES), { mask: tf.tensor2d(MASK, undefined, 'bool') }).dataSync()),
    );
    assert.deepEqual(pooled, [2, -3, 0, 0]);
  });

  it('is plain max pooling without a mask', () => {
    const layer = new MaskedGlobalMaxPooling1D();
    const pooled = tf.tidy(() => Array.from(layer.call(tf.tensor3d(STATES), undefined).dataSync()));
    assert.deepEqual(pooled, [9, -3, 6, 6]);
  });

  it('sends the gradient to the real step that won, never to a masked one', () => {
    const layer = new MaskedGlobalMaxPooling1D();
    const gradient = tf.tidy(() => {
      const mask = tf.tensor2d(MASK, undefined, 'bool');
      const grad = tf.grad((x: tf.Tensor) => tf.sum(layer.call(x, { mask })));
      return Array.from(grad(tf.tensor3d(STATES)).dataSync());
    });
    assert.deepEqual(gradient, [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert.ok(gradient.every(Number.isFinite));
  });

  it('after a masking embedding and an LSTM, pooled states do not depend on how much padding came first', () => {
    const ids = tf.input({ shape: [6], dtype: 'int32' });
    const embedded = tf.layers
      .embedding({
        inputDim: 10,
        outputDim: 3,
        maskZero: true,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -2, maxval: 2, seed: 1 }),
      })
      .apply(ids);
    const states = new FusedLSTM({
      units: 8,
      returnSequences: true,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    }).apply(embedded);
    const pooled = new MaskedGlobalMaxPooling1D().apply(states) as tf.SymbolicTensor;
    const model = tf.model({ inputs: ids, outputs: pooled });
    assert.deepEqual(model.outputs[0].shape, [null, 8]);
    const [short, long] = tf.tidy(() => {
      const out = model.predict(
        tf.tensor2d(
          [
            [0, 0, 0, 0, 0, 5],
            [5, 0, 0, 0, 0, 0],
          ],
          undefined,
          'int32',
        ),
      ) as tf.Tensor;
      return out.arraySync() as number[][];
    });
    // Padding after the real steps carries the last state over (no new maximum); padding before
    // them would contribute the zero initial state if it were not masked.
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(short[i] - long[i]) < 1e-6, `${short[i]} vs ${long[i]}`);
    assert.ok(
      short.some((v) => v < 0),
      'no negative feature: the test would not catch zeros from padding',
    );
    model.dispose();
  });
});
