/**
 * `npm run bench:vectors`: what word vectors learnt from the training and unlabelled reviews give a
 * network (issue 19). Runs the commands a user would, from the built CLI (`npm run build` first):
 *
 *   polarity vectors --data LABELLED --data UNLABELLED --out DIR/imdb.vec --dim D --threads 2 --seed 1
 *   polarity train --model M --data LABELLED --seed S --out DIR/M-scratch-S                  (from scratch)
 *   polarity train --model M --data LABELLED --seed S --embeddings DIR/imdb.vec --out DIR/M-vectors-S
 *   polarity evaluate --model DIR/… --data LABELLED --json                                    (each model)
 *
 * and writes each command's wall time, peak memory and the test accuracy. `polarity vectors` reads
 * IMDB's training reviews and `train/unsup/`, never its test reviews. D defaults to the network's
 * own embedding width, so that the two runs differ only in where the embedding starts.
 *
 *   npm run bench:vectors -- --data aclImdb_v1.labeled.tar.gz --unlabelled aclImdb_v1.unsup.tar.gz \
 *     [--models cnn-global] [--seeds 1] [--dim 32] [--epochs 5] [--skip-scratch] [--work DIR] \
 *     [--out bench/results/domain-vectors.json]
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    unlabelled: { type: 'string' },
    models: { type: 'string', default: 'cnn-global' },
    seeds: { type: 'string', default: '1' },
    dim: { type: 'string' },
    epochs: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
    'skip-scratch': { type: 'boolean', default: false },
    work: { type: 'string' },
    out: { type: 'string', default: 'bench/results/domain-vectors.json' },
  },
});
if (values.data === undefined || values.unlabelled === undefined) {
  throw new Error('--data (the labelled IMDB archive) and --unlabelled (its unsup archive) are required');
}
const labelled = values.data;
const unlabelled = values.unlabelled;

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'bin.js');
/** The embedding width each network starts with by default (the vectors are trained at it). */
const EMBEDDING_WIDTH: Readonly<Record<string, number>> = {
  mlp: 32,
  cnn: 32,
  'cnn-global': 32,
  lstm: 64,
  bilstm: 64,
  gru: 64,
};

interface Run {
  readonly command: string;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/** An argument as the results record it, without this machine's paths: DIR for the work folder, files by name. */
function shown(arg: string): string {
  if (arg.startsWith(work)) return `DIR${arg.slice(work.length)}`;
  return arg.includes('/') ? basename(arg) : arg;
}

/** Runs the built CLI under GNU time, streaming its progress; returns its wall time, peak memory and output. */
async function polarity(args: readonly string[]): Promise<{ run: Run; stdout: string }> {
  const command = `polarity ${args.map(shown).join(' ')}`;
  console.error(`\n$ ${command}`);
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'peak-rss-kib %M', process.execPath, BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderrTail = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${command} exited with ${code}:\n${stderrTail}`);
  const rss = /peak-rss-kib (\d+)/.exec(stderrTail);
  return { run: { command, seconds, peakRssMiB: rss ? Number(rss[1]) / 1024 : NaN }, stdout };
}

async function accuracyOf(model: string): Promise<{ accuracy: number; evaluate: Run }> {
  const { run, stdout } = await polarity(['evaluate', '--model', model, '--data', labelled, '--json']);
  const { accuracy } = JSON.parse(stdout) as { accuracy: number };
  return { accuracy, evaluate: run };
}

const work = values.work ?? (await mkdtemp(join(tmpdir(), 'polarity-vectors-')));
await mkdir(work, { recursive: true });
const models = values.models.split(',');
const seeds = values.seeds.split(',').map(Number);
const results: Record<string, unknown>[] = [];
const saveResults = () =>
  writeFile(values.out, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
const vectorFiles = new Map<number, { file: string; run: Run }>();

try {
  for (const model of models) {
    const dim = Number(values.dim ?? EMBEDDING_WIDTH[model]);
    if (!Number.isInteger(dim) || dim < 1)
      throw new Error(`no embedding width known for ${model}: give --dim`);
    if (!vectorFiles.has(dim)) {
      const file = join(work, `imdb-${dim}.vec`);
      const { run } = await polarity([
        'vectors',
        '--data',
        labelled,
        '--data',
        unlabelled,
        '--out',
        file,
        '--dim',
        String(dim),
        '--epochs',
        values.epochs,
        '--threads',
        values.threads,
        '--seed',
        '1',
        '--overwrite',
      ]);
      vectorFiles.set(dim, { file, run });
      results.push({ step: 'vectors', dim, epochs: Number(values.epochs), ...run });
    }
    const vectors = vectorFiles.get(dim)!.file;
    for (const seed of seeds) {
      const starts = values['skip-scratch'] ? ['vectors'] : ['scratch', 'vectors'];
      for (const start of starts) {
        const out = join(work, `${model}-${start}-${seed}`);
        const extra = start === 'vectors' ? ['--embeddings', vectors] : [];
        const { run: train } = await polarity([
          'train',
          '--model',
          model,
          '--data',
          labelled,
          '--seed',
          String(seed),
          ...extra,
          '--out',
          out,
          '--overwrite',
        ]);
        const { accuracy, evaluate } = await accuracyOf(out);
        const row = { step: 'train', model, seed, start, dim, accuracy, train, evaluate };
        console.error(`${model} seed ${seed} from ${start}: ${(accuracy * 100).toFixed(2)}%`);
        results.push(row);
        await saveResults(); // after each run, so that a stopped bench keeps what it measured
      }
    }
  }
  await saveResults();
} finally {
  if (values.work === undefined) await rm(work, { recursive: true, force: true });
}
