import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { loadDataset } from '../../src/data/load-dataset.js';
import { streamDataset } from '../../src/data/stream-dataset.js';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';
import { Random } from '../../src/util/random.js';
import { fixtureDir, threeLabelRows } from './own-data-helpers.js';

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
before(async () => (fixtures = await fixtureDir()));
after(() => fixtures.cleanup());

const CHILD = fileURLToPath(new URL('./stream-memory-child.ts', import.meta.url));

/** A CSV of about `mib` MiB: long rows over a small vocabulary, so the model stays tiny and the texts do not. */
async function writeLargeCsv(path: string, mib: number): Promise<void> {
  const random = new Random(1);
  const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
  const out = createWriteStream(path);
  out.write('text,label\n');
  let bytes = 0;
  while (bytes < mib * 2 ** 20) {
    const label = random.next() < 0.5 ? 'pos' : 'neg';
    const text = Array.from({ length: 80 }, () => words[random.int(words.length)]).join(' ');
    const line = `${text} ${label === 'pos' ? 'good' : 'bad'},${label}\n`;
    bytes += line.length;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

describe('streaming a dataset larger than memory', () => {
  it('gives linear models identical to those trained on the loaded data, and the same carve', async () => {
    const rows = threeLabelRows(400);
    const csv = ['text,label', ...rows.map((r) => `"${r.text}",${r.label}`)].join('\n') + '\n';
    const file = await fixtures.write('three.csv', csv);
    const { dataset, report } = await loadDataset(file, { testSplit: 0.2, seed: 4 });
    const streamed = await streamDataset(file, { testSplit: 0.2, seed: 4 });
    assert.deepEqual(streamed.labels, dataset.labels);
    assert.deepEqual(streamed.report.split, report.split);
    assert.deepEqual(streamed.report.rows, report.rows);
    const test: string[] = [];
    for await (const batch of streamed.batches('test', 50)) test.push(...batch.map((e) => e.text));
    assert.deepEqual(
      test,
      dataset.test.map((e) => e.text),
    );
    for (const options of [
      { model: 'nb' },
      { model: 'linear' },
      { model: 'nbsvm' },
      { model: 'linear', hashBits: 12 },
      { model: 'nb', classWeight: 'auto' },
      { model: 'linear', classWeight: { neg: 2 } },
    ] as const) {
      const loaded = await new LinearTrainer(options, 1).fit(dataset, { seed: 2 });
      const read = () => streamed.batches('train', 77);
      const passes = await new LinearTrainer(options, 1).fitBatches(
        { labels: streamed.labels, read },
        { seed: 2 },
      );
      assert.deepEqual(passes.vectorizer.toJSON(), loaded.vectorizer.toJSON(), `${options.model} vocabulary`);
      assert.deepEqual(passes.weights, loaded.weights, `${options.model} weights`);
      assert.equal(passes.provenance.training.dataFingerprint, loaded.provenance.training.dataFingerprint);
    }
  });

  it('reports bad rows once, in the first pass, and leaves the same rows out of every later pass', async () => {
    const file = await fixtures.write('bad.csv', 'text,label\na,pos\n,neg\nb,neg\nc\nd,pos\n');
    await assert.rejects(streamDataset(file), /bad\.csv:3: the text is empty/);
    const problems: number[] = [];
    const streamed = await streamDataset(file, { onError: 'skip', onProblem: (p) => problems.push(p.line) });
    for (let pass = 0; pass < 2; pass++) {
      const texts: string[] = [];
      for await (const batch of streamed.batches('train')) texts.push(...batch.map((e) => e.text));
      assert.deepEqual(texts, ['a', 'b', 'd']);
    }
    assert.deepEqual(problems, [3, 5]);
  });

  it('trains on a file several times larger than a memory budget without its live memory growing past it', async () => {
    const file = `${fixtures.dir}/large.csv`;
    await writeLargeCsv(file, 40);
    const budgetMiB = 12;
    const fileMiB = (await stat(file)).size / 2 ** 20;
    const run = async (mode: string) => {
      const { stdout } = await promisify(execFile)(process.execPath, [
        '--expose-gc',
        '--import',
        'tsx',
        CHILD,
        mode,
        file,
      ]);
      return Number(stdout.trim());
    };
    const streamed = await run('stream');
    assert.ok(
      streamed < budgetMiB,
      `streaming a ${fileMiB.toFixed(0)} MiB file grew live memory by ${streamed} MiB`,
    );
    // The same measure on the loaded dataset, so that this test can tell the two apart.
    const loaded = await run('load');
    assert.ok(
      loaded > fileMiB / 2,
      `loading a ${fileMiB.toFixed(0)} MiB file grew live memory by only ${loaded} MiB`,
    );
  });
});
