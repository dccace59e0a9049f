/**
 * A faster broadcasting `Equal` for the wasm backend.
 *
 * Why: the gradient of a max over an axis (GlobalMaxPooling1D, cnn-global's pooling) marks where
 * the maximum was with `equal(x, max)`, where `max` keeps the reduced axis as 1: for x
 * [128, 498, 32] that is a broadcasting comparison, which the wasm backend runs through a generic
 * per-element index computation at ~250 ns an element: ~500 ms for one branch of cnn-global, more
 * than the rest of its training step. A row loop over the heap (the offsets of both operands
 * recomputed once per innermost row) takes a few milliseconds. Same-shape comparisons and other
 * dtypes go to the original.
 */
import { backend_util, Equal } from '../tf.js';
import type { KernelFunc, TensorInfo } from '../tf.js';
import { overrideWasmKernel } from './override.js';
import { asWasm, heapView, numericView, requireInput } from './wasm-heap.js';

export function makeEqual(original: KernelFunc): KernelFunc {
  return (args) => {
    const a = requireInput(args.inputs, 'a', Equal);
    const b = requireInput(args.inputs, 'b', Equal);
    const numeric = (t: TensorInfo) => t.dtype === 'float32' || t.dtype === 'int32';
    if (!numeric(a) || !numeric(b) || sameShape(a.shape, b.shape)) return original(args);
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(outShape, 'bool');
    // Views after the allocation: it may have grown (and so detached) the heap.
    const result = heapView(backend, out) as Uint8Array;
    const left = numericView(backend, a);
    const right = numericView(backend, b);
    const rank = outShape.length;
    const inner = outShape[rank - 1] ?? 1;
    const rows = result.length / Math.max(inner, 1);
    const aStrides = broadcastStrides(a.shape, outShape);
    const bStrides = broadcastStrides(b.shape, outShape);
    const aStep = aStrides[rank - 1] ?? 0;
    const bStep = bStrides[rank - 1] ?? 0;
    for (let row = 0; row < rows; row++) {
      // The row's offset in each operand, from its index along each outer axis.
      let aBase = 0;
      let bBase = 0;
      for (let axis = rank - 2, rest = row; axis >= 0; axis--) {
        const index = rest % outShape[axis];
        rest = (rest - index) / outShape[axis];
        aBase += index * aStrides[axis];
        bBase += index * bStrides[axis];
      }
      const o = row * inner;
      for (let i = 0; i < inner; i++)
        result[o + i] = left[aBase + i * aStep] === right[bBase + i * bStep] ? 1 : 0;
    }
    return out;
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The stride of `shape` along each axis of `outShape` (right-aligned, as broadcasting aligns
 * shapes), 0 along axes where `shape` has size 1 or is missing.
 */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1, axis = outShape.length - 1; i >= 0; i--, axis--) {
    strides[axis] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

/** The Equal replacement's registration (undefined when the wasm Equal is missing). */
export function equalConfig(): ReturnType<typeof overrideWasmKernel> {
  return overrideWasmKernel(Equal, makeEqual);
}
