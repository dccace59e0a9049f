import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPolarity } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

test('commands on a linear model never start TF.js, so they print no backend line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'polarity-backend-line-'));
  try {
    const model = join(dir, 'nbsvm');
    const train = await runPolarity(['train', '--data', IMDB_SAMPLE, '--model', 'nbsvm', '--out', model]);
    assert.equal(train.code, 0, train.stderr);
    assert.doesNotMatch(train.stderr, /backend:/);
    const predict = await runPolarity(['predict', '--model', model, 'A wonderful film.']);
    assert.equal(predict.code, 0, predict.stderr);
    assert.doesNotMatch(predict.stderr, /backend:/);
    const evaluate = await runPolarity(['evaluate', '--model', model, '--data', IMDB_SAMPLE]);
    assert.equal(evaluate.code, 0, evaluate.stderr);
    assert.doesNotMatch(evaluate.stderr, /backend:/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
