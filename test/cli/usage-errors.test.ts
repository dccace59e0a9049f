import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPolarity } from '../helpers/cli.js';

test('a usage error prints the error and one line pointing to the command’s --help, not the help', async () => {
  const { code, stderr } = await runPolarity(['evaluate', '--no-such-option']);
  assert.equal(code, 1);
  assert.deepEqual(stderr.trim().split('\n'), [
    "error: unknown option '--no-such-option'",
    "(run 'polarity evaluate --help' for usage)",
  ]);
});

test('a misspelt option is reported as unknown, with the near miss, before any missing required option', async () => {
  const { code, stderr } = await runPolarity(['predict', '--modle', 'dir', 'a text']);
  assert.equal(code, 1);
  assert.match(stderr, /^error: unknown option '--modle'\n\(Did you mean --model\?\)\n/);
  assert.doesNotMatch(stderr, /required option/);
});

test('a required option still missing is reported as missing', async () => {
  const { code, stderr } = await runPolarity(['predict', 'a text']);
  assert.equal(code, 1);
  assert.match(stderr, /^error: required option '--model <path>' not specified\n/);
});

test('a model name where a saved model is expected says how to train one', async () => {
  const { code, stderr } = await runPolarity(['predict', '--model', 'nbsvm', 'a text']);
  assert.equal(code, 1);
  assert.match(
    stderr,
    /"nbsvm" is a model name, not a saved model: train one first with `polarity train --model nbsvm --out DIR`/,
  );
});
