/**
 * Run by streaming.test.ts in a process of its own (with --expose-gc): trains naive Bayes on a CSV either
 * streamed (`stream`) or loaded whole (`load`), and prints, in MiB, how far the live memory (JavaScript heap
 * and typed arrays, measured after a full collection) rose above what it was before reading, at its highest.
 */
import { loadDataset, streamDataset } from '../../src/data/index.js';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';

const [mode, file] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const live = () => {
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

const trainer = new LinearTrainer({ model: 'nb', ngrams: 1 }, 1);
const baseline = live();
let peak = baseline;
const sample = () => (peak = Math.max(peak, live()));
if (mode === 'stream') {
  const streamed = await streamDataset(file, { onProgress: sample });
  sample();
  await trainer.fitBatches(
    { labels: streamed.labels, read: () => streamed.batches('train', 500) },
    { onProgress: sample },
  );
} else {
  const { dataset } = await loadDataset(file, { onProgress: sample });
  sample();
  await trainer.fit(dataset, { onProgress: sample });
}
process.stdout.write(`${((peak - baseline) / 2 ** 20).toFixed(1)}\n`);
