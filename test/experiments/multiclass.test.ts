import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadDataset } from '../../src/data/load-dataset.js';
import type { Dataset } from '../../src/data/types.js';
import { initBackend } from '../../src/engine/index.js';
import { loadClassifier } from '../../src/models/load.js';
import type { NeuralHyperParameters } from '../../src/models/neural/neural-config.js';
import { evaluateClassifier } from '../../src/experiments/evaluate.js';
import { createTrainer } from '../../src/models/trainers.js';
import { fixtureDir, threeLabelRows } from '../data/own-data-helpers.js';

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
let dataset: Dataset;

// Label names as a user might write them: not sorted the way they are written, one with a space and an accent.
const NAMES: Record<string, string> = { neg: 'négatif', mixed: 'so so', pos: 'Positive' };

before(async () => {
  await initBackend({ backend: 'wasm' });
  fixtures = await fixtureDir();
  const rows = threeLabelRows(60).map((row) =>
    JSON.stringify({ body: row.text, meta: { label: NAMES[row.label] } }),
  );
  const file = await fixtures.write('three.jsonl', rows.join('\n') + '\n');
  ({ dataset } = await loadDataset(file, {
    textField: 'body',
    labelField: 'meta.label',
    testSplit: 0.25,
    seed: 3,
  }));
});
after(() => fixtures.cleanup());

const NEURAL = {
  hyperParameters: { numWords: 60, maxLen: 10, epochs: 10, batchSize: 16, learningRate: 0.01 },
};

/** The added networks, kept small (their defaults are sized for IMDB). */
const RECURRENT = { embeddingDim: 16, units: 16 };
const SMALL: Readonly<Record<string, Partial<NeuralHyperParameters>>> = {
  'cnn-global': { filters: 16, hiddenUnits: 32 },
  lstm: RECURRENT,
  bilstm: RECURRENT,
  gru: RECURRENT,
};

describe('three labels end to end: a JSON Lines file, every model family', () => {
  it('reads three labels, sorted, as written', () => {
    assert.deepEqual(dataset.labels, ['Positive', 'négatif', 'so so']);
    assert.equal(dataset.test.length, 45);
  });

  for (const model of ['nb', 'linear', 'nbsvm', 'mlp', 'cnn', 'cnn-global', 'lstm', 'bilstm', 'gru']) {
    it(`${model} learns them, predicts the names as given with a probability per label, and saves them`, async () => {
      const trainer = await createTrainer(model, {
        neural: { hyperParameters: { ...NEURAL.hyperParameters, ...SMALL[model] } },
      });
      const classifier = await trainer.fit(dataset, { seed: 1 });
      assert.deepEqual(classifier.labels, dataset.labels);
      const report = await evaluateClassifier(classifier, dataset.test);
      assert.ok(report.accuracy >= 0.8, `${model}: test accuracy ${report.accuracy}`);
      assert.equal(report.confusion.length, 3);
      const [prediction] = await classifier.predict([dataset.test[0].text]);
      assert.deepEqual(Object.keys(prediction.scores).sort(), [...dataset.labels].sort());
      const total = Object.values(prediction.scores).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - 1) < 1e-4, `${model}: scores sum to ${total}`);
      assert.ok(dataset.labels.includes(prediction.label));

      const dir = join(fixtures.dir, model);
      await classifier.save(dir);
      const loaded = await loadClassifier(dir);
      assert.deepEqual(loaded.labels, dataset.labels);
      assert.deepEqual(await loaded.predict([dataset.test[0].text]), [prediction]);
      classifier.dispose();
      loaded.dispose();
    });
  }
});
