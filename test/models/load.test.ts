import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ModelFormatError } from '../../src/errors.js';
import { loadClassifier } from '../../src/models/load.js';

test('a model name given where a saved model is expected says how to train one', async () => {
  await assert.rejects(loadClassifier('nbsvm'), (error: unknown) => {
    assert.ok(error instanceof ModelFormatError);
    assert.match(error.message, /"nbsvm" is a model name, not a saved model/);
    assert.match(error.message, /polarity train --model nbsvm --out DIR/);
    return true;
  });
});

test('a missing directory that is not a model name is reported as missing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'polarity-load-'));
  try {
    await assert.rejects(loadClassifier(join(dir, 'gone')), /model directory does not exist/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
