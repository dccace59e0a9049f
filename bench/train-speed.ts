/**
 * `npm run bench:train`: how long one real training epoch of each network takes on the full IMDB
 * training split, through the trainer `polarity train --epochs 1` runs (so shuffling, batch assembly
 * and the first step's set-up count), and, when a Python with PyTorch is found, the same
 * architecture trained for one epoch in PyTorch on the same ids right after, by default twice: with
 * PyTorch's defaults and with subnormal floats flushed to zero (`torch.set_flush_denormal(True)`,
 * x86's fast mode, which WebAssembly lacks), and the ratio to the faster of the runs.
 *
 *   npm run bench:train -- [--data PATH] [--models mlp,cnn] [--seed 1] [--backend wasm]
 *                          [--python python3] [--no-torch] [--torch-batches N]
 *                          [--torch-modes default,flushed] [--skip-padding]
 *                          [--out bench/results/train-speed.json]
 *
 * --models takes any of mlp, cnn, cnn-global, lstm, bilstm, gru (each with its own defaults).
 * --torch-batches N has PyTorch train only the first N of its epoch's (randomly drawn) batches and
 * project the epoch from them, marked as projected: a whole PyTorch epoch of bilstm takes about half
 * an hour here.
 * --torch-modes picks which of PyTorch's two runs to make (`default`, `flushed`, or both, the
 * default): where subnormals do not matter, one whole epoch of each saves half an hour or more.
 * --skip-padding adds, for mlp and cnn, an epoch through the trainer's `skipPadding` twin. The
 * ids PyTorch trains on are Polarity's own encoding of the training split (bench/pytorch/
 * train_speed.py reads them from a temporary folder), so tokenization and vocabulary are identical.
 * Run ours and PyTorch back to back in one run: on a shared machine only their ratio is comparable.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { loadImdb, resolveImdb } from '../src/data/index.js';
import { initBackend, wasmThreads, type BackendName } from '../src/engine/index.js';
import { createTrainer } from '../src/models/trainers.js';
import type { NeuralClassifier } from '../src/models/neural/neural-classifier.js';
import type { Dataset } from '../src/data/types.js';

interface TorchResult {
  torch: string;
  threads: number;
  /** Whether PyTorch flushed subnormal floats to zero (`torch.set_flush_denormal(True)`). */
  flushDenormal: boolean;
  /** The epoch's seconds: measured, or projected from `batches` of its `steps` batches. */
  seconds: number;
  batches: number;
  steps: number;
  measuredSeconds: number;
  reviewsPerSecond: number;
  /** Over the batches run. */
  loss: number;
  accuracy: number;
}

interface ModelResult {
  model: string;
  /** Whether the trainer's padding-skipping twin ran the steps. */
  skipPadding: boolean;
  reviews: number;
  seconds: number;
  reviewsPerSecond: number;
  loss: number;
  accuracy: number;
  /** PyTorch's faster epoch of those below. */
  pytorch?: TorchResult;
  /** PyTorch's epoch in each mode run: its default settings, subnormal floats flushed to zero. */
  pytorchRuns?: TorchResult[];
  /** Our seconds per epoch over PyTorch's faster (below 1: we are faster). */
  ratio?: number;
}

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    models: { type: 'string', default: 'mlp,cnn' },
    seed: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'wasm' },
    python: { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
    'torch-batches': { type: 'string' },
    'torch-modes': { type: 'string', default: 'default,flushed' },
    'skip-padding': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/train-speed.json' },
  },
});

const TORCH_MODES = ['default', 'flushed'] as const;
const torchModes = values['torch-modes']!.split(',');
for (const mode of torchModes) {
  if (!(TORCH_MODES as readonly string[]).includes(mode)) {
    throw new Error(`--torch-modes: expected default, flushed or both, got ${mode}`);
  }
}

const TORCH_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'pytorch', 'train_speed.py');

/** The first Python that imports torch: --python if given, else python3, else Debian's own python3. */
function findTorchPython(): string | undefined {
  if (values['no-torch']) return undefined;
  const candidates = values.python ? [values.python] : ['python3', '/usr/bin/python3'];
  return candidates.find((python) => {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

/** One epoch of `model` through NeuralTrainer, as `polarity train --model M --epochs 1` runs it. */
async function trainOurs(
  model: string,
  dataset: Dataset,
  seed: number,
  skipPadding = false,
): Promise<[ModelResult, NeuralClassifier]> {
  const trainer = await createTrainer(model, { neural: { hyperParameters: { epochs: 1 }, skipPadding } });
  let result: ModelResult | undefined;
  const classifier = (await trainer.fit(dataset, {
    seed,
    onEpochEnd: (r) => {
      result = {
        model,
        skipPadding,
        reviews: dataset.train.length,
        seconds: r.seconds,
        reviewsPerSecond: dataset.train.length / r.seconds,
        loss: r.loss,
        accuracy: r.accuracy,
      };
    },
  })) as NeuralClassifier;
  if (!result) throw new Error(`${model} reported no epoch`);
  return [result, classifier];
}

/** The same epoch in PyTorch, on the classifier's own encoding of the training split. */
async function trainTorch(
  python: string,
  classifier: NeuralClassifier,
  dataset: Dataset,
  seed: number,
  flushDenormal: boolean,
): Promise<TorchResult> {
  const folder = await mkdtemp(join(tmpdir(), 'polarity-train-speed-'));
  try {
    const encoded = classifier.encoder.encode(dataset.train.map((e) => e.text));
    const labelIndex = new Map(classifier.labels.map((label, i) => [label, i]));
    const labels = Int32Array.from(dataset.train, (e) => labelIndex.get(e.label)!);
    await writeFile(
      join(folder, 'ids.bin'),
      new Uint8Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength),
    );
    await writeFile(join(folder, 'labels.bin'), new Uint8Array(labels.buffer));
    const config = {
      model: classifier.kind,
      labels: classifier.labels.length,
      seed,
      threads: 2,
      flushDenormal,
      batches: values['torch-batches'] === undefined ? null : Number(values['torch-batches']),
      hyperParameters: { ...classifier.provenance.hyperParameters, epochs: 1 },
    };
    await writeFile(join(folder, 'config.json'), JSON.stringify(config));
    const { stdout } = await promisify(execFile)(python, [TORCH_SCRIPT, folder], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as TorchResult;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const backend = await initBackend({ backend: values.backend as BackendName });
  const data = await resolveImdb({ data: values.data });
  const dataset = await loadImdb(data);
  const seed = Number(values.seed);
  const python = findTorchPython();
  if (!python && !values['no-torch']) process.stderr.write('no python3 with torch found: ours only\n');
  const results: ModelResult[] = [];
  for (const model of values.models!.split(',')) {
    process.stderr.write(`${model}: one epoch of ${dataset.train.length} reviews (${backend})…\n`);
    const [ours, classifier] = await trainOurs(model, dataset, seed);
    if (python) {
      process.stderr.write(`${model}: the same epoch in PyTorch (${torchModes.join(', ')})…\n`);
      ours.pytorchRuns = [];
      for (const mode of torchModes) {
        ours.pytorchRuns.push(await trainTorch(python, classifier, dataset, seed, mode === 'flushed'));
      }
      ours.pytorch = ours.pytorchRuns.reduce((best, run) => (run.seconds < best.seconds ? run : best));
      ours.ratio = ours.seconds / ours.pytorch.seconds;
    }
    classifier.dispose();
    results.push(ours);
    process.stderr.write(`${line(ours)}\n`);
    if (values['skip-padding'] && (model === 'mlp' || model === 'cnn')) {
      process.stderr.write(`${model}: one epoch skipping the padding…\n`);
      const [skipping, other] = await trainOurs(model, dataset, seed, true);
      other.dispose();
      if (ours.pytorch) {
        skipping.pytorch = ours.pytorch;
        skipping.pytorchRuns = ours.pytorchRuns;
        skipping.ratio = skipping.seconds / ours.pytorch.seconds;
      }
      results.push(skipping);
      process.stderr.write(`${line(skipping)}\n`);
    }
  }
  process.stdout.write(table(results) + '\n');
  await mkdir(dirname(values.out!), { recursive: true });
  const record = {
    date: new Date().toISOString(),
    backend,
    threads: wasmThreads(),
    data: 'IMDB train',
    results,
  };
  await writeFile(values.out!, JSON.stringify(record, null, 2) + '\n');
}

function name(r: ModelResult): string {
  return r.skipPadding ? `${r.model} (padding skipped)` : r.model;
}

function line(r: ModelResult): string {
  const torch = r.pytorch
    ? `, PyTorch ${torchSeconds(r)} s${projection(r)} (ratio ${r.ratio!.toFixed(2)}× the faster)`
    : '';
  return `  ${name(r)}: ${r.seconds.toFixed(1)} s per epoch, ${r.reviewsPerSecond.toFixed(0)} reviews/s${torch}`;
}

/** PyTorch's seconds in the modes run (--torch-modes), e.g. "30.7 / 12.8". */
function torchSeconds(r: ModelResult): string {
  return (r.pytorchRuns ?? [r.pytorch!]).map((run) => run.seconds.toFixed(1)).join(' / ');
}

/** " (projected from N of M batches)" when PyTorch ran only part of its epoch. */
function projection(r: ModelResult): string {
  const { batches, steps } = r.pytorch!;
  return batches < steps ? ` (projected from ${batches} of ${steps} batches)` : '';
}

function table(results: ModelResult[]): string {
  const header = [
    'model',
    's / epoch',
    'reviews/s',
    `PyTorch s / epoch (${torchModes.join(' / ')})`,
    'ratio (ours / faster PyTorch)',
  ];
  const rows = results.map((r) => [
    name(r),
    r.seconds.toFixed(1),
    r.reviewsPerSecond.toFixed(0),
    r.pytorch ? torchSeconds(r) + projection(r) : '–',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '–',
  ]);
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

await main();
