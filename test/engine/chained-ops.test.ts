import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { OTHER_METHODS, SAME_NAME_METHODS } from '../../src/engine/chained-ops.js';
import * as tf from '../../src/engine/tf.js';

/** The chained methods the installed tfjs-core declares, one declaration file per method. */
async function declaredMethods(): Promise<string[]> {
  const core = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core'));
  const folder = join(core, 'public', 'chained_ops');
  const names: string[] = [];
  for (const file of await readdir(folder)) {
    if (!file.endsWith('.d.ts') || file.startsWith('register_all')) continue;
    const text = await readFile(join(folder, file), 'utf8');
    for (const match of text.matchAll(/^\s+(\w+)(?:<[^>]*>)?\(/gm)) names.push(match[1]);
  }
  return [...new Set(names)].sort();
}

test('every chained method tfjs-core declares is registered, and no other', async () => {
  const ours = [...SAME_NAME_METHODS, ...Object.keys(OTHER_METHODS)].sort();
  assert.deepEqual(ours, await declaredMethods());
  const prototype = tf.Tensor.prototype as unknown as Record<string, unknown>;
  for (const name of ours) assert.equal(typeof prototype[name], 'function', name);
});

test('a chained method computes what its op computes, and refuses a disposed tensor', () => {
  const x = tf.tensor2d([
    [1, -2],
    [3, 4],
  ]);
  assert.deepEqual(x.flatten().arraySync(), [1, -2, 3, 4]);
  assert.deepEqual(x.transpose().arraySync(), tf.transpose(x).arraySync());
  assert.deepEqual(x.abs().sum().arraySync(), 10);
  assert.deepEqual(x.concat(x, 0).shape, [4, 2]);
  assert.deepEqual(x.stack(x).shape, [2, 2, 2]);
  assert.equal(x.toInt().dtype, 'int32');
  x.dispose();
  assert.throws(() => x.flatten(), /disposed/);
});
