/**
 * The compiled PV-DBOW loops of pv-dbow.wat, over a WebAssembly memory that holds the vectors. The
 * memory is shared (a SharedArrayBuffer underneath), so worker threads can instantiate the same module
 * over it and train together without copies (Hogwild); its size is fixed when it is made, so views
 * into it never go stale.
 *
 * Why WebAssembly: each (document, n-gram) pair is three passes over `dims` floats, tens of millions
 * of pairs an epoch; 128-bit SIMD does four floats an instruction where V8's compiled TypeScript
 * converts each float to a double and back.
 */
import { wasmKernel, wasmMemory, wasmPages, type WasmMemory } from '../../engine/webassembly.js';
import { PV_DBOW_WASM } from './pv-dbow-wasm.js';

/** Occurrences handed to the kernel at once: a document with more is handed over in pieces. */
export const CHUNK_OCCURRENCES = 1024;

/** A WebAssembly memory made shared: its buffer is a SharedArrayBuffer that worker threads can share. */
export type SharedMemory = WasmMemory<SharedArrayBuffer>;

const instantiate = wasmKernel<{ train_document: TrainDocument; infer_document: InferDocument }>(
  PV_DBOW_WASM,
);

/**
 * Trains one document's vector at `h` on `count` occurrences of `pairs` (`per` columns each: the
 * n-gram, then its noise draws, -1 for a skipped one), moving the n-gram vectors at `vectors` too.
 * Every vector argument is a byte offset into the kernel's memory; `step` is `dims` floats at zero.
 */
export type TrainDocument = (
  h: number,
  vectors: number,
  pairs: number,
  count: number,
  per: number,
  dims: number,
  alpha: number,
  rate: number,
  step: number,
) => void;

/**
 * Fits a new document's vector at `h` on `count` occurrences of `pairs` with the n-gram vectors frozen;
 * the rate falls from `rate` by `rateFall` an occurrence, to no less than `rateFloor`.
 */
export type InferDocument = (
  h: number,
  vectors: number,
  pairs: number,
  count: number,
  per: number,
  dims: number,
  alpha: number,
  rate: number,
  rateFall: number,
  rateFloor: number,
  step: number,
) => void;

/** Hands out 16-byte-aligned regions of a memory still to be made. */
export class MemoryPlan {
  private end = 0;

  /** Reserves `count` 4-byte values; returns their byte offset. */
  reserve(count: number): number {
    const offset = this.end;
    this.end += Math.ceil((count * 4) / 16) * 16;
    return offset;
  }

  /** The shared memory for everything reserved. Throws when it would pass WebAssembly's 4 GiB. */
  create(what: string): SharedMemory {
    const pages = wasmPages(
      this.end,
      (gib) => `${what} need ${gib} GiB, more than WebAssembly's 4 GiB: use fewer dimensions or n-grams`,
    );
    return wasmMemory(pages, pages, true);
  }
}

/** One thread's instance of the kernel over a shared memory. */
export class PvDbowKernel {
  readonly trainDocument: TrainDocument;
  readonly inferDocument: InferDocument;

  constructor(readonly memory: SharedMemory) {
    const exports = instantiate(memory);
    this.trainDocument = exports.train_document;
    this.inferDocument = exports.infer_document;
  }

  /** A float view of `length` values at byte `offset`. */
  floats(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  /** An int view of `length` values at byte `offset`. */
  ints(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }
}
