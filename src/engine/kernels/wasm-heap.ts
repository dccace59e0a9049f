/**
 * Small helpers for kernels that work directly on the WebAssembly backend's heap.
 *
 * The wasm backend keeps every tensor in its linear memory; a typed-array view on that memory
 * reads and writes tensors without copying. Allocating (makeOutput) may grow the memory, and a
 * view made before the growth may be stale, so kernels allocate all outputs first and take their
 * views afterwards.
 */
import type { DataType, TensorInfo, backend_util } from '../tf.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * The kernel registry types the backend as `{}`; kernels registered for 'wasm' always receive the
 * `BackendWasm` instance, so the narrowing cast is safe.
 */
export function asWasm(backend: object): BackendWasm {
  return backend as BackendWasm;
}

/**
 * The heap's current buffer. The threaded build exposes its (shared) `wasmMemory`, whose buffer
 * is always current, while Emscripten refreshes `HEAPU8` lazily there; the single-threaded build
 * refreshes `HEAPU8` on every growth and does not expose the memory.
 */
function heapBuffer(backend: BackendWasm): ArrayBufferLike {
  // Emscripten module fields, absent from TF.js's types.
  const module = backend.wasm as unknown as { wasmMemory?: { buffer: ArrayBufferLike }; HEAPU8: Uint8Array };
  return module.wasmMemory?.buffer ?? module.HEAPU8.buffer;
}

/** A zero-copy view of a tensor on the wasm heap, typed by its dtype. */
export function heapView(backend: BackendWasm, info: TensorInfo): backend_util.TypedArray {
  const { memoryOffset } = backend.dataIdMap.get(info.dataId);
  const size = info.shape.reduce((a, b) => a * b, 1);
  const buffer = heapBuffer(backend);
  switch (info.dtype as DataType) {
    case 'float32':
      return new Float32Array(buffer, memoryOffset, size);
    case 'int32':
      return new Int32Array(buffer, memoryOffset, size);
    case 'bool':
      return new Uint8Array(buffer, memoryOffset, size);
    default:
      throw new Error(`no heap view for dtype ${info.dtype}`);
  }
}

/** A zero-copy Float32Array view of a float32 tensor on the wasm heap. */
export function f32View(backend: BackendWasm, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return heapView(backend, info) as Float32Array;
}

/** A zero-copy Int32Array view of an int32 tensor on the wasm heap. */
export function i32View(backend: BackendWasm, info: TensorInfo): Int32Array {
  if (info.dtype !== 'int32') throw new Error(`expected an int32 tensor, got ${info.dtype}`);
  return heapView(backend, info) as Int32Array;
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
