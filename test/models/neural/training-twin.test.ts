/**
 * The padding-skipping training twins of the tutorial MLP and CNN compute the network's own
 * function and gradients (every trainable weight), leave the saved network's topology as it was,
 * and leave no tensors behind.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../../src/engine/tf.js';
import { initBackend } from '../../../src/engine/index.js';
import { architecture, hyperParametersFor } from '../../../src/models/neural/registry.js';
import { trainingTwin } from '../../../src/models/neural/training-twin.js';
import { Random } from '../../../src/util/random.js';

before(() => initBackend({ backend: 'wasm' }));

// 3 chunks of 20 positions for the MLP, 2 of 15 pooled positions for the CNN.
const MAX_LEN = 60;

/** Reviews of varied lengths (none, short, ending mid-chunk or on a chunk boundary, full), padded before or after. */
function batchOf(side: 'pre' | 'post', random: Random): tf.Tensor2D {
  const lengths = [0, 1, 2, 3, 7, 19, 21, 33, 41, 59, 60, 45];
  const ids = new Int32Array(lengths.length * MAX_LEN);
  lengths.forEach((length, b) => {
    const start = side === 'pre' ? MAX_LEN - length : 0;
    for (let p = start; p < start + length; p++) ids[b * MAX_LEN + p] = 1 + random.int(49);
  });
  return tf.tensor2d(ids, [lengths.length, MAX_LEN], 'int32');
}

function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / Math.max(tf.norm(b).dataSync()[0], 1e-12));
}

for (const kind of ['mlp', 'cnn'] as const) {
  describe(`the ${kind} training twin`, () => {
    const params = hyperParametersFor(kind, {
      numWords: 50,
      maxLen: MAX_LEN,
      embeddingDim: 4,
      hiddenUnits: 6,
      filters: 3,
    });

    it('keeps the network topology and trains the same variables', () => {
      const model = architecture(kind).build(params, 2, 5);
      const topology = JSON.stringify(model.toJSON(null, false));
      const twin = trainingTwin(kind, model, MAX_LEN);
      assert.ok(twin, 'a twin is built');
      assert.equal(JSON.stringify(model.toJSON(null, false)), topology);
      const names = (m: tf.LayersModel) => m.trainableWeights.map((w) => w.originalName).sort();
      assert.deepEqual(names(twin), names(model));
      model.dispose();
    });

    for (const side of ['pre', 'post'] as const) {
      it(`computes the network's outputs and gradients (padding ${side})`, () => {
        const random = new Random(11);
        const model = architecture(kind).build(params, 2, 5);
        const twin = trainingTwin(kind, model, MAX_LEN)!;
        const ids = batchOf(side, random);
        const targets = tf.tensor2d(
          Array.from({ length: ids.shape[0] }, (_, i) => i % 2),
          [ids.shape[0], 1],
        );
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const before = tf.memory().numTensors;
        const errors = tf.tidy(() => {
          const lossOf = (m: tf.LayersModel) => () =>
            tf.losses.sigmoidCrossEntropy(
              targets,
              m.apply(ids, { training: true }) as tf.Tensor,
            ) as tf.Scalar;
          const plain = tf.variableGrads(lossOf(model), variables);
          const ours = tf.variableGrads(lossOf(twin), variables);
          return [
            relativeError(ours.value, plain.value),
            relativeError(twin.apply(ids) as tf.Tensor, model.apply(ids) as tf.Tensor),
            ...variables.map((v) => relativeError(ours.grads[v.name], plain.grads[v.name])),
          ];
        });
        assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
        const what = ['loss', 'outputs', ...variables.map((v) => v.name)];
        errors.forEach((e, i) => assert.ok(e < 1e-5, `relative error ${e} of ${what[i]}`));
        tf.dispose([ids, targets]);
        model.dispose();
      });
    }
  });
}
