/**
 * A faster `Sum` over leading axes for the wasm backend.
 *
 * Why: bias gradients are sums over the batch (and, for convolutions, over positions), i.e. over
 * the leading axes. The wasm backend's Sum first transposes the reduced axes to the end, which for
 * the CNN's 128×500×32 conv-bias gradient costs ~11 ms; a column-sum pass costs ~2 ms. Sums are
 * accumulated in float64, then stored as float32. Other axis sets and dtypes go to the original.
 */
import { Sum, util } from '../tf.js';
import type { KernelFunc } from '../tf.js';
import { overrideWasmKernel } from './override.js';
import { asWasm, f32View, requireInput } from './wasm-heap.js';

export function makeSum(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = requireInput(args.inputs, 'x', Sum);
    if (x.dtype !== 'float32' || x.shape.length < 2) return original(args);
    const axes = util.parseAxisParam(args.attrs?.axis as number | number[], x.shape);
    const sorted = [...new Set(axes)].sort((a, b) => a - b);
    const leading = sorted.every((axis, i) => axis === i);
    if (!leading || sorted.length === 0 || sorted.length >= x.shape.length) return original(args);

    const k = sorted.length;
    const keepDims = Boolean(args.attrs?.keepDims);
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    const cols = util.sizeFromShape(x.shape.slice(k));
    const outShape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...x.shape.slice(k)] : x.shape.slice(k);
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(outShape, 'float32');
    const src = f32View(backend, x);
    const dst = f32View(backend, out);
    const acc = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) acc[c] += src[base + c];
    }
    dst.set(acc);
    return out;
  };
}

/** The Sum replacement's registration (undefined when the wasm Sum is missing). */
export function sumConfig(): ReturnType<typeof overrideWasmKernel> {
  return overrideWasmKernel(Sum, makeSum);
}
