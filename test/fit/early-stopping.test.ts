import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { noisyToyDataset, toyDataset } from '../helpers/toy.js';
import { initBackend } from '../../src/engine/index.js';
import { OptionError } from '../../src/errors.js';
import type { EarlyStoppingReport } from '../../src/models/classifier.js';
import { loadClassifier } from '../../src/models/load.js';
import { NeuralClassifier } from '../../src/models/neural/neural-classifier.js';
import { ValidationMonitor } from '../../src/fit/early-stopping.js';
import { EarlyStopping, type WeightHolder } from '../../src/models/neural/early-stopping.js';
import { NeuralTrainer, type NeuralTrainerOptions } from '../../src/models/neural/neural-trainer.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-early-stopping-'));
before(() => initBackend({ backend: 'wasm' }));
after(() => rm(root, { recursive: true, force: true }));

/** A stand-in model whose single weight is whatever `train` last set, so restores can be seen. */
class FakeModel implements WeightHolder {
  value = 0;
  getWeights(): tf.Tensor[] {
    return [tf.tensor1d([this.value, -this.value])];
  }
  setWeights(weights: tf.Tensor[]): void {
    this.value = weights[0].dataSync()[0];
  }
}

/** Runs early stopping over a sequence of validation losses, the model's weight being the epoch. */
function run(losses: readonly number[], patience: number, minDelta = 0) {
  const model = new FakeModel();
  const stopping = new EarlyStopping({ patience, minDelta });
  let epochs = 0;
  for (const [i, loss] of losses.entries()) {
    model.value = i + 1;
    epochs = i + 1;
    if (stopping.update(i + 1, loss, model).stop) break;
  }
  return { epochs, report: stopping.finish(model), weight: model.value };
}

describe('EarlyStopping', () => {
  it('stops after PATIENCE epochs without improvement and restores the best epoch', () => {
    const { epochs, report, weight } = run([1.0, 0.8, 0.9, 0.85, 0.7, 0.6], 2);
    assert.equal(epochs, 4);
    assert.deepEqual(report, {
      patience: 2,
      minDelta: 0,
      bestEpoch: 2,
      bestValLoss: 0.8,
      stoppedEpoch: 4,
      restored: true,
    } satisfies EarlyStoppingReport);
    assert.equal(weight, 2);
  });

  it('keeps going while the loss improves and keeps the last weights when the last epoch is best', () => {
    const { epochs, report, weight } = run([1.0, 0.9, 0.95, 0.8], 2);
    assert.equal(epochs, 4);
    assert.equal(report.stoppedEpoch, null);
    assert.equal(report.bestEpoch, 4);
    assert.equal(report.restored, false);
    assert.equal(weight, 4);
  });

  it('restores the best weights when the epochs run out after a worse one', () => {
    const { report, weight } = run([1.0, 0.5, 0.6], 5);
    assert.equal(report.stoppedEpoch, null);
    assert.equal(report.restored, true);
    assert.equal(weight, 2);
  });

  it('counts only decreases larger than minDelta, and never a NaN loss', () => {
    const monitor = new ValidationMonitor(0.1);
    assert.equal(monitor.update(1, 1.0), true);
    assert.equal(monitor.update(2, 0.95), false);
    assert.equal(monitor.update(3, Number.NaN), false);
    assert.equal(monitor.update(4, 0.85), true);
    assert.equal(monitor.bestEpoch, 4);
    assert.equal(run([1.0, 0.95, 0.92], 2, 0.1).report.stoppedEpoch, 3);
  });

  it('rejects a patience that is not a positive integer', () => {
    assert.throws(() => new EarlyStopping({ patience: 0 }), OptionError);
    assert.throws(() => new EarlyStopping({ patience: 1.5 }), /patience must be a positive integer/);
    assert.throws(() => new EarlyStopping({ patience: 1, minDelta: -1 }), /minDelta/);
  });
});

describe('NeuralTrainer with early stopping and checkpoints', () => {
  const noisy = noisyToyDataset(240, 0.2);
  const options = (epochs: number, extra: Partial<NeuralTrainerOptions> = {}): NeuralTrainerOptions => ({
    model: 'mlp',
    hyperParameters: {
      numWords: 400,
      maxLen: 8,
      hiddenUnits: 16,
      epochs,
      batchSize: 16,
      learningRate: 0.02,
      validationSplit: 0.25,
    },
    ...extra,
  });
  const texts = noisy.train.slice(0, 40).map((e) => e.text);

  it('stops once the validation loss has risen for PATIENCE epochs and ends with the best epoch', async () => {
    const patience = 2;
    let report: EarlyStoppingReport | undefined;
    const checkpoints: number[] = [];
    const checkpointDir = join(root, 'checkpoint');
    const stopped = await new NeuralTrainer(options(30, { earlyStopping: { patience }, checkpointDir })).fit(
      noisy,
      { seed: 3, onEarlyStopping: (r) => (report = r), onCheckpoint: (e) => checkpoints.push(e) },
    );
    assert.ok(report, 'early stopping reports');
    const history = stopped.history!;
    // The noisy labels make the validation loss turn up well before 30 epochs.
    assert.ok(report.stoppedEpoch !== null && report.stoppedEpoch < 30, `stopped at ${report.stoppedEpoch}`);
    assert.equal(history.length, report.stoppedEpoch);
    assert.equal(report.stoppedEpoch, report.bestEpoch + patience);
    const losses = history.map((r) => r.valLoss!);
    assert.equal(Math.min(...losses), losses[report.bestEpoch - 1]);
    assert.equal(report.restored, true);
    assert.deepEqual(stopped.provenance.metrics, {
      valAccuracy: history[report.bestEpoch - 1].valAccuracy,
      valLoss: history[report.bestEpoch - 1].valLoss,
    });
    assert.deepEqual(stopped.provenance.training.earlyStopping, report);

    // The same seed without early stopping follows the same path: stopping after the best epoch
    // gives the restored weights exactly; after the last epoch run, other weights.
    const best = await new NeuralTrainer(options(report.bestEpoch)).fit(noisy, { seed: 3 });
    const last = await new NeuralTrainer(options(report.stoppedEpoch)).fit(noisy, { seed: 3 });
    assert.deepEqual(await stopped.predict(texts), await best.predict(texts));
    assert.notDeepEqual(await stopped.predict(texts), await last.predict(texts));

    // A checkpoint was written at each new best, and the directory holds the best epoch's model.
    assert.equal(checkpoints.at(-1), report.bestEpoch);
    assert.deepEqual(
      checkpoints,
      history.filter((r, i) => r.valLoss! < Math.min(...losses.slice(0, i))).map((r) => r.epoch),
    );
    const checkpoint = await loadClassifier(checkpointDir);
    assert.ok(checkpoint instanceof NeuralClassifier);
    assert.equal(checkpoint.history!.length, report.bestEpoch);
    assert.deepEqual(await checkpoint.predict(texts), await stopped.predict(texts));
    for (const c of [stopped, best, last, checkpoint]) c.dispose();
  });

  it('checkpoints every epoch without a validation split', async () => {
    const checkpointDir = join(root, 'every-epoch');
    const checkpoints: number[] = [];
    const trainer = new NeuralTrainer({
      model: 'mlp',
      hyperParameters: { numWords: 40, maxLen: 12, hiddenUnits: 8, epochs: 3, batchSize: 16 },
      checkpointDir,
    });
    const classifier = await trainer.fit(toyDataset(32), { onCheckpoint: (e) => checkpoints.push(e) });
    assert.deepEqual(checkpoints, [1, 2, 3]);
    const loaded = await loadClassifier(checkpointDir);
    assert.deepEqual(await loaded.predict(['a good film']), await classifier.predict(['a good film']));
    classifier.dispose();
    loaded.dispose();
  });

  it('refuses early stopping without a validation split', () => {
    assert.throws(
      () =>
        new NeuralTrainer({
          model: 'mlp',
          hyperParameters: { validationSplit: 0 },
          earlyStopping: { patience: 2 },
        }),
      (error: Error) => error instanceof OptionError && /needs a validation split/.test(error.message),
    );
  });
});
