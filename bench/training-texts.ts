/**
 * What the training-text hashes (`training-texts.bin`, for evaluate's overlap warning) cost on the
 * full IMDB split with nbsvm: the file's size, the time hashing the training texts adds to training,
 * and the time counting the test texts among them adds to evaluation, each beside the whole step.
 *
 *   node --import tsx bench/training-texts.ts --data aclImdb_v1.labeled.tar.gz
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadImdb } from '../src/data/imdb.js';
import { TextHashSet } from '../src/data/text-hashes.js';
import { evaluateClassifier } from '../src/experiments/evaluate.js';
import { trainingDataOf, trainModel } from '../src/experiments/train-model.js';
import { trainingOverlap } from '../src/experiments/training-overlap.js';

const { values } = parseArgs({ options: { data: { type: 'string' } } });
if (!values.data) throw new Error('give the IMDB tarball with --data');

const seconds = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
};

const dataset = await loadImdb(values.data);
const dir = await mkdtemp(join(tmpdir(), 'polarity-bench-hashes-'));
try {
  const texts = dataset.train.map((e) => e.text);
  const [hashes, hashing] = await seconds(() => TextHashSet.of(texts));
  const [bytes, encoding] = await seconds(() => hashes.toBytes());
  const out = join(dir, 'nbsvm');
  const [trained, training] = await seconds(() =>
    trainModel({ model: 'nbsvm', data: trainingDataOf(dataset), out }),
  );
  const [overlap, counting] = await seconds(() => trainingOverlap(out, dataset.test));
  const [report, evaluating] = await seconds(() => evaluateClassifier(trained.classifier, dataset.test));
  trained.classifier.dispose();
  const row = (what: string, s: number, of: number) =>
    `${what.padEnd(44)} ${s.toFixed(3).padStart(7)} s  (${((100 * s) / of).toFixed(1)}% of ${of.toFixed(1)} s)`;
  console.log(`training texts: ${texts.length}, distinct: ${hashes.size}; file: ${bytes.byteLength} bytes`);
  console.log(row('hashing them (train adds)', hashing + encoding, training));
  console.log(row('reading the file, counting the test texts (evaluate adds)', counting, evaluating));
  console.log(`test texts in the training data: ${overlap?.overlapping} of ${overlap?.total}`);
  console.log(`nbsvm test accuracy: ${(100 * report.accuracy).toFixed(2)}%`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
