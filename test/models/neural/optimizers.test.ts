import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { toyDataset } from '../../helpers/toy.js';
import { initBackend } from '../../../src/engine/index.js';
import { OptionError } from '../../../src/errors.js';
import {
  DEFAULT_LEARNING_RATES,
  NEURAL_OPTIMIZERS,
  resolveNeuralHyperParameters,
  type NeuralOptimizer,
} from '../../../src/models/neural/neural-config.js';
import { NeuralTrainer } from '../../../src/models/neural/neural-trainer.js';

before(() => initBackend({ backend: 'wasm' }));

describe('optimizers', () => {
  it("default to Keras's learning rate of each optimizer; a given rate wins", () => {
    assert.equal(resolveNeuralHyperParameters().optimizer, 'adam');
    assert.equal(resolveNeuralHyperParameters().learningRate, 0.001);
    assert.equal(resolveNeuralHyperParameters({ optimizer: 'sgd' }).learningRate, 0.01);
    assert.equal(resolveNeuralHyperParameters({ optimizer: 'rmsprop' }).learningRate, 0.001);
    assert.equal(resolveNeuralHyperParameters({ optimizer: 'sgd', learningRate: 0.5 }).learningRate, 0.5);
    assert.throws(
      () => resolveNeuralHyperParameters({ optimizer: 'adagrad' as NeuralOptimizer }),
      (error: Error) =>
        error instanceof OptionError && /optimizer must be one of adam, sgd, rmsprop/.test(error.message),
    );
  });

  it('each trains the toy problem, lowering the loss, and is recorded in the manifest', async () => {
    const finalLosses: number[] = [];
    for (const optimizer of NEURAL_OPTIMIZERS) {
      const classifier = await new NeuralTrainer({
        model: 'mlp',
        hyperParameters: { numWords: 40, maxLen: 12, hiddenUnits: 16, epochs: 6, batchSize: 16, optimizer },
      }).fit(toyDataset(64), { seed: 1 });
      const history = classifier.history!;
      assert.ok(
        history.at(-1)!.loss < history[0].loss,
        `${optimizer}: ${history.map((r) => r.loss).join(', ')}`,
      );
      assert.equal(classifier.provenance.hyperParameters.optimizer, optimizer);
      assert.equal(classifier.provenance.hyperParameters.learningRate, DEFAULT_LEARNING_RATES[optimizer]);
      finalLosses.push(history.at(-1)!.loss);
      classifier.dispose();
    }
    assert.equal(new Set(finalLosses).size, NEURAL_OPTIMIZERS.length, 'each optimizer takes its own path');
  });
});
