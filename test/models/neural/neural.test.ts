import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '../../../src/engine/tf.js';
import { TOY_MLP_OPTIONS } from '../../helpers/models.js';
import { toyDataset } from '../../helpers/toy.js';
import { initBackend } from '../../../src/engine/index.js';
import { ModelFormatError } from '../../../src/errors.js';
import { loadClassifier } from '../../../src/models/load.js';
import { NeuralClassifier } from '../../../src/models/neural/neural-classifier.js';
import { resolveNeuralHyperParameters } from '../../../src/models/neural/neural-config.js';
import { architecture } from '../../../src/models/neural/registry.js';
import { modelSummary } from '../../../src/models/summary.js';
import { NeuralTrainer } from '../../../src/models/neural/neural-trainer.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-neural-'));
before(() => initBackend({ backend: 'wasm' }));
after(() => rm(root, { recursive: true, force: true }));

function paramCounts(model: tf.LayersModel): Record<string, number> {
  return Object.fromEntries(model.layers.map((l) => [l.name, l.countParams()]));
}

const toy = toyDataset(64);

describe('tutorial architectures', () => {
  it('the MLP has the tutorial parameter counts', () => {
    const model = architecture('mlp').build(resolveNeuralHyperParameters(), 2, 0);
    assert.deepEqual(paramCounts(model), { embedding: 160_000, flatten: 0, hidden: 4_000_250, output: 251 });
    model.dispose();
  });

  it('the CNN has a 3,104-parameter Conv1D and a summary that shows it', () => {
    const model = architecture('cnn').build(resolveNeuralHyperParameters(), 2, 0);
    assert.equal(paramCounts(model).conv1d, 3_104);
    assert.equal(paramCounts(model).hidden, 2_000_250);
    const summary = modelSummary(model);
    assert.match(summary, /conv1d \(Conv1D\)\s+\(None, 500, 32\)\s+3,104/);
    assert.match(summary, /hidden \(Dense\)\s+\(None, 250\)\s+2,000,250/);
    assert.match(summary, /Total params: 2,163,605/);
    model.dispose();
  });

  it('switches to a softmax head for more than two labels', () => {
    const model = architecture('mlp').build(resolveNeuralHyperParameters({ maxLen: 10 }), 3, 0);
    assert.deepEqual(model.outputs[0].shape, [null, 3]);
    model.dispose();
  });

  it('gives identical initial weights for the same seed and different ones for another', () => {
    const params = resolveNeuralHyperParameters({ maxLen: 20, numWords: 50, hiddenUnits: 8 });
    const weights = (seed: number) => {
      const model = architecture('cnn').build(params, 2, seed);
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    assert.deepEqual(weights(3), weights(3));
    assert.notDeepEqual(weights(3), weights(4));
  });
});

describe('NeuralClassifier', () => {
  const options = TOY_MLP_OPTIONS;

  it('learns a separable toy problem and predicts probabilities that sum to one', async () => {
    const classifier = await new NeuralTrainer(options).fit(toy, { seed: 1 });
    // Unseen numbers, same word positions as in training (the MLP's weights are position-specific).
    const [pos, neg] = await classifier.predict(['a good fine film number 99', 'a bad awful film number 98']);
    assert.equal(pos.label, 'pos');
    assert.equal(neg.label, 'neg');
    for (const p of [pos, neg]) assert.ok(Math.abs(p.scores.pos + p.scores.neg - 1) < 1e-6);
    classifier.dispose();
  });

  it('trains identically twice with the same seed', async () => {
    const a = await new NeuralTrainer(options).fit(toy, { seed: 5 });
    const b = await new NeuralTrainer(options).fit(toy, { seed: 5 });
    const texts = ['good film', 'awful number 3', 'film'];
    assert.deepEqual(await a.predict(texts), await b.predict(texts));
    a.dispose();
    b.dispose();
  });

  it('saves and loads to identical predictions, with vocabulary and preprocessing', async () => {
    const classifier = await new NeuralTrainer({ ...options, model: 'cnn' }).fit(toy, { seed: 2 });
    const dir = join(root, 'cnn');
    await classifier.save(dir);
    const loaded = await loadClassifier(dir);
    assert.ok(loaded instanceof NeuralClassifier);
    assert.equal(loaded.kind, 'cnn');
    assert.deepEqual(loaded.encoder.config, classifier.encoder.config);
    const texts = ['a good fine film', 'bad', 'never seen words only', ''];
    assert.deepEqual(await loaded.predict(texts), await classifier.predict(texts));
    classifier.dispose();
    loaded.dispose();
  });

  it('refuses to load a directory with a truncated weights file or a foreign vocabulary', async () => {
    const classifier = await new NeuralTrainer({
      ...options,
      hyperParameters: { ...options.hyperParameters, epochs: 1 },
    }).fit(toy);
    const truncated = join(root, 'truncated');
    const foreign = join(root, 'foreign');
    await classifier.save(truncated);
    await classifier.save(foreign);
    classifier.dispose();
    await truncate(join(truncated, 'weights.bin'), 100);
    await assert.rejects(
      loadClassifier(truncated),
      (e: Error) => e instanceof ModelFormatError && /weights\.bin/.test(e.message),
    );
    await writeFile(join(foreign, 'vocabulary.json'), '{"words":[]}');
    await assert.rejects(loadClassifier(foreign), /vocabulary\.json/);
  });

  it('rejects bad hyper-parameters and unknown architectures with the option name', () => {
    assert.throws(() => new NeuralTrainer({ model: 'transformer' }), /unknown model "transformer"/);
    assert.throws(
      () => new NeuralTrainer({ model: 'mlp', hyperParameters: { maxLen: 0 } }),
      /maxLen must be a positive integer/,
    );
    assert.throws(
      () => new NeuralTrainer({ model: 'mlp', hyperParameters: { validationSplit: 1 } }),
      /validationSplit/,
    );
  });
});
