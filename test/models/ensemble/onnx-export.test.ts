/**
 * The ensemble family's ONNX export: seeded fixture ensembles (nbsvm + fastText on IMDB reviews; nb,
 * logistic regression and fastText on three labels, unequal weights) run in onnxruntime-node
 * against Polarity's own probabilities, checked by python3-onnx, and the refusal for a member whose
 * family has no export. Each runtime is optional: without it the test says what it skipped.
 *
 * A text is compared where the graph's tokens are `tokenize`'s and every token is a word of the
 * fastText member's vocabulary (elsewhere its graph leaves some n-grams out: see
 * test/models/fasttext/onnx-export.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Dataset } from '../../../src/data/types.js';
import type { Classifier } from '../../../src/models/classifier.js';
import { EnsembleClassifier } from '../../../src/models/ensemble/ensemble.js';
import { exportModel } from '../../../src/models/export.js';
import { registerFamily, unregisterFamily } from '../../../src/models/families.js';
import { FastTextClassifier, FastTextTrainer } from '../../../src/models/fasttext/index.js';
import { LinearTrainer } from '../../../src/models/linear/linear-trainer.js';
import { tokenize } from '../../../src/text/sequences/tokenize.js';
import { imdbSample } from '../../helpers/fixtures.js';
import { checkWithPythonOnnx, skipWithoutOnnxPython } from '../../helpers/onnx.js';
import { runGraph } from '../../helpers/onnx-compare.js';
import { wordVoteFamily } from '../../helpers/toy-family/family.js';
import { WordVoteTrainer } from '../../helpers/toy-family/word-vote.js';
import { toyDataset } from '../../helpers/toy.js';

/** Three labels with cue words and a shared apostrophe word. */
function threeLabels(size: number): Dataset {
  const words = { neg: 'bad awful', mixed: "so-so didn't", pos: 'good fine' } as const;
  const labels = Object.keys(words) as (keyof typeof words)[];
  return {
    name: 'three',
    labels,
    train: Array.from({ length: size }, (_, i) => {
      const label = labels[(i * 7) % 3];
      return { text: `A ${words[label]} film, number ${i % 5}<br />It's ${i % 4}`, label };
    }),
    test: [],
  };
}

interface Case {
  readonly name: string;
  readonly data: () => Promise<Dataset>;
  readonly members: (data: Dataset) => Promise<Classifier[]>;
  readonly weights: number[];
}

const fastText = (data: Dataset) => new FastTextTrainer({ buckets: 4096, epochs: 5 }).fit(data, { seed: 5 });

const CASES: Case[] = [
  {
    name: 'nbsvm + fasttext',
    data: imdbSample,
    members: async (data) => [
      await new LinearTrainer({ model: 'nbsvm' }).fit(data, { seed: 1 }),
      await fastText(data),
    ],
    weights: [0.62, 0.38],
  },
  {
    name: 'nb + logistic + fasttext, three labels',
    data: async () => threeLabels(60),
    members: async (data) => [
      await new LinearTrainer({ model: 'nb', minDf: 1 }).fit(data, { seed: 1 }),
      await new LinearTrainer({ model: 'linear', loss: 'logistic', minDf: 1 }).fit(data, { seed: 1 }),
      await fastText(data),
    ],
    weights: [3, 0, 1.5],
  },
];

const TRICKY = ['', '!!! ...', 'It’s not bad, it`s GOOD&amp;fine', "so-so DIDN'T<br/>a film, good"];

describe('the ensemble family exports to ONNX', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-onnx-ensemble-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const files: string[] = [];

  for (const { name, data, members, weights } of CASES) {
    it(`${name}: onnxruntime-node gives Polarity's labels and probabilities within 1e-4`, async (t) => {
      const dataset = await data();
      const ensemble = new EnsembleClassifier(await members(dataset), weights, { createdAt: 'now' });
      const modelDir = join(dir, name.replace(/\W+/g, '-'));
      await ensemble.save(modelDir);
      const { bytes, kind, family } = await exportModel(modelDir, 'onnx');
      assert.equal(kind, 'ensemble');
      assert.equal(family, 'ensemble');
      const file = `${modelDir}.onnx`;
      await writeFile(file, bytes);
      files.push(file);

      const texts = [
        ...dataset.test.slice(0, 60).map((e) => e.text),
        ...dataset.train.slice(0, 100).map((e) => e.text),
        ...TRICKY,
      ];
      const graph = await runGraph(bytes, texts, dataset.labels.length);
      if (graph === null) return t.skip('onnxruntime-node is not installed');
      const want = await ensemble.predict(texts);
      const vocabulary = (ensemble.members.find((m) => m instanceof FastTextClassifier) as FastTextClassifier)
        .inputRows.vocabulary;
      const n = dataset.labels.length;
      let compared = 0;
      texts.forEach((text, i) => {
        if (!graph.tokensAgree[i] || !tokenize(text).every((w) => vocabulary.has(w))) return;
        compared++;
        const what = JSON.stringify(text.slice(0, 80));
        assert.equal(graph.labels[i], want[i].label, `label of ${what}`);
        dataset.labels.forEach((label, k) => {
          const diff = Math.abs(graph.probabilities[i * n + k] - want[i].scores[label]);
          assert.ok(diff <= 1e-4, `${label} of ${what}: off by ${diff}`);
        });
      });
      assert.ok(compared > 50, `${compared} texts compared`);
      t.diagnostic(`${texts.length} texts, ${compared} compared`);
      ensemble.dispose();
    });
  }

  it(
    'writes files that python3-onnx fully checks, members in scopes, with the metadata',
    { skip: skipWithoutOnnxPython() },
    async () => {
      assert.equal(files.length, CASES.length, 'the export cases ran first');
      const read = await checkWithPythonOnnx(files);
      read.forEach((model, i) => {
        const kinds = JSON.parse(model.metadata['polarity.members']) as string[];
        assert.equal(model.metadata['polarity.kind'], 'ensemble');
        assert.deepEqual(JSON.parse(model.metadata['polarity.weights']), CASES[i].weights);
        assert.equal(kinds.length, CASES[i].weights.length);
        assert.equal(kinds.at(-1), 'fasttext');
        // The members share one word Tokenizer (fastText's second Tokenizer splits characters).
        const tokenizers = model.nodes
          .filter((node) => node.op === 'Tokenizer' && node.inputs[0].endsWith('_lowered'))
          .map((node) => node.outputs[0]);
        assert.deepEqual(tokenizers, ['tokens']);
        assert.deepEqual(
          model.outputs.map((o) => o.name),
          ['probabilities', 'label'],
        );
      });
    },
  );

  it('refuses a member whose family has no export, naming the member and the families that export', async () => {
    registerFamily(wordVoteFamily);
    try {
      const data = toyDataset(20);
      const members = [
        await new LinearTrainer({ model: 'nb', minDf: 1 }).fit(data, { seed: 1 }),
        await new WordVoteTrainer().fit(data),
      ];
      const modelDir = join(dir, 'with-toy');
      await new EnsembleClassifier(members, [1, 1], { createdAt: 'now' }).save(modelDir);
      await assert.rejects(
        exportModel(modelDir, 'onnx'),
        /ensemble member 2 of 2: a word-vote model \(family toy\) cannot be exported yet; the families with an export are: .*linear/,
      );
    } finally {
      unregisterFamily(wordVoteFamily.family);
    }
  });
});
