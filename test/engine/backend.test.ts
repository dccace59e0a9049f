import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import {
  activeBackend,
  initBackend,
  MAX_WASM_THREADS,
  wasmThreads,
  type BackendName,
} from '../../src/engine/index.js';
import { BackendError } from '../../src/errors.js';

/** Whether the optional native backend is installed here (it is not on a machine without network). */
function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it("'auto' picks tensorflow when tfjs-node is installed, else falls back to wasm", async () => {
    const expected: BackendName = tfjsNodeInstalled() ? 'tensorflow' : 'wasm';
    assert.equal(await initBackend(), expected);
    assert.equal(tf.getBackend(), expected);
    assert.equal(activeBackend(), expected);
  });

  it('runs wasm with one thread per core by default (the threaded build starts in Node)', async () => {
    await initBackend({ backend: 'wasm' });
    assert.equal(wasmThreads(), Math.min(availableParallelism(), MAX_WASM_THREADS));
  });

  it('is idempotent', async () => {
    const first = await initBackend({ backend: 'auto' });
    assert.equal(await initBackend({ backend: 'auto' }), first);
    assert.equal(await initBackend({ backend: first }), first);
  });

  it("starts an explicit 'cpu', and 'wasm' again after it, with our kernels registered", async () => {
    assert.equal(await initBackend({ backend: 'cpu' }), 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal(await initBackend({ backend: 'wasm' }), 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.notEqual(tf.getKernel('UnsortedSegmentSum', 'wasm'), undefined);
    assert.notEqual(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
    const sum = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([1, 0, 1], 'int32'), 2);
    assert.deepEqual(Array.from(sum.dataSync()), [2, 4]);
    sum.dispose();
  });

  it('rejects an unknown backend name with BackendError', async () => {
    await assert.rejects(
      initBackend({ backend: 'webgpu' as BackendName }),
      (error: unknown) => error instanceof BackendError && /unknown backend 'webgpu'/.test(error.message),
    );
  });

  it('rejects a bad thread count with BackendError', async () => {
    await assert.rejects(initBackend({ threads: 0 }), BackendError);
    await assert.rejects(initBackend({ threads: MAX_WASM_THREADS + 1 }), BackendError);
    await assert.rejects(initBackend({ threads: 1.5 }), BackendError);
  });

  it(
    "rejects an explicit 'tensorflow' with BackendError when tfjs-node is missing, leaving the backend usable",
    {
      skip: tfjsNodeInstalled() ? 'tfjs-node is installed here' : false,
    },
    async () => {
      await initBackend({ backend: 'wasm' });
      await assert.rejects(
        initBackend({ backend: 'tensorflow' }),
        (error: unknown) =>
          error instanceof BackendError &&
          /'tensorflow' backend could not start: .*tfjs-node/.test(error.message),
      );
      assert.equal(tf.getBackend(), 'wasm');
      const t = tf.add(tf.scalar(1), tf.scalar(2));
      assert.equal(t.dataSync()[0], 3);
      t.dispose();
    },
  );
});
