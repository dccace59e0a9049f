/**
 * A faster `Slice` for the wasm backend.
 *
 * Why: the wasm backend's Slice first reads its whole input with `readSync`, which copies the
 * input out of the (shared) heap, so taking 800 rows of a 16,000 × 250 kernel copies all 16 MB;
 * twenty such slices took 1–4 s on the 2-core machine (padded-matmul.ts takes one per chunk of
 * positions, and `tf.split` is made of slices). Copying only the slice from a view of the heap
 * takes a few milliseconds. Handles float32, int32 and bool; strings go to the original kernel.
 */
import { Slice, slice_util, util } from '../tf.js';
import type { KernelFunc } from '../tf.js';
import { overrideWasmKernel } from './override.js';
import { asWasm, heapView, requireInput } from './wasm-heap.js';

export function makeSlice(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = requireInput(args.inputs, 'x', Slice);
    if (x.dtype === 'string') return original(args);
    const attrs = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
    const [begin, size] = slice_util.parseSliceParams(x as never, attrs.begin, attrs.size);
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(size, x.dtype);
    if (util.sizeFromShape(size) === 0) return out;
    // Views after the allocation: it may have grown (and so detached) the heap.
    const src = heapView(backend, x);
    const dst = heapView(backend, out);
    const strides = util.computeStrides(x.shape);
    if (slice_util.isSliceContinous(x.shape, begin, size)) {
      const offset = slice_util.computeFlatOffset(begin, strides);
      dst.set(src.subarray(offset, offset + dst.length));
      return out;
    }
    // Copy runs along the last axis, stepping an index over the others like an odometer.
    const rank = x.shape.length;
    const run = size[rank - 1];
    const index = new Array<number>(rank).fill(0);
    for (let d = 0; d < dst.length; d += run) {
      let offset = begin[rank - 1];
      for (let a = 0; a < rank - 1; a++) offset += (begin[a] + index[a]) * strides[a];
      dst.set(src.subarray(offset, offset + run), d);
      for (let a = rank - 2; a >= 0; a--) {
        if (++index[a] < size[a]) break;
        index[a] = 0;
      }
    }
    return out;
  };
}

/** The Slice replacement's registration (undefined when the wasm Slice is missing). */
export function sliceConfig(): ReturnType<typeof overrideWasmKernel> {
  return overrideWasmKernel(Slice, makeSlice);
}
