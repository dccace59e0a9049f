import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Dataset } from '../../../src/data/types.js';
import { ModelFormatError, OptionError } from '../../../src/errors.js';
import {
  LinearTrainer,
  SparseLinearClassifier,
  resolveLinearOptions,
  type LinearTrainerOptions,
} from '../../../src/models/linear/index.js';
import { MANIFEST_FILE, readManifest } from '../../../src/persist/index.js';
import { sealManifest } from '../../../src/persist/manifest.js';
import { evaluateClassifier } from '../../../src/experiments/evaluate.js';
import type { ProgressEvent } from '../../../src/util/progress.js';
import { imdbSample } from '../../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-linear-'));
after(() => rm(root, { recursive: true, force: true }));

const FILLER = ['the', 'film', 'was', 'a', 'story', 'with', 'actors', 'and', 'music', 'plot'];

/** A toy problem: each label has its own words, mixed with shared filler. */
function toy(labels: readonly string[], perLabel = 30): Dataset {
  const cue: Record<string, string[]> = {
    neg: ['bad', 'awful', 'boring'],
    pos: ['good', 'great', 'wonderful'],
    mixed: ['okay', 'uneven', 'average'],
  };
  const make = (offset: number) =>
    labels.flatMap((label) =>
      Array.from({ length: perLabel }, (_, i) => {
        const words = cue[label];
        const filler = FILLER.filter((_, j) => (i + j + offset) % 3 !== 0);
        return { text: `${filler.join(' ')} ${words[i % 3]} ${words[(i + 1) % 3]}`, label };
      }),
    );
  return {
    name: 'toy',
    labels: [...labels].sort(),
    train: make(0),
    test: make(1).slice(0, 12 * labels.length),
  };
}

const binary = toy(['neg', 'pos']);
const threeWay = toy(['mixed', 'neg', 'pos']);

const MODELS: readonly LinearTrainerOptions[] = [
  { model: 'nb' },
  { model: 'nb', binary: false, ngrams: 1, maxFeatures: 20 },
  { model: 'linear' },
  { model: 'linear', loss: 'logistic' },
  { model: 'linear', loss: 'hinge' },
  { model: 'nbsvm' },
  { model: 'nbsvm', loss: 'squared-hinge' },
  { model: 'nbsvm', hashBits: 12 },
];
const name = (o: LinearTrainerOptions) => JSON.stringify(o);
// The toy texts are short: keep n-grams seen once, so that minDf does not empty the vocabulary.
const fitToy = (options: LinearTrainerOptions, data: Dataset, seed = 1) =>
  new LinearTrainer({ minDf: 1, ...options }).fit(data, { seed });

describe('linear models on toy problems', () => {
  for (const options of MODELS) {
    it(`${name(options)}: learns two and three labels, with probabilities that sum to one`, async () => {
      for (const data of [binary, threeWay]) {
        const classifier = await fitToy(options, data);
        assert.deepEqual(classifier.labels, data.labels);
        const report = await evaluateClassifier(classifier, data.test);
        assert.ok(report.accuracy >= 0.9, `${data.labels.length} labels: accuracy ${report.accuracy}`);
        for (const p of await classifier.predict(data.test.map((e) => e.text))) {
          const values = Object.values(p.scores);
          assert.equal(values.length, data.labels.length);
          assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) - 1) < 1e-9);
          assert.ok(values.every((v) => v >= 0 && v <= 1));
          assert.equal(p.score, Math.max(...values));
        }
      }
    });
  }

  it('gives a confident probability to a clear text and hedges on an empty one', async () => {
    const classifier = await fitToy({ model: 'nbsvm' }, binary);
    const [clear, empty] = await classifier.predict(['good great wonderful', '']);
    assert.equal(clear.label, 'pos');
    assert.ok(clear.score > 0.8, `${clear.score}`);
    assert.ok(empty.score < 0.8, `${empty.score}`);
  });

  it('is deterministic for a seed', async () => {
    for (const options of [{ model: 'linear' }, { model: 'nbsvm', loss: 'hinge' }] as const) {
      const a = await fitToy(options, threeWay, 5);
      const b = await fitToy(options, threeWay, 5);
      assert.deepEqual(a.weights, b.weights);
      assert.deepEqual(a.probability, b.probability);
    }
  });

  it('reports tokenizing, features and fitting', async () => {
    const events: ProgressEvent[] = [];
    await new LinearTrainer({ model: 'linear', minDf: 1 }).fit(threeWay, {
      onProgress: (event) => events.push(event),
    });
    const tasks = [...new Set(events.map((e) => e.task))];
    assert.deepEqual(tasks, ['tokenizing', 'features', 'fitting']);
    const last = events.at(-1)!;
    assert.equal(last.done, 3); // one problem per label
    assert.equal(last.total, 3);
  });
});

describe('explanations', () => {
  it('lists the n-grams that pushed hardest, largest first, signed towards the prediction', async () => {
    for (const options of [{ model: 'nb' }, { model: 'linear' }, { model: 'nbsvm' }] as const) {
      const classifier = await fitToy(options, binary);
      const attributions = await classifier.explain('the film was good but the plot was bad and great');
      const [prediction] = await classifier.predict(['the film was good but the plot was bad and great']);
      assert.equal(prediction.label, 'pos', name(options));
      const magnitudes = attributions.map((a) => Math.abs(a.weight));
      assert.deepEqual(
        magnitudes,
        [...magnitudes].sort((a, b) => b - a),
      );
      const top = attributions.slice(0, 3).map((a) => a.token);
      assert.ok(top.includes('good') || top.includes('great'), `${name(options)}: ${top.join(', ')}`);
      const bad = attributions.find((a) => a.token === 'bad');
      assert.ok(bad && bad.weight < 0, `${name(options)}: "bad" should push away from pos`);
      const good = attributions.find((a) => a.token === 'good');
      assert.ok(good && good.weight > 0);
    }
  });

  it('explains three-label predictions against the predicted label', async () => {
    const classifier = await fitToy({ model: 'nb' }, threeWay);
    const attributions = await classifier.explain('okay uneven film');
    assert.equal((await classifier.predict(['okay uneven film']))[0].label, 'mixed');
    assert.ok(['okay', 'uneven'].includes(attributions[0].token), attributions[0].token);
    assert.ok(attributions[0].weight > 0);
  });
});

describe('saved linear models', () => {
  for (const options of MODELS) {
    it(`${name(options)}: save → load predicts identically`, async () => {
      const classifier = await fitToy(options, threeWay);
      const dir = join(root, `model-${MODELS.indexOf(options)}`);
      await classifier.save(dir);
      const manifest = await readManifest(dir);
      assert.equal(manifest.kind, options.model);
      assert.ok(manifest.files['weights.bin']);
      const loaded = await SparseLinearClassifier.load(dir, manifest);
      const texts = [...threeWay.test.map((e) => e.text), 'never seen words', ''];
      assert.deepEqual(await loaded.predict(texts), await classifier.predict(texts));
      assert.deepEqual(await loaded.explain(texts[0]), await classifier.explain(texts[0]));
      assert.deepEqual(loaded.provenance.options, classifier.provenance.options);
    });
  }

  it('rejects a truncated or changed weights.bin, naming the file', async () => {
    const classifier = await fitToy({ model: 'linear' }, binary);
    const dir = join(root, 'damaged');
    const weightsFile = join(dir, 'weights.bin');

    await classifier.save(dir);
    await truncate(weightsFile, 8);
    await assert.rejects(
      async () => SparseLinearClassifier.load(dir, await readManifest(dir)),
      (error: Error) => error instanceof ModelFormatError && error.message.includes(weightsFile),
    );

    await classifier.save(dir);
    const bytes = await readFile(weightsFile);
    bytes[0] ^= 0xff;
    await writeFile(weightsFile, bytes);
    await assert.rejects(
      async () => SparseLinearClassifier.load(dir, await readManifest(dir)),
      (error: Error) =>
        error instanceof ModelFormatError &&
        error.message.includes(weightsFile) &&
        /checksum/.test(error.message),
    );
  });

  it('rejects a manifest whose weight shape does not fit weights.bin', async () => {
    const classifier = await fitToy({ model: 'nbsvm' }, binary);
    const dir = join(root, 'reshaped');
    await classifier.save(dir);
    const manifest = await readManifest(dir);
    const edited = {
      ...manifest,
      hyperParameters: {
        ...manifest.hyperParameters,
        weights: { rows: 2, cols: classifier.weights.cols, dtype: 'float32', endian: 'little' },
      },
    };
    // Sealed again, so that the loader's own checks are what fails, not the manifest's checksum.
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(sealManifest(edited)));
    await assert.rejects(
      async () => SparseLinearClassifier.load(dir, await readManifest(dir)),
      (error: Error) => error instanceof ModelFormatError && /weights\.bin/.test(error.message),
    );
  });
});

describe('linear options', () => {
  it('fills per-model defaults', () => {
    assert.equal(resolveLinearOptions({ model: 'linear' }).loss, 'squared-hinge');
    assert.equal(resolveLinearOptions({ model: 'nbsvm' }).loss, 'logistic');
    assert.equal(resolveLinearOptions({ model: 'nb' }).c, null);
    assert.equal(resolveLinearOptions({ model: 'linear', loss: 'hinge' }).calibrationSplit, 0.1);
    assert.equal(resolveLinearOptions({ model: 'nbsvm', loss: 'hinge' }).beta, 0.25);
    assert.equal(resolveLinearOptions({ model: 'linear', hashBits: 18 }).minDf, 1);
  });

  for (const [options, message] of [
    [{ model: 'svm' }, /unknown linear model "svm"/],
    [{ model: 'linear', c: 0 }, /c must be a positive number, got 0/],
    [{ model: 'linear', c: Number.NaN }, /c must be a positive number/],
    [{ model: 'nb', c: 1 }, /c does not apply to model "nb"/],
    [{ model: 'nb', loss: 'hinge' }, /loss does not apply to model "nb"/],
    [{ model: 'linear', loss: 'l1' }, /loss must be one of logistic, hinge, squared-hinge/],
    [{ model: 'linear', alpha: 1 }, /alpha does not apply to model "linear"/],
    [{ model: 'nb', alpha: -1 }, /alpha must be a positive number, got -1/],
    [{ model: 'nbsvm', beta: 0.5 }, /beta .* applies only with an SVM loss/],
    [{ model: 'nbsvm', loss: 'hinge', beta: 2 }, /beta must be a number from 0 to 1, got 2/],
    [{ model: 'nbsvm', sublinearTf: true }, /sublinearTf does not apply to model "nbsvm"/],
    [{ model: 'linear', ngrams: 0 }, /ngrams must be an integer from 1 to 8, got 0/],
    [{ model: 'linear', minDf: 1.5 }, /minDf must be a positive integer/],
    [{ model: 'linear', maxFeatures: 10, hashBits: 12 }, /maxFeatures and hashBits exclude each other/],
    [{ model: 'linear', minDf: 3, hashBits: 12 }, /minDf and hashBits exclude each other/],
    [{ model: 'linear', maxIterations: 0 }, /maxIterations must be a positive integer/],
    [{ model: 'linear', tolerance: -1 }, /tolerance must be a positive number/],
    [{ model: 'linear', loss: 'logistic', calibrationSplit: 0.2 }, /calibrationSplit applies only to SVM/],
    [
      { model: 'linear', loss: 'hinge', calibrationSplit: 1 },
      /calibrationSplit must be a fraction between 0 and 1 \(exclusive\), got 1/,
    ],
    [{ model: 'nb', sublinearTf: true }, /sublinearTf has no effect on binary features/],
  ] as const) {
    it(`rejects ${JSON.stringify(options)}`, () => {
      assert.throws(
        () => new LinearTrainer(options as unknown as LinearTrainerOptions),
        (error: Error) => error instanceof OptionError && message.test(error.message),
      );
    });
  }
});

// Measured with the default options and seed 42 on the 2,000/500-review sample: nb 83.4%, linear 86.6%,
// nbsvm 88.0%. The floors sit a few points below, far above chance: a broken feature, label or weight
// mapping drops a model to about 50%.
describe('linear model quality on a real IMDB sample', () => {
  for (const [model, floor] of [
    ['nb', 0.8],
    ['linear', 0.83],
    ['nbsvm', 0.85],
  ] as const) {
    it(`${model} trained on 2,000 reviews scores at least ${floor * 100}% on 500 held-out reviews`, async () => {
      const data = await imdbSample();
      const classifier = await new LinearTrainer({ model }).fit(data, { seed: 42 });
      const report = await evaluateClassifier(classifier, data.test);
      assert.ok(report.accuracy >= floor, `accuracy ${report.accuracy}`);
    });
  }
});
