/**
 * Moving a tensor's values in and out of our own loops and kernels without a fresh JavaScript array.
 *
 * Why: a fresh typed array of tens of megabytes (what `dataSync()` returns, or a copy made to hand
 * to `tf.tensor`) is new memory that the operating system maps page by page on first touch;
 * measured on the 2-core machine, copying 33 MB into a fresh array took ~95 ms, into memory already
 * in use ~2.5 ms. On the wasm backend a tensor lives in its heap, so the kernels read it in place,
 * and `tf.tensor` copies a view of the kernel memory straight into the heap.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from './tf.js';
import { f32View } from './kernels/wasm-heap.js';

/** The wasm backend, when it is the active one and holds `t`'s data. */
function wasmHolding(t: tf.Tensor): BackendWasm | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as BackendWasm;
  return backend.dataIdMap.has(t.dataId) ? backend : undefined;
}

/**
 * The float32 values of `t`: on the wasm backend a view of its heap (valid until the backend next
 * allocates: copy it before making any tensor), elsewhere `dataSync()`.
 */
export function valuesOf(t: tf.Tensor): Float32Array {
  const backend = wasmHolding(t);
  if (backend !== undefined && t.dtype === 'float32') return f32View(backend, t);
  return t.dataSync() as Float32Array;
}

/**
 * A tensor of `values`, memory that will be overwritten (a view of a kernel's memory, a reused
 * scratch array): the wasm backend copies it into its heap at once; the others keep the array they
 * are given, so they get a copy.
 */
export function tensorOf<R extends tf.Rank>(values: Float32Array, shape: tf.ShapeMap[R]): tf.Tensor<R> {
  return tf.tensor(tf.getBackend() === 'wasm' ? values : values.slice(), shape) as tf.Tensor<R>;
}
