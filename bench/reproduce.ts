/**
 * `npm run reproduce`: every model family on the full IMDB split, three seeds each: the
 * tutorial's two networks, the global-pooling CNN and the recurrent networks, the linear n-gram
 * models, fastText, and the nbsvm + linear + nb ensemble.
 * Trains on all 25,000 training reviews, evaluates on all 25,000 test reviews, and prints test
 * accuracy (mean ± std), training time (and seconds per epoch for the networks and fastText), predict speed
 * from raw text, and peak memory. Each run is a child process, so that its peak memory is its own.
 *
 *   npm run reproduce -- [--data PATH] [--models mlp,cnn,cnn-global,lstm,bilstm,gru,nb,linear,nbsvm,fasttext,ensemble]
 *                        [--members nbsvm,linear,nb] [--seeds 1,2,3] [--backend wasm] [--out FILE]
 *                        [--unlabelled PATH[,PATH…] [--transductive]] [--options JSON]
 *
 * `--unlabelled` gives a model that learns from unlabelled text (docvec) the texts of every path, in
 * order (e.g. IMDB's `train/unsup/` archive); `--transductive` lets test-split texts among them (the
 * labelled archive's `test/`), and every figure of such a run says so. `--options` passes trainer
 * options, e.g. `'{"threads":2}'`.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { loadImdb, resolveImdb } from '../src/data/index.js';
import { loadUnlabelled } from '../src/data/unlabelled.js';
import { initBackend, type BackendName } from '../src/engine/index.js';
import { evaluateClassifier } from '../src/experiments/evaluate.js';
import { createTrainer } from '../src/models/trainers.js';

interface RunResult {
  model: string;
  seed: number;
  backend: string;
  accuracy: number;
  f1: number;
  epochSeconds: number[];
  trainSeconds: number;
  predictPerSecond: number;
  peakRssMiB: number;
  /** Unlabelled texts learnt from, and whether test-split texts were among them. */
  unlabelled?: { count: number; transductive: boolean };
}

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    models: {
      type: 'string',
      default: 'mlp,cnn,cnn-global,lstm,bilstm,gru,nb,linear,nbsvm,fasttext,ensemble',
    },
    members: { type: 'string', default: 'nbsvm,linear,nb' },
    seeds: { type: 'string', default: '1,2,3' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'bench/results/reproduce.json' },
    worker: { type: 'boolean', default: false },
    model: { type: 'string' },
    seed: { type: 'string' },
    unlabelled: { type: 'string' },
    transductive: { type: 'boolean', default: false },
    options: { type: 'string', default: '{}' },
  },
});

if (values.worker) {
  const members = values.members!.split(',');
  const result = await runOne(values.model!, Number(values.seed), values.data!, values.backend!, members);
  process.stdout.write(JSON.stringify(result) + '\n');
} else {
  await main();
}

/** One training + evaluation run, inside a worker process. */
async function runOne(
  model: string,
  seed: number,
  data: string,
  backend: string,
  members: string[],
): Promise<RunResult> {
  const name = await initBackend({ backend: backend as BackendName });
  const dataset = await loadImdb(data);
  const epochSeconds: number[] = [];
  const trainer = await createTrainer(model, { members, ...(JSON.parse(values.options!) as object) });
  const unlabelled = values.unlabelled
    ? await unlabelledTexts(values.unlabelled, values.transductive!)
    : undefined;
  const started = performance.now();
  const classifier = await trainer.fit(dataset, {
    seed,
    ...(unlabelled ? { unlabelled } : {}),
    // Families that count their passes through onProgress rather than onEpochEnd (docvec's vectors).
    onProgress: (p) => {
      if (p.unit === 'epochs')
        process.stderr.write(`  ${model} seed ${seed} ${p.task}: ${p.done} of ${p.total} epochs\n`);
    },
    onEpochEnd: (r) => {
      epochSeconds.push(r.seconds);
      process.stderr.write(
        `  ${model} seed ${seed} epoch ${r.epoch}: ${r.seconds.toFixed(1)} s, loss ${r.loss.toFixed(4)}, accuracy ${r.accuracy.toFixed(4)}\n`,
      );
    },
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const report = await evaluateClassifier(classifier, dataset.test);
  classifier.dispose();
  return {
    model,
    seed,
    backend: name,
    accuracy: report.accuracy,
    f1: report.f1,
    epochSeconds,
    trainSeconds,
    predictPerSecond: report.reviewsPerSecond,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    ...(unlabelled
      ? { unlabelled: { count: unlabelled.texts.length, transductive: unlabelled.transductive } }
      : {}),
  };
}

/** The texts of every comma-separated path, in order, with one fingerprint over theirs. */
async function unlabelledTexts(paths: string, transductive: boolean) {
  const parts = [];
  for (const path of paths.split(',')) parts.push(await loadUnlabelled(path, { transductive }));
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part.fingerprint);
  return {
    texts: parts.flatMap((part) => part.texts),
    fingerprint: parts.length === 1 ? parts[0].fingerprint : hash.digest('hex'),
    transductive: parts.some((part) => part.transductive),
  };
}

async function main(): Promise<void> {
  const data = await resolveImdb({ data: values.data });
  const models = values.models!.split(',');
  const seeds = values.seeds!.split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  const results: RunResult[] = [];
  for (const model of models) {
    for (const seed of seeds) {
      process.stderr.write(`training ${model}, seed ${seed} on ${data}\n`);
      const run = promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          self,
          '--worker',
          '--model',
          model,
          '--seed',
          String(seed),
          '--data',
          data,
          '--backend',
          values.backend!,
          '--members',
          values.members!,
          '--options',
          values.options!,
          ...(values.unlabelled ? ['--unlabelled', values.unlabelled] : []),
          ...(values.transductive ? ['--transductive'] : []),
        ],
        { maxBuffer: 1 << 20 },
      );
      // The worker's progress (one line per epoch) as it comes, rather than nothing for an hour.
      run.child.stderr?.pipe(process.stderr);
      const { stdout } = await run.catch((error: Error) => {
        throw new Error(`run ${model}/${seed} failed (its output is above): ${error.message.split('\n')[0]}`);
      });
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as RunResult;
      const transductive = result.unlabelled?.transductive ? ' (transductive)' : '';
      process.stderr.write(`  test accuracy ${(100 * result.accuracy).toFixed(2)}%${transductive}\n`);
      results.push(result);
    }
  }
  const table = formatTable(models, results);
  process.stdout.write(table + '\n');
  await mkdir(dirname(values.out!), { recursive: true });
  await writeFile(values.out!, JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
}

function formatTable(models: string[], results: RunResult[]): string {
  const rows = models.map((model) => {
    const runs = results.filter((r) => r.model === model);
    const acc = runs.map((r) => 100 * r.accuracy);
    const epochs = runs.flatMap((r) => r.epochSeconds);
    return [
      runs.some((r) => r.unlabelled?.transductive) ? `${model} (transductive)` : model,
      runs.map((r) => r.seed).join(', '),
      `${mean(acc).toFixed(2)}% ± ${std(acc).toFixed(2)}`,
      `${mean(runs.map((r) => r.trainSeconds)).toFixed(1)}`,
      epochs.length > 0 && model !== 'ensemble' ? `${mean(epochs).toFixed(1)}` : '–',
      `${mean(runs.map((r) => r.predictPerSecond)).toFixed(0)}`,
      `${Math.max(...runs.map((r) => r.peakRssMiB)).toFixed(0)}`,
      runs[0].backend,
    ];
  });
  const header = [
    'model',
    'seeds',
    'test accuracy (mean ± std)',
    'train s (from raw text)',
    's / epoch',
    'predict reviews/s',
    'peak RSS MiB',
    'backend',
  ];
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
}
