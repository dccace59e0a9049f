/**
 * Speed of `--runtime onnx` against Polarity's own runtime: `polarity predict` on the 25,000 IMDB
 * test reviews (JSON Lines in and out) for each saved model given, with each runtime, on 1 and 2
 * workers, in one run, one command after the other so that they never compete for cores.
 *
 *   npm run bench:onnx -- --models DIR,DIR,... [--data PATH] [--workers 1,2] [--limit N] [--exported]
 *                         [--note TEXT] [--out bench/results/onnx-speed.json]
 *
 * `--exported` adds a third command per row: `predict --runtime onnx` on the model's `.onnx` file
 * (written by `polarity export` beforehand, untimed), which has no model directory to load and no
 * graph to build.
 *
 * Two figures per command: reviews/s over the whole command (starting the process, loading the
 * model and, for onnx, building its graph and opening the sessions, included), and the scoring rate
 * `predict` reports itself (from the first review read to the last written; the workers' start-up
 * falls inside it). The labels of the two runtimes are compared row by row, so that a fast but
 * wrong graph shows. Runs the built CLI (dist/), as a user would; `npm run bench:onnx` builds first.
 * The targets of issue 17: the networks at least 5× the default runtime, nbsvm at least 1×.
 */
import { execFile } from 'node:child_process';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { loadImdb, resolveImdb } from '../src/data/index.js';
import { readManifest } from '../src/persist/model-dir.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/bin.js');
type Runtime = 'polarity' | 'onnx';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    data: { type: 'string' },
    workers: { type: 'string', default: '1,2' },
    limit: { type: 'string' },
    exported: { type: 'boolean', default: false },
    /** How quiet the machine was, or anything else the figures need said beside them. */
    note: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'bench/results/onnx-speed.json') },
  },
});
if (!values.models) {
  console.error(
    'usage: npm run bench:onnx -- --models DIR,DIR,... [--data PATH] [--workers 1,2] [--limit N] [--out FILE]',
  );
  process.exit(1);
}

interface Measured {
  readonly seconds: number;
  readonly reviewsPerSecond: number;
  /** What `predict` prints: the scoring alone, from the first review read to the last written. */
  readonly scoringReviewsPerSecond: number;
}

interface Row {
  readonly model: string;
  readonly kind: string;
  readonly workers: number;
  readonly reviews: number;
  readonly polarity: Measured;
  readonly onnx: Measured | { readonly error: string };
  /** onnx over polarity, whole command. */
  readonly ratio: number | null;
  readonly scoringRatio: number | null;
  /** With --exported: onnx on the model's .onnx file, and its ratio over polarity, whole command. */
  readonly exported?: Measured;
  readonly exportedRatio?: number;
  /** Rows whose label is the same with both runtimes. */
  readonly equalLabels: number | null;
}

async function predict(
  dir: string,
  input: string,
  output: string,
  workers: number,
  runtime: Runtime,
  reviews: number,
): Promise<Measured> {
  const started = performance.now();
  const args = ['predict', '--model', dir, '--input', input, '--output', output];
  const { stderr } = await run(
    process.execPath,
    [CLI, ...args, '--workers', String(workers), '--runtime', runtime, '--no-progress'],
    { maxBuffer: 1 << 26 },
  );
  const seconds = (performance.now() - started) / 1000;
  // "predicted 25,000 texts in 12.3 s (2,033 texts/s)": the rate, from the unrounded time.
  const reported = /\(([\d,]+) texts\/s\)/.exec(stderr);
  return {
    seconds,
    reviewsPerSecond: reviews / seconds,
    scoringReviewsPerSecond: reported ? Number(reported[1].replaceAll(',', '')) : NaN,
  };
}

/** Writes the model in `dir` as `file` with `polarity export`. */
async function exportOnnx(dir: string, file: string): Promise<void> {
  await run(process.execPath, [CLI, 'export', '--model', dir, '--format', 'onnx', '--out', file], {
    maxBuffer: 1 << 26,
  });
}

async function labelsOf(file: string): Promise<(string | null)[]> {
  const text = await readFile(file, 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { label: string | null }).label);
}

const data = await resolveImdb({ data: values.data });
const limit = values.limit ? Number(values.limit) : undefined;
const texts = (await loadImdb(data)).test.map((e) => e.text).slice(0, limit);
const scratch = await mkdtemp(join(tmpdir(), 'polarity-onnx-speed-'));
const input = join(scratch, 'test.jsonl');
await writeFile(input, texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
const workerCounts = values.workers.split(',').map(Number);
// Other work on the machine shows here: the 1-minute load average before and after.
const loadBefore = loadavg()[0];

const rows: Row[] = [];
try {
  for (const dir of values.models.split(',')) {
    const { kind } = await readManifest(dir);
    const onnxFile = join(scratch, `${basename(dir)}.onnx`);
    // A family without an export is refused below, by --runtime onnx itself.
    const exportedFile =
      values.exported &&
      (await exportOnnx(dir, onnxFile).then(
        () => true,
        () => false,
      ));
    for (const workers of workerCounts) {
      const outputs = { polarity: join(scratch, 'polarity.jsonl'), onnx: join(scratch, 'onnx.jsonl') };
      const polarity = await predict(dir, input, outputs.polarity, workers, 'polarity', texts.length);
      let onnx: Row['onnx'];
      let equalLabels: number | null = null;
      let exported: Measured | undefined;
      try {
        onnx = await predict(dir, input, outputs.onnx, workers, 'onnx', texts.length);
        const [a, b] = await Promise.all([labelsOf(outputs.polarity), labelsOf(outputs.onnx)]);
        equalLabels = a.filter((label, i) => label === b[i]).length;
        if (exportedFile) {
          exported = await predict(onnxFile, input, outputs.onnx, workers, 'onnx', texts.length);
          // The file's labels are the in-memory graph's: the same bytes.
          const c = await labelsOf(outputs.onnx);
          if (c.some((label, i) => label !== b[i]))
            throw new Error(`${onnxFile}: labels differ from the graph's`);
        }
      } catch (error) {
        // A family without an export: its refusal, as the CLI printed it.
        const stderr = (error as { stderr?: string }).stderr ?? String(error);
        onnx = { error: stderr.trim().split('\n').pop() ?? stderr };
      }
      const row: Row = {
        model: basename(dir),
        kind,
        workers,
        reviews: texts.length,
        polarity,
        onnx,
        ratio: 'seconds' in onnx ? onnx.reviewsPerSecond / polarity.reviewsPerSecond : null,
        scoringRatio:
          'seconds' in onnx ? onnx.scoringReviewsPerSecond / polarity.scoringReviewsPerSecond : null,
        equalLabels,
        ...(exported && { exported, exportedRatio: exported.reviewsPerSecond / polarity.reviewsPerSecond }),
      };
      rows.push(row);
      console.error(JSON.stringify(row));
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const onnxruntime = JSON.parse(
  await readFile(join(ROOT, 'node_modules/onnxruntime-node/package.json'), 'utf8'),
) as { version: string };
const result = {
  date: new Date().toISOString(),
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown' },
  node: process.version,
  onnxruntimeNode: onnxruntime.version,
  reviews: texts.length,
  loadAverage: { before: loadBefore, after: loadavg()[0] },
  note: values.note,
  rows,
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, JSON.stringify(result, null, 2) + '\n');

const rate = (m: Measured) => `${Math.round(m.reviewsPerSecond)} (${Math.round(m.scoringReviewsPerSecond)})`;
console.log(`reviews/s over the whole command (scoring alone), ${texts.length} IMDB test reviews\n`);
const fileColumns = values.exported ? ' onnx, .onnx file | file / polarity |' : '';
console.log(`| model | kind | workers | polarity | onnx | onnx / polarity | equal labels |${fileColumns}`);
console.log(
  `| ----- | ---- | ------- | -------- | ---- | --------------- | ------------ |${fileColumns.replace(/[^|]+/g, ' - ')}`,
);
for (const r of rows) {
  const onnx = 'seconds' in r.onnx ? rate(r.onnx) : `refused: ${r.onnx.error}`;
  const ratio = r.ratio === null ? '–' : `${r.ratio.toFixed(2)}× (${r.scoringRatio!.toFixed(2)}×)`;
  const equal = r.equalLabels === null ? '–' : `${r.equalLabels}/${r.reviews}`;
  const file = !values.exported
    ? ''
    : r.exported
      ? ` ${rate(r.exported)} | ${r.exportedRatio!.toFixed(2)}× |`
      : ' – | – |';
  console.log(
    `| ${r.model} | ${r.kind} | ${r.workers} | ${rate(r.polarity)} | ${onnx} | ${ratio} | ${equal} |${file}`,
  );
}
