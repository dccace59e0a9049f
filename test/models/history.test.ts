import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toyDataset } from '../helpers/toy.js';
import { initBackend } from '../../src/engine/index.js';
import { ModelFormatError } from '../../src/errors.js';
import { epochHistory } from '../../src/models/history.js';
import { loadClassifier } from '../../src/models/load.js';
import { MANIFEST_FILE, type ModelManifest } from '../../src/persist/index.js';
import { sealManifest } from '../../src/persist/manifest.js';
import { NeuralTrainer } from '../../src/models/neural/neural-trainer.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-history-'));
before(() => initBackend({ backend: 'wasm' }));
after(() => rm(root, { recursive: true, force: true }));

const training = (history: unknown): ModelManifest['training'] =>
  ({ createdAt: '2020-01-01T00:00:00Z', history }) as ModelManifest['training'];

describe('training history in the model directory', () => {
  it('round-trips through save and load, and a lost number comes back as NaN', async () => {
    const classifier = await new NeuralTrainer({
      model: 'mlp',
      hyperParameters: {
        numWords: 40,
        maxLen: 12,
        hiddenUnits: 8,
        epochs: 3,
        batchSize: 16,
        validationSplit: 0.25,
      },
    }).fit(toyDataset(48), { seed: 4 });
    const history = classifier.history!;
    assert.deepEqual(
      history.map((r) => r.epoch),
      [1, 2, 3],
    );
    for (const record of history) {
      for (const value of [
        record.loss,
        record.accuracy,
        record.valLoss!,
        record.valAccuracy!,
        record.seconds,
      ]) {
        assert.ok(Number.isFinite(value));
      }
    }
    const dir = join(root, 'mlp');
    await classifier.save(dir);
    const loaded = await loadClassifier(dir);
    assert.deepEqual(loaded.history, history);
    loaded.dispose();

    // A diverged loss (NaN) is written as JSON null; it must still load (sealed as the writer would).
    const manifestFile = join(dir, MANIFEST_FILE);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { training: { history: object[] } };
    manifest.training.history[2] = { ...manifest.training.history[2], loss: null };
    await writeFile(manifestFile, JSON.stringify(sealManifest(manifest)));
    const diverged = await loadClassifier(dir);
    assert.ok(Number.isNaN(diverged.history![2].loss));
    assert.deepEqual(diverged.history!.slice(0, 2), history.slice(0, 2));
    diverged.dispose();
    classifier.dispose();
  });

  it('is absent for records of another kind (the linear models keep one per solved problem)', () => {
    assert.equal(epochHistory(training(undefined)), undefined);
    assert.equal(
      epochHistory(training([{ label: 1, iterations: 12, converged: 1, seconds: 0.5 }])),
      undefined,
    );
  });

  it('refuses epoch records that lack a metric or have a non-numeric one, naming the record', () => {
    const good = { epoch: 1, loss: 0.5, accuracy: 0.8, seconds: 1 };
    assert.deepEqual(epochHistory(training([good])), [good]);
    for (const [bad, message] of [
      [{ epoch: 2, accuracy: 0.8, seconds: 1 }, /"training\.history\[1\]" lacks "loss"/],
      [{ ...good, epoch: 2, valLoss: '0.3' }, /"training\.history\[1\]" has a non-numeric "valLoss"/],
      [{ ...good, epoch: 0 }, /needs a positive integer "epoch"/],
    ] as const) {
      assert.throws(
        () => epochHistory(training([good, bad]), 'model/polarity.json'),
        (error: Error) =>
          error instanceof ModelFormatError &&
          error.message.startsWith('model/polarity.json') &&
          message.test(error.message),
      );
    }
  });
});
