/**
 * The architectures beyond the tutorial's two (cnn-global, lstm, bilstm, gru): shapes and
 * parameter counts, training on a toy problem, save → load, seeded dropout, and the errors for
 * hyper-parameters that cannot work. Small vocabularies and lengths keep it fast.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '../../../src/engine/tf.js';
import { toyDataset } from '../../helpers/toy.js';
import { initBackend } from '../../../src/engine/index.js';
import { OptionError } from '../../../src/errors.js';
import { epochHistory } from '../../../src/models/history.js';
import { seededDropout } from '../../../src/models/neural/layers.js';
import { loadClassifier } from '../../../src/models/load.js';
import { NeuralClassifier } from '../../../src/models/neural/neural-classifier.js';
import type { NeuralHyperParameters } from '../../../src/models/neural/neural-config.js';
import { architecture, hyperParametersFor, modelNames } from '../../../src/models/neural/registry.js';
import { NeuralTrainer } from '../../../src/models/neural/neural-trainer.js';
import { gridSize, parseGrid, searchParameters } from '../../../src/experiments/search.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-architectures-'));
before(() => initBackend({ backend: 'wasm' }));
after(() => rm(root, { recursive: true, force: true }));

const NEW_MODELS = ['cnn-global', 'lstm', 'bilstm', 'gru'] as const;
const SMALL: Partial<NeuralHyperParameters> = {
  numWords: 50,
  maxLen: 12,
  embeddingDim: 8,
  filters: 4,
  filterSizes: [2, 3],
  hiddenUnits: 6,
  units: 5,
};

function build(name: string, overrides: Partial<NeuralHyperParameters> = {}, numLabels = 2): tf.LayersModel {
  return architecture(name).build(hyperParametersFor(name, { ...SMALL, ...overrides }), numLabels, 0);
}

function paramCounts(model: tf.LayersModel): Record<string, number> {
  return Object.fromEntries(
    model.layers.filter((l) => l.countParams() > 0).map((l) => [l.name, l.countParams()]),
  );
}

describe('architectures: shapes and parameter counts', () => {
  it('registers every new model by name', () => {
    for (const name of NEW_MODELS) assert.ok(modelNames().includes(name), name);
  });

  it('cnn-global: one Conv1D per width, each pooled to `filters` features, concatenated, then a hidden layer', () => {
    const model = build('cnn-global');
    assert.deepEqual(paramCounts(model), {
      embedding: 50 * 8,
      conv1d_w2: 2 * 8 * 4 + 4,
      conv1d_w3: 3 * 8 * 4 + 4,
      hidden: 2 * 4 * 6 + 6,
      output: 6 + 1,
    });
    assert.deepEqual(model.outputs[0].shape, [null, 1]);
    const widths = model.layers.filter((l) => l.getClassName() === 'Conv1D').map((l) => l.outputShape);
    assert.deepEqual(widths, [
      [null, 11, 4],
      [null, 10, 4],
    ]);
    model.dispose();
  });

  it('cnn-global with one width has no concatenation', () => {
    const model = build('cnn-global', { filterSizes: [3] });
    assert.ok(!model.layers.some((l) => l.getClassName() === 'Concatenate'));
    assert.equal(paramCounts(model).hidden, 4 * 6 + 6);
    model.dispose();
  });

  it('lstm, bilstm and gru: 4 or 3 gates of (inputs + units + 1) × units; bilstm doubles and concatenates', () => {
    const gates = (n: number) => n * (8 * 5 + 5 * 5 + 5);
    const lstm = build('lstm');
    assert.deepEqual(paramCounts(lstm), { embedding: 400, lstm: gates(4), output: 6 });
    const bilstm = build('bilstm', { pooling: 'last' });
    assert.deepEqual(paramCounts(bilstm), { embedding: 400, bilstm: 2 * gates(4), output: 11 });
    assert.deepEqual(bilstm.layers[1].outputShape, [null, 10]);
    const gru = build('gru');
    assert.deepEqual(paramCounts(gru), { embedding: 400, gru: gates(3), output: 6 });
    for (const model of [lstm, bilstm, gru]) {
      assert.deepEqual(model.outputs[0].shape, [null, 1]);
      model.dispose();
    }
  });

  it('--pooling max: every state of the recurrent layer, max-pooled over the review, with no extra weights', () => {
    assert.deepEqual(
      ['lstm', 'bilstm', 'gru'].map((name) => hyperParametersFor(name).pooling),
      ['last', 'max', 'max'],
    );
    for (const name of ['lstm', 'bilstm', 'gru'] as const) {
      const last = build(name, { pooling: 'last' });
      const pooled = build(name, { pooling: 'max' });
      const width = name === 'bilstm' ? 10 : 5;
      assert.deepEqual(pooled.layers[1].outputShape, [null, 12, width], name);
      assert.equal(pooled.layers[2].getClassName(), 'MaskedGlobalMaxPooling1D', name);
      assert.deepEqual(pooled.layers[2].outputShape, [null, width], name);
      assert.deepEqual(paramCounts(pooled), paramCounts(last), name);
      last.dispose();
      pooled.dispose();
    }
  });

  it('recurrent models mask the padding id and start with orthogonal recurrent kernels', () => {
    const model = build('bilstm', { units: 6 });
    assert.equal(model.layers[0].getConfig().maskZero, true);
    const recurrentKernels = model.weights.filter((w) => /recurrent_kernel/.test(w.originalName));
    assert.equal(recurrentKernels.length, 2);
    for (const kernel of recurrentKernels) {
      assert.deepEqual(kernel.shape, [6, 24]);
      // Orthonormal rows: R·Rᵀ = I.
      const error = tf.tidy(() => {
        const r = kernel.read();
        return tf.max(tf.abs(tf.sub(tf.matMul(r, r, false, true), tf.eye(6)))).dataSync()[0];
      });
      assert.ok(error < 1e-4, `R·Rᵀ differs from I by ${error}`);
    }
    const [forward, backward] = recurrentKernels.map((w) => Array.from(w.read().dataSync()));
    assert.notDeepEqual(forward, backward, 'both directions start alike');
    model.dispose();
  });

  it('--embedding-dropout: a dropout between the embedding and the recurrent layer that keeps the mask', () => {
    const model = build('bilstm', { embeddingDropout: 0.5, units: 4, maxLen: 6 });
    assert.deepEqual(
      model.layers.map((l) => l.name),
      ['embedding', 'embedding_dropout', 'bilstm', 'max_pool', 'dropout', 'output'],
    );
    // The same review, padded before or after: with the padding masked through the dropout, the
    // recurrent layer and the max pooling see only the real steps, whichever side the padding is.
    const out = tf.tidy(() =>
      Array.from(
        (
          model.predict(
            tf.tensor2d(
              [
                [0, 0, 0, 5, 6, 7],
                [5, 6, 7, 0, 0, 0],
              ],
              undefined,
              'int32',
            ),
          ) as tf.Tensor
        ).dataSync(),
      ),
    );
    assert.ok(Math.abs(out[0] - out[1]) < 1e-6, `${out[0]} vs ${out[1]}`);
    assert.deepEqual(
      build('bilstm').layers.map((l) => l.name),
      ['embedding', 'bilstm', 'max_pool', 'dropout', 'output'],
      'no layer without it',
    );
    model.dispose();
  });

  it('uses a softmax head for more than two labels', () => {
    for (const name of NEW_MODELS) {
      const model = build(name, {}, 3);
      assert.deepEqual(model.outputs[0].shape, [null, 3], name);
      model.dispose();
    }
  });
});

describe('architectures: training, saving and loading', () => {
  const toy = toyDataset(48);

  const variants = [
    ...NEW_MODELS.map((name) => ({ name, label: name, extra: {} })),
    { name: 'bilstm', label: 'bilstm --pooling last', extra: { pooling: 'last' } as const },
    { name: 'gru', label: 'gru --embedding-dropout 0.3', extra: { embeddingDropout: 0.3 } },
  ];
  for (const { name, label, extra } of variants) {
    it(`${label} reduces the loss on a toy problem, and saves and loads to identical predictions`, async () => {
      const trainer = new NeuralTrainer({
        model: name,
        hyperParameters: { ...SMALL, ...extra, epochs: 4, batchSize: 16, learningRate: 0.02, dropout: 0.2 },
      });
      const classifier = await trainer.fit(toy, { seed: 3 });
      const history = epochHistory(classifier.provenance.training)!;
      assert.ok(history[3].loss < history[0].loss, `loss ${history[0].loss} → ${history[3].loss}`);

      const dir = join(root, label.replace(/\W+/g, '-'));
      await classifier.save(dir);
      const manifest = JSON.parse(await readFile(join(dir, 'polarity.json'), 'utf8')) as {
        kind: string;
        hyperParameters: NeuralHyperParameters;
      };
      assert.equal(manifest.kind, name);
      assert.deepEqual(manifest.hyperParameters.filterSizes, [2, 3]);
      assert.equal(
        manifest.hyperParameters.pooling,
        'pooling' in extra ? extra.pooling : hyperParametersFor(name).pooling,
      );
      const loaded = await loadClassifier(dir);
      assert.ok(loaded instanceof NeuralClassifier);
      const texts = ['a good fine film', 'bad awful', 'number 7 film', ''];
      assert.deepEqual(await loaded.predict(texts), await classifier.predict(texts));
      classifier.dispose();
      loaded.dispose();
    });
  }

  // gru scores each window shortest first; cnn-global scores in input order. Both answer in input order.
  for (const model of ['gru', 'cnn-global']) {
    it(`${model} answers in input order across prediction batches`, async () => {
      const trainer = new NeuralTrainer({
        model,
        hyperParameters: { ...SMALL, maxLen: 40, epochs: 1, batchSize: 16, learningRate: 0.02 },
      });
      const classifier = await trainer.fit(toy, { seed: 4 });
      const words = ['good', 'fine', 'film', 'bad', 'awful', 'number'];
      // 300 texts of 0 to 59 words (longer than maxLen too), more than one prediction batch.
      const texts = Array.from({ length: 300 }, (_, i) =>
        Array.from({ length: (i * 37) % 60 }, (_, k) => words[(i + k * k) % words.length]).join(' '),
      );
      const together = await classifier.predict(texts);
      for (const i of [0, 1, 2, 17, 150, 299]) {
        const [alone] = await classifier.predict([texts[i]]);
        assert.equal(together[i].label, alone.label, `text ${i}`);
        assert.ok(
          Math.abs(together[i].score - alone.score) < 1e-5,
          `text ${i}: ${together[i].score} vs ${alone.score}`,
        );
      }
      assert.equal(together.length, 300);
      classifier.dispose();
    });
  }

  it('trains identically twice with the same seed, dropout included', async () => {
    const options = {
      model: 'cnn-global',
      hyperParameters: { ...SMALL, epochs: 2, batchSize: 16, dropout: 0.5 },
    };
    const a = await new NeuralTrainer(options).fit(toy, { seed: 8 });
    const b = await new NeuralTrainer(options).fit(toy, { seed: 8 });
    const texts = ['good film', 'awful number 3'];
    assert.deepEqual(await a.predict(texts), await b.predict(texts));
    a.dispose();
    b.dispose();
  });
});

describe('seeded dropout', () => {
  it('draws a new mask each training call, repeats with the seed, and does nothing at inference', () => {
    const x = tf.ones([4, 50]);
    const masks = (seed: number) => {
      const layer = seededDropout(0.5, seed);
      const calls = [0, 1].map(() =>
        Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()),
      );
      const inference = Array.from((layer.apply(x) as tf.Tensor).dataSync());
      return { calls, inference, className: layer.getClassName() };
    };
    const first = masks(5);
    assert.notDeepEqual(first.calls[0], first.calls[1]);
    assert.deepEqual(masks(5).calls, first.calls);
    assert.ok(first.calls[0].every((v) => v === 0 || v === 2));
    assert.ok(first.inference.every((v) => v === 1));
    assert.equal(first.className, 'Dropout');
    x.dispose();
  });

  it('drops a feature at every step of a review or at none, when whole reviews are asked for', () => {
    const x = tf.ones([3, 7, 40]);
    const layer = seededDropout(0.5, 11, 'whole', true);
    const y = (layer.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][][];
    for (const review of y) {
      for (let f = 0; f < 40; f++) {
        const steps = review.map((step) => step[f]);
        assert.ok(
          steps.every((v) => v === steps[0]),
          `feature ${f}: ${steps.join(' ')}`,
        );
        assert.ok(steps[0] === 0 || steps[0] === 2);
      }
    }
    const kept = y.flatMap((review) => review[0]).filter((v) => v === 2).length;
    assert.ok(kept > 20 && kept < 100, `${kept} of 120 features kept`);
    x.dispose();
  });
});

describe('architectures: hyper-parameters that cannot work', () => {
  const cases: [string, Partial<NeuralHyperParameters>, RegExp][] = [
    ['cnn-global', { filterSizes: [] }, /filterSizes must be a non-empty list of positive integers/],
    ['cnn-global', { filterSizes: [3, 0] }, /filterSizes must be a non-empty list of positive integers/],
    ['cnn-global', { filterSizes: [3, 20] }, /filterSizes: a width of 20 is longer than maxLen 12/],
    ['cnn-global', { filterSizes: [3, 3] }, /filterSizes: width 3 is listed twice/],
    ['lstm', { units: 0 }, /units must be a positive integer of at most 4,096, got 0/],
    ['gru', { units: 2.5 }, /units must be a positive integer of at most 4,096, got 2.5/],
    ['bilstm', { dropout: 1 }, /dropout must be a fraction in \[0, 1\), got 1/],
    ['gru', { pooling: 'mean' as 'max' }, /pooling must be one of last, max, got "mean"/],
    ['cnn-global', { dropout: -0.1 }, /dropout must be a fraction in \[0, 1\), got -0.1/],
  ];
  for (const [name, overrides, message] of cases) {
    it(`${name} ${JSON.stringify(overrides)}`, () => {
      assert.throws(
        () => build(name, overrides),
        (e: Error) => e instanceof OptionError && message.test(e.message),
      );
    });
  }

  it('the trainer rejects a bad width before reading any data', () => {
    assert.throws(
      () => new NeuralTrainer({ model: 'cnn-global', hyperParameters: { maxLen: 4 } }),
      /filterSizes: a width of 5 is longer than maxLen 4/,
    );
  });
});

describe('architectures: search grids', () => {
  it('offer each architecture its own keys, and list values for filterSizes', () => {
    assert.ok('filterSizes' in searchParameters('cnn-global'));
    assert.ok(!('units' in searchParameters('cnn-global')));
    assert.ok('units' in searchParameters('bilstm') && 'dropout' in searchParameters('gru'));
    assert.ok(!('filterSizes' in searchParameters('lstm')));
    assert.ok('pooling' in searchParameters('gru') && !('pooling' in searchParameters('cnn-global')));
    assert.throws(() => parseGrid('pooling=last,mean', searchParameters('bilstm'), 'bilstm'), /mean/);
    const grid = parseGrid(
      'filterSizes=[3,4,5],[2,3];dropout=0.2,0.5',
      searchParameters('cnn-global'),
      'cnn-global',
    );
    assert.equal(gridSize(grid), 4);
    assert.throws(() => parseGrid('units=32,64', searchParameters('cnn-global'), 'cnn-global'), /units/);
  });
});
