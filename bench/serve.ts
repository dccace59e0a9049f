/**
 * Speed of batch scoring and of the HTTP service on the full IMDB split.
 *
 *   npm run bench:serve -- [--data PATH] [--models nb,linear,nbsvm,fasttext,mlp,cnn] [--service nbsvm,cnn]
 *                          [--duration 30] [--connections 16] [--keep DIR] [--out FILE]
 *
 * 1. Trains each model family on the 25,000 training reviews with the built CLI (the neural ones for
 *    one epoch: only their speed is measured here), or reuses the models under --keep.
 * 2. `polarity predict` on the 25,000 test reviews (JSON Lines in and out) with 1 and 2 workers:
 *    reviews/s over the whole command, starting the process and loading the model included.
 * 3. `polarity serve` for each --service model: the median time of five `/v1/explain` of a 300-word
 *    review (occlusion for a neural model), then autocannon against it on loopback for --duration
 *    seconds with 1 and 16 reviews per request: requests/s, p50 and p99 latency, errors and non-2xx.
 *
 * Runs the built CLI (dist/), as a user would; `npm run bench:serve` builds first. Steps run one after
 * the other, never in parallel, so that they do not compete for cores.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { loadImdb, resolveImdb } from '../src/data/index.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/bin.js');
const AUTOCANNON = join(ROOT, 'node_modules/.bin/autocannon');

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    models: { type: 'string', default: 'nb,linear,nbsvm,fasttext,mlp,cnn' },
    service: { type: 'string', default: 'nbsvm,cnn' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '16' },
    keep: { type: 'string' },
    out: { type: 'string' },
  },
});

interface PredictRow {
  readonly model: string;
  readonly workers: number;
  readonly reviews: number;
  readonly seconds: number;
  readonly reviewsPerSecond: number;
}

interface ExplainRow {
  readonly model: string;
  readonly words: number;
  readonly medianMs: number;
}

interface ServiceRow {
  readonly model: string;
  readonly textsPerRequest: number;
  readonly seconds: number;
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly reviewsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** The part of autocannon's --json report used here. */
interface AutocannonReport {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly duration: number;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function train(model: string, data: string, dir: string): Promise<void> {
  if (await exists(join(dir, 'polarity.json'))) return;
  const neural = model === 'mlp' || model === 'cnn' ? ['--epochs', '1'] : [];
  const started = performance.now();
  await run(process.execPath, [CLI, 'train', '--data', data, '--model', model, '--out', dir, ...neural], {
    maxBuffer: 1 << 26,
  });
  console.error(`trained ${model} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function predict(
  model: string,
  dir: string,
  input: string,
  output: string,
  workers: number,
): Promise<PredictRow> {
  const started = performance.now();
  await run(
    process.execPath,
    [
      CLI,
      'predict',
      '--model',
      dir,
      '--input',
      input,
      '--output',
      output,
      '--workers',
      String(workers),
      '--no-progress',
    ],
    { maxBuffer: 1 << 26 },
  );
  const seconds = (performance.now() - started) / 1000;
  const reviews = 25_000;
  return { model, workers, reviews, seconds, reviewsPerSecond: reviews / seconds };
}

/** Starts `polarity serve` on a free port and resolves with its address once it listens. */
function serve(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--model', dir, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      const match = / on (http:\/\/\S+) /.exec(stderr);
      if (match) {
        resolve({
          url: match[1],
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', () => reject(new Error(`polarity serve stopped:\n${stderr}`)));
  });
}

async function load(
  model: string,
  url: string,
  texts: readonly string[],
  seconds: number,
  connections: number,
) {
  const body = JSON.stringify({ texts });
  const { stdout } = await run(
    AUTOCANNON,
    [
      '-j',
      '-c',
      String(connections),
      '-d',
      String(seconds),
      '-m',
      'POST',
      '-H',
      'content-type=application/json',
      '-b',
      body,
      `${url}/v1/predict`,
    ],
    { maxBuffer: 1 << 26 },
  );
  const report = JSON.parse(stdout) as AutocannonReport;
  const row: ServiceRow = {
    model,
    textsPerRequest: texts.length,
    seconds: report.duration,
    connections,
    requestsPerSecond: report.requests.average,
    reviewsPerSecond: report.requests.average * texts.length,
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    errors: report.errors + report.timeouts,
    non2xx: report.non2xx,
  };
  return row;
}

/** Median wall time of five explanations of `text`, after one to warm up. */
async function explainTime(model: string, url: string, text: string): Promise<ExplainRow> {
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/v1/explain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    if (!response.ok) throw new Error(`/v1/explain answered ${response.status}: ${await response.text()}`);
    await response.json();
    if (i > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { model, words: text.split(/\s+/).length, medianMs: times[2] };
}

const format = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  if (!(await exists(CLI))) throw new Error('dist/cli/bin.js is missing: run `npm run build` first');
  const data = await resolveImdb({ data: values.data });
  const dataset = await loadImdb(data, { splits: ['test'] });
  const scratch = await mkdtemp(join(tmpdir(), 'polarity-bench-serve-'));
  const models = values.keep ?? join(scratch, 'models');
  try {
    const input = join(scratch, 'test.jsonl');
    await writeFile(input, dataset.test.map((e) => JSON.stringify({ text: e.text })).join('\n') + '\n');
    const families = values.models.split(',');
    for (const family of [...new Set([...families, ...values.service.split(',')])]) {
      await train(family, data, join(models, family));
    }

    const predictRows: PredictRow[] = [];
    for (const family of families) {
      for (const workers of [1, 2]) {
        const row = await predict(family, join(models, family), input, join(scratch, 'out.jsonl'), workers);
        console.error(`predict ${family}, ${workers} worker(s): ${format(row.reviewsPerSecond)} reviews/s`);
        predictRows.push(row);
      }
    }

    // Reviews of about the median length (~170 words), the same ones in every run.
    const typical = dataset.test
      .filter((e) => e.text.length > 800 && e.text.length < 1000)
      .map((e) => e.text);
    const review300 = dataset.test.find((e) => Math.abs(e.text.split(/\s+/).length - 300) <= 5)?.text ?? '';
    const serviceRows: ServiceRow[] = [];
    const explainRows: ExplainRow[] = [];
    for (const family of values.service.split(',')) {
      const service = await serve(join(models, family));
      try {
        const explained = await explainTime(family, service.url, review300);
        console.error(`explain ${family}, ${explained.words} words: ${explained.medianMs.toFixed(0)} ms`);
        explainRows.push(explained);
        for (const perRequest of [1, 16]) {
          const row = await load(
            family,
            service.url,
            typical.slice(0, perRequest),
            Number(values.duration),
            Number(values.connections),
          );
          console.error(
            `serve ${family}, ${perRequest} text(s)/request: ${format(row.requestsPerSecond)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, errors ${row.errors}, non-2xx ${row.non2xx}`,
          );
          serviceRows.push(row);
        }
      } finally {
        await service.stop();
      }
    }

    console.log('| model | reviews/s, 1 worker | reviews/s, 2 workers |');
    console.log('| ----- | ------------------: | -------------------: |');
    for (const family of families) {
      const [one, two] = [1, 2].map(
        (w) => predictRows.find((r) => r.model === family && r.workers === w) as PredictRow,
      );
      console.log(`| ${family} | ${format(one.reviewsPerSecond)} | ${format(two.reviewsPerSecond)} |`);
    }
    console.log('');
    console.log('| model | texts/request | requests/s | reviews/s | p50 ms | p99 ms | errors | non-2xx |');
    console.log('| ----- | ------------: | ---------: | --------: | -----: | -----: | -----: | ------: |');
    for (const r of serviceRows) {
      console.log(
        `| ${r.model} | ${r.textsPerRequest} | ${format(r.requestsPerSecond)} | ${format(r.reviewsPerSecond)} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.non2xx} |`,
      );
    }
    console.log('');
    console.log('| model | /v1/explain of a review of N words | median ms |');
    console.log('| ----- | ---------------------------------: | --------: |');
    for (const r of explainRows) console.log(`| ${r.model} | ${r.words} | ${r.medianMs.toFixed(0)} |`);
    if (values.out) {
      await mkdir(dirname(values.out), { recursive: true });
      await writeFile(
        values.out,
        JSON.stringify({ predict: predictRows, service: serviceRows, explain: explainRows }, null, 2) + '\n',
      );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
