/**
 * What our hand-written WebAssembly kernels (docvec's PV-DBOW, the recurrent cells) share: the part of
 * the WebAssembly API they use, declared here because TypeScript's ES libraries declare it only with
 * the DOM's (Node has all of it), and the sizes of a WebAssembly memory.
 */

const PAGE_BYTES = 65536;
/** WebAssembly's 32-bit address space (4 GiB), in pages: the ceiling of a memory that grows as needed. */
export const WASM_MAX_PAGES = 65536;

/** A WebAssembly memory; a shared one's buffer is a SharedArrayBuffer that worker threads can share. */
export interface WasmMemory<Buffer extends ArrayBufferLike = ArrayBufferLike> {
  readonly buffer: Buffer;
  grow(pages: number): number;
}

declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
};

/**
 * The pages that hold `bytes` (at least one).
 * @throws RangeError with `tooLarge(GiB needed)` when that passes WebAssembly's 4 GiB.
 */
export function wasmPages(bytes: number, tooLarge: (gib: string) => string): number {
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  if (pages > WASM_MAX_PAGES) throw new RangeError(tooLarge((bytes / 2 ** 30).toFixed(1)));
  return pages;
}

/** A memory of `initial` pages that may grow to `maximum` (shared: for worker threads). */
export function wasmMemory(initial: number, maximum: number): WasmMemory<ArrayBuffer>;
export function wasmMemory(initial: number, maximum: number, shared: true): WasmMemory<SharedArrayBuffer>;
export function wasmMemory(initial: number, maximum: number, shared = false): WasmMemory {
  return new WebAssembly.Memory({ initial, maximum, shared });
}

/** Grows `memory` to hold at least `bytes`. */
export function growTo(memory: WasmMemory, bytes: number, tooLarge: (gib: string) => string): void {
  const pages = wasmPages(bytes, tooLarge);
  const have = memory.buffer.byteLength / PAGE_BYTES;
  if (pages > have) memory.grow(pages - have);
}

/**
 * A kernel's compiled bytes (base64, as `npm run build:wasm` writes them), compiled on first use;
 * returns a function that instantiates it over a memory, imported as `env.memory`.
 */
export function wasmKernel<Exports>(base64: string): (memory: WasmMemory) => Exports {
  let compiled: object | undefined;
  return (memory) => {
    compiled ??= new WebAssembly.Module(Buffer.from(base64, 'base64'));
    return new WebAssembly.Instance(compiled, { env: { memory } }).exports as Exports;
  };
}
