/**
 * The training run as a library function (src/experiments/train-model.ts): what `polarity train`
 * does, without the CLI. NBSVM on a small file (saved with its split record, streamed), a network
 * for one epoch with a validation slice, and the run's controls placed where each family's table
 * entry says, or refused where it reads none.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DatasetError, OptionError } from '../../src/errors.js';
import { initBackend } from '../../src/engine/index.js';
import { SPLIT_RECORD_FILE } from '../../src/data/split-record.js';
import {
  trainingDataFrom,
  trainingDataOf,
  trainingSplits,
  trainModel,
  withRunOptions,
} from '../../src/experiments/train-model.js';
import { loadClassifier } from '../../src/models/load.js';
import { readManifest } from '../../src/persist/model-dir.js';
import { TOY_MLP_OPTIONS, TOY_NEGATIVE, TOY_POSITIVE } from '../helpers/models.js';
import { toyDataset } from '../helpers/toy.js';

const TEXTS = [TOY_POSITIVE, TOY_NEGATIVE];

describe('trainModel', () => {
  let dir: string;
  let data: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-train-model-'));
    data = join(dir, 'reviews.jsonl');
    await writeFile(
      data,
      toyDataset(60)
        .train.map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('trains nbsvm on a file, saves it with the rows of the carved test split, and it loads the same', async () => {
    const out = join(dir, 'nbsvm');
    const warnings: string[] = [];
    const {
      classifier,
      history,
      data: report,
      settings,
    } = await trainModel({
      model: 'nbsvm',
      data: trainingDataFrom(data, { testSplit: 0.2, seed: 3 }),
      seed: 3,
      labels: { warn: (line) => warnings.push(line) },
      out,
    });
    try {
      assert.deepEqual(
        (await classifier.predict(TEXTS)).map((p) => p.label),
        ['pos', 'neg'],
      );
      assert.deepEqual(history, [], 'nbsvm is not trained in epochs');
      assert.deepEqual(report?.rows, { train: 48, test: 12 });
      assert.deepEqual(settings, { seed: 3 }, 'a family without trainingSettings reports the seed');
      assert.deepEqual(warnings, []);
      const manifest = await readManifest(out);
      assert.ok(manifest.files[SPLIT_RECORD_FILE], 'the split record is part of the model directory');
      const record = JSON.parse(await readFile(join(out, SPLIT_RECORD_FILE), 'utf8')) as { seed: number };
      assert.equal(record.seed, 3);
      const loaded = await loadClassifier(out);
      assert.deepEqual(await loaded.predict(TEXTS), await classifier.predict(TEXTS));
      loaded.dispose();
    } finally {
      classifier.dispose();
    }
  });

  it('streams the data for a family that reads it in passes, and refuses to for one that does not', async () => {
    const streamed = await trainModel({ model: 'nbsvm', data: trainingDataFrom(data), stream: true });
    const whole = await trainModel({ model: 'nbsvm', data: trainingDataFrom(data) });
    assert.deepEqual(await streamed.classifier.predict(TEXTS), await whole.classifier.predict(TEXTS));
    streamed.classifier.dispose();
    whole.classifier.dispose();
    await assert.rejects(
      trainModel({ model: 'fasttext', data: trainingDataFrom(data), stream: true }),
      (error: Error) => error instanceof OptionError && /fasttext .*cannot stream/.test(error.message),
    );
    await assert.rejects(
      trainModel({ model: 'nbsvm', data: trainingDataOf(toyDataset(20)), stream: true }),
      /cannot be read in passes/,
    );
  });

  it('checks the labels: too rare a label is told, or refused with strict', async () => {
    const dataset = { ...toyDataset(20), labels: ['neg', 'odd', 'pos'] };
    dataset.train = [...dataset.train, { text: 'a strange film', label: 'odd' }];
    const warnings: string[] = [];
    const trained = await trainModel({
      model: 'nb',
      data: trainingDataOf(dataset),
      labels: { warn: (line) => warnings.push(line) },
    });
    trained.classifier.dispose();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /fewer than 2 training examples.*"odd" \(1\)/);
    await assert.rejects(
      trainModel({ model: 'nb', data: trainingDataOf(dataset), labels: { strict: true } }),
      DatasetError,
    );
  });

  it('refuses an unknown model before reading any data', async () => {
    let read = false;
    const source = {
      load: async () => {
        read = true;
        return { dataset: toyDataset(4) };
      },
    };
    await assert.rejects(
      trainModel({ model: 'no-such-model', data: source }),
      /unknown model "no-such-model"/,
    );
    assert.equal(read, false);
  });

  it('trains a network for one epoch with a validation slice and keeps its history', async () => {
    await initBackend({ backend: 'wasm' });
    const epochs: number[] = [];
    const { classifier, history, settings } = await trainModel({
      model: 'mlp',
      data: trainingDataOf(toyDataset(64)),
      options: { neural: { hyperParameters: { ...TOY_MLP_OPTIONS.hyperParameters, epochs: 1 } } },
      run: { validationSplit: 0.25 },
      seed: 1,
      callbacks: { onEpochEnd: (record) => epochs.push(record.epoch) },
    });
    try {
      assert.equal(history.length, 1);
      assert.deepEqual(epochs, [1], "the caller's callbacks still hear each epoch");
      assert.equal(typeof history[0].valLoss, 'number', 'the slice gives a validation loss');
      assert.equal(settings['validation split'], 0.25);
      assert.equal(settings.epochs, 1);
      assert.equal((await classifier.predict(TEXTS)).length, 2);
    } finally {
      classifier.dispose();
    }
  });
});

describe('withRunOptions', () => {
  it("puts each run control where the model's family reads it, leaving unset ones out", () => {
    const run = { validationSplit: 0.2, earlyStopping: { patience: 2 }, checkpointDir: 'ck' };
    assert.deepEqual(withRunOptions('cnn', { neural: { hyperParameters: { epochs: 3 } } }, run), {
      neural: {
        hyperParameters: { epochs: 3, validationSplit: 0.2 },
        earlyStopping: { patience: 2 },
        checkpointDir: 'ck',
      },
    });
    assert.deepEqual(
      withRunOptions('fasttext', {}, { validationSplit: 0.1, earlyStopping: { patience: 1 } }),
      {
        fasttext: { validationSplit: 0.1, earlyStopping: { patience: 1 } },
      },
    );
    assert.deepEqual(withRunOptions('ensemble', { members: ['nb', 'mlp'] }, { validationSplit: 0.3 }), {
      members: ['nb', 'mlp'],
      ensembleValidationSplit: 0.3,
    });
    assert.deepEqual(withRunOptions('nbsvm', { linear: { minDf: 1 } }, {}), { linear: { minDf: 1 } });
  });

  it('refuses a control the family does not read', () => {
    assert.throws(() => withRunOptions('nbsvm', {}, { validationSplit: 0.1 }), OptionError);
    assert.throws(() => withRunOptions('fasttext', {}, { checkpointDir: 'ck' }), /checkpointDir .* fasttext/);
    assert.throws(() => withRunOptions('ensemble', {}, { earlyStopping: { patience: 1 } }), OptionError);
  });
});

describe('trainingSplits', () => {
  it('reads the test split only where one is carved (its rows are recorded, the leak check compares)', () => {
    assert.deepEqual(trainingSplits(undefined), ['train']);
    assert.deepEqual(trainingSplits(0.2), ['train', 'test']);
  });
});
