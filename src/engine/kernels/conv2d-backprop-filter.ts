/**
 * `Conv2DBackpropFilter` for the wasm backend, which ships without it. It is the weight gradient
 * of every convolution, including `Conv1D` (TF.js runs conv1d as a conv2d of height 1).
 *
 * Why this shape of algorithm: the gradient is a sum over batch × output positions of an outer
 * product, i.e. one matrix product. We lay out the input patches transposed ("im2col", one row
 * per filter tap × input channel, one column per batch × output position) in a plain typed-array
 * pass on the wasm heap, and hand the multiplication to the backend's own (XNNPACK) BatchMatMul:
 *   dW[kh, kw, ci, co] = Σ_j colᵀ[(kh·fW + kw)·inC + ci, j] · dy[j, co].
 * Writing the patches already transposed avoids a transposed product, which the wasm backend runs
 * slowly. For Conv1D (height 1, stride 1) the patch rows are shifted slices of the transposed
 * input, copied in bulk. Supports NHWC with any strides, dilations and padding ('same', 'valid',
 * explicit); NCHW throws. Measured for x [128,1,500,32], filter [1,3,32,32], one thread: ~24 ms
 * (matrix product ~13 ms, the rest building the patches and repacking dy).
 * Memory: the patch matrix is fW·inC × batch·outW floats (24.6 MB for the CNN), freed each call.
 */
import { backend_util, BatchMatMul, Conv2DBackpropFilter, getKernel, util } from '../tf.js';
import type { KernelConfig, KernelFunc, TensorInfo } from '../tf.js';
import { transposeBatched } from './transpose.js';
import { asWasm, disposeIntermediates, f32View, requireInput, shapeText } from './wasm-heap.js';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Pair = [number, number] | number;

const conv2DBackpropFilter: KernelFunc = (args): TensorInfo => {
  const backend = asWasm(args.backend);
  const x = requireInput(args.inputs, 'x', Conv2DBackpropFilter);
  const dy = requireInput(args.inputs, 'dy', Conv2DBackpropFilter);
  const attrs = args.attrs ?? {};
  const dataFormat = (attrs.dataFormat ?? 'NHWC') as 'NHWC' | 'NCHW';
  if (dataFormat !== 'NHWC') {
    throw new Error(`Conv2DBackpropFilter (wasm): only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter (wasm): x and dy must be float32, got ${x.dtype} and ${dy.dtype}`);
  }
  if (x.shape.length !== 4 || dy.shape.length !== 4) {
    throw new Error(
      `Conv2DBackpropFilter: x and dy must be rank 4, got ${shapeText(x.shape)} and ${shapeText(dy.shape)}`,
    );
  }
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    attrs.strides as Pair,
    (attrs.dilations ?? 1) as Pair,
    attrs.pad as Pad,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: fH, filterWidth: fW, strideHeight: sH, strideWidth: sW } = info;
  const { dilationHeight: dH, dilationWidth: dW } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const expectedDy = [batchSize, outHeight, outWidth, outChannels];
  if (!util.arraysEqual(dy.shape, expectedDy)) {
    throw new Error(
      `Conv2DBackpropFilter: dy shape ${shapeText(dy.shape)} does not match the convolution's output ` +
        `${shapeText(expectedDy)}`,
    );
  }

  const rows = fH * fW * inChannels;
  const cols = batchSize * outHeight * outWidth;
  const colT = backend.makeOutput([rows, cols], 'float32');
  try {
    const fill = isConv1D(info) ? fillConv1DPatchesTransposed : fillPatchesTransposed;
    fill(f32View(backend, colT), f32View(backend, x), {
      batchSize,
      inHeight,
      inWidth,
      inChannels,
      outHeight,
      outWidth,
      fH,
      fW,
      sH,
      sW,
      dH,
      dW,
      padTop,
      padLeft,
    });
    const matMul = getKernel(BatchMatMul, 'wasm');
    if (matMul === undefined) throw new Error('Conv2DBackpropFilter (wasm): BatchMatMul is not registered');
    const dy2d: TensorInfo = { dataId: dy.dataId, shape: [cols, outChannels], dtype: 'float32' };
    const result = matMul.kernelFunc({
      inputs: { a: colT, b: dy2d },
      backend,
      attrs: { transposeA: false, transposeB: false },
    });
    const out = Array.isArray(result) ? result[0] : result;
    out.shape = [...info.filterShape];
    return out;
  } finally {
    disposeIntermediates(backend, [colT]);
  }
};

interface PatchGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  fH: number;
  fW: number;
  sH: number;
  sW: number;
  dH: number;
  dW: number;
  padTop: number;
  padLeft: number;
}

/**
 * colT[(kh·fW + kw)·inC + ci, (b·outH + oh)·outW + ow] = x[b, oh·sH + kh·dH − padTop, ow·sW + kw·dW − padLeft, ci],
 * zero where the tap falls in the padding. Iterates output positions outermost so that x is read
 * contiguously along channels; the rows·1 strided writes stay within a few cache lines per column.
 */
function fillPatchesTransposed(colT: Float32Array, x: Float32Array, g: PatchGeometry): void {
  const { batchSize, inHeight, inWidth, inChannels: inC, outHeight, outWidth } = g;
  const cols = batchSize * outHeight * outWidth;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const colBase = (b * outHeight + oh) * outWidth;
      for (let kh = 0; kh < g.fH; kh++) {
        const ih = oh * g.sH + kh * g.dH - g.padTop;
        const rowValid = ih >= 0 && ih < inHeight;
        const xRow = (b * inHeight + ih) * inWidth;
        for (let kw = 0; kw < g.fW; kw++) {
          const rowBase = (kh * g.fW + kw) * inC;
          for (let ow = 0; ow < outWidth; ow++) {
            const iw = ow * g.sW + kw * g.dW - g.padLeft;
            const col = colBase + ow;
            if (rowValid && iw >= 0 && iw < inWidth) {
              const src = (xRow + iw) * inC;
              for (let ci = 0; ci < inC; ci++) colT[(rowBase + ci) * cols + col] = x[src + ci];
            } else {
              for (let ci = 0; ci < inC; ci++) colT[(rowBase + ci) * cols + col] = 0;
            }
          }
        }
      }
    }
  }
}

/** Height 1, stride 1 and dilation 1 along the width: how TF.js runs Conv1D. */
function isConv1D(info: backend_util.Conv2DInfo): boolean {
  return (
    info.inHeight === 1 &&
    info.outHeight === 1 &&
    info.filterHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationWidth === 1
  );
}

/** Reused between calls: the transposed input, [inC, batch × inW]. */
let scratch = new Float32Array(0);

/**
 * The Conv1D case of {@link fillPatchesTransposed}, about twice as fast: transpose x once to
 * channel-major rows (blocked, cache-friendly), after which every patch row is, per batch item, a
 * contiguous slice of such a row shifted by the tap offset, with zeros where the tap falls in
 * the padding.
 */
function fillConv1DPatchesTransposed(colT: Float32Array, x: Float32Array, g: PatchGeometry): void {
  const { batchSize, inWidth, inChannels: inC, outWidth, fW, padLeft } = g;
  const inCols = batchSize * inWidth;
  const cols = batchSize * outWidth;
  if (scratch.length < inC * inCols) scratch = new Float32Array(inC * inCols);
  const xT = scratch;
  transposeBatched(x, xT, 1, inCols, inC);
  for (let kw = 0; kw < fW; kw++) {
    const shift = kw - padLeft; // input column = output column + shift
    const owMin = Math.max(0, -shift);
    const owMax = Math.min(outWidth, inWidth - shift);
    for (let ci = 0; ci < inC; ci++) {
      const row = (kw * inC + ci) * cols;
      const src = ci * inCols;
      for (let b = 0; b < batchSize; b++) {
        const dst = row + b * outWidth;
        if (owMax <= owMin) {
          colT.fill(0, dst, dst + outWidth);
          continue;
        }
        if (owMin > 0) colT.fill(0, dst, dst + owMin);
        const from = src + b * inWidth + owMin + shift;
        colT.set(xT.subarray(from, from + (owMax - owMin)), dst + owMin);
        if (owMax < outWidth) colT.fill(0, dst + owMax, dst + outWidth);
      }
    }
  }
}

/** Kernel registration for the wasm backend. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
