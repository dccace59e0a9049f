import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { fixtureDir, threeLabelRows } from '../data/own-data-helpers.js';

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
let csv: string;
const STARS: Record<string, number[]> = { neg: [1, 2], mixed: [5, 6], pos: [9, 10] };

before(async () => {
  fixtures = await fixtureDir();
  const rows = threeLabelRows(40).map((row, i) => `${i},${STARS[row.label][i % 2]},"${row.text}"`);
  csv = await fixtures.write('reviews.csv', ['id,stars,review', ...rows].join('\n') + '\n');
});
after(() => fixtures.cleanup());

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '' });
}

const COLUMNS = [
  '--text-column',
  'review',
  '--label-column',
  'stars',
  '--label-map',
  '1-2=neg,5-6=mixed,9-10=pos',
];

describe('your own data from the command line', () => {
  it('trains on a CSV with a carved test split, and evaluate scores exactly the held-out rows', async () => {
    const out = join(fixtures.dir, 'model');
    const train = await polarity(
      'train',
      '--data',
      csv,
      ...COLUMNS,
      '--test-split',
      '0.25',
      '--model',
      'nb',
      '--out',
      out,
    );
    assert.equal(train.code, 0, train.stderr);
    assert.match(train.stderr, /test split carved: 30 of 120 rows \(fraction 0\.25, stratified, seed 42\)/);
    const manifest = JSON.parse(await readFile(join(out, 'polarity.json'), 'utf8')) as {
      labels: string[];
      files: Record<string, unknown>;
    };
    assert.deepEqual(manifest.labels, ['mixed', 'neg', 'pos']);
    assert.ok(manifest.files['data-split.json'], 'the manifest lists the split record');
    const record = JSON.parse(await readFile(join(out, 'data-split.json'), 'utf8')) as { test: string[] };
    assert.equal(record.test.length, 30);

    const evaluation = await polarity('evaluate', '--model', out, '--data', csv, ...COLUMNS, '--json');
    assert.equal(evaluation.code, 0, evaluation.stderr);
    assert.match(evaluation.stderr, /scoring the 30 test rows held out when the model was trained/);
    const report = JSON.parse(evaluation.stdout) as { examples: number; accuracy: number };
    assert.equal(report.examples, 30);
    assert.ok(report.accuracy > 0.9, `accuracy ${report.accuracy}`);

    // The same file name with other rows: the carve no longer matches the record.
    const changed = await fixtures.write(
      'other/reviews.csv',
      (await readFile(csv, 'utf8')).replace(/\n0,[^\n]*/, ''),
    );
    const mismatch = await polarity('evaluate', '--model', out, '--data', changed, ...COLUMNS);
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stderr, /not the data the model was trained on/);
  });

  it('trains and evaluates with --stream, only for linear models and not on IMDB', async () => {
    const out = join(fixtures.dir, 'streamed');
    const train = await polarity(
      'train',
      '--data',
      csv,
      ...COLUMNS,
      '--test-split',
      '0.25',
      '--model',
      'nbsvm',
      '--stream',
      '--out',
      out,
    );
    assert.equal(train.code, 0, train.stderr);
    assert.match(train.stderr, /test split carved: 30 of 120 rows/);
    const evaluation = await polarity(
      'evaluate',
      '--model',
      out,
      '--data',
      csv,
      ...COLUMNS,
      '--stream',
      '--json',
    );
    assert.equal(evaluation.code, 0, evaluation.stderr);
    assert.equal((JSON.parse(evaluation.stdout) as { examples: number }).examples, 30);
    const neural = await polarity(
      'train',
      '--data',
      csv,
      ...COLUMNS,
      '--model',
      'mlp',
      '--stream',
      '--out',
      out,
    );
    assert.equal(neural.code, 1);
    assert.match(neural.stderr, /--stream does not apply to --model mlp/);
  });

  it('stops at a bad row by default, and with --on-error skip lists it and counts it', async () => {
    const bad = await fixtures.write('bad.csv', 'text,label\ngood film,pos\nbad film,neg\n,pos\nno label\n');
    const fail = await polarity('stats', '--data', bad);
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /error: .*bad\.csv:4: the text is empty \(give --on-error skip/);
    const skip = await polarity('stats', '--data', bad, '--on-error', 'skip', '--json');
    assert.equal(skip.code, 0, skip.stderr);
    assert.match(skip.stderr, /skipped 2 bad rows \(1 missing column, 1 empty text\):/);
    assert.match(skip.stderr, /bad\.csv:4: the text is empty/);
    assert.match(skip.stderr, /bad\.csv:5: no field for column "label"/);
    assert.equal((JSON.parse(skip.stdout) as { train: { reviews: number } }).train.reviews, 2);
  });

  it('refuses flags of another format, and documents the data flags in --help', async () => {
    const jsonl = await fixtures.write('a.jsonl', '{"text": "a", "label": "b"}\n');
    const misplaced = await polarity('stats', '--data', jsonl, '--text-column', 'body');
    assert.equal(misplaced.code, 1);
    assert.match(misplaced.stderr, /--text-column applies only to CSV and TSV data; this data is jsonl/);
    const help = await polarity('train', '--help');
    for (const flag of [
      '--format',
      '--text-column',
      '--label-field',
      '--no-header',
      '--label-map',
      '--on-error',
      '--test-split',
    ]) {
      assert.ok(help.stdout.includes(flag), `train --help lists ${flag}`);
    }
  });
});
