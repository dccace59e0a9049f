/**
 * Size options are refused before anything is read or allocated, with exit 1 and the flag named:
 * the exact commands of issue 14, which used to end in an uncaught RangeError (exit 7) or grow to
 * gigabytes first. `--data` names a file that does not exist, so a run that got as far as reading
 * it would say so instead.
 */
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runPolarity } from '../helpers/cli.js';

const MISSING = join(tmpdir(), 'polarity-size-limits-no-such-data.csv');
const OUT = join(tmpdir(), 'polarity-size-limits-no-model');

async function refused(args: string[], message: RegExp): Promise<void> {
  const started = performance.now();
  const result = await runPolarity(args);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(result.stderr, /does not exist|no such file/i, 'refused before the data was read');
  await assert.rejects(access(OUT), 'nothing written');
  assert.ok(performance.now() - started < 20_000, 'refused at once');
}

const train = (...flags: string[]) => ['train', '--data', MISSING, '--out', OUT, ...flags];

describe('size options', () => {
  for (const [flag, value, ceiling] of [
    ['--max-len', '100000000', '100,000'],
    ['--embedding-dim', '100000000', '4,096'],
    ['--hidden-units', '1000000000', '65,536'],
    ['--num-words', '100000000', '10,000,000'],
  ] as const) {
    it(`train ${flag} ${value}: exit 1 naming ${flag} and its ceiling`, () =>
      refused(
        train(flag, value),
        new RegExp(
          `option '${flag} <n>' argument '${value}' is invalid\\. expected a positive integer of at most ${ceiling}`,
        ),
      ));
  }

  it('predict --workers 100000: exit 1 naming --workers and its ceiling of 4 per core', () =>
    refused(
      ['predict', '--model', OUT, '--input', MISSING, '--workers', '100000'],
      new RegExp(
        `option '--workers <n>' argument '100000' is invalid\\. expected a positive integer of at most ${4 * availableParallelism()}`,
      ),
    ));

  it('sizes each within bounds but too large together: exit 1 naming the flags and the ceiling', () =>
    refused(
      train('--model', 'mlp', '--max-len', '100000', '--embedding-dim', '4096'),
      /^error: the mlp network with these sizes would have 102,420,480,501 parameters and need about [\d,.]+ GiB to train, over the ceiling of 250,000,000 parameters and 4 GiB: lower --max-len \(100,000\), --embedding-dim \(4,096\) or --hidden-units \(250\)\n$/,
    ));

  it('a recurrent network whose batch of activations is too large names --batch-size too (cv)', () =>
    refused(
      ['cv', '--data', MISSING, '--model', 'bilstm', '--max-len', '50000', '--units', '512'],
      /^error: the bilstm network .* lower --max-len \(50,000\), --units \(512\) or --batch-size \(128\)\n$/,
    ));

  it("an ensemble's network member is checked too", () =>
    refused(
      train(
        '--model',
        'ensemble',
        '--members',
        'nb,cnn',
        '--num-words',
        '10000000',
        '--embedding-dim',
        '1024',
      ),
      /^error: the cnn network .* lower --num-words \(10,000,000\) or --embedding-dim \(1,024\)\n$/,
    ));

  it('fasttext --buckets × --dim over the parameter ceiling', () =>
    refused(
      train('--model', 'fasttext', '--buckets', '60000000', '--dim', '1000'),
      /^error: buckets 60,000,000 × dim 1,000 = 60,000,000,000 parameters, over the ceiling of 250,000,000: lower buckets or dim\n$/,
    ));

  it('linear --hash-bits and fasttext --dim keep their bounds in the parser', async () => {
    await refused(
      train('--model', 'linear', '--hash-bits', '40'),
      /'--hash-bits <b>' argument '40' is invalid\. expected a positive integer of at most 28/,
    );
    await refused(
      train('--model', 'fasttext', '--dim', '5000'),
      /'--dim <n>' argument '5000' is invalid\. expected a positive integer of at most 1,000/,
    );
  });
});
