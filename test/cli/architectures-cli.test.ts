import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-architectures-cli-'));
after(() => rm(root, { recursive: true, force: true }));

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '', POLARITY_CACHE: join(root, 'cache') });
}

describe('polarity train/summary with the added architectures', () => {
  it('trains a small bilstm on the IMDB sample, then summarises and uses the saved model', async () => {
    const model = join(root, 'bilstm');
    const train = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'bilstm',
      '--out',
      model,
      '--epochs',
      '1',
      '--num-words',
      '500',
      '--max-len',
      '40',
      '--embedding-dim',
      '8',
      '--units',
      '4',
      '--dropout',
      '0.2',
      '--backend',
      'wasm',
    );
    assert.equal(train.code, 0, train.stderr);
    assert.match(train.stderr, /saved bilstm model/);

    const summary = await polarity('summary', '--model', model, '--backend', 'wasm');
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /bilstm \(Bidirectional\)\s+\(None, 8\)\s+416/);

    const predict = await polarity('predict', '--model', model, 'a wonderful film', '--json');
    assert.equal(predict.code, 0, predict.stderr);
    assert.match(predict.stdout, /"label":"(neg|pos)"/);
  });

  it('summarises each architecture by name with its own defaults', async () => {
    const summary = await polarity(
      'summary',
      '--model',
      'cnn-global',
      '--max-len',
      '100',
      '--backend',
      'wasm',
    );
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /conv1d_w5 \(Conv1D\)\s+\(None, 96, \d+\)/);
    assert.match(summary.stdout, /concatenate \(Concatenate\)/);
  });

  for (const [flags, model] of [
    [['--units', '32'], 'cnn-global'],
    [['--filter-sizes', '3,4'], 'lstm'],
    [['--dropout', '0.3'], 'mlp'],
    [['--filters', '8'], 'gru'],
    [['--units', '32'], 'nbsvm'],
    [['--hidden-units', '64'], 'bilstm'],
  ] as [string[], string][]) {
    it(`rejects ${flags[0]} for --model ${model}`, async () => {
      const result = await polarity(
        'train',
        '--data',
        IMDB_SAMPLE,
        '--model',
        model,
        '--out',
        join(root, 'x'),
        ...flags,
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`${flags[0]} does not apply to --model ${model}`));
    });
  }

  it('rejects a malformed --filter-sizes and names the flag', async () => {
    const result = await polarity(
      'train',
      '--model',
      'cnn-global',
      '--out',
      join(root, 'x'),
      '--filter-sizes',
      '3,x',
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--filter-sizes.*expected comma-separated positive integers/);
  });
});
