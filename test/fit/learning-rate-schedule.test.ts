import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { toyDataset } from '../helpers/toy.js';
import { initBackend } from '../../src/engine/index.js';
import { OptionError } from '../../src/errors.js';
import {
  NEURAL_OPTIMIZERS,
  resolveNeuralHyperParameters,
  type LearningRateSchedule,
} from '../../src/models/neural/neural-config.js';
import { learningRateAt } from '../../src/fit/learning-rate-schedule.js';
import { NeuralTrainer } from '../../src/models/neural/neural-trainer.js';
import { createOptimizer, setLearningRate } from '../../src/models/neural/optimizers.js';

before(() => initBackend({ backend: 'wasm' }));

/** How far one step of `optimizer` moves a weight at 1 whose loss is 3·w (gradient 3). */
function firstStep(optimizer: tf.Optimizer): number {
  const w = tf.variable(tf.scalar(1));
  optimizer.minimize(() => tf.mul(w, 3) as tf.Scalar);
  const moved = 1 - w.dataSync()[0];
  w.dispose();
  optimizer.dispose();
  return moved;
}

describe('learning-rate schedules', () => {
  it('constant keeps the base rate; linear falls from it in a straight line, never reaching 0', () => {
    const total = 8;
    const steps = Array.from({ length: total }, (_, step) => step);
    assert.deepEqual(
      steps.map((step) => learningRateAt('constant', 0.002, step, total)),
      steps.map(() => 0.002),
    );
    const linear = steps.map((step) => learningRateAt('linear', 0.002, step, total));
    assert.equal(linear[0], 0.002);
    assert.ok(Math.abs(linear[total / 2] - 0.001) < 1e-12, 'halfway, half the rate');
    assert.ok(Math.abs(linear[total - 1] - 0.002 / total) < 1e-12, 'the last step still learns');
    for (let i = 1; i < total; i++) {
      assert.ok(Math.abs(linear[i - 1] - linear[i] - 0.002 / total) < 1e-12, `equal drops (step ${i})`);
    }
    assert.equal(learningRateAt('linear', 0.002, total + 3, total), 0.002 / total, 'clamped past the end');
  });

  it("sets the step size of every optimizer's next update", () => {
    for (const name of NEURAL_OPTIMIZERS) {
      const expected = firstStep(createOptimizer(name, 0.05));
      const changed = createOptimizer(name, 0.4);
      setLearningRate(changed, 0.05);
      const moved = firstStep(changed);
      assert.ok(Math.abs(moved - expected) < 1e-6, `${name}: moved ${moved}, expected ${expected}`);
      assert.ok(Math.abs(firstStep(createOptimizer(name, 0.4)) - moved) > 1e-3, `${name}: the rate matters`);
    }
  });

  it('the trainer lowers the rate step by step and records the schedule; bad names are refused', async () => {
    const examples = 64;
    const batchSize = 16;
    const epochs = 3;
    const fit = (schedule: LearningRateSchedule) =>
      new NeuralTrainer({
        model: 'mlp',
        hyperParameters: {
          numWords: 40,
          maxLen: 12,
          hiddenUnits: 16,
          epochs,
          batchSize,
          learningRate: 0.01,
          learningRateSchedule: schedule,
        },
      }).fit(toyDataset(examples), { seed: 1 });
    const linear = await fit('linear');
    const constant = await fit('constant');
    const rateOf = (optimizer: tf.Optimizer) =>
      (optimizer as unknown as { learningRate: number }).learningRate;
    const totalSteps = (examples / batchSize) * epochs;
    assert.ok(Math.abs(rateOf(linear.model.optimizer) - 0.01 / totalSteps) < 1e-12);
    assert.equal(rateOf(constant.model.optimizer), 0.01);
    assert.equal(linear.provenance.hyperParameters.learningRateSchedule, 'linear');
    assert.equal(constant.provenance.hyperParameters.learningRateSchedule, 'constant');
    const [l, c] = [linear, constant].map((m) => m.history!);
    assert.ok(l.at(-1)!.loss < l[0].loss, `linear still learns: ${l.map((r) => r.loss).join(', ')}`);
    assert.notEqual(l.at(-1)!.loss, c.at(-1)!.loss, 'the schedule changes the path');
    linear.dispose();
    constant.dispose();

    assert.throws(
      () => resolveNeuralHyperParameters({ learningRateSchedule: 'cosine' as LearningRateSchedule }),
      (error: Error) =>
        error instanceof OptionError &&
        /learningRateSchedule must be one of constant, linear, got "cosine"/.test(error.message),
    );
  });
});
