import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readManifest } from '../../src/persist/index.js';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-fasttext-cli-'));
after(() => rm(root, { recursive: true, force: true }));

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args);
}

describe('fasttext from the command line', () => {
  const dir = join(root, 'fasttext');

  it('trains with its own flags, evaluates, explains and summarises the saved model', async () => {
    const train = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'fasttext',
      '--epochs',
      '12',
      '--learning-rate',
      '0.4',
      '--dim',
      '8',
      '--buckets',
      '50000',
      '--min-count',
      '2',
      '--ngrams',
      '2',
      '--validation-split',
      '0.1',
      '--out',
      dir,
    );
    assert.equal(train.code, 0, train.stderr);
    assert.match(train.stderr, /Epoch 12\/12\n.* - val_loss: [\d.]+ - val_accuracy: [\d.]+\n/);
    const options = (await readManifest(dir)).hyperParameters;
    assert.deepEqual(
      [options.epochs, options.learningRate, options.dim, options.buckets, options.minCount, options.ngrams],
      [12, 0.4, 8, 50000, 2, 2],
    );

    const evaluation = await polarity('evaluate', '--model', dir, '--data', IMDB_SAMPLE, '--json');
    assert.equal(evaluation.code, 0, evaluation.stderr);
    assert.ok((JSON.parse(evaluation.stdout) as { accuracy: number }).accuracy > 0.7);

    const text = 'a wonderful film, the best I have seen this year, but the ending was awful';
    const json = await polarity('explain', '--model', dir, '--json', text);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { attributions: { token: string; weight: number }[] };
    const weightOf = (token: string) => parsed.attributions.find((a) => a.token === token)?.weight ?? 0;
    assert.ok(weightOf('wonderful') * weightOf('awful') < 0, JSON.stringify(parsed.attributions.slice(0, 8)));
    assert.ok(parsed.attributions.some((a) => a.token === 'the best'));

    const summary = await polarity('summary', '--model', dir);
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /bigram buckets \(averaged\)\s+\(50,000, 8\)\s+400,000\n/);
    assert.match(summary.stdout, /Training history\n\s*epoch\s+loss\s+accuracy\s+val_loss\s+val_accuracy/);
    assert.equal(summary.stdout.trimEnd().split('\n').at(-1)!.trim().split(/\s+/)[0], '12');
  });

  it("uses its own defaults for --epochs and --learning-rate, not the networks'", async () => {
    const out = join(root, 'defaults');
    const train = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'fasttext',
      '--buckets',
      '1000',
      '--out',
      out,
    );
    assert.equal(train.code, 0, train.stderr);
    const options = (await readManifest(out)).hyperParameters;
    assert.equal(options.epochs, 5);
    assert.equal(options.learningRate, 0.5);
  });

  it('refuses flags of other families, and fasttext flags for other families', async () => {
    const cases: [string[], RegExp][] = [
      [['--model', 'fasttext', '--c', '2'], /--c does not apply to --model fasttext/],
      [['--model', 'fasttext', '--batch-size', '8'], /--batch-size does not apply to --model fasttext/],
      [['--model', 'fasttext', '--min-df', '2'], /--min-df does not apply to --model fasttext/],
      [
        ['--model', 'fasttext', '--checkpoint', join(root, 'c')],
        /--checkpoint does not apply to --model fasttext/,
      ],
      [
        ['--model', 'fasttext', '--early-stopping', '2'],
        /--early-stopping watches val_loss, so it needs --validation-split/,
      ],
      [['--model', 'nbsvm', '--dim', '8'], /--dim does not apply to --model nbsvm/],
      [['--model', 'cnn', '--buckets', '8'], /--buckets does not apply to --model cnn/],
      [['--model', 'nb', '--learning-rate', '0.1'], /--learning-rate does not apply to --model nb/],
      [['--model', 'fasttext', '--ngrams', '9'], /ngrams must be an integer from 1 to 5, got 9/],
      [['--model', 'fasttext', '--min-count', '0'], /--min-count.*expected a positive integer/],
    ];
    for (const [flags, message] of cases) {
      const result = await polarity('train', '--data', IMDB_SAMPLE, ...flags, '--out', join(root, 'x'));
      assert.equal(result.code, 1, flags.join(' '));
      assert.match(result.stderr, message);
    }
  });
});
