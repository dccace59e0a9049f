import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { adam, FastAdamOptimizer, initBackend } from '../../src/engine/index.js';
import { Random } from '../../src/util/random.js';
import { randomFloats, randomInts, relativeError, TOLERANCE } from './helpers.js';

/** A small embedding → conv1d → dense model with fixed initial weights. */
function model(weights: tf.Tensor[] | undefined, optimizer: tf.Optimizer): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.embedding({ inputDim: 40, outputDim: 6, inputLength: 12 }));
  m.add(tf.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  m.compile({ optimizer, loss: 'binaryCrossentropy' });
  if (weights) m.setWeights(weights);
  return m;
}

before(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('FastAdamOptimizer', () => {
  it('trains to the same weights and optimizer state as tf.train.adam on wasm', async () => {
    const random = new Random(21);
    const xs = tf.tensor2d(randomInts(16 * 12, 40, random), [16, 12], 'float32');
    const ys = tf.tensor2d(randomInts(16, 2, random), [16, 1], 'float32');
    const reference = model(undefined, tf.train.adam(0.01));
    const start = reference.getWeights().map((w) => w.clone());
    const fast = model(start, adam(0.01));
    for (let step = 0; step < 5; step++) {
      await reference.trainOnBatch(xs, ys);
      await fast.trainOnBatch(xs, ys);
    }
    const ref = reference.getWeights();
    const out = fast.getWeights();
    assert.equal(out.length, ref.length);
    for (let i = 0; i < ref.length; i++) {
      const err = relativeError(out[i].dataSync(), ref[i].dataSync());
      assert.ok(err < TOLERANCE, `weight ${i}: relative error ${err}`);
    }
    const refState = await reference.optimizer.getWeights();
    const fastState = await fast.optimizer.getWeights();
    // Layer names carry a per-model counter (Embedding1, Embedding2); the rest must agree.
    const unnumbered = (name: string): string => name.replace(/\d+/g, '');
    assert.deepEqual(
      fastState.map((w) => unnumbered(w.name)),
      refState.map((w) => unnumbered(w.name)),
    );
    for (let i = 0; i < refState.length; i++) {
      const err = relativeError(fastState[i].tensor.dataSync(), refState[i].tensor.dataSync());
      assert.ok(err < TOLERANCE, `optimizer weight ${refState[i].name}: relative error ${err}`);
    }
    tf.dispose([xs, ys, ...start]);
    reference.dispose();
    fast.dispose();
  });

  it('does not leak tensors across steps', async () => {
    const random = new Random(22);
    const xs = tf.tensor2d(randomInts(8 * 12, 40, random), [8, 12], 'float32');
    const ys = tf.tensor2d(
      randomFloats(8, random).map((v) => (v > 0 ? 1 : 0)),
      [8, 1],
    );
    const m = model(undefined, adam());
    await m.trainOnBatch(xs, ys);
    const before = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    for (let step = 0; step < 3; step++) await m.trainOnBatch(xs, ys);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.backend().numDataIds(), dataIds);
    tf.dispose([xs, ys]);
    m.dispose();
  });

  it("keeps Adam's class name and config", () => {
    const o = adam(0.002, 0.8, 0.95, 1e-6);
    assert.ok(o instanceof FastAdamOptimizer);
    assert.ok(o instanceof tf.AdamOptimizer);
    assert.equal((o.constructor as typeof tf.AdamOptimizer).className, 'Adam');
    assert.deepEqual(o.getConfig(), { learningRate: 0.002, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 });
    o.dispose();
  });
});
