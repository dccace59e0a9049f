/**
 * The kernels that the wasm backend lacks or runs slowly, and one call to register them all.
 *
 * Missing in @tensorflow/tfjs-backend-wasm 4.22: UnsortedSegmentSum (embedding gradient) and
 * Conv2DBackpropFilter (convolution weight gradient). Replaced because they dominate a training
 * step: BatchMatMul with transposes, Transpose, GatherV2, Conv2DBackpropInput, MaxPoolGrad,
 * Sum over leading axes, Slice (without copying its whole input), and broadcasting Equal (the gradient of a global max pooling). Added for
 * speed: PolarityAdamUpdate, a fused Adam step (see adam.ts). Each replacement falls back to the original for the cases it does not handle. See each file
 * for the measurements behind it; bench/kernels.ts re-measures them.
 */
// Importing the package registers the wasm backend and its kernels, which the replacements wrap.
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel } from '../tf.js';
import type { KernelConfig } from '../tf.js';
import { adamUpdateConfig } from './adam-update.js';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { equalConfig } from './equal.js';
import { gatherV2Config } from './gather.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { reverseConfig } from './reverse.js';
import { sliceConfig } from './slice.js';
import { splitVConfig } from './split.js';
import { sumConfig } from './sum.js';
import { transposeConfig } from './transpose.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** Registers `config`, replacing whatever is registered under its name for its backend. */
function replaceKernel(config: KernelConfig | undefined): void {
  if (config === undefined) return;
  const current = getKernel(config.kernelName, config.backendName);
  if (current === config) return;
  if (current !== undefined) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

/**
 * Registers our wasm kernels. Safe to call more than once, and before or after the wasm backend
 * has initialised.
 */
export function registerWasmKernels(): void {
  replaceKernel(unsortedSegmentSumConfig);
  replaceKernel(conv2DBackpropFilterConfig);
  // Transpose before BatchMatMul: nothing depends on the order, but it reads top-down.
  replaceKernel(transposeConfig());
  replaceKernel(batchMatMulConfig());
  replaceKernel(gatherV2Config());
  replaceKernel(conv2DBackpropInputConfig());
  replaceKernel(maxPoolGradConfig());
  replaceKernel(sumConfig());
  replaceKernel(sliceConfig());
  replaceKernel(splitVConfig());
  replaceKernel(reverseConfig());
  replaceKernel(equalConfig());
  replaceKernel(adamUpdateConfig);
}

/** Names of the wasm kernels that {@link registerWasmKernels} adds or replaces. */
export const WASM_KERNEL_NAMES: readonly string[] = [
  'UnsortedSegmentSum',
  'Conv2DBackpropFilter',
  'Transpose',
  'BatchMatMul',
  'GatherV2',
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'Sum',
  'Slice',
  'SplitV',
  'Reverse',
  'Equal',
  'PolarityAdamUpdate',
];
