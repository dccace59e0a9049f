/**
 * Where an exported graph spends its time in onnxruntime (issue 17: what to cut next for
 * `--runtime onnx`): the model is exported in memory, IMDB test reviews are scored through it in
 * batches as `--runtime onnx` scores them (shortest first), with onnxruntime's profiler on, and the time of each node
 * is summed over the run and printed largest first, with its share of all nodes' time.
 *
 *   node --import tsx bench/onnx-profile.ts --model DIR --data aclImdb_v1.labeled.tar.gz \
 *     [--reviews 4000] [--batch 64] [--threads 1] [--top 12] [--out FILE]
 *
 * `--out` adds the run to FILE (a JSON list of runs, made when absent): the model kind, reviews, batch,
 * threads, wall time and every node's summed time, largest first.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadImdb } from '../src/data/imdb.js';
import { exportModel } from '../src/models/export.js';
import { DEFAULT_ONNX_BATCH, shortestFirst } from '../src/models/onnx-classifier.js';
import { ONNX_TEXT_INPUT } from '../src/models/onnx-graph.js';
import { importOnnxRuntime, sessionOptions } from '../src/models/onnx-runtime.js';
import { Random } from '../src/util/random.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    reviews: { type: 'string', default: '4000' },
    batch: { type: 'string', default: String(DEFAULT_ONNX_BATCH) },
    threads: { type: 'string', default: '1' },
    top: { type: 'string', default: '12' },
    out: { type: 'string' },
  },
});
if (args.model === undefined || args.data === undefined)
  throw new Error('--model DIR and --data PATH are required');

/** One event of onnxruntime's profile (Chrome trace format). */
interface ProfileEvent {
  readonly cat: string;
  readonly name: string;
  readonly dur: number;
  readonly args: { readonly op_name?: string };
}

const imdb = await loadImdb(args.data, { splits: ['test'] });
const sample = new Random(1)
  .shuffle([...imdb.test])
  .slice(0, Number(args.reviews))
  .map((e) => e.text);
// In the order `--runtime onnx` scores them: shortest first.
const texts = Array.from(shortestFirst(sample), (index) => sample[index]);
const { bytes, kind } = await exportModel(args.model, 'onnx');
const ort = await importOnnxRuntime();
const folder = await mkdtemp(join(tmpdir(), 'polarity-onnx-profile-'));
try {
  const session = await ort.InferenceSession.create(bytes, {
    ...sessionOptions(Number(args.threads)),
    enableProfiling: true,
    profileFilePrefix: join(folder, 'profile'),
  });
  const batch = Number(args.batch);
  const started = performance.now();
  for (let i = 0; i < texts.length; i += batch) {
    const slice = texts.slice(i, i + batch);
    await session.run({ [ONNX_TEXT_INPUT]: new ort.Tensor('string', slice, [slice.length]) });
  }
  const wall = performance.now() - started;
  // onnxruntime-node writes the profile when the session is released.
  await session.release();
  const [file] = (await readdir(folder)).filter((name) => name.endsWith('.json'));
  const events = JSON.parse(await readFile(join(folder, file), 'utf8')) as ProfileEvent[];
  const byNode = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const node = `${e.args.op_name ?? '?'} ${e.name.slice(0, -'_kernel_time'.length)}`;
    byNode.set(node, (byNode.get(node) ?? 0) + e.dur);
  }
  const total = [...byNode.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${kind}: ${texts.length} reviews in batches of ${batch} on ${args.threads} thread(s): ` +
      `${((texts.length / wall) * 1000).toFixed(0)} reviews/s with the profiler on; ` +
      `nodes ${(total / 1000).toFixed(0)} ms of ${wall.toFixed(0)} ms`,
  );
  console.log('| node | ms | share |');
  console.log('| --- | ---: | ---: |');
  const largestFirst = [...byNode].sort((a, b) => b[1] - a[1]);
  for (const [node, us] of largestFirst.slice(0, Number(args.top)))
    console.log(`| ${node} | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)}% |`);
  if (args.out !== undefined) {
    const runs: unknown[] = existsSync(args.out)
      ? (JSON.parse(await readFile(args.out, 'utf8')) as unknown[])
      : [];
    runs.push({
      date: new Date().toISOString(),
      model: basename(args.model),
      kind,
      reviews: texts.length,
      batch,
      threads: Number(args.threads),
      wallMs: Math.round(wall),
      nodesMs: Math.round(total / 1000),
      nodes: largestFirst.map(([node, us]) => ({ node, ms: Math.round(us / 1000) })),
    });
    await writeFile(args.out, `${JSON.stringify(runs, null, 2)}\n`);
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
