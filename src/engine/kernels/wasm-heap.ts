/**
 * Small helpers for kernels that work directly on the WebAssembly backend's heap.
 *
 * The wasm backend keeps every tensor in its linear memory; `typedArrayFromHeap` hands out a view
 * on that memory without copying. Views go stale when the heap grows (any allocation may grow it),
 * so a kernel must allocate all its outputs first and take views afterwards.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * The kernel registry types the backend as `{}`; kernels registered for 'wasm' always receive the
 * `BackendWasm` instance, so the narrowing cast is safe.
 */
export function asWasm(backend: object): BackendWasm {
  return backend as BackendWasm;
}

/** A zero-copy Float32Array view of a float32 tensor on the wasm heap. */
export function f32View(backend: BackendWasm, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** A zero-copy Int32Array view of an int32 tensor on the wasm heap. */
export function i32View(backend: BackendWasm, info: TensorInfo): Int32Array {
  if (info.dtype !== 'int32') throw new Error(`expected an int32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Int32Array;
}

/** A zero-copy view of a float32 or int32 tensor (the dtypes our arithmetic kernels accept). */
export function numericView(backend: BackendWasm, info: TensorInfo): Float32Array | Int32Array {
  return info.dtype === 'int32' ? i32View(backend, info) : f32View(backend, info);
}

/** Shapes are plain arrays; this keeps error messages readable. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Frees kernel-internal intermediates (never the kernel's output). */
export function disposeIntermediates(backend: BackendWasm, infos: readonly TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Fetches a named kernel input, failing clearly if TF.js did not pass it. */
export function requireInput(
  inputs: Partial<Record<string, TensorInfo>>,
  name: string,
  kernel: string,
): TensorInfo {
  const info = inputs[name];
  if (info === undefined) throw new Error(`${kernel}: missing input '${name}'`);
  return info;
}
