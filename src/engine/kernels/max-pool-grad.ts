/**
 * A faster `MaxPoolGrad` for the wasm backend (the gradient of MaxPooling1D/2D).
 *
 * Why: the wasm backend's kernel takes ~47 ms for the CNN's 128×500×32 pooling gradient; routing
 * each output gradient to its window's arg-max in one typed-array pass takes a few ms. Ties go
 * to the first maximum in window order and windows of only −∞/NaN route nowhere, as on the CPU
 * backend. NHWC, any filter size, stride, padding; dilations are 1 for this kernel in TF.js.
 */
import { backend_util, MaxPoolGrad } from '../tf.js';
import type { KernelFunc } from '../tf.js';
import { overrideWasmKernel } from './override.js';
import { asWasm, f32View, requireInput } from './wasm-heap.js';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Pair = [number, number] | number;

export function makeMaxPoolGrad(original: KernelFunc): KernelFunc {
  return (args) => {
    const dy = requireInput(args.inputs, 'dy', MaxPoolGrad);
    const input = requireInput(args.inputs, 'input', MaxPoolGrad);
    if (dy.dtype !== 'float32' || input.dtype !== 'float32') return original(args);
    const attrs = args.attrs ?? {};
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize as Pair,
      attrs.strides as Pair,
      1,
      attrs.pad as Pad,
      attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    );
    const backend = asWasm(args.backend);
    const dxInfo = backend.makeOutput([...input.shape], 'float32');
    const dx = f32View(backend, dxInfo);
    const x = f32View(backend, input);
    const g = f32View(backend, dy);
    dx.fill(0);

    const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
    const { strideHeight, strideWidth, effectiveFilterHeight: fH, effectiveFilterWidth: fW } = info;
    const padTop = info.padInfo.top;
    const padLeft = info.padInfo.left;
    for (let b = 0; b < batchSize; b++) {
      const xBatch = b * inHeight * inWidth * C;
      for (let oh = 0; oh < outHeight; oh++) {
        const rCorner = oh * strideHeight - padTop;
        const rMin = Math.max(0, rCorner);
        const rMax = Math.min(inHeight, rCorner + fH);
        for (let ow = 0; ow < outWidth; ow++) {
          const cCorner = ow * strideWidth - padLeft;
          const cMin = Math.max(0, cCorner);
          const cMax = Math.min(inWidth, cCorner + fW);
          const gAt = ((b * outHeight + oh) * outWidth + ow) * C;
          for (let ch = 0; ch < C; ch++) {
            // First strict maximum in window order, as the CPU backend picks it.
            let best = -Infinity;
            let bestAt = -1;
            for (let r = rMin; r < rMax; r++) {
              for (let c = cMin; c < cMax; c++) {
                const at = xBatch + (r * inWidth + c) * C + ch;
                const v = x[at];
                if (v > best) {
                  best = v;
                  bestAt = at;
                }
              }
            }
            if (bestAt >= 0) dx[bestAt] += g[gAt + ch];
          }
        }
      }
    }
    return dxInfo;
  };
}

/** The MaxPoolGrad replacement's registration (undefined when the wasm kernel is missing). */
export function maxPoolGradConfig(): ReturnType<typeof overrideWasmKernel> {
  return overrideWasmKernel(MaxPoolGrad, makeMaxPoolGrad);
}
