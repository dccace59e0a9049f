/**
 * Parity of a model's ONNX export with Polarity on the IMDB test split, for any family that exports:
 * the share of equal labels, the largest probability difference where the graph's tokens agree with
 * `tokenize` (and overall), the texts tokenized differently with the reason, the file size beside
 * the model directory's, and the time each takes to score the 25,000 reviews (one run, this
 * machine). For a fastText model, or an ensemble holding one, it also counts the texts whose graph
 * leaves out n-grams (those with a token it cannot hash: see src/models/fasttext/onnx-token-hashes.ts)
 * and how far their labels and probabilities move; the "exact" figures are over the texts whose
 * tokens agree and that lose no n-gram.
 *
 *   npm run polarity -- train --data aclImdb_v1.labeled.tar.gz --model nbsvm --out /tmp/nbsvm
 *   node --import tsx bench/onnx-parity.ts --model /tmp/nbsvm --data aclImdb_v1.labeled.tar.gz \
 *     [--batch 64] [--threads N] [--out bench/results/onnx-parity-MODEL.json]
 *
 * The graph scores the texts in batches of 64, shortest first, as `--runtime onnx` does.
 *
 * `--threads` sets onnxruntime's intra-op threads (default: its own choice). Besides wall-clock
 * seconds it records the process's CPU seconds for each side, onnxruntime's threads included: on a
 * busy machine the wall clock also counts the waits for a core at each of onnxruntime's thread
 * hand-offs, which Polarity's single thread does not make.
 */
import { readdir, stat, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { loadImdb } from '../src/data/index.js';
import { exportModel } from '../src/models/export.js';
import type { Classifier } from '../src/models/classifier.js';
import { EnsembleClassifier } from '../src/models/ensemble/ensemble.js';
import { FastTextClassifier } from '../src/models/fasttext/index.js';
import { MAX_HASHED_CHARACTERS } from '../src/models/fasttext/onnx-token-hashes.js';
import { loadClassifier } from '../src/models/load.js';
import { shortestFirst } from '../src/models/onnx-classifier.js';
import { encodeOnnxModel } from '../src/persist/onnx/onnx-proto.js';
import { ONNX_PAD, onnxTokenizerModel } from '../src/models/onnx-tokenizer.js';
import { tokenize } from '../src/text/sequences/tokenize.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    batch: { type: 'string', default: '64' },
    threads: { type: 'string' },
    out: { type: 'string' },
  },
});
if (!values.model || !values.data) {
  console.error(
    'usage: bench/onnx-parity.ts --model DIR --data IMDB [--batch 64] [--threads N] [--out FILE]',
  );
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

/** The fastText models whose graphs hash n-grams: the model, or an ensemble's members. */
function fastTextModels(model: Classifier): FastTextClassifier[] {
  if (model instanceof FastTextClassifier) return model.inputRows.ngrams > 1 ? [model] : [];
  if (model instanceof EnsembleClassifier) return model.members.flatMap(fastTextModels);
  return [];
}
const vocabularies = fastTextModels(classifier).map((m) => m.inputRows.vocabulary);
/** Whether a fastText graph has no hash for a token (see src/models/fasttext/onnx-token-hashes.ts). */
const unhashed = (token: string) =>
  token.length > MAX_HASHED_CHARACTERS || /[\u{10000}-\u{10FFFF}]/u.test(token);
/** Whether a fastText graph leaves out an n-gram of the text: a token it cannot hash, with another beside it. */
const losesNgrams = (tokens: readonly string[]) =>
  tokens.length > 1 && vocabularies.some((v) => tokens.some((t) => !v.has(t) && unhashed(t)));

let t0 = performance.now();
const { bytes } = await exportModel(values.model, 'onnx');
const exportSeconds = (performance.now() - t0) / 1000;
const scratch = await mkdtemp(join(tmpdir(), 'polarity-onnx-parity-'));
const file = join(scratch, 'model.onnx');
await writeFile(file, bytes);

/** CPU seconds (user and system, every thread of the process) since `start`. */
const cpuSince = (start: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
};

const n = classifier.labels.length;
t0 = performance.now();
let cpu0 = process.cpuUsage();
const own = new Float64Array(texts.length * n);
for (let start = 0; start < texts.length; start += 1000) {
  const predictions = await classifier.predict(texts.slice(start, start + 1000));
  predictions.forEach((p, i) =>
    classifier.labels.forEach((label, k) => (own[(start + i) * n + k] = p.scores[label])),
  );
}
const ownSeconds = (performance.now() - t0) / 1000;
const ownCpuSeconds = cpuSince(cpu0);

t0 = performance.now();
const session = await ort.InferenceSession.create(
  file,
  values.threads === undefined ? {} : { intraOpNumThreads: Number(values.threads) },
);
const sessionSeconds = (performance.now() - t0) / 1000;
const probabilities = new Float32Array(texts.length * n);
const labels = new Array<string>(texts.length);
t0 = performance.now();
cpu0 = process.cpuUsage();
// In the order `--runtime onnx` scores them (shortest first), answered in input order.
const order = shortestFirst(texts);
for (let start = 0; start < texts.length; start += batchSize) {
  const rows = order.subarray(start, start + batchSize);
  const batch = Array.from(rows, (index) => texts[index]);
  const out = await session.run({ text: new ort.Tensor('string', batch, [batch.length]) });
  const scored = out.probabilities.data as Float32Array;
  const named = out.label.data as string[];
  rows.forEach((index, row) => {
    probabilities.set(scored.subarray(row * n, (row + 1) * n), index * n);
    labels[index] = named[row];
  });
}
const onnxSeconds = (performance.now() - t0) / 1000;
const onnxCpuSeconds = cpuSince(cpu0);

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
let maxExact = 0;
let maxAll = 0;
const labelDiffers = { exact: 0, ngramsLeftOut: 0, tokensDiffer: 0 };
const leftOut = { texts: 0, maxProbabilityDiff: 0, meanProbabilityDiff: 0 };
const reasons: Record<string, number> = {};
texts.forEach((text, i) => {
  let best = 0;
  for (let k = 1; k < n; k++) if (own[i * n + k] > own[i * n + best]) best = k;
  const loses = agree[i] && losesNgrams(tokenize(text));
  const same = labels[i] === classifier.labels[best];
  if (same) equalLabels++;
  else labelDiffers[!agree[i] ? 'tokensDiffer' : loses ? 'ngramsLeftOut' : 'exact']++;
  let diff = 0;
  for (let k = 0; k < n; k++) diff = Math.max(diff, Math.abs(probabilities[i * n + k] - own[i * n + k]));
  maxAll = Math.max(maxAll, diff);
  if (agree[i]) maxAgreeing = Math.max(maxAgreeing, diff);
  else reasons[reason(text)] = (reasons[reason(text)] ?? 0) + 1;
  if (agree[i] && !loses) maxExact = Math.max(maxExact, diff);
  if (loses) {
    leftOut.texts++;
    leftOut.maxProbabilityDiff = Math.max(leftOut.maxProbabilityDiff, diff);
    leftOut.meanProbabilityDiff += diff;
  }
});
if (leftOut.texts > 0) leftOut.meanProbabilityDiff /= leftOut.texts;

const result = {
  // The directory's name only: a results file names no machine path.
  model: basename(values.model),
  kind: classifier.kind,
  ...('vectorizer' in classifier
    ? { columns: (classifier as { vectorizer: { size: number } }).vectorizer.size }
    : {}),
  texts: texts.length,
  equalLabels,
  equalLabelShare: equalLabels / texts.length,
  labelDiffers,
  tokenizedDifferently: agree.filter((a) => !a).length,
  tokenizedDifferentlyBy: reasons,
  ...(vocabularies.length > 0 ? { ngramsLeftOut: leftOut } : {}),
  maxProbabilityDiffWhereExact: maxExact,
  maxProbabilityDiffWhereTokensAgree: maxAgreeing,
  maxProbabilityDiff: maxAll,
  bytes: { onnx: bytes.length, modelDirectory: await directoryBytes(values.model) },
  seconds: {
    export: exportSeconds,
    polarity: ownSeconds,
    onnxSession: sessionSeconds,
    onnx: onnxSeconds,
    batch: batchSize,
    threads: values.threads === undefined ? 'default' : Number(values.threads),
  },
  cpuSeconds: { polarity: ownCpuSeconds, onnx: onnxCpuSeconds },
  runtime: `onnxruntime-node ${ort.env.versions.common}`,
};
console.log(JSON.stringify(result, null, 2));
if (values.out) await writeFile(values.out, JSON.stringify(result, null, 2) + '\n');
await rm(scratch, { recursive: true, force: true });
