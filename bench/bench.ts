/**
 * `npm run bench`: speed of each stage on the full IMDB split, on this machine.
 * Reading the archive, tokenizing, fitting the vocabulary, encoding, a training step of each
 * model (projected to a 25,000-review epoch), and prediction from raw text.
 *
 *   npm run bench -- [--data PATH] [--backend wasm] [--steps 20] [--models mlp,cnn,…] [--out FILE]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '../src/engine/tf.js';
import { loadImdb, resolveImdb } from '../src/data/index.js';
import { adam, initBackend, type BackendName } from '../src/engine/index.js';
import { lossFor } from '../src/models/neural/layers.js';
import { NeuralClassifier } from '../src/models/neural/neural-classifier.js';
import { architecture, hyperParametersFor, modelNames } from '../src/models/neural/registry.js';
import { SequenceEncoder } from '../src/text/sequences/encoder.js';
import { tokenize } from '../src/text/sequences/tokenize.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '20' },
    models: { type: 'string' },
    out: { type: 'string', default: 'bench/results/bench.json' },
  },
});

const rows: { stage: string; value: string }[] = [];
const record = (stage: string, value: string) => {
  rows.push({ stage, value });
  process.stderr.write(`${stage}: ${value}\n`);
};
const time = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await fn();
  return [result, (performance.now() - start) / 1000];
};

const backend = await initBackend({ backend: values.backend as BackendName });
record('backend', backend);
const path = await resolveImdb({ data: values.data });
const [dataset, readSeconds] = await time(() => loadImdb(path));
record('read IMDB archive (50,000 reviews)', `${readSeconds.toFixed(2)} s`);

const texts = dataset.train.map((e) => e.text);
const [tokenized, tokenizeSeconds] = await time(() => texts.map(tokenize));
record('tokenize (train split)', `${(texts.length / tokenizeSeconds).toFixed(0)} reviews/s`);
const [encoder, vocabSeconds] = await time(() =>
  SequenceEncoder.fit(tokenized, { numWords: 5000 }, { maxLen: 500 }),
);
record('fit vocabulary (25,000 reviews)', `${vocabSeconds.toFixed(2)} s`);
const [, encodeSeconds] = await time(() => encoder.encodeTokens(tokenized));
record('encode + pad (25,000 reviews)', `${encodeSeconds.toFixed(2)} s`);

const steps = Number(values.steps);
const models = values.models ? values.models.split(',') : modelNames();
for (const name of models) {
  const params = hyperParametersFor(name);
  const model = architecture(name).build(params, 2, 1);
  model.compile({ optimizer: adam(params.learningRate), loss: lossFor(2), metrics: ['accuracy'] });
  // Each architecture's own vocabulary size and length (the recurrent models' differ from the tutorial's).
  const modelEncoder =
    params.numWords === 5000 && params.maxLen === 500
      ? encoder
      : SequenceEncoder.fit(tokenized, { numWords: params.numWords }, { maxLen: params.maxLen });
  const batch = modelEncoder.encodeTokens(tokenized.slice(0, params.batchSize));
  const xs = tf.tensor2d(batch.data, batch.shape, 'int32');
  const ys = tf.tensor2d(
    Float32Array.from({ length: params.batchSize }, (_, i) => i % 2),
    [params.batchSize, 1],
  );
  for (let i = 0; i < 2; i++) await model.trainOnBatch(xs, ys); // warm-up: kernel compilation, allocation
  const [, trainSeconds] = await time(async () => {
    for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  });
  xs.dispose();
  ys.dispose();
  const perStep = trainSeconds / steps;
  record(`${name}: training step (batch 128)`, `${(1000 * perStep).toFixed(0)} ms`);
  record(
    `${name}: projected epoch (25,000 reviews)`,
    `${(perStep * Math.ceil(25000 / params.batchSize)).toFixed(1)} s`,
  );
  const classifier = new NeuralClassifier(name, dataset.labels, modelEncoder, model, {
    hyperParameters: params,
    training: { createdAt: new Date().toISOString() },
  });
  const sample = dataset.test.slice(0, 5000).map((e) => e.text);
  await classifier.predict(sample.slice(0, 256));
  const [, predictSeconds] = await time(() => classifier.predict(sample));
  record(`${name}: predict from raw text`, `${(sample.length / predictSeconds).toFixed(0)} reviews/s`);
  classifier.dispose();
}

process.stdout.write(
  ['| stage | result |', '| --- | --- |', ...rows.map((r) => `| ${r.stage} | ${r.value} |`)].join('\n') +
    '\n',
);
await mkdir(dirname(values.out!), { recursive: true });
await writeFile(values.out!, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2) + '\n');
