/**
 * `polarity evaluate` and the training data a model records: without --data it scores the data the
 * model was trained on (and says so), refuses clearly when that data is gone, and it warns, with the
 * share, when the texts it scores were training texts. Models saved before the records still evaluate
 * as before, and are warned about by their manifest's fingerprint.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DATA_SOURCE_FILE } from '../../src/data/data-source.js';
import { TEXT_HASHES_FILE } from '../../src/data/text-hashes.js';
import { MANIFEST_FILE, sealManifest, type ModelManifest } from '../../src/persist/manifest.js';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';
import { fixtureDir } from '../data/own-data-helpers.js';

const GOOD = ['fine', 'great', 'lovely', 'superb', 'moving'];
const BAD = ['dull', 'awful', 'weak', 'tedious', 'poor'];

/** `n` rows, every text its own, the label told by its words. */
function rows(n: number, from = 0): { text: string; label: string }[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const words = i % 2 ? GOOD : BAD;
    return {
      text: `review ${i} was ${words[i % 5]} and ${words[(i + 2) % 5]}`,
      label: i % 2 ? 'pos' : 'neg',
    };
  });
}

function csvOf(data: readonly { text: string; label: string }[]): string {
  return ['text,label', ...data.map((row) => `"${row.text}",${row.label}`)].join('\n') + '\n';
}

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
let csv: string;

before(async () => {
  fixtures = await fixtureDir();
  csv = await fixtures.write('reviews.csv', csvOf(rows(40)));
  // An IMDB "cache" for the models that record nothing: they go looking for IMDB, as before.
  await mkdir(join(fixtures.dir, 'cache'));
  await copyFile(IMDB_SAMPLE, join(fixtures.dir, 'cache', 'aclImdb_v1.tar.gz'));
});
after(() => fixtures.cleanup());

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '', POLARITY_CACHE: join(fixtures.dir, 'cache') });
}

async function train(data: string, out: string, ...more: string[]): Promise<string> {
  const dir = join(fixtures.dir, out);
  const result = await polarity('train', '--data', data, '--model', 'nb', '--out', dir, ...more);
  assert.equal(result.code, 0, result.stderr);
  return dir;
}

async function evaluate(...args: string[]): Promise<{ result: CliResult; examples: number }> {
  const result = await polarity('evaluate', ...args, '--json');
  assert.equal(result.code, 0, result.stderr);
  return { result, examples: (JSON.parse(result.stdout) as { examples: number }).examples };
}

describe('evaluate and the data a model was trained on', () => {
  it('without --data, scores the held-out rows of the recorded CSV, says so, and does not warn', async () => {
    const model = await train(csv, 'carved', '--test-split', '0.25');
    const { result, examples } = await evaluate('--model', model);
    assert.equal(examples, 10);
    assert.ok(
      result.stderr.includes(
        `evaluating on the data the model was trained on: ${csv} (the test rows held out when it was trained)`,
      ),
      result.stderr,
    );
    assert.match(result.stderr, /scoring the 10 test rows held out when the model was trained/);
    assert.doesNotMatch(result.stderr, /warning/);
  });

  it('reads the recorded data the way it was read when trained (columns, header, label map)', async () => {
    const noHeader = await fixtures.write(
      'stars.csv',
      rows(40)
        .map((row, i) => `${i},"${row.text}",${row.label === 'pos' ? 9 : 2}`)
        .join('\n') + '\n',
    );
    const reading = [
      '--no-header',
      '--text-column',
      '2',
      '--label-column',
      '3',
      '--label-map',
      '1-4=neg,7-10=pos',
    ];
    const model = await train(noHeader, 'stars', ...reading);
    const { result, examples } = await evaluate('--model', model);
    assert.equal(examples, 40);
    assert.match(result.stderr, /all of it: no test split was held out/);
  });

  it('on the training data itself warns that every text was a training text', async () => {
    const model = await train(csv, 'whole');
    const recorded = await evaluate('--model', model);
    assert.equal(recorded.examples, 40);
    assert.match(recorded.result.stderr, /warning: 40 of 40 test texts \(100%\) were in the training data/);
    const given = await evaluate('--model', model, '--data', csv);
    assert.doesNotMatch(given.result.stderr, /evaluating on the data the model was trained on/);
    assert.match(given.result.stderr, /warning: 40 of 40 test texts \(100%\) were in the training data/);
  });

  it('gives the share of a partial overlap, texts compared up to case and spacing', async () => {
    const model = await train(csv, 'partial');
    const seen = rows(40)
      .slice(0, 3)
      .map((row) => ({ ...row, text: `  ${row.text.toUpperCase().replace(/ /g, '  ')}` }));
    const other = await fixtures.write('other.csv', csvOf([...seen, ...rows(5, 100)]));
    const { result } = await evaluate('--model', model, '--data', other);
    assert.match(result.stderr, /warning: 3 of 8 test texts \(37\.5%\) were in the training data/);
  });

  it('records the texts of a streamed training run too', async () => {
    const model = await train(csv, 'streamed', '--stream');
    const { result } = await evaluate('--model', model, '--data', csv);
    assert.match(result.stderr, /warning: 40 of 40 test texts \(100%\) were in the training data/);
  });

  it('asks for --data, exit 1, when the recorded data was moved or deleted', async () => {
    const moving = await fixtures.write('moving.csv', csvOf(rows(40)));
    const model = await train(moving, 'moved');
    await rename(moving, join(fixtures.dir, 'moved-away.csv'));
    const result = await polarity('evaluate', '--model', model);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /error: the model was trained on .*moving\.csv, which no longer exists: give the data to evaluate on with --data/,
    );
    const given = await evaluate('--model', model, '--data', join(fixtures.dir, 'moved-away.csv'));
    assert.equal(given.examples, 40);
  });

  it('a model trained on IMDB records IMDB and scores its test split', async () => {
    const model = await train(IMDB_SAMPLE, 'imdb');
    const manifest = JSON.parse(await readFile(join(model, MANIFEST_FILE), 'utf8')) as ModelManifest;
    assert.ok(manifest.files[DATA_SOURCE_FILE] && manifest.files[TEXT_HASHES_FILE]);
    const { result } = await evaluate('--model', model);
    assert.ok(
      result.stderr.includes(
        `evaluating on the data the model was trained on: ${IMDB_SAMPLE} (its test split)`,
      ),
      result.stderr,
    );
  });

  it('a model saved without the records evaluates as before, warned by its fingerprint', async () => {
    const model = await train(csv, 'old');
    // What a model of the current format saved before the records looks like: no files, resealed.
    const file = join(model, MANIFEST_FILE);
    const manifest = JSON.parse(await readFile(file, 'utf8')) as ModelManifest;
    const { [DATA_SOURCE_FILE]: _source, [TEXT_HASHES_FILE]: _hashes, ...files } = manifest.files;
    await writeFile(file, JSON.stringify(sealManifest({ ...manifest, files }), null, 2));
    await rm(join(model, DATA_SOURCE_FILE));
    await rm(join(model, TEXT_HASHES_FILE));

    const same = await evaluate('--model', model, '--data', csv);
    assert.match(same.result.stderr, /warning: these are the texts and labels the model was trained on/);
    const other = await evaluate(
      '--model',
      model,
      '--data',
      await fixtures.write('new.csv', csvOf(rows(6, 200))),
    );
    assert.doesNotMatch(other.result.stderr, /warning/);
    // No record: the default is IMDB, as it was.
    const imdb = await evaluate('--model', model);
    assert.doesNotMatch(imdb.result.stderr, /evaluating on the data the model was trained on/);
    assert.equal(imdb.examples, (await evaluate('--model', model, '--data', IMDB_SAMPLE)).examples);
  });
});
