/**
 * A faster `Reverse` for the wasm backend.
 *
 * Why: the wasm backend reverses element by element through a generic index computation; a
 * bidirectional recurrent layer reverses its backward half's states `[batch, time, units]` along
 * time in the forward pass and their gradient in the backward pass, and on bilstm's states (128 ×
 * ~250 × 64) the two took ~0.25 s of each training step. The reversed axes leave runs of
 * contiguous values behind the last of them (a row of units, here), which this copies whole from a
 * view of the heap. Handles float32, int32 and bool; strings go to the original kernel.
 */
import { Reverse, util } from '../tf.js';
import type { KernelFunc } from '../tf.js';
import { overrideWasmKernel } from './override.js';
import { asWasm, heapView, requireInput } from './wasm-heap.js';

export function makeReverse(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = requireInput(args.inputs, 'x', Reverse);
    if (x.dtype === 'string') return original(args);
    const { dims } = args.attrs as unknown as { dims: number | number[] };
    const shape = x.shape;
    const rank = shape.length;
    const reversed = new Array<boolean>(rank).fill(false);
    for (const d of util.parseAxisParam(dims, shape)) reversed[d] = true;
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(shape, x.dtype);
    const size = util.sizeFromShape(shape);
    if (size === 0) return out;
    // Views after the allocation: it may have grown (and so detached) the heap.
    const src = heapView(backend, x);
    const dst = heapView(backend, out);
    const last = reversed.lastIndexOf(true);
    if (last < 0) {
      dst.set(src);
      return out;
    }
    // Runs of `run` values behind the last reversed axis; an odometer over the axes up to it.
    const run = util.sizeFromShape(shape.slice(last + 1));
    const strides = util.computeStrides(shape);
    const index = new Array<number>(last + 1).fill(0);
    for (let d = 0; d < size; d += run) {
      let from = 0;
      for (let a = 0; a <= last; a++) {
        const i = reversed[a] ? shape[a] - 1 - index[a] : index[a];
        from += i * (a < rank - 1 ? strides[a] : 1);
      }
      dst.set(src.subarray(from, from + run), d);
      for (let a = last; a >= 0; a--) {
        if (++index[a] < shape[a]) break;
        index[a] = 0;
      }
    }
    return out;
  };
}

/** The Reverse replacement's registration (undefined when the wasm Reverse is missing). */
export function reverseConfig(): ReturnType<typeof overrideWasmKernel> {
  return overrideWasmKernel(Reverse, makeReverse);
}
