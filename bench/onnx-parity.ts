/**
 * Parity of a model's ONNX export (any family with one) with Polarity on the IMDB test split: the share of equal
 * labels, the largest probability difference where the graph's tokens agree with `tokenize` (and
 * overall), the texts tokenized differently with the reason, the file size beside the model
 * directory's, and the time each takes to score the 25,000 reviews (one run, this machine).
 *
 *   npm run polarity -- train --data aclImdb_v1.labeled.tar.gz --model nbsvm --out /tmp/nbsvm
 *   node --import tsx bench/onnx-parity.ts --model /tmp/nbsvm --data aclImdb_v1.labeled.tar.gz \
 *     [--batch 64] [--out bench/results/onnx-parity-MODEL.json]
 */
import { readdir, stat, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { loadImdb } from '../src/data/index.js';
import { exportModel } from '../src/models/export.js';
import { loadClassifier } from '../src/models/load.js';
import { encodeOnnxModel } from '../src/persist/onnx/onnx-proto.js';
import { ONNX_PAD, onnxTokenizerModel } from '../src/models/onnx-tokenizer.js';
import { tokenize } from '../src/text/sequences/tokenize.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    batch: { type: 'string', default: '64' },
    out: { type: 'string' },
  },
});
if (!values.model || !values.data) {
  console.error('usage: bench/onnx-parity.ts --model DIR --data IMDB [--batch 64] [--out FILE]');
  process.exit(1);
}
const batchSize = Number(values.batch);

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await directoryBytes(path) : (await stat(path)).size;
  }
  return total;
}

/** Why the graph's tokens may differ from tokenize's for a text (see src/models/onnx-tokenizer.ts). */
function reason(text: string): string {
  if (/&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,6});/.test(text)) return 'character reference';
  if (text.normalize('NFC') !== text) return 'not NFC';
  if (/[\u2019\u2018\u00b4`]/.test(text)) return 'mixed apostrophes';
  return 'other (lower-casing)';
}

const dataset = await loadImdb(values.data);
const texts = dataset.test.map((e) => e.text);
const classifier = await loadClassifier(values.model);

let t0 = performance.now();
const { bytes } = await exportModel(values.model, 'onnx');
const exportSeconds = (performance.now() - t0) / 1000;
const scratch = await mkdtemp(join(tmpdir(), 'polarity-onnx-parity-'));
const file = join(scratch, 'model.onnx');
await writeFile(file, bytes);

t0 = performance.now();
const predictions = await classifier.predict(texts);
const ownSeconds = (performance.now() - t0) / 1000;
// Polarity's probabilities in label order, as the graph gives them.
const own = Float32Array.from(predictions.flatMap((p) => classifier.labels.map((label) => p.scores[label])));

t0 = performance.now();
const session = await ort.InferenceSession.create(file);
const sessionSeconds = (performance.now() - t0) / 1000;
const n = classifier.labels.length;
const probabilities = new Float32Array(texts.length * n);
const labels: string[] = [];
t0 = performance.now();
for (let start = 0; start < texts.length; start += batchSize) {
  const batch = texts.slice(start, start + batchSize);
  const out = await session.run({ text: new ort.Tensor('string', batch, [batch.length]) });
  probabilities.set(out.probabilities.data as Float32Array, start * n);
  labels.push(...(out.label.data as string[]));
}
const onnxSeconds = (performance.now() - t0) / 1000;

const tokenizer = await ort.InferenceSession.create(encodeOnnxModel(onnxTokenizerModel()));
const agree: boolean[] = [];
for (let start = 0; start < texts.length; start += batchSize) {
  const batch = texts.slice(start, start + batchSize);
  const { tokens } = await tokenizer.run({ text: new ort.Tensor('string', batch, [batch.length]) });
  const width = tokens.dims[1];
  const data = tokens.data as string[];
  batch.forEach((text, i) => {
    const graph = data
      .slice(i * width, (i + 1) * width)
      .filter((t) => t !== ONNX_PAD)
      .map((t) => t.replace(/[\u2019\u2018\u00b4`]/g, "'"));
    agree.push(graph.join(' ') === tokenize(text).join(' '));
  });
}

let equalLabels = 0;
let maxAgreeing = 0;
let maxAll = 0;
const labelDiffers = { tokensAgree: 0, tokensDiffer: 0 };
const reasons: Record<string, number> = {};
texts.forEach((text, i) => {
  let best = 0;
  for (let k = 1; k < n; k++) if (own[i * n + k] > own[i * n + best]) best = k;
  const same = labels[i] === classifier.labels[best];
  if (same) equalLabels++;
  else labelDiffers[agree[i] ? 'tokensAgree' : 'tokensDiffer']++;
  let diff = 0;
  for (let k = 0; k < n; k++) diff = Math.max(diff, Math.abs(probabilities[i * n + k] - own[i * n + k]));
  maxAll = Math.max(maxAll, diff);
  if (agree[i]) maxAgreeing = Math.max(maxAgreeing, diff);
  else reasons[reason(text)] = (reasons[reason(text)] ?? 0) + 1;
});

const result = {
  model: values.model,
  kind: classifier.kind,
  // A linear model's n-gram columns (other families have none).
  columns: (classifier as { vectorizer?: { size: number } }).vectorizer?.size,
  texts: texts.length,
  equalLabels,
  equalLabelShare: equalLabels / texts.length,
  labelDiffers,
  tokenizedDifferently: agree.filter((a) => !a).length,
  tokenizedDifferentlyBy: reasons,
  maxProbabilityDiffWhereTokensAgree: maxAgreeing,
  maxProbabilityDiff: maxAll,
  bytes: { onnx: bytes.length, modelDirectory: await directoryBytes(values.model) },
  seconds: {
    export: exportSeconds,
    polarity: ownSeconds,
    onnxSession: sessionSeconds,
    onnx: onnxSeconds,
    batch: batchSize,
  },
  runtime: `onnxruntime-node ${ort.env.versions.common}`,
};
console.log(JSON.stringify(result, null, 2));
if (values.out) await writeFile(values.out, JSON.stringify(result, null, 2) + '\n');
await rm(scratch, { recursive: true, force: true });
