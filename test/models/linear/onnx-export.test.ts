/**
 * The linear family's ONNX export: fixture models of nb, linear and nbsvm (two labels), three-label
 * models (softmax, one-vs-rest sigmoid, one-vs-rest Platt), and each weighting, norm and n-gram
 * order the sparse graph handles, run in onnxruntime-node against
 * Polarity's own predictions, and checked by python3-onnx. Each runtime is optional: without it the
 * test says what it skipped.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Dataset } from '../../../src/data/types.js';
import { OptionError } from '../../../src/errors.js';
import { exportModel, exportingFamilies } from '../../../src/models/export.js';
import { registerFamily, unregisterFamily } from '../../../src/models/families.js';
import { loadClassifier } from '../../../src/models/load.js';
import type { SparseLinearClassifier } from '../../../src/models/linear/linear-classifier.js';
import { LinearTrainer } from '../../../src/models/linear/linear-trainer.js';
import type { LinearTrainerOptions } from '../../../src/models/linear/linear-options.js';
import { imdbSample } from '../../helpers/fixtures.js';
import { checkWithPythonOnnx, onnxRuntime, skipWithoutOnnxPython } from '../../helpers/onnx.js';
import { runGraph } from '../../helpers/onnx-compare.js';
import { wordVoteFamily } from '../../helpers/toy-family/family.js';
import { WordVoteTrainer } from '../../helpers/toy-family/word-vote.js';
import { toyDataset } from '../../helpers/toy.js';

/** Three labels with words that decide them, and a shared apostrophe word. */
function threeLabels(size: number): Dataset {
  const words = { neg: 'bad awful', mixed: "so-so didn't", pos: 'good fine' } as const;
  const labels = Object.keys(words) as (keyof typeof words)[];
  return {
    name: 'three',
    labels,
    train: Array.from({ length: size }, (_, i) => {
      const label = labels[i % 3];
      return { text: `A ${words[label]} film, number ${i}<br />It's ${i % 7}`, label };
    }),
    test: [],
  };
}

interface Case {
  readonly name: string;
  readonly options: LinearTrainerOptions;
  readonly data: () => Promise<Dataset>;
}

const CASES: Case[] = [
  { name: 'nb', options: { model: 'nb' }, data: imdbSample },
  { name: 'linear', options: { model: 'linear' }, data: imdbSample },
  { name: 'nbsvm', options: { model: 'nbsvm' }, data: imdbSample },
  { name: 'nb, three labels', options: { model: 'nb', minDf: 1 }, data: async () => threeLabels(60) },
  {
    name: 'linear logistic, three labels',
    options: { model: 'linear', loss: 'logistic', minDf: 1 },
    data: async () => threeLabels(60),
  },
  {
    name: 'linear hinge (Platt), three labels',
    options: { model: 'linear', loss: 'hinge', minDf: 1, calibrationSplit: 0.3 },
    data: async () => threeLabels(90),
  },
  // The other settings of the sparse graph: counts, unigrams alone, sublinear counts with a fourth
  // n-gram level, tf-idf without sublinear tf on 1-3-grams.
  { name: 'nb counts, unigrams', options: { model: 'nb', binary: false, ngrams: 1 }, data: imdbSample },
  {
    name: 'nb sublinear counts, 1-4-grams',
    options: { model: 'nb', binary: false, sublinearTf: true, ngrams: 4 },
    data: imdbSample,
  },
  {
    name: 'linear tf-idf, 1-3-grams, three labels',
    options: { model: 'linear', sublinearTf: false, ngrams: 3, minDf: 1 },
    data: async () => threeLabels(60),
  },
];

describe('the linear family exports to ONNX', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-onnx-export-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const files: string[] = [];

  for (const { name, options, data } of CASES) {
    it(`${name}: onnxruntime-node gives Polarity's labels and probabilities within 1e-4`, async (t) => {
      const dataset = await data();
      const classifier = (await new LinearTrainer(options).fit(dataset, {
        seed: 1,
      })) as SparseLinearClassifier;
      const modelDir = join(dir, name.replace(/\W+/g, '-'));
      await classifier.save(modelDir);
      const { bytes, kind, family } = await exportModel(modelDir, 'onnx');
      assert.equal(kind, options.model);
      assert.equal(family, 'linear');
      const file = `${modelDir}.onnx`;
      await writeFile(file, bytes);
      files.push(file);

      const texts = [
        ...dataset.test.map((e) => e.text),
        ...dataset.train.slice(0, 200).map((e) => e.text),
        '',
        'It’s not bad, it`s GOOD&amp;fine',
        // An n-gram whose apostrophes are of two kinds: each word is looked up on its own.
        "it’s not bad, it's fine, didn't it`s so-so",
      ];
      const n = dataset.labels.length;
      // The graph's outputs in batches of 64 (of shape [batch, n]), and which texts it tokenizes as
      // tokenize does.
      const graph = await runGraph(bytes, texts, n);
      const ort = await onnxRuntime();
      if (graph === null || ort === null) return t.skip('onnxruntime-node is not installed');
      const want = await classifier.predict(texts);
      // Texts whose tokens in the graph are not tokenize's (references, NFC): counted, not compared.
      // Apostrophe look-alikes count as agreeing: the vocabulary holds their spellings.
      const agree = graph.tokensAgree;
      let maxDiff = 0;
      texts.forEach((text, i) => {
        if (!agree[i]) return;
        const expected = want[i];
        assert.equal(graph.labels[i], expected.label, `label of ${JSON.stringify(text.slice(0, 80))}`);
        dataset.labels.forEach((label, k) => {
          const diff = Math.abs(graph.probabilities[i * n + k] - expected.scores[label]);
          maxDiff = Math.max(maxDiff, diff);
          assert.ok(diff <= 1e-4, `${label} of ${JSON.stringify(text.slice(0, 80))}: off by ${diff}`);
        });
      });
      const session = await ort.InferenceSession.create(bytes);
      // A batch without a single token: the Tokenizer's output is [N, 0], and the bias alone decides.
      const empty = await session.run({ text: new ort.Tensor('string', ['', '!!'], [2]) });
      const [blank] = await classifier.predict(['']);
      assert.deepEqual(empty.label.data, [blank.label, blank.label]);
      // One token at most: the tokens are [N, 1], and every n-gram level past the first is empty.
      const short = ['good', '', 'bad!'];
      const one = await session.run({ text: new ort.Tensor('string', short, [short.length]) });
      const shortWant = await classifier.predict(short);
      assert.deepEqual(
        one.label.data,
        shortWant.map((p) => p.label),
      );
      shortWant.forEach((p, i) =>
        dataset.labels.forEach((label, k) =>
          assert.ok(Math.abs((one.probabilities.data as Float32Array)[i * n + k] - p.scores[label]) <= 1e-4),
        ),
      );
      const disagree = agree.filter((a) => !a).length;
      t.diagnostic(
        `${texts.length} texts, ${disagree} tokenized differently; max probability difference ${maxDiff.toExponential(2)}`,
      );
      classifier.dispose();
    });
  }

  it(
    'writes files that python3-onnx fully checks, with the metadata',
    { skip: skipWithoutOnnxPython() },
    async () => {
      assert.equal(files.length, CASES.length, 'the export cases ran first');
      const read = await checkWithPythonOnnx(files);
      read.forEach((model, i) => {
        assert.equal(model.irVersion, 8);
        assert.deepEqual(model.opsets, { '': 17, 'com.microsoft': 1, 'ai.onnx.ml': 3 });
        assert.equal(model.producer, 'polarity');
        assert.equal(model.metadata['polarity.kind'], CASES[i].options.model);
        assert.ok(JSON.parse(model.metadata['polarity.labels']).length >= 2);
        assert.match(model.metadata['polarity.data_fingerprint'], /^[0-9a-f]{64}$/);
        assert.deepEqual(
          model.outputs.map((o) => o.name),
          ['probabilities', 'label'],
        );
        assert.deepEqual(model.inputs, [{ name: 'text', type: 8, shape: ['N'] }]);
      });
    },
  );

  it('one-vs-rest: tiny sigmoids are divided as in double precision, and all underflowing gives 1/labels', async (t) => {
    const ort = await onnxRuntime();
    if (ort === null) return t.skip('onnxruntime-node is not installed');
    const dataset = threeLabels(60);
    const classifier = (await new LinearTrainer({ model: 'linear', loss: 'logistic', minDf: 1 }).fit(
      dataset,
      {
        seed: 1,
      },
    )) as SparseLinearClassifier;
    const texts = ['a bad awful film', 'good fine', "so-so didn't", ''];
    // Scores near −300: each sigmoid underflows in float32 but not in double precision.
    // Scores near −1000: every sigmoid is 0 in double precision too, and Polarity gives 1/3 each.
    for (const shift of [-300, -1000]) {
      const bias = classifier.weights.bias;
      const saved = bias.slice();
      bias.forEach((b, k) => (bias[k] = b + shift));
      const modelDir = join(dir, `underflow${-shift}`);
      await classifier.save(modelDir);
      bias.set(saved);
      const reloaded = (await loadClassifier(modelDir)) as SparseLinearClassifier;
      const want = await reloaded.predict(texts);
      const session = await ort.InferenceSession.create((await exportModel(modelDir, 'onnx')).bytes);
      const out = await session.run({ text: new ort.Tensor('string', texts, [texts.length]) });
      const probabilities = out.probabilities.data as Float32Array;
      texts.forEach((text, i) => {
        const expected = dataset.labels.map((label) => want[i].scores[label]);
        if (shift === -1000) assert.deepEqual(expected, [1 / 3, 1 / 3, 1 / 3]);
        else assert.notDeepEqual(expected, [1 / 3, 1 / 3, 1 / 3], 'the ratios, not the fallback');
        expected.forEach((p, k) => {
          const diff = Math.abs(probabilities[i * 3 + k] - p);
          assert.ok(
            diff <= 1e-4,
            `${text}, label ${k}, shift ${shift}: ${probabilities[i * 3 + k]} for ${p}`,
          );
        });
        assert.equal((out.label.data as string[])[i], want[i].label);
      });
      reloaded.dispose();
    }
    classifier.dispose();
  });

  it('refuses a hashed vectorizer with a clear error', async () => {
    const classifier = await new LinearTrainer({ model: 'nb', hashBits: 10 }).fit(toyDataset(20), {
      seed: 1,
    });
    const modelDir = join(dir, 'hashed');
    await classifier.save(modelDir);
    await assert.rejects(
      exportModel(modelDir, 'onnx'),
      (e: Error) => e instanceof OptionError && /hashBits 10/.test(e.message),
    );
  });

  it('names the families that export when a family has no export', async () => {
    registerFamily(wordVoteFamily);
    try {
      const classifier = await new WordVoteTrainer().fit(toyDataset(20));
      const modelDir = join(dir, 'word-vote');
      await classifier.save(modelDir);
      // Every family of the table with an export, in table order; never the toy family.
      assert.deepEqual(
        exportingFamilies().filter((f) => ['neural', 'linear', 'fasttext', 'ensemble', 'toy'].includes(f)),
        ['neural', 'linear', 'fasttext', 'ensemble'],
      );
      await assert.rejects(
        exportModel(modelDir, 'onnx'),
        /cannot be exported yet; the families with an export are: neural, linear, fasttext, ensemble/,
      );
      await assert.rejects(exportModel(modelDir, 'tflite'), /unknown export format "tflite"/);
    } finally {
      unregisterFamily(wordVoteFamily.family);
    }
  });
});
