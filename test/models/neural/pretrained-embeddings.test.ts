import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as tf from '../../../src/engine/tf.js';
import { toyDataset } from '../../helpers/toy.js';
import { initBackend } from '../../../src/engine/index.js';
import { OptionError } from '../../../src/errors.js';
import { loadClassifier } from '../../../src/models/load.js';
import { NeuralClassifier } from '../../../src/models/neural/neural-classifier.js';
import type { EmbeddingsRecord } from '../../../src/persist/manifest.js';
import { NeuralTrainer, type NeuralTrainerOptions } from '../../../src/models/neural/neural-trainer.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-pretrained-'));
before(() => initBackend({ backend: 'wasm' }));
after(() => rm(root, { recursive: true, force: true }));

const toy = toyDataset(64);
// Four of the toy's words, one only in another case; "awful", "fine", "a" and the numbers are missing.
const VECTORS: Record<string, number[]> = {
  good: [0.5, 0.25, -0.5, 1],
  bad: [-0.5, -0.25, 0.5, -1],
  Film: [0.125, 0.125, 0.125, 0.125],
  number: [0, 1, 0, -1],
};
const vectorFile = join(root, 'toy-vectors.txt');
await writeFile(
  vectorFile,
  Object.entries(VECTORS)
    .map(([word, values]) => `${word} ${values.join(' ')}\n`)
    .join(''),
);

function options(freeze: boolean, epochs: number, learningRate = 0.01): NeuralTrainerOptions {
  return {
    model: 'mlp',
    hyperParameters: { numWords: 40, maxLen: 12, hiddenUnits: 8, epochs, batchSize: 16, learningRate },
    embeddings: { file: vectorFile, freeze },
  };
}

function embeddingLayer(classifier: NeuralClassifier): tf.layers.Layer {
  return classifier.model.getLayer('embedding');
}

/** The embedding rows of the words the file has a vector for, by their lower-case word. */
function fileWordRows(classifier: NeuralClassifier): Record<string, number[]> {
  const values = embeddingLayer(classifier).getWeights()[0].arraySync() as number[][];
  return Object.fromEntries(
    Object.keys(VECTORS).map((word) => {
      const id = classifier.encoder.vocabulary.wordIndex(word.toLowerCase());
      assert.ok(id !== undefined, word);
      return [word, values[id]];
    }),
  );
}

function embeddingValues(classifier: NeuralClassifier): number[] {
  return Array.from(embeddingLayer(classifier).getWeights()[0].dataSync());
}

describe('NeuralTrainer with pre-trained embeddings', () => {
  it('keeps frozen vectors unchanged through training', async () => {
    const short = (await new NeuralTrainer(options(true, 1)).fit(toy, { seed: 3 })) as NeuralClassifier;
    const long = (await new NeuralTrainer(options(true, 4)).fit(toy, { seed: 3 })) as NeuralClassifier;
    assert.deepEqual(fileWordRows(long), VECTORS);
    assert.deepEqual(embeddingValues(long), embeddingValues(short));
    assert.equal(embeddingLayer(long).trainable, false);
    // The rest of the model did learn.
    const hidden = (c: NeuralClassifier) => Array.from(c.model.getLayer('hidden').getWeights()[0].dataSync());
    assert.notDeepEqual(hidden(long), hidden(short));
    short.dispose();
    long.dispose();
  });

  it('fine-tunes the vectors it starts from unless frozen', async () => {
    const classifier = (await new NeuralTrainer(options(false, 1, 1e-4)).fit(toy, {
      seed: 3,
    })) as NeuralClassifier;
    // Four Adam steps of 1e-4 move each value by about 4e-4 at most: close to the file, not equal.
    const rows = fileWordRows(classifier);
    const change = Object.entries(VECTORS).flatMap(([word, values]) =>
      values.map((v, k) => Math.abs(rows[word][k] - v)),
    );
    assert.ok(Math.max(...change) > 0, 'the vectors did not move');
    assert.ok(Math.max(...change) < 1e-2, `moved by ${Math.max(...change)}`);
    assert.equal(embeddingLayer(classifier).trainable, true);
    classifier.dispose();
  });

  it('takes the dimension from the file, reports coverage and saves what it used', async () => {
    const reports: EmbeddingsRecord[] = [];
    const classifier = (await new NeuralTrainer({ ...options(true, 2), model: 'cnn' }).fit(toy, {
      seed: 1,
      onEmbeddings: (record) => reports.push(record),
    })) as NeuralClassifier;
    assert.equal(classifier.provenance.hyperParameters.embeddingDim, 4);
    // Six tokens a text: a, film, number (64 each), good, fine, bad, awful (32 each), 0…63 (1 each);
    // the file covers film, number, good and bad.
    const expected: EmbeddingsRecord = {
      file: 'toy-vectors.txt',
      format: 'glove',
      dim: 4,
      frozen: true,
      coverage: { words: 36, found: 4, foundByCase: 1, tokenShare: (2 * 64 + 2 * 32) / (64 * 6) },
    };
    assert.deepEqual(reports, [expected]);

    const dir = join(root, 'frozen-cnn');
    await classifier.save(dir);
    const manifest = JSON.parse(await readFile(join(dir, 'polarity.json'), 'utf8')) as {
      training: { embeddings?: EmbeddingsRecord };
      hyperParameters: { embeddingDim: number };
    };
    assert.deepEqual(manifest.training.embeddings, expected);
    assert.equal(manifest.hyperParameters.embeddingDim, 4);
    const loaded = await loadClassifier(dir);
    assert.ok(loaded instanceof NeuralClassifier);
    assert.equal(embeddingLayer(loaded).trainable, false);
    assert.deepEqual(embeddingValues(loaded), embeddingValues(classifier));
    const texts = ['a good film', 'awful'];
    assert.deepEqual(await loaded.predict(texts), await classifier.predict(texts));
    classifier.dispose();
    loaded.dispose();
  });

  it('refuses an embedding dimension that contradicts the file, before any training', async () => {
    const conflicting = new NeuralTrainer({
      ...options(false, 1),
      hyperParameters: { numWords: 40, maxLen: 12, embeddingDim: 8 },
    });
    let trained = false;
    await assert.rejects(
      conflicting.fit(toy, { onEpochBegin: () => (trained = true) }),
      (e: Error) =>
        e instanceof OptionError && /embeddingDim 8 contradicts the 4-dimensional vectors/.test(e.message),
    );
    assert.equal(trained, false);
    const agreeing = await new NeuralTrainer({
      ...options(false, 1),
      hyperParameters: { numWords: 40, maxLen: 12, embeddingDim: 4, hiddenUnits: 4 },
    }).fit(toy);
    agreeing.dispose();
  });
});
