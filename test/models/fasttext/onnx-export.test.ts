/**
 * The fastText family's ONNX export: seeded fixture models (bigrams, trigrams, words only, three
 * labels, a minCount that leaves rare words out) run in onnxruntime-node against Polarity's own
 * probabilities, and checked by python3-onnx. Each runtime is optional: without it the test says
 * what it skipped.
 *
 * The graph's one known difference (onnx-export.ts): an n-gram with a token outside the vocabulary
 * is left out. So every text is compared twice: with Polarity where all its tokens are words of the
 * vocabulary, and everywhere with that rule computed here from the model's own rows.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Dataset } from '../../../src/data/types.js';
import { exportModel } from '../../../src/models/export.js';
import { averageRows, scoreHidden, softmax } from '../../../src/models/fasttext/fasttext-model.js';
import {
  FastTextClassifier,
  FastTextTrainer,
  type FastTextOptions,
} from '../../../src/models/fasttext/index.js';
import { MAX_HASHED_CHARACTERS } from '../../../src/models/fasttext/onnx-token-hashes.js';
import { NGRAM_SEPARATOR } from '../../../src/text/features/ngrams.js';
import { tokenize } from '../../../src/text/sequences/tokenize.js';
import { imdbSample } from '../../helpers/fixtures.js';
import { checkWithPythonOnnx, skipWithoutOnnxPython } from '../../helpers/onnx.js';
import { runGraph } from '../../helpers/onnx-compare.js';

/** Three labels with cue words, a shared apostrophe word and a tag between sentences. */
function threeLabels(size: number): Dataset {
  const words = { neg: 'bad awful', mixed: "so-so didn't", pos: 'good fine' } as const;
  const labels = Object.keys(words) as (keyof typeof words)[];
  return {
    name: 'three',
    labels,
    train: Array.from({ length: size }, (_, i) => {
      const label = labels[i % 3];
      return { text: `A ${words[label]} film, number ${i % 11}<br />It's ${i % 7}`, label };
    }),
    test: [],
  };
}

/** Texts that test the front end and the n-gram rule: empty, no token, look-alike apostrophes, unknown words. */
const TRICKY = [
  '',
  '!!! ...',
  'It’s not bad, it`s GOOD&amp;fine',
  "don't DON'T don´t<br/>a film",
  'a zzzunknownzzz film, a good zzz film number',
  'Bad bad bad bad bad bad bad bad bad bad bad bad bad bad bad bad good',
  'Ünïcödé wörds and 日本語 with a film',
  // Unknown tokens that the graph hashes (a 32-character one, rare words, a mix of apostrophes)…
  "a abcdefghijklmnopqrstuvwxyzabcdef film, rock’n'roll qwertyuiop good",
  // …and ones it cannot: 33 characters, and a letter outside the Basic Multilingual Plane.
  'a abcdefghijklmnopqrstuvwxyzabcdefg film, 𝒜𝒷𝒸 film good',
];

/** Small and quick: a few thousand buckets. */
const SMALL: FastTextOptions = { buckets: 4096, epochs: 5 };

interface Case {
  readonly name: string;
  readonly options: FastTextOptions;
  readonly data: () => Promise<Dataset>;
}

const CASES: Case[] = [
  { name: 'bigrams', options: SMALL, data: imdbSample },
  { name: 'trigrams, dim 7', options: { ...SMALL, ngrams: 3, dim: 7 }, data: imdbSample },
  { name: 'words only', options: { ...SMALL, ngrams: 1 }, data: imdbSample },
  { name: 'minCount 3', options: { ...SMALL, minCount: 3 }, data: imdbSample },
  {
    name: 'three labels, 5-grams',
    options: { ...SMALL, ngrams: 5, epochs: 20 },
    data: async () => threeLabels(60),
  },
];

/**
 * Whether the graph has a hash for a token: a word of the vocabulary, or any other token of at most
 * MAX_HASHED_CHARACTERS characters, all in the Basic Multilingual Plane.
 */
function hashedInGraph(classifier: FastTextClassifier, token: string): boolean {
  return (
    classifier.inputRows.vocabulary.has(token) ||
    (token.length <= MAX_HASHED_CHARACTERS && !/[\u{10000}-\u{10FFFF}]/u.test(token))
  );
}

/**
 * The probabilities under the graph's rule: Polarity's rows of the text less every n-gram that
 * holds a token without a hash in the graph; and whether that left anything out.
 */
function underGraphRule(
  classifier: FastTextClassifier,
  text: string,
): { probabilities: Float64Array; dropped: boolean } {
  const { inputRows, weights } = classifier;
  const named = inputRows.namedRowsOf(tokenize(text));
  const kept = named.filter(
    ({ token }) =>
      !token.includes(NGRAM_SEPARATOR) ||
      token.split(NGRAM_SEPARATOR).every((w) => hashedInGraph(classifier, w)),
  );
  const rows = kept.map((r) => r.row);
  const hidden = new Float64Array(weights.dim);
  averageRows(weights, rows, 0, rows.length, hidden);
  const scores = new Float64Array(weights.labels);
  scoreHidden(weights, hidden, scores);
  return { probabilities: softmax(scores, scores), dropped: kept.length !== named.length };
}

describe('the fasttext family exports to ONNX', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-onnx-fasttext-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const files: string[] = [];

  for (const { name, options, data } of CASES) {
    it(`${name}: onnxruntime-node gives Polarity's labels and probabilities within 1e-4`, async (t) => {
      const dataset = await data();
      const classifier = await new FastTextTrainer(options).fit(dataset, { seed: 3 });
      const modelDir = join(dir, name.replace(/\W+/g, '-'));
      await classifier.save(modelDir);
      const { bytes, kind, family } = await exportModel(modelDir, 'onnx');
      assert.equal(kind, 'fasttext');
      assert.equal(family, 'fasttext');
      const file = `${modelDir}.onnx`;
      await writeFile(file, bytes);
      files.push(file);

      const texts = [
        ...dataset.test.slice(0, 100).map((e) => e.text),
        ...dataset.train.slice(0, 100).map((e) => e.text),
        ...TRICKY,
      ];
      const graph = await runGraph(bytes, texts, dataset.labels.length);
      if (graph === null) return t.skip('onnxruntime-node is not installed');
      const want = await classifier.predict(texts);
      const n = dataset.labels.length;
      let exact = 0;
      let dropped = 0;
      texts.forEach((text, i) => {
        if (!graph.tokensAgree[i]) return;
        const what = JSON.stringify(text.slice(0, 80));
        const rule = underGraphRule(classifier, text);
        if (rule.dropped) dropped++;
        else exact++;
        dataset.labels.forEach((label, k) => {
          const got = graph.probabilities[i * n + k];
          assert.ok(Math.abs(got - rule.probabilities[k]) <= 1e-4, `${label} of ${what} under the rule`);
          if (!rule.dropped) {
            assert.ok(
              Math.abs(got - want[i].scores[label]) <= 1e-4,
              `${label} of ${what}: ${got} vs ${want[i].scores[label]}`,
            );
          }
        });
        if (!rule.dropped) assert.equal(graph.labels[i], want[i].label, `label of ${what}`);
      });
      // Words only: nothing is ever left out, so every text whose tokens agree is exact.
      if (options.ngrams === 1) assert.equal(dropped, 0);
      // The last tricky text has two tokens without a hash: its n-grams with them are left out.
      else assert.ok(dropped > 0);
      assert.ok(exact > 10, `${exact} texts compared exactly`);
      t.diagnostic(`${texts.length} texts: ${exact} exact, ${dropped} with n-grams left out`);
      classifier.dispose();
    });
  }

  it('scores a batch without a single token as Polarity does an empty text', async (t) => {
    const classifier = await new FastTextTrainer(SMALL).fit(await imdbSample(), { seed: 3 });
    const modelDir = join(dir, 'empty');
    await classifier.save(modelDir);
    const { bytes } = await exportModel(modelDir, 'onnx');
    const graph = await runGraph(bytes, ['', '!!'], 2);
    if (graph === null) return t.skip('onnxruntime-node is not installed');
    const [blank] = await classifier.predict(['']);
    assert.deepEqual(graph.labels, [blank.label, blank.label]);
    assert.deepEqual([...graph.probabilities], [0.5, 0.5, 0.5, 0.5]);
  });

  it(
    'writes files that python3-onnx fully checks, with the metadata',
    { skip: skipWithoutOnnxPython() },
    async () => {
      assert.equal(files.length, CASES.length, 'the export cases ran first');
      const read = await checkWithPythonOnnx(files);
      read.forEach((model, i) => {
        assert.equal(model.irVersion, 8);
        assert.deepEqual(model.opsets, { '': 17, 'com.microsoft': 1, 'ai.onnx.ml': 3 });
        assert.equal(model.metadata['polarity.kind'], 'fasttext');
        assert.equal(model.metadata['polarity.ngram_hash'], 'fnv1a32-utf8-token-hashes');
        assert.equal(JSON.parse(model.metadata['polarity.fasttext']).ngrams, CASES[i].options.ngrams ?? 2);
        assert.match(model.metadata['polarity.data_fingerprint'], /^[0-9a-f]{64}$/);
        assert.deepEqual(
          model.outputs.map((o) => o.name),
          ['probabilities', 'label'],
        );
      });
    },
  );
});
