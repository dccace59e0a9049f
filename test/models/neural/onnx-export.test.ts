/**
 * The neural family's ONNX export: tiny seeded networks of each architecture (and the encoder's
 * options: padding and truncating sides, skipped unknown words, no start id, three labels), run in
 * onnxruntime-node on texts shorter and longer than maxLen, empty, unknown words and tokenizer
 * corner cases, against Polarity's own predictions; the files checked by python3-onnx. Each
 * runtime is optional: without it the test says what it skipped.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Dataset } from '../../../src/data/types.js';
import { initBackend } from '../../../src/engine/index.js';
import { exportModel } from '../../../src/models/export.js';
import type { NeuralHyperParameters } from '../../../src/models/neural/neural-config.js';
import { NeuralTrainer } from '../../../src/models/neural/neural-trainer.js';
import type { NeuralTrainerOptions } from '../../../src/models/neural/neural-trainer-options.js';
import { Random } from '../../../src/util/random.js';
import { checkWithPythonOnnx, onnxRuntime, skipWithoutOnnxPython } from '../../helpers/onnx.js';
import { runGraph } from '../../helpers/onnx-compare.js';

const WORDS = {
  pos: ['good', 'great', 'fine', "it's", 'loved', 'fun'],
  neg: ['bad', 'awful', 'dull', "didn't", 'hated', 'boring'],
  both: ['film', 'movie', 'the', 'a', 'plot', 'actor', 'scene', 'number'],
} as const;

/** 40 seeded texts of 0 to 29 words, each label's words mixed with shared ones and HTML. */
function fixture(labels: readonly string[]): Dataset {
  const random = new Random(11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random.next() * list.length)];
  const train = Array.from({ length: 40 }, (_, i) => {
    const label = labels[i % labels.length];
    const own = label === 'neg' ? WORDS.neg : label === 'pos' ? WORDS.pos : WORDS.both;
    const length = Math.floor(random.next() * 30);
    const words = Array.from({ length }, (_, k) => (k % 3 === 0 ? pick(own) : pick(WORDS.both)));
    return { text: `${words.join(' ')}${i % 4 === 0 ? '<br />Rated ' + i : ''}`, label };
  });
  return { name: 'fixture', labels, train, test: [] };
}

/** Texts to score beyond the training ones: lengths around maxLen, unknown words, tokenizer cases. */
const EXTRA = [
  '',
  '!!! ...',
  'GOOD',
  'unseen words only, zebra quokka',
  'It’s GOOD, it`s fine&amp;great; didn´t hate it',
  "'quoted' well-made <i>film</i> café",
  Array.from({ length: 25 }, (_, i) => (i % 2 ? 'bad' : 'film')).join(' '),
  Array.from({ length: 60 }, (_, i) => ['good', 'zebra', 'plot', 'awful', 'the'][i % 5]).join(' '),
  Array.from({ length: 19 }, () => 'great').join(' '),
  Array.from({ length: 20 }, () => 'dull').join(' '),
];

const SMALL: Partial<NeuralHyperParameters> = {
  numWords: 16,
  maxLen: 20,
  embeddingDim: 6,
  hiddenUnits: 8,
  filters: 4,
  kernelSize: 4,
  filterSizes: [2, 3],
  units: 4,
  epochs: 1,
  batchSize: 8,
  learningRate: 0.02,
  validationSplit: 0,
};

interface Case {
  readonly name: string;
  readonly options: NeuralTrainerOptions;
  readonly labels?: readonly string[];
}

const CASES: Case[] = [
  { name: 'mlp', options: { model: 'mlp' } },
  {
    name: 'mlp, padding and truncating post',
    options: { model: 'mlp', padding: 'post', truncating: 'post' },
  },
  { name: 'cnn', options: { model: 'cnn' } },
  {
    name: 'cnn, padding and truncating post',
    options: { model: 'cnn', padding: 'post', truncating: 'post' },
  },
  { name: 'cnn-global', options: { model: 'cnn-global' } },
  {
    name: 'mlp, unknown words skipped, top 2 words skipped',
    options: { model: 'mlp', vocabulary: { unknown: 'skip', skipTop: 2 } },
  },
  { name: 'lstm', options: { model: 'lstm' } },
  {
    name: 'lstm, no start id, truncating post',
    options: { model: 'lstm', vocabulary: { startChar: null }, truncating: 'post' },
  },
  {
    name: 'bilstm, max pooling, embedding dropout',
    options: { model: 'bilstm', hyperParameters: { pooling: 'max', embeddingDropout: 0.2 } },
  },
  { name: 'bilstm, last states', options: { model: 'bilstm', hyperParameters: { pooling: 'last' } } },
  { name: 'gru', options: { model: 'gru' } },
  {
    name: 'gru, max pooling, three labels',
    options: { model: 'gru', hyperParameters: { pooling: 'max' } },
    labels: ['neg', 'mixed', 'pos'],
  },
  {
    name: 'cnn-global, three labels, unknown words skipped',
    options: { model: 'cnn-global', vocabulary: { unknown: 'skip' } },
    labels: ['neg', 'mixed', 'pos'],
  },
];

describe('the neural family exports to ONNX', () => {
  let dir: string;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    dir = await mkdtemp(join(tmpdir(), 'polarity-onnx-neural-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const files: string[] = [];

  for (const { name, options, labels = ['neg', 'pos'] } of CASES) {
    it(`${name}: onnxruntime-node gives Polarity's labels and probabilities within 1e-4`, async (t) => {
      const dataset = fixture(labels);
      const trainer = new NeuralTrainer({
        ...options,
        hyperParameters: { ...SMALL, ...options.hyperParameters },
      });
      const classifier = await trainer.fit(dataset, { seed: 5 });
      const modelDir = join(dir, name.replace(/\W+/g, '-'));
      await classifier.save(modelDir);
      const { bytes, kind, family } = await exportModel(modelDir, 'onnx');
      assert.equal(kind, options.model);
      assert.equal(family, 'neural');
      const file = `${modelDir}.onnx`;
      await writeFile(file, bytes);
      files.push(file);

      if ((await onnxRuntime()) === null) return t.skip('onnxruntime-node is not installed');
      const texts = [...dataset.train.map((e) => e.text), ...EXTRA];
      const want = await classifier.predict(texts);
      classifier.dispose();
      const n = labels.length;
      let maxDiff = 0;
      // Batches of different sizes, so that rows of different lengths share one (each batch's
      // probabilities of shape [batch, n]).
      for (const size of [texts.length, 7, 1]) {
        const graph = (await runGraph(bytes, texts, n, size))!;
        texts.forEach((text, i) => {
          const expected = want[i];
          const what = JSON.stringify(text.slice(0, 60));
          labels.forEach((label, k) => {
            const diff = Math.abs(graph.probabilities[i * n + k] - expected.scores[label]);
            maxDiff = Math.max(maxDiff, diff);
            assert.ok(diff <= 1e-4, `${label} of ${what}: off by ${diff}`);
          });
          // A near tie may go either way in float32; no fixture text comes that close.
          assert.equal(graph.labels[i], expected.label, `label of ${what}`);
        });
      }
      const first = want.map((p) => p.scores[labels[0]]);
      t.diagnostic(
        `${texts.length} texts, max probability difference ${maxDiff.toExponential(2)}; ` +
          `P(${labels[0]}) from ${Math.min(...first).toFixed(3)} to ${Math.max(...first).toFixed(3)}`,
      );
    });
  }

  it('python3-onnx checks every exported file in full and reads the metadata', async (t) => {
    const skip = skipWithoutOnnxPython();
    if (skip) return t.skip(skip);
    const read = await checkWithPythonOnnx(files);
    assert.equal(read.length, CASES.length);
    for (const model of read) {
      assert.deepEqual(model.opsets, { '': 17, 'com.microsoft': 1, 'ai.onnx.ml': 3 });
      assert.deepEqual(JSON.parse(model.metadata['polarity.sequence']).maxLen, 20);
      assert.ok(model.metadata['polarity.vocabulary']);
      assert.deepEqual(
        model.inputs.map((i) => i.name),
        ['text'],
      );
    }
  });
});
