import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-controls-cli-'));
after(() => rm(root, { recursive: true, force: true }));

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '', POLARITY_CACHE: join(root, 'cache') });
}

const train = (...args: string[]) =>
  polarity('train', '--data', IMDB_SAMPLE, '--out', join(root, 'x'), ...args);

describe('polarity train: early stopping, checkpoints, optimizers, class weights', () => {
  it('stops early, reports the best epoch, checkpoints it, and shows the history', async () => {
    const out = join(root, 'mlp');
    const checkpoint = join(root, 'checkpoint');
    const run = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'mlp',
      '--out',
      out,
      '--num-words',
      '500',
      '--max-len',
      '40',
      '--batch-size',
      '32',
      '--epochs',
      '8',
      '--validation-split',
      '0.2',
      '--early-stopping',
      '1',
      '--checkpoint',
      checkpoint,
      '--optimizer',
      'rmsprop',
      '--learning-rate-schedule',
      'linear',
      '--class-weight',
      'neg=1,pos=1.2',
      '--backend',
      'wasm',
    );
    assert.equal(run.code, 0, run.stderr);
    const report =
      /early stopping: stopped after epoch (\d+) .*; best epoch (\d+) .*; restored the weights of epoch (\d+)/.exec(
        run.stderr,
      );
    assert.ok(report, run.stderr);
    const [stopped, best, restored] = report.slice(1).map(Number);
    assert.equal(stopped, best + 1);
    assert.equal(restored, best);
    assert.match(run.stderr, new RegExp(`checkpoint: saved the model after epoch ${best} to `));

    const manifest = JSON.parse(await readFile(join(out, 'polarity.json'), 'utf8')) as {
      hyperParameters: { optimizer: string; learningRate: number; learningRateSchedule: string };
      training: { classWeights: Record<string, number>; history: unknown[] };
    };
    assert.equal(manifest.hyperParameters.optimizer, 'rmsprop');
    assert.equal(manifest.hyperParameters.learningRate, 0.001);
    assert.equal(manifest.hyperParameters.learningRateSchedule, 'linear');
    assert.deepEqual(manifest.training.classWeights, { neg: 1, pos: 1.2 });
    assert.equal(manifest.training.history.length, stopped);
    const saved = JSON.parse(await readFile(join(checkpoint, 'polarity.json'), 'utf8')) as typeof manifest;
    assert.equal(saved.training.history.length, best);

    const summary = await polarity('summary', '--model', out);
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(
      summary.stdout,
      /Training history\n\s*epoch\s+loss\s+accuracy\s+val_loss\s+val_accuracy\s+seconds/,
    );
    assert.match(summary.stdout, new RegExp(`\\n\\s*${best}\\*\\s+\\d\\.\\d{4}`));
  });

  it('refuses controls without what they need or for the wrong family, naming the flag', async () => {
    const noSplit = await train('--early-stopping', '2');
    assert.equal(noSplit.code, 1);
    assert.match(noSplit.stderr, /--early-stopping watches val_loss, so it needs --validation-split F > 0/);

    const badWeight = await train('--class-weight', 'neg=heavy');
    assert.notEqual(badWeight.code, 0);
    assert.match(
      badWeight.stderr,
      /--class-weight: the weight of "neg" must be a positive number, got "heavy"/,
    );

    const unknownLabel = await train('--model', 'nb', '--class-weight', 'negative=2');
    assert.equal(unknownLabel.code, 1);
    assert.match(
      unknownLabel.stderr,
      /--class-weight: unknown label "negative"; the dataset's labels are neg, pos/,
    );

    const optimizer = await train('--model', 'nbsvm', '--optimizer', 'sgd');
    assert.match(optimizer.stderr, /--optimizer does not apply to --model nbsvm/);
    const ensemble = await train(
      '--model',
      'ensemble',
      '--members',
      'nb,mlp',
      '--checkpoint',
      join(root, 'c'),
    );
    assert.match(ensemble.stderr, /--checkpoint does not apply to --model ensemble/);
    const badOptimizer = await train('--optimizer', 'adagrad');
    assert.match(badOptimizer.stderr, /Allowed choices are adam, sgd, rmsprop/);
    const badSchedule = await train('--learning-rate-schedule', 'cosine');
    assert.match(badSchedule.stderr, /Allowed choices are constant, linear/);
    const scheduleForLinear = await train('--model', 'nb', '--learning-rate-schedule', 'linear');
    assert.match(scheduleForLinear.stderr, /--learning-rate-schedule does not apply to --model nb/);
  });
});
