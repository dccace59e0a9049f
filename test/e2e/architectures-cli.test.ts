import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { initBackend } from '../../src/engine/index.js';
import { loadClassifier } from '../../src/models/load.js';
import { readManifest } from '../../src/persist/index.js';
import { createService } from '../../src/serve/server.js';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-architectures-cli-'));
after(() => rm(root, { recursive: true, force: true }));

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '', POLARITY_CACHE: join(root, 'cache') });
}

/** Settings that keep a network on the IMDB sample to a few seconds. */
const SMALL = ['--num-words', '500', '--max-len', '40', '--embedding-dim', '8', '--backend', 'wasm'];

describe('polarity train/summary with the added architectures', () => {
  it('trains a small bilstm on the IMDB sample, then summarises, evaluates, explains and serves the saved model', async () => {
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
    // The default pooling: every state of both directions, then their maximum over the review.
    assert.match(summary.stdout, /bilstm \(Bidirectional\)\s+\(None, 40, 8\)\s+416/);
    assert.match(summary.stdout, /max_pool \(MaskedGlobalMaxPooling1D\)\s+\(None, 8\)\s+0/);

    const predict = await polarity('predict', '--model', model, 'a wonderful film', '--json');
    assert.equal(predict.code, 0, predict.stderr);
    assert.match(predict.stdout, /"label":"(neg|pos)"/);

    const evaluation = await polarity('evaluate', '--model', model, '--data', IMDB_SAMPLE, '--json');
    assert.equal(evaluation.code, 0, evaluation.stderr);
    const report = JSON.parse(evaluation.stdout) as { accuracy: number; confusion: number[][] };
    assert.equal(
      report.confusion.flat().reduce((a, b) => a + b, 0),
      500,
    );

    const text = 'a wonderful film with an awful ending';
    const explain = await polarity('explain', '--model', model, '--json', text);
    assert.equal(explain.code, 0, explain.stderr);
    const explained = JSON.parse(explain.stdout) as { method: string; attributions: { token: string }[] };
    assert.equal(explained.method, 'occlusion');
    assert.ok(
      explained.attributions.some((a) => a.token === 'wonderful'),
      explain.stdout,
    );

    // The service loads the saved model as `serve` does and answers as the model itself.
    await initBackend({ backend: 'wasm' });
    const classifier = await loadClassifier(model);
    const app = await createService(classifier, await readManifest(model));
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/v1/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: [text] }),
      });
      assert.equal(response.status, 200);
      const served = (await response.json()) as { predictions: unknown[] };
      assert.deepEqual(served.predictions, await classifier.predict([text]));
    } finally {
      await app.close();
      classifier.dispose();
    }
  });

  it('cross-validates cnn-global and searches a gru grid with their own keys', async () => {
    const cv = await polarity(
      'cv',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'cnn-global',
      '--folds',
      '2',
      '--epochs',
      '1',
      '--filters',
      '4',
      '--filter-sizes',
      '2,3',
      '--hidden-units',
      '8',
      '--json',
      ...SMALL,
    );
    assert.equal(cv.code, 0, cv.stderr);
    const folds = (JSON.parse(cv.stdout) as { folds: { trainExamples: number; testExamples: number }[] })
      .folds;
    assert.deepEqual(
      folds.map((f) => f.trainExamples + f.testExamples),
      [2000, 2000],
    );

    const out = join(root, 'search');
    const search = await polarity(
      'search',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'gru',
      '--grid',
      'units=2,4;dropout=0.1',
      '--epochs',
      '1',
      '--out',
      out,
      ...SMALL,
    );
    assert.equal(search.code, 0, search.stderr);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
      trials: { configuration: Record<string, number> }[];
    };
    assert.deepEqual(
      results.trials.map((t) => t.configuration),
      [
        { units: 2, dropout: 0.1 },
        { units: 4, dropout: 0.1 },
      ],
    );

    const foreign = await polarity(
      'search',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'gru',
      '--grid',
      'filters=4,8',
    );
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /--grid key "filters" is not a hyper-parameter of --model gru/);
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
    [['--pooling', 'max'], 'cnn-global'],
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
