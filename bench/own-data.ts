/**
 * `npm run bench:own-data`: the figures for one's own data.
 *
 * - `three-labels`: a three-label task built from IMDB's star ratings through `--label-map`
 *   (1–2 negative, 3–4 and 7–8 mixed, 9–10 positive; IMDB has no 5–6), on IMDB's own train/test split.
 *   Each model family is trained on the 25,000 training reviews and scored on the 25,000 test reviews:
 *   accuracy, macro F1 and each label's F1, so that a model leaning on the largest label cannot look good.
 * - `million`: a CSV of 1,000,000 rows made by resampling sentences of IMDB's training reviews (seeded;
 *   each sentence keeps its review's label), written to a temp folder, then trained on with a 10% test
 *   split: `linear` loaded and streamed (read in passes), and `nb` streamed (whose memory does not grow
 *   with the rows): time of each stage and peak memory.
 *
 * Each training run is a child process, so that its peak RSS is its own.
 *
 *   npm run bench:own-data -- [three-labels|million|all] [--data IMDB] [--models mlp,cnn,nb,linear,nbsvm,fasttext]
 *                             [--rows 1000000] [--seed 1] [--out-dir bench/results]
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import {
  loadDataset,
  loadImdb,
  resolveImdb,
  streamDataset,
  textKey,
  type DataReport,
} from '../src/data/index.js';
import type { Example } from '../src/data/types.js';
import { LinearTrainer } from '../src/models/linear/linear-trainer.js';
import { initBackend } from '../src/engine/index.js';
import { evaluateClassifier } from '../src/experiments/evaluate.js';
import { createTrainer } from '../src/models/trainers.js';
import { Random } from '../src/util/random.js';

/** IMDB has ratings 1–4 and 7–10; this keeps the clear ends apart from the lukewarm middle. */
export const THREE_LABEL_MAP = '1-2=negative,3-4=mixed,7-8=mixed,9-10=positive';

interface ThreeLabelResult {
  readonly model: string;
  readonly seed: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perLabelF1: Readonly<Record<string, number>>;
  readonly trainSupport: Readonly<Record<string, number>>;
  readonly trainSeconds: number;
  readonly peakRssMiB: number;
}

interface MillionResult {
  readonly model: string;
  /** Read in passes (`--stream`) rather than loaded. */
  readonly streamed: boolean;
  readonly rows: number;
  readonly bytes: number;
  readonly generateSeconds: number;
  readonly readSeconds: number;
  readonly trainSeconds: number;
  readonly evaluateSeconds: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** Test rows whose text is also a training row's: resampling repeats sentences, and the leak check counts them. */
  readonly testInTrain: number;
  /** Accuracy on the test rows whose text no training row has: what the model does on sentences it never saw. */
  readonly unseenAccuracy: number;
  /** Columns of the model's vocabulary. */
  readonly features: number;
  readonly peakRssMiB: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    models: { type: 'string', default: 'mlp,cnn,nb,linear,nbsvm,fasttext' },
    seed: { type: 'string', default: '1' },
    rows: { type: 'string', default: '1000000' },
    'out-dir': { type: 'string', default: 'bench/results' },
    worker: { type: 'string' },
    model: { type: 'string' },
    csv: { type: 'string' },
  },
});

if (values.worker === 'three-labels') {
  emit(await trainThreeLabels(values.model!, Number(values.seed), values.data!));
} else if (values.worker === 'million') {
  emit(await trainOnCsv(values.csv!, values.model as 'nb' | 'linear', Number(values.seed), false));
} else if (values.worker === 'million-stream') {
  emit(await trainOnCsv(values.csv!, values.model as 'nb' | 'linear', Number(values.seed), true));
} else {
  await main(positionals[0] ?? 'all');
}

function emit(result: object): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function main(which: string): Promise<void> {
  if (!['three-labels', 'million', 'all'].includes(which)) {
    throw new Error(`expected three-labels, million or all, got "${which}"`);
  }
  const data = await resolveImdb({ data: values.data });
  const outDir = values['out-dir']!;
  await mkdir(outDir, { recursive: true });
  if (which !== 'million') {
    const results: ThreeLabelResult[] = [];
    for (const model of values.models!.split(',')) {
      process.stderr.write(`three labels: training ${model} on ${data}\n`);
      const result = await child<ThreeLabelResult>([
        '--worker',
        'three-labels',
        '--model',
        model,
        '--data',
        data,
      ]);
      process.stderr.write(
        `  accuracy ${pct(result.accuracy)}, macro F1 ${pct(result.macroF1)}, ${result.trainSeconds.toFixed(0)} s\n`,
      );
      results.push(result);
    }
    process.stdout.write(threeLabelTable(results) + '\n\n');
    await save(join(outDir, 'own-data-three-labels.json'), { labelMap: THREE_LABEL_MAP, results });
  }
  if (which !== 'three-labels') {
    const scratch = await mkdtemp(join(tmpdir(), 'polarity-million-'));
    try {
      const csv = join(scratch, 'sentences.csv');
      const started = performance.now();
      const rows = await writeSentenceCsv(data, csv, Number(values.rows), Number(values.seed));
      const generateSeconds = (performance.now() - started) / 1000;
      const bytes = (await stat(csv)).size;
      process.stderr.write(
        `wrote ${rows} rows (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${generateSeconds.toFixed(0)} s\n`,
      );
      const results: MillionResult[] = [];
      for (const [worker, model] of [
        ['million', 'linear'],
        ['million-stream', 'linear'],
        ['million-stream', 'nb'],
      ]) {
        process.stderr.write(`training ${model} on it (${worker === 'million' ? 'loaded' : 'streamed'})\n`);
        const run = await child<Omit<MillionResult, 'rows' | 'bytes' | 'generateSeconds'>>([
          '--worker',
          worker,
          '--model',
          model,
          '--csv',
          csv,
        ]);
        results.push({ ...run, rows, bytes, generateSeconds });
        process.stdout.write(millionTable(results.at(-1)!) + '\n\n');
      }
      await save(join(outDir, 'own-data-million.json'), { results });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

async function child<T>(args: string[]): Promise<T> {
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', self, '--seed', values.seed!, ...args],
    { maxBuffer: 1 << 20 },
  ).catch((error: { stderr?: string }) => {
    throw new Error(`run ${args.join(' ')} failed:\n${error.stderr ?? String(error)}`);
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

async function trainThreeLabels(model: string, seed: number, data: string): Promise<ThreeLabelResult> {
  await initBackend({ backend: 'wasm' });
  const { dataset } = await loadDataset(data, { labelMap: THREE_LABEL_MAP });
  const trainer = await createTrainer(model);
  const started = performance.now();
  const classifier = await trainer.fit(dataset, { seed });
  const trainSeconds = (performance.now() - started) / 1000;
  const report = await evaluateClassifier(classifier, dataset.test);
  classifier.dispose();
  const trainSupport: Record<string, number> = {};
  for (const example of dataset.train) trainSupport[example.label] = (trainSupport[example.label] ?? 0) + 1;
  return {
    model,
    seed,
    accuracy: report.accuracy,
    macroF1: report.macro.f1,
    perLabelF1: Object.fromEntries(report.perLabel.map((p) => [p.label, p.f1])),
    trainSupport,
    trainSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * Resamples sentences of IMDB's training reviews into a CSV of `rows` rows, each labelled with its
 * review's label. Sentences of fewer than four words are not used.
 */
async function writeSentenceCsv(data: string, file: string, rows: number, seed: number): Promise<number> {
  const imdb = await loadImdb(data, { splits: ['train'] });
  const sentences: { text: string; label: string }[] = [];
  for (const review of imdb.train) {
    for (const sentence of review.text.replace(/<br\s*\/?>/gi, ' ').split(/(?<=[.!?])\s+/)) {
      const text = sentence.trim();
      if (text.split(/\s+/).length >= 4) sentences.push({ text, label: review.label });
    }
  }
  const random = new Random(seed);
  const out = createWriteStream(file);
  const write = (chunk: string) =>
    out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
  await write('text,label\n');
  let block = '';
  for (let i = 0; i < rows; i++) {
    const { text, label } = sentences[random.int(sentences.length)];
    block += `"${text.replace(/"/g, '""')}",${label}\n`;
    if (block.length > 1 << 20) {
      await write(block);
      block = '';
    }
  }
  await write(block);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return rows;
}

async function trainOnCsv(
  csv: string,
  model: 'nb' | 'linear',
  seed: number,
  stream: boolean,
): Promise<Omit<MillionResult, 'rows' | 'bytes' | 'generateSeconds'>> {
  const trainer = new LinearTrainer({ model });
  let started = performance.now();
  let readSeconds: number;
  let trainSeconds: number;
  let test: Example[];
  let classifier;
  let report: DataReport;
  const seen = new Set<number>();
  if (stream) {
    const streamed = await streamDataset(csv, { testSplit: 0.1, seed });
    report = streamed.report;
    readSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const read = () => streamed.batches('train');
    classifier = await trainer.fitBatches({ labels: streamed.labels, read }, { seed });
    trainSeconds = (performance.now() - started) / 1000;
    test = [];
    for await (const batch of streamed.batches('test')) test.push(...batch);
    for await (const batch of streamed.batches('train')) for (const e of batch) seen.add(textKey(e.text));
  } else {
    const loaded = await loadDataset(csv, { testSplit: 0.1, seed });
    const dataset = loaded.dataset;
    report = loaded.report;
    readSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    classifier = await trainer.fit(dataset, { seed });
    trainSeconds = (performance.now() - started) / 1000;
    test = [...dataset.test];
    for (const e of dataset.train) seen.add(textKey(e.text));
  }
  started = performance.now();
  const evaluation = await evaluateClassifier(classifier, test);
  const evaluateSeconds = (performance.now() - started) / 1000;
  const unseen = await evaluateClassifier(
    classifier,
    test.filter((e) => !seen.has(textKey(e.text))),
  );
  return {
    model,
    streamed: stream,
    readSeconds,
    trainSeconds,
    evaluateSeconds,
    accuracy: evaluation.accuracy,
    macroF1: evaluation.macro.f1,
    testInTrain: report.duplicates?.testInTrain ?? 0,
    unseenAccuracy: unseen.accuracy,
    features: classifier.vectorizer.size,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function threeLabelTable(results: readonly ThreeLabelResult[]): string {
  const labels = Object.keys(results[0].perLabelF1);
  const header = [
    'model',
    'test accuracy',
    'macro F1',
    ...labels.map((l) => `F1 ${l}`),
    'train s',
    'peak RSS MiB',
  ];
  const rows = results.map((r) => [
    r.model,
    pct(r.accuracy),
    pct(r.macroF1),
    ...labels.map((l) => pct(r.perLabelF1[l])),
    r.trainSeconds.toFixed(0),
    r.peakRssMiB.toFixed(0),
  ]);
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function millionTable(r: MillionResult): string {
  return [
    `${r.streamed ? 'streamed (read in passes)' : 'loaded'}: ${r.rows} rows, ${(r.bytes / 2 ** 20).toFixed(0)} MiB of CSV`,
    `${r.streamed ? 'first pass (check + carve)' : 'read + check + carve'}: ${r.readSeconds.toFixed(1)} s`,
    `train ${r.model}${r.streamed ? ' (vocabulary and feature passes included)' : ''}: ${r.trainSeconds.toFixed(1)} s`,
    `evaluate: ${r.evaluateSeconds.toFixed(1)} s`,
    `test accuracy ${pct(r.accuracy)}, macro F1 ${pct(r.macroF1)}`,
    `leak check: ${r.testInTrain} test texts also in the training split; accuracy on the others ${pct(r.unseenAccuracy)}`,
    `features (vocabulary columns): ${r.features}`,
    `peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
  ].join('\n');
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

async function save(file: string, result: object): Promise<void> {
  await writeFile(file, JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2) + '\n');
}
