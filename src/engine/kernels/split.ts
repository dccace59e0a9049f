/**
 * `SplitV` for the wasm backend through our Slice (slice.ts).
 *
 * Why: the wasm backend's SplitV calls its own slice function directly, not the registered Slice
 * kernel, so each piece reads the whole input out of the heap with `readSync` (see slice.ts); the
 * gradient of a concatenation is a split, and for bilstm's two directions (128 × ~250 × 128
 * states) the two pieces cost ~0.2 s of each training step.
 */
import { backend_util, getKernel, Slice, SplitV } from '../tf.js';
import type { KernelFunc, TensorInfo } from '../tf.js';
import { overrideWasmKernel, single } from './override.js';
import { makeSlice } from './slice.js';
import { requireInput } from './wasm-heap.js';

export function makeSplitV(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = requireInput(args.inputs, 'x', SplitV);
    const sliceKernel = getKernel(Slice, 'wasm');
    if (x.dtype === 'string' || sliceKernel === undefined) return original(args);
    const slice = makeSlice(sliceKernel.kernelFunc);
    const { numOrSizeSplits, axis } = args.attrs as unknown as {
      numOrSizeSplits: number | number[];
      axis: number | number[];
    };
    const $axis = Array.isArray(axis) ? axis[0] : axis;
    const dim = $axis < 0 ? $axis + x.shape.length : $axis;
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, dim);
    const begin = new Array<number>(x.shape.length).fill(0);
    const pieces: TensorInfo[] = [];
    for (const s of sizes) {
      const size = [...x.shape];
      size[dim] = s;
      pieces.push(
        single(
          slice({ inputs: { x }, attrs: { begin: [...begin], size }, backend: args.backend }) as TensorInfo,
        ),
      );
      begin[dim] += s;
    }
    return pieces;
  };
}

/** The SplitV replacement's registration (undefined when the wasm SplitV is missing). */
export function splitVConfig(): ReturnType<typeof overrideWasmKernel> {
  return overrideWasmKernel(SplitV, makeSplitV);
}
