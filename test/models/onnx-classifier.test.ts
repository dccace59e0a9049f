/**
 * `--runtime onnx` at the models layer: a saved model scored through its in-memory ONNX graph by
 * onnxruntime-node gives Polarity's own labels and probabilities (within 1e-4), in batches of any
 * size and on scoring workers; explanations stay Polarity's; a family without an export is refused
 * naming those with one; a missing onnxruntime-node is one line saying how to install it. Skipped
 * when onnxruntime-node (a dev dependency) is not installed.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scoreInOrder } from '../../src/batch/index.js';
import type { TextInput } from '../../src/data/text-input.js';
import type { Dataset } from '../../src/data/types.js';
import { ModelFormatError, OptionError, PolarityError } from '../../src/errors.js';
import { explainText } from '../../src/explain/index.js';
import type { Prediction } from '../../src/models/classifier.js';
import { exportModel } from '../../src/models/export.js';
import { registerFamily, unregisterFamily } from '../../src/models/families.js';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';
import type { LinearTrainerOptions } from '../../src/models/linear/linear-options.js';
import {
  loadScoringClassifier,
  loadScoringModel,
  OnnxClassifier,
  shortestFirst,
} from '../../src/models/onnx-classifier.js';
import { encodeOnnxModel } from '../../src/persist/onnx/onnx-proto.js';
import { HIDE_ONNX_RUNTIME_ENV } from '../../src/models/onnx-runtime.js';
import { imdbSample } from '../helpers/fixtures.js';
import { onnxRuntime } from '../helpers/onnx.js';
import { wordVoteFamily } from '../helpers/toy-family/family.js';
import { WordVoteTrainer } from '../helpers/toy-family/word-vote.js';
import { toyDataset } from '../helpers/toy.js';

const skip = (await onnxRuntime()) === null ? 'onnxruntime-node is not installed' : false;

/** Three labels, each with words of its own. */
function threeLabels(size: number): Dataset {
  const words = { neg: 'bad awful', mixed: "so-so didn't", pos: 'good fine' } as const;
  const labels = Object.keys(words) as (keyof typeof words)[];
  const example = (i: number) => {
    const label = labels[i % 3];
    return { text: `A ${words[label]} film, number ${i}<br />It's ${i % 7}`, label };
  };
  return {
    name: 'three',
    labels,
    train: Array.from({ length: size }, (_, i) => example(i)),
    test: Array.from({ length: 30 }, (_, i) => example(i + size)),
  };
}

const CASES: { name: string; options: LinearTrainerOptions; data: () => Promise<Dataset> }[] = [
  { name: 'nbsvm', options: { model: 'nbsvm' }, data: imdbSample },
  { name: 'nb', options: { model: 'nb' }, data: imdbSample },
  { name: 'linear', options: { model: 'linear' }, data: imdbSample },
  { name: 'nb-3', options: { model: 'nb', minDf: 1 }, data: async () => threeLabels(60) },
];

/** Same labels, and every probability within 1e-4. */
function assertClose(actual: readonly (Prediction | null)[], expected: readonly Prediction[]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((want, i) => {
    const got = actual[i];
    assert.ok(got, `row ${i} was scored`);
    assert.equal(got.label, want.label, `label of row ${i}`);
    for (const [label, p] of Object.entries(want.scores)) {
      const diff = Math.abs(got.scores[label] - p);
      assert.ok(diff <= 1e-4, `row ${i}, ${label}: off by ${diff}`);
    }
    assert.ok(Math.abs(got.score - want.score) <= 1e-4);
  });
}

async function* asInputs(texts: readonly string[]): AsyncGenerator<TextInput> {
  for (const [i, text] of texts.entries()) yield { line: i + 1, text, position: i };
}

describe('the order texts are scored in', () => {
  it('is every index once, shortest text first, equal lengths in input order', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 40 }), (texts) => {
        const order = [...shortestFirst(texts)];
        assert.deepEqual(
          [...order].sort((a, b) => a - b),
          texts.map((_, i) => i),
        );
        for (let k = 1; k < order.length; k++) {
          const [before, after] = [order[k - 1], order[k]];
          const step = texts[after].length - texts[before].length;
          assert.ok(step > 0 || (step === 0 && after > before), `${before} then ${after}`);
        }
      }),
    );
  });
});

describe('scoring a saved model with --runtime onnx', { skip }, () => {
  let root: string;
  const dirs = new Map<string, { dir: string; texts: string[] }>();
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'polarity-onnx-classifier-'));
    for (const { name, options, data } of CASES) {
      const dataset = await data();
      const classifier = await new LinearTrainer(options).fit(dataset, { seed: 1 });
      const dir = join(root, name);
      await classifier.save(dir);
      classifier.dispose();
      dirs.set(name, { dir, texts: [...dataset.test.map((e) => e.text), 'It’s not bad, it`s GOOD'] });
    }
  });
  after(() => rm(root, { recursive: true, force: true }));

  for (const { name } of CASES) {
    it(`${name}: the same labels and probabilities (within 1e-4) as Polarity's own runtime`, async () => {
      const { dir, texts } = dirs.get(name)!;
      const own = await loadScoringClassifier(dir, 'polarity');
      const onnx = await loadScoringClassifier(dir, 'onnx', { threads: 1 });
      try {
        assert.ok(onnx instanceof OnnxClassifier);
        assert.equal(onnx.kind, own.kind);
        assert.deepEqual(onnx.labels, own.labels);
        assertClose(await onnx.predict(texts), await own.predict(texts));
      } finally {
        own.dispose();
        onnx.dispose();
      }
    });
  }

  it('gives the same predictions whatever the batch size, in input order', async () => {
    const { dir, texts } = dirs.get('nbsvm')!;
    const whole = await loadScoringClassifier(dir, 'onnx');
    const { graph } = whole as OnnxClassifier;
    const small = await OnnxClassifier.fromGraph(graph, { threads: 1, batchSize: 7 });
    try {
      assertClose(await small.predict(texts), await whole.predict(texts));
      assert.deepEqual(await small.predict([]), []);
    } finally {
      whole.dispose();
      small.dispose();
    }
  });

  it('scores on two threads (the graph sent to the worker) as on one, in input order', async () => {
    const { dir, texts } = dirs.get('nbsvm')!;
    const own = await loadScoringClassifier(dir);
    const expected = await own.predict(texts);
    own.dispose();
    const scored: (Prediction | null)[] = [];
    const options = { model: dir, workers: 2, runtime: 'onnx', chunkSize: 37 } as const;
    for await (const chunk of scoreInOrder(asInputs(texts), options)) {
      scored.push(...chunk.rows.map((row) => row.prediction));
    }
    assertClose(scored, expected);
  });

  it('scores a .onnx file of polarity export as it is, on one thread or two, as the directory scores', async () => {
    const { dir, texts } = dirs.get('nb-3')!;
    const { bytes } = await exportModel(dir, 'onnx');
    const file = join(root, 'nb-3.onnx');
    await writeFile(file, bytes);
    const own = await loadScoringClassifier(dir);
    const expected = await own.predict(texts);
    const exported = await loadScoringClassifier(file, 'onnx', { threads: 1 });
    try {
      assert.ok(exported instanceof OnnxClassifier);
      assert.equal(exported.kind, 'nb');
      assert.deepEqual(exported.labels, own.labels);
      assert.equal(exported.wrapped, undefined, 'no model directory behind it');
      assertClose(await exported.predict(texts), expected);
      const scored: (Prediction | null)[] = [];
      const options = { model: file, workers: 2, runtime: 'onnx', chunkSize: 7 } as const;
      for await (const chunk of scoreInOrder(asInputs(texts), options)) {
        scored.push(...chunk.rows.map((row) => row.prediction));
      }
      assertClose(scored, expected);
    } finally {
      own.dispose();
      exported.dispose();
    }
  });

  it('refuses a file that is no export of Polarity, and a file where a directory is needed', async () => {
    const { dir } = dirs.get('nbsvm')!;
    const file = join(root, 'nbsvm.onnx');
    await writeFile(file, (await exportModel(dir, 'onnx')).bytes);
    await assert.rejects(
      loadScoringClassifier(file, 'polarity'),
      (error: Error) =>
        error instanceof OptionError &&
        /is a file, not a model directory .*--runtime onnx/.test(error.message),
    );
    await assert.rejects(
      loadScoringModel(file, 'onnx'),
      (error: Error) => error instanceof OptionError && /takes the model directory/.test(error.message),
    );
    const csv = join(root, 'reviews.csv');
    await writeFile(csv, 'label,text\npos,a fine film\n');
    await assert.rejects(
      loadScoringClassifier(csv, 'onnx'),
      (error: Error) =>
        error instanceof ModelFormatError && error.message.startsWith(`${csv}: not an ONNX model`),
    );
    const model = (producerName: string, metadata: Record<string, string>) =>
      encodeOnnxModel({
        irVersion: 8,
        opsets: [{ domain: '', version: 17 }],
        producerName,
        graph: { name: 'g', nodes: [], inputs: [], outputs: [] },
        metadata,
      });
    const other = join(root, 'other.onnx');
    await writeFile(other, model('skl2onnx', { 'polarity.kind': 'nb', 'polarity.labels': '["a","b"]' }));
    await assert.rejects(
      loadScoringClassifier(other, 'onnx'),
      (error: Error) =>
        error instanceof ModelFormatError &&
        /not an ONNX model written by polarity export/.test(error.message),
    );
    // Polarity's framing and metadata around a graph onnxruntime cannot run.
    const broken = encodeOnnxModel({
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producerName: 'polarity',
      graph: {
        name: 'g',
        nodes: [{ opType: 'NoSuchOperator', inputs: ['text'], outputs: ['probabilities'] }],
        inputs: [{ name: 'text', type: 'string', shape: ['N'] }],
        outputs: [{ name: 'probabilities', type: 'float', shape: ['N', 2] }],
      },
      metadata: { 'polarity.kind': 'nb', 'polarity.labels': '["a","b"]' },
    });
    await writeFile(other, broken);
    await assert.rejects(
      loadScoringClassifier(other, 'onnx'),
      (error: Error) =>
        error instanceof ModelFormatError &&
        error.message.startsWith(`${other}: onnxruntime cannot load its graph: `),
    );
    await writeFile(other, model('polarity', { 'polarity.kind': 'nb', 'polarity.labels': '"a"' }));
    await assert.rejects(
      loadScoringClassifier(other, 'onnx'),
      (error: Error) =>
        error instanceof ModelFormatError &&
        /lacks polarity.kind or a list of polarity.labels/.test(error.message),
    );
  });

  it("explains with Polarity's own model", async () => {
    const { dir, texts } = dirs.get('nbsvm')!;
    const own = await loadScoringClassifier(dir);
    const onnx = await loadScoringClassifier(dir, 'onnx');
    try {
      const [a, b] = await Promise.all([explainText(own, texts[0]), explainText(onnx, texts[0])]);
      assert.equal(b.method, a.method);
      assert.deepEqual(b.words, a.words);
    } finally {
      own.dispose();
      onnx.dispose();
    }
  });

  it('refuses a family without an ONNX export, naming the families with one', async () => {
    registerFamily(wordVoteFamily);
    try {
      const classifier = await new WordVoteTrainer().fit(toyDataset(20));
      const dir = join(root, 'toy');
      await classifier.save(dir);
      await assert.rejects(
        loadScoringClassifier(dir, 'onnx'),
        (error: Error) =>
          error instanceof OptionError &&
          /a word-vote model \(family toy\) cannot be exported yet; the families with an export are: .*linear/.test(
            error.message,
          ),
      );
    } finally {
      unregisterFamily(wordVoteFamily.family);
    }
  });

  it('says how to install onnxruntime-node when it is missing, before loading the model', async () => {
    process.env[HIDE_ONNX_RUNTIME_ENV] = '1';
    try {
      await assert.rejects(
        loadScoringClassifier(join(root, 'no-such-model'), 'onnx'),
        (error: Error) =>
          error instanceof PolarityError &&
          /needs the optional package onnxruntime-node, which is not installed: run `npm install onnxruntime-node`/.test(
            error.message,
          ) &&
          !error.message.includes('\n'),
      );
    } finally {
      delete process.env[HIDE_ONNX_RUNTIME_ENV];
    }
  });
});
