import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Dataset, Example } from '../../../src/data/types.js';
import { loadUnlabelled } from '../../../src/data/unlabelled.js';
import { trainingDataOf, trainModel } from '../../../src/experiments/train-model.js';
import { isTransductive } from '../../../src/experiments/transductive.js';
import { DocVecClassifier } from '../../../src/models/docvec/docvec-classifier.js';
import { DocVecTrainer } from '../../../src/models/docvec/docvec-trainer.js';
import { sealManifest } from '../../../src/persist/manifest.js';
import { readManifest } from '../../../src/persist/model-dir.js';
import { Random } from '../../../src/util/random.js';

/**
 * A synthetic corpus where only the co-occurrence of words tells the two labels apart: each text mixes
 * filler words with words of its label's "topic". Unlabelled texts come from the same two topics.
 */
function corpus(count: number, random: Random): Example[] {
  const filler = Array.from({ length: 40 }, (_, i) => `w${i}`);
  const topics = [
    Array.from({ length: 20 }, (_, i) => `bad${i}`),
    Array.from({ length: 20 }, (_, i) => `good${i}`),
  ];
  return Array.from({ length: count }, (_, n) => {
    const label = n % 2;
    const words = Array.from({ length: 30 }, () =>
      random.next() < 0.4 ? topics[label][random.int(20)] : filler[random.int(filler.length)],
    );
    return { text: words.join(' '), label: label === 1 ? 'pos' : 'neg' };
  });
}

const SMALL = { dim: 16, epochs: 8, inferEpochs: 8, ngrams: 1, minDf: 1, learningRate: 0.05 };

describe('docvec family', () => {
  const random = new Random(7);
  const train = corpus(200, random);
  const test = corpus(100, random);
  const unlabelled = corpus(200, random).map((e) => e.text);
  const dataset: Dataset = { name: 'synthetic', labels: ['neg', 'pos'], train, test: [] };
  let model: DocVecClassifier;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-docvec-'));
    model = await new DocVecTrainer(SMALL).fit(dataset, {
      seed: 3,
      unlabelled: { texts: unlabelled, fingerprint: 'f', transductive: false },
    });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('learns document vectors that tell the topics apart (nearest label centroid, held-out texts)', async () => {
    const accuracy = await centroidAccuracy(model, train, test);
    assert.ok(accuracy >= 0.85, `vectors alone: ${accuracy}`);
  });

  it('learns as well on two threads (Hogwild)', async () => {
    const twoThreads = await new DocVecTrainer({ ...SMALL, threads: 2 }).fit(dataset, { seed: 3 });
    const accuracy = await centroidAccuracy(twoThreads, train, test);
    assert.ok(accuracy >= 0.85, `vectors alone: ${accuracy}`);
  });

  it('classifies held-out texts', async () => {
    const predictions = await model.predict(test.map((e) => e.text));
    const right = predictions.filter((p, i) => p.label === test[i].label).length;
    assert.ok(right / test.length >= 0.9, `${right} of ${test.length}`);
  });

  it('folds a text in the same way alone, in any batch, and twice', async () => {
    const texts = test.slice(0, 6).map((e) => e.text);
    const together = await model.probabilities(texts);
    const reversed = (await model.probabilities([...texts].reverse())).reverse();
    const alone = await Promise.all(texts.map(async (t) => (await model.probabilities([t]))[0]));
    assert.deepEqual([...reversed], [...together]);
    assert.deepEqual(alone, [...together]);
  });

  it('saves and loads back to the same predictions, recording the unlabelled texts', async () => {
    const out = join(dir, 'model');
    await model.save(out);
    const manifest = await readManifest(out);
    const loaded = await DocVecClassifier.load(out, manifest);
    const texts = test.map((e) => e.text);
    assert.deepEqual(await loaded.predict(texts), await model.predict(texts));
    assert.deepEqual(manifest.hyperParameters.unlabelled, {
      count: 200,
      fingerprint: 'f',
      transductive: false,
    });
    assert.equal(await isTransductive(out), false);
    const transductiveOut = join(dir, 'transductive');
    const unlabelled = { count: 200, fingerprint: 'f', transductive: true };
    await new DocVecClassifier({ ...model.parts, unlabelled }).save(transductiveOut);
    assert.equal(await isTransductive(transductiveOut), true);
  });
});

describe('docvec punctuation', () => {
  /** Texts told apart by their marks only: the same filler words, then "!" for pos or "?" for neg. */
  function marked(count: number, random: Random): Example[] {
    return Array.from({ length: count }, (_, n) => {
      const words = Array.from({ length: 12 }, () => `w${random.int(30)}`);
      const mark = n % 2 === 1 ? '!' : '?';
      return { text: `${words.join(' ')}${mark} ${words[0]}${mark}`, label: n % 2 === 1 ? 'pos' : 'neg' };
    });
  }
  const random = new Random(11);
  const train = marked(200, random);
  const test = marked(100, random);
  const dataset: Dataset = { name: 'marks', labels: ['neg', 'pos'], train, test: [] };
  const accuracy = async (model: DocVecClassifier) => {
    const predictions = await model.predict(test.map((e) => e.text));
    return predictions.filter((p, i) => p.label === test[i].label).length / test.length;
  };
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'polarity-docvec-marks-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('learns from marks by default, and not with punctuation off', async () => {
    const withMarks = await new DocVecTrainer(SMALL).fit(dataset, { seed: 3 });
    const wordsOnly = await new DocVecTrainer({ ...SMALL, punctuation: false }).fit(dataset, { seed: 3 });
    assert.ok((await accuracy(withMarks)) >= 0.95, `with marks: ${await accuracy(withMarks)}`);
    assert.ok((await accuracy(wordsOnly)) <= 0.7, `words only: ${await accuracy(wordsOnly)}`);
  });

  it('loads a model saved before the option as words only, and refuses options that contradict its tokens', async () => {
    const wordsOnly = await new DocVecTrainer({ ...SMALL, punctuation: false }).fit(dataset, { seed: 3 });
    const out = join(dir, 'words-only');
    await wordsOnly.save(out);
    const manifestFile = join(out, 'polarity.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    assert.equal(manifest.encoder.tokenizer, 'polarity-words-v1');
    delete manifest.hyperParameters.punctuation;
    await writeFile(manifestFile, JSON.stringify(sealManifest(manifest)));
    const loaded = await DocVecClassifier.load(out, await readManifest(out));
    assert.equal(loaded.provenance.options.punctuation, false);
    const texts = test.map((e) => e.text);
    assert.deepEqual(await loaded.predict(texts), await wordsOnly.predict(texts));

    manifest.hyperParameters.punctuation = true;
    await writeFile(manifestFile, JSON.stringify(sealManifest(manifest)));
    await assert.rejects(
      DocVecClassifier.load(out, await readManifest(out)),
      /"punctuation" is true but the vectorizer was fitted on tokens of polarity-words-v1/,
    );
  });
});

describe('unlabelled texts', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-unlabelled-'));
    for (const [path, text] of [
      ['aclImdb/train/unsup/1_0.txt', 'one unlabelled review'],
      ['aclImdb/train/unsup/10_0.txt', 'another, later by its number'],
      ['aclImdb/train/unsup/2_0.txt', 'a second review'],
      ['aclImdb/train/pos/3_9.txt', 'a labelled training review'],
      ['aclImdb/test/pos/4_8.txt', 'a test review'],
      ['aclImdb/test/urls_pos.txt', 'http://www.imdb.com/title/tt0000001/usercomments'],
      ['aclImdb/README.txt', 'about the dataset'],
    ]) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("reads IMDB's train/unsup/ in id order, with a fingerprint", async () => {
    const read = await loadUnlabelled(dir, { onlyImdbUnsup: true });
    assert.deepEqual(read.texts, [
      'one unlabelled review',
      'a second review',
      'another, later by its number',
    ]);
    assert.match(read.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(read.transductive, false);
  });

  it('refuses test-split texts unless transductive, and then says so', async () => {
    const test = join(dir, 'aclImdb', 'test');
    await assert.rejects(loadUnlabelled(test), /test split.*--transductive/);
    const read = await loadUnlabelled(test, { transductive: true });
    assert.deepEqual(read.texts, ['a test review']);
    assert.equal(read.transductive, true);
  });

  it("reads the unlabelled and test reviews of the whole folder when transductive, not IMDB's URL lists or README", async () => {
    const read = await loadUnlabelled(join(dir, 'aclImdb'), { transductive: true });
    assert.deepEqual(read.texts, [
      'a test review',
      'one unlabelled review',
      'a second review',
      'another, later by its number',
    ]);
  });

  it('reads a text file as one text per line, skipping blank lines', async () => {
    const file = join(dir, 'lines.txt');
    await writeFile(file, 'first text\n\nsecond text\n');
    assert.deepEqual((await loadUnlabelled(file)).texts, ['first text', 'second text']);
  });

  it('goes through train into the manifest for docvec, and is refused for a model that cannot use it', async () => {
    const random = new Random(1);
    const dataset: Dataset = {
      name: 'synthetic',
      labels: ['neg', 'pos'],
      train: corpus(60, random),
      test: [],
    };
    const file = join(dir, 'unlabelled.txt');
    await writeFile(
      file,
      corpus(30, random)
        .map((e) => e.text)
        .join('\n'),
    );
    const out = join(dir, 'trained');
    const trained = await trainModel({
      model: 'docvec',
      data: trainingDataOf(dataset),
      options: { docvec: { ...SMALL, epochs: 1, inferEpochs: 1 } },
      unlabelled: { path: file },
      out,
    });
    trained.classifier.dispose();
    const manifest = JSON.parse(await readFile(join(out, 'polarity.json'), 'utf8')) as {
      hyperParameters: { unlabelled: { count: number; fingerprint: string; transductive: boolean } };
    };
    assert.equal(manifest.hyperParameters.unlabelled.count, 30);
    assert.equal(manifest.hyperParameters.unlabelled.transductive, false);
    await assert.rejects(
      trainModel({ model: 'nbsvm', data: trainingDataOf(dataset), unlabelled: { path: file } }),
      /does not learn from unlabelled text; models that do: docvec/,
    );
  });
});

/** Accuracy on `test` of the nearest label centroid of the training texts' folded-in vectors. */
async function centroidAccuracy(model: DocVecClassifier, train: Example[], test: Example[]): Promise<number> {
  const { dim } = model.provenance.options;
  const trainVectors = await model.documentVectors(train.map((e) => e.text));
  const centroids = [new Float64Array(dim), new Float64Array(dim)];
  train.forEach((e, i) => {
    const v = unit(trainVectors.subarray(i * dim, (i + 1) * dim));
    const c = centroids[e.label === 'pos' ? 1 : 0];
    for (let d = 0; d < dim; d++) c[d] += v[d];
  });
  const testVectors = await model.documentVectors(test.map((e) => e.text));
  let right = 0;
  test.forEach((e, i) => {
    const v = unit(testVectors.subarray(i * dim, (i + 1) * dim));
    const score = (c: Float64Array) => c.reduce((s, x, d) => s + x * v[d], 0);
    if (score(centroids[1]) > score(centroids[0]) === (e.label === 'pos')) right++;
  });
  return right / test.length;
}

function unit(v: Float32Array): Float64Array {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return Float64Array.from(v, (x) => x / n);
}
