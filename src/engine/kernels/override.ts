/**
 * Replacing a kernel that the wasm backend already has, keeping the original for the cases the
 * replacement does not handle.
 *
 * The original's `setupFunc`/`disposeFunc` are kept on the replacement: TF.js runs the setup
 * functions of the registered kernels whenever the backend is selected, and the original kernel
 * needs its setup to bind its wasm function (which our replacement may fall back to).
 */
import { getKernel } from '../tf.js';
import type { KernelConfig, KernelFunc } from '../tf.js';

const ours = new WeakSet<KernelFunc>();

/**
 * Builds a replacement for the wasm kernel `kernelName` from its currently registered version.
 * Returns the registered config unchanged when it is already ours (so that registering twice does
 * not wrap twice), and undefined when the wasm backend has no such kernel.
 */
export function overrideWasmKernel(
  kernelName: string,
  make: (original: KernelFunc) => KernelFunc,
): KernelConfig | undefined {
  const original = getKernel(kernelName, 'wasm');
  if (original === undefined) return undefined;
  if (ours.has(original.kernelFunc)) return original;
  const kernelFunc = make(original.kernelFunc);
  ours.add(kernelFunc);
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
  };
}

/** Whether `kernelFunc` is one of our replacements. */
export function isOverride(kernelFunc: KernelFunc): boolean {
  return ours.has(kernelFunc);
}

/** Kernel functions may return one TensorInfo or several; ours all produce one. */
export function single<T>(result: T | T[]): T {
  return Array.isArray(result) ? result[0] : result;
}
