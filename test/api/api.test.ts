/**
 * The task-level API as a library user calls it: train from a path or from memory with flat options,
 * predict, explain any model, save, load, evaluate; TensorFlow.js started on first use, never by the
 * caller; mistakes refused with typed errors before anything trains.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate, load, train, TextClassifier, type TrainOptions } from '../../src/api/index.js';
import { unregisterFamily } from '../../src/models/families.js';
import { DatasetError, ModelFormatError, OptionError } from '../../src/errors.js';
import { explainText } from '../../src/explain/explain-text.js';
import { toyDataset } from '../helpers/toy.js';
import { TOY_NEGATIVE, TOY_POSITIVE } from '../helpers/models.js';

const toy = toyDataset(40);
const texts = toy.train.map((example) => example.text);
const labels = toy.train.map((example) => example.label);

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'polarity-api-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('train, predict, explain, save, load, evaluate', () => {
  it('trains nbsvm from texts and labels, and its saved copy predicts the same', async () => {
    const classifier = await train({ model: 'nbsvm', data: { texts, labels }, minDf: 1, seed: 3 });
    assert.ok(classifier instanceof TextClassifier);
    assert.deepEqual(classifier.labels, ['neg', 'pos']);
    const predictions = await classifier.predict([TOY_POSITIVE, TOY_NEGATIVE]);
    assert.deepEqual(
      predictions.map((p) => p.label),
      ['pos', 'neg'],
    );
    const explained = await classifier.explain('a good film');
    assert.ok(explained.some(({ token, weight }) => token === 'good' && weight > 0));
    await classifier.save(join(dir, 'nbsvm'));
    const loaded = await load(join(dir, 'nbsvm'));
    assert.deepEqual(await loaded.predict([TOY_POSITIVE, TOY_NEGATIVE]), predictions);
    const report = await evaluate(loaded, toy.train);
    assert.equal(report.accuracy, 1);
  });

  it('trains from a CSV path and evaluates on it', async () => {
    const csv = join(dir, 'reviews.csv');
    await writeFile(csv, ['text,label', ...toy.train.map((e) => `${e.text},${e.label}`)].join('\n'));
    const classifier = await train({ model: 'nb', data: csv });
    assert.equal((await evaluate(classifier, csv)).accuracy, 1);
  });

  it('trains and loads a tiny network without the caller starting TensorFlow.js', async () => {
    const classifier = await train({
      model: 'mlp',
      data: toy.train,
      epochs: 1,
      numWords: 40,
      maxLen: 12,
      embeddingDim: 4,
      hiddenUnits: 4,
    });
    assert.equal(classifier.history?.length, 1);
    await classifier.save(join(dir, 'mlp'));
    classifier.dispose();
    const loaded = await load(join(dir, 'mlp'));
    const [prediction] = await loaded.predict([TOY_POSITIVE]);
    assert.ok(['neg', 'pos'].includes(prediction.label));
    // A network has no explanation of its own: occlusion gives one, word by word.
    const explanation = await loaded.explanation(TOY_POSITIVE);
    assert.equal(explanation.method, 'occlusion');
    assert.equal((await loaded.explain(TOY_POSITIVE)).length, explanation.words.length);
    // Wherever it goes (the service, explainText), its explain is not taken for the network's own.
    assert.equal((await explainText(loaded, TOY_POSITIVE)).method, 'occlusion');
    loaded.dispose();
  });
});

describe('a registered family', () => {
  before(async () => {
    await import('../helpers/toy-family/register.js');
  });
  after(() => unregisterFamily('toy'));

  it('trains through train() with its own options (typed once its names join ModelOptionsByName)', async () => {
    const options = { model: 'word-vote', data: toy.train, smoothing: 2 };
    const classifier = await train(options as unknown as TrainOptions);
    assert.equal(classifier.kind, 'word-vote');
    assert.equal((await classifier.predict([TOY_POSITIVE]))[0].label, 'pos');
    await assert.rejects(train({ ...options, minDf: 2 } as unknown as TrainOptions), OptionError);
  });
});

describe('mistakes, refused with typed errors', () => {
  it('refuses an option the model does not take', async () => {
    // @ts-expect-error: dim is fastText's, not nbsvm's
    await assert.rejects(train({ model: 'nbsvm', data: toy.train, dim: 8 }), OptionError);
    await assert.rejects(train({ model: 'nbsvm', data: toy.train, minDf: 0 }), OptionError);
    await assert.rejects(
      train({ model: 'nbsvm', data: toy.train, earlyStopping: { patience: 2 } }),
      OptionError,
    );
  });

  it('refuses texts and labels of different lengths, and dataOptions for data in memory', async () => {
    await assert.rejects(train({ model: 'nb', data: { texts, labels: labels.slice(1) } }), DatasetError);
    await assert.rejects(
      train({ model: 'nb', data: toy.train, dataOptions: { testSplit: 0.2 } }),
      OptionError,
    );
  });

  it('refuses a Dataset that lists a label none of its examples has', async () => {
    await assert.rejects(
      train({ model: 'nb', data: { ...toy, labels: ['neg', 'neutral', 'pos'] } }),
      /"neutral", which no training example has/,
    );
    await assert.rejects(train({ model: 'nb', data: { ...toy, labels: ['neg'] } }), DatasetError);
  });

  it('refuses to evaluate on a label the model does not know', async () => {
    const classifier = await train({ model: 'nb', data: toy.train });
    await assert.rejects(evaluate(classifier, [{ text: 'so-so', label: 'meh' }]), DatasetError);
  });

  it('says a model name is for train when load is given one', async () => {
    await assert.rejects(load('nbsvm'), ModelFormatError);
  });
});
