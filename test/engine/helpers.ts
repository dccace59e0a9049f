/** Shared helpers for the engine tests: seeded inputs, running on a backend, comparing with cpu. */
import assert from 'node:assert/strict';
import * as tf from '../../src/engine/tf.js';
import type { Random } from '../../src/util/random.js';

export const TOLERANCE = 1e-5;

export type Backend = 'cpu' | 'wasm';

/** Uniform floats in [-1, 1) from a seeded generator. */
export function randomFloats(n: number, random: Random): Float32Array {
  return Float32Array.from({ length: n }, () => random.next() * 2 - 1);
}

export function randomInts(n: number, max: number, random: Random): Int32Array {
  return Int32Array.from({ length: n }, () => random.int(max));
}

/** Runs `build` on `backend` and returns its result's values and shape. */
export async function runOn(
  backend: Backend,
  build: () => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const out = tf.tidy(build);
  const values = Float32Array.from(out.dataSync());
  const shape = out.shape;
  out.dispose();
  return { values, shape };
}

/** ‖out − ref‖ / ‖ref‖ (or ‖out‖ when ref is all zeros). */
export function relativeError(out: ArrayLike<number>, ref: ArrayLike<number>): number {
  assert.equal(out.length, ref.length, 'sizes differ');
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < ref.length; i++) {
    diff += (out[i] - ref[i]) ** 2;
    norm += ref[i] ** 2;
  }
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
}

/** Compares `build` on wasm with `reference` (default: `build` itself) on cpu. */
export async function assertMatchesCpu(
  build: () => tf.Tensor,
  reference: () => tf.Tensor = build,
): Promise<void> {
  const ref = await runOn('cpu', reference);
  const out = await runOn('wasm', build);
  assert.deepEqual(out.shape, ref.shape);
  const err = relativeError(out.values, ref.values);
  assert.ok(err < TOLERANCE, `relative error ${err} ≥ ${TOLERANCE}`);
}

/** Runs `build` repeatedly on wasm and checks that neither tensors nor heap buffers accumulate. */
export async function assertNoLeak(build: () => tf.Tensor, repeats = 3): Promise<void> {
  await tf.setBackend('wasm');
  const backend = tf.backend();
  tf.tidy(build).dispose();
  const tensors = tf.memory().numTensors;
  const dataIds = backend.numDataIds();
  for (let i = 0; i < repeats; i++) tf.tidy(build).dispose();
  assert.equal(tf.memory().numTensors, tensors, 'tensors leaked');
  assert.equal(backend.numDataIds(), dataIds, 'wasm heap buffers leaked');
}

export function conv2DBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: [number, number],
  pad: 'same' | 'valid',
): tf.Tensor {
  return tf.engine().runKernel(
    'Conv2DBackpropFilter',
    { x, dy },
    {
      strides,
      pad,
      dataFormat: 'NHWC',
      filterShape,
    },
  ) as tf.Tensor;
}
