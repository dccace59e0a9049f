/**
 * `UnsortedSegmentSum` for the wasm backend, which ships without it.
 *
 * Why it matters: the gradient of `gather` (and so of every `Embedding` layer) is an
 * UnsortedSegmentSum of the incoming gradient rows by token id. Without a wasm kernel TF.js falls
 * back to nothing (the op throws), and the CPU backend's version builds one mask per segment
 * (numSegments × N work), which is far too slow for a 5000-word vocabulary.
 *
 * This is a scatter-add: one pass over the rows, adding each row into its segment's output row,
 * straight on the wasm heap. Negative or too-large ids are skipped, as the CPU backend does.
 */
import { UnsortedSegmentSum, util } from '../tf.js';
import type { KernelConfig, KernelFunc, TensorInfo } from '../tf.js';
import { asWasm, numericView, requireInput, shapeText } from './wasm-heap.js';

const unsortedSegmentSum: KernelFunc = (args): TensorInfo => {
  const backend = asWasm(args.backend);
  const x = requireInput(args.inputs, 'x', UnsortedSegmentSum);
  const segmentIds = requireInput(args.inputs, 'segmentIds', UnsortedSegmentSum);
  const numSegments = Number(args.attrs?.numSegments);
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm): x must be float32 or int32, got ${x.dtype}`);
  }
  if (segmentIds.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm): segmentIds must be int32, got ${segmentIds.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  const prefixMatches = segmentIds.shape.every((d, i) => d === x.shape[i]);
  if (idsRank > x.shape.length || !prefixMatches) {
    throw new Error(
      `UnsortedSegmentSum: segmentIds shape ${shapeText(segmentIds.shape)} must be a prefix of ` +
        `x shape ${shapeText(x.shape)}`,
    );
  }
  const numIds = util.sizeFromShape(segmentIds.shape);
  const innerShape = x.shape.slice(idsRank);
  const inner = util.sizeFromShape(innerShape);

  // Allocate first: the views below would go stale if the heap grew after them.
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  const outV = numericView(backend, out);
  const xV = numericView(backend, x);
  const ids = numericView(backend, segmentIds);
  outV.fill(0);
  if (inner === 1) {
    for (let i = 0; i < numIds; i++) {
      const s = ids[i];
      if (s >= 0 && s < numSegments) outV[s] += xV[i];
    }
  } else {
    for (let i = 0; i < numIds; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      const o = s * inner;
      const src = i * inner;
      for (let j = 0; j < inner; j++) outV[o + j] += xV[src + j];
    }
  }
  return out;
};

/** Kernel registration for the wasm backend. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
