/**
 * Labels the data gives too little of are reported: a label with fewer than two training examples,
 * and test rows left out for a label the training split (or the evaluated model) lacks. A warning
 * by default, exit 1 with --strict-labels.
 */
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { fixtureDir } from '../data/own-data-helpers.js';

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
let once: string;
let folder: string;
let model: string;

/** 40 rows of two well-separated labels, as CSV lines. */
const ROWS = Array.from({ length: 40 }, (_, i) =>
  i % 2 === 0 ? `a great wonderful film ${i},pos` : `an awful boring film ${i},neg`,
);

before(async () => {
  fixtures = await fixtureDir();
  once = await fixtures.write(
    'once.csv',
    ['text,label', ...ROWS, 'an odd middling film,neutral'].join('\n') + '\n',
  );
  // A folder with its own splits whose test split has a label that training lacks.
  for (const [i, row] of ROWS.entries()) {
    const [text, label] = row.split(',');
    await fixtures.write(`folder/${i < 30 ? 'train' : 'test'}/${label}/${i}.txt`, text);
  }
  await fixtures.write('folder/test/neutral/a.txt', 'an odd middling film');
  await fixtures.write('folder/test/neutral/b.txt', 'a so-so film');
  folder = join(fixtures.dir, 'folder');
  model = join(fixtures.dir, 'model');
  const train = await polarity(
    'train',
    '--data',
    await fixtures.write('two.csv', ['text,label', ...ROWS].join('\n') + '\n'),
    '--model',
    'nb',
    '--out',
    model,
  );
  assert.equal(train.code, 0, train.stderr);
});
after(() => fixtures.cleanup());

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '' });
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('label warnings and --strict-labels', () => {
  it('train: a label with one training example is a warning naming it and its count', async () => {
    const out = join(fixtures.dir, 'once-model');
    const result = await polarity('train', '--data', once, '--model', 'nb', '--out', out);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^warning: 1 label with fewer than 2 training examples, too few to learn from: "neutral" \(1\) \(--strict-labels makes this an error\)$/m,
    );
    assert.ok(await exists(out));
  });

  it('train --strict-labels: the same data is refused with exit 1, naming the file, and no model is written', async () => {
    const out = join(fixtures.dir, 'strict-model');
    const result = await polarity('train', '--data', once, '--model', 'nb', '--out', out, '--strict-labels');
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `^error: ${once.replace(/[.\\]/g, '\\$&')}: 1 label with fewer than 2 training examples, too few to learn from: "neutral" \\(1\\) \\(--strict-labels\\)$`,
        'm',
      ),
    );
    assert.equal(await exists(out), false);
  });

  it('train --test-split: a label left with one training example after the carve is reported', async () => {
    const twice = await fixtures.write(
      'twice.csv',
      ['text,label', ...ROWS, 'an odd middling film,neutral', 'a so-so film,neutral'].join('\n') + '\n',
    );
    const result = await polarity(
      'train',
      '--data',
      twice,
      '--test-split',
      '0.5',
      '--model',
      'nb',
      '--out',
      join(fixtures.dir, 'split-model'),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^warning: 1 label with fewer than 2 training examples, too few to learn from: "neutral" \(1\)/m,
    );
  });

  it('train: test rows whose label training lacks are an error by default, a counted warning with --on-error skip, an error again with --strict-labels', async () => {
    const fail = await polarity(
      'train',
      '--data',
      folder,
      '--model',
      'nb',
      '--out',
      join(fixtures.dir, 'f1'),
    );
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /label "neutral" appears in the test split but not in the training split/);

    const skip = await polarity(
      'train',
      '--data',
      folder,
      '--model',
      'nb',
      '--on-error',
      'skip',
      '--out',
      join(fixtures.dir, 'f2'),
    );
    assert.equal(skip.code, 0, skip.stderr);
    assert.match(
      skip.stderr,
      /^warning: 2 test rows left out, with 1 label not in the training split: "neutral" \(2\) \(--strict-labels makes this an error\)$/m,
    );

    const strict = await polarity(
      'train',
      '--data',
      folder,
      '--model',
      'nb',
      '--on-error',
      'skip',
      '--strict-labels',
      '--out',
      join(fixtures.dir, 'f3'),
    );
    assert.equal(strict.code, 1);
    assert.match(
      strict.stderr,
      /^error: .*folder: 2 test rows left out, with 1 label not in the training split: "neutral" \(2\) \(--strict-labels\)$/m,
    );
    assert.equal(await exists(join(fixtures.dir, 'f3')), false);
  });

  it('evaluate: rows with labels the model lacks are counted in a warning (--on-error skip), refused with --strict-labels', async () => {
    const skip = await polarity('evaluate', '--model', model, '--data', once, '--on-error', 'skip', '--json');
    assert.equal(skip.code, 0, skip.stderr);
    assert.match(
      skip.stderr,
      /^warning: 1 test row left out, with 1 label not in the model's labels: "neutral" \(1\)/m,
    );
    assert.equal((JSON.parse(skip.stdout) as { examples: number }).examples, 40);

    const strict = await polarity(
      'evaluate',
      '--model',
      model,
      '--data',
      once,
      '--on-error',
      'skip',
      '--strict-labels',
    );
    assert.equal(strict.code, 1);
    assert.match(
      strict.stderr,
      /^error: .*once\.csv: 1 test row left out, with 1 label not in the model's labels: "neutral" \(1\) \(--strict-labels\)$/m,
    );
    assert.equal(strict.stdout, '');
  });
});
