/**
 * The one WebAssembly memory that the recurrence kernels (lstm.wat, gru.wat) run in, and how their
 * arguments are laid out in it (cell-call.ts lays out a whole call).
 *
 * Why one memory that grows: a call copies its inputs in and its results out, so the memory holds
 * one call's working space at a time, plus the traces that forward passes leave for their backward
 * passes; it grows to the largest need seen and stays there. Views are made after every layout,
 * never kept, as the buffer object changes when the memory grows.
 *
 * Why shared (a SharedArrayBuffer underneath): a batch's rows are split into parts, and a helper
 * thread runs some parts' calls on its own instance of the same kernels over this same memory
 * (kernel-threads.ts).
 *
 * The kernels run whole 128-bit lanes only: the batch is padded to a multiple of 4 rows (padded rows
 * are masked) and the units to a multiple of 8 (padded units have zero weights and stay zero). With
 * the usual sizes (batch 128, 64 units) nothing is padded and the copies are single block moves.
 */

import type { StepPlan } from './steps.js';
import { growTo, WASM_MAX_PAGES, wasmKernel, wasmMemory, type WasmMemory } from '../webassembly.js';

let memory: WasmMemory<SharedArrayBuffer> | undefined;

/** The one memory, made on first use; it starts at one page and grows (see {@link ensureBytes}). */
export function kernelMemory(): WasmMemory<SharedArrayBuffer> {
  memory ??= wasmMemory(1, WASM_MAX_PAGES, true);
  return memory;
}

/** The exports of a kernel module (base64 bytes), compiled and instantiated over the one memory on first use. */
export function lazyKernel<Exports>(base64: string): () => Exports {
  const instantiate = wasmKernel<Exports>(base64);
  let exports: Exports | undefined;
  return () => (exports ??= instantiate(kernelMemory()));
}

/** Rounds `n` up to a multiple of `m`. */
export function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/**
 * A region of the kernel memory that outlives a call: a forward pass's trace, kept there until its
 * backward pass (so that tens of megabytes a batch are not copied out and back in).
 */
export interface Region {
  /** Byte offset. */
  readonly offset: number;
  readonly bytes: number;
}

/**
 * The regions that outlive calls, as a stack at the bottom of the memory; each call's working space
 * goes above it. Traces are released in the reverse order of their making (back-propagation walks
 * the layers backwards), so the stack stays compact; one released out of order waits for those
 * above it. A trace nobody back-propagates through (its tape dropped) is released when its handle
 * is garbage-collected.
 */
class Regions {
  private readonly stack: { region: Region; live: boolean }[] = [];
  private readonly unreachable = new FinalizationRegistry<Region>((region) => this.release(region));

  /** Where the working space of a call may start. */
  top(): number {
    const last = this.stack[this.stack.length - 1];
    return last === undefined ? 0 : last.region.offset + last.region.bytes;
  }

  /** A new region of `bytes`, released by {@link release} or when `owner` is garbage-collected. */
  allocate(bytes: number, owner: object): Region {
    const region = { offset: this.top(), bytes: roundUp(bytes, 16) };
    ensureBytes(region.offset + region.bytes);
    this.stack.push({ region, live: true });
    this.unreachable.register(owner, region, owner);
    return region;
  }

  release(region: Region, owner?: object): void {
    if (owner !== undefined) this.unreachable.unregister(owner);
    const entry = this.stack.find((e) => e.region === region);
    if (entry !== undefined) entry.live = false;
    while (this.stack.length > 0 && !this.stack[this.stack.length - 1].live) this.stack.pop();
  }
}

export const regions = new Regions();

/** Grows the kernel memory to at least `bytes`. */
function ensureBytes(bytes: number): void {
  growTo(
    kernelMemory(),
    bytes,
    (gib) => `recurrence kernel: a batch needs ${gib} GiB, more than WebAssembly's 4 GiB`,
  );
}

/**
 * Hands out 16-byte-aligned regions of a call's working space, above the regions that outlive calls
 * or from `start` (the end of another call's space, when several calls run at once).
 */
export class Layout {
  private last: number;

  constructor(start = regions.top()) {
    this.last = start;
  }

  /** Where the space reserved so far ends: where the next call's may start. */
  get end(): number {
    return this.last;
  }

  /** Reserves `count` 4-byte values (or bytes, with `bytes`); returns their byte offset. */
  reserve(count: number, bytes = 4): number {
    const offset = this.last;
    this.last += roundUp(count * bytes, 16);
    return offset;
  }

  /** Grows the memory to hold everything reserved; call before making views. */
  commit(): void {
    ensureBytes(this.last);
  }

  /** A float view of `length` values at byte `offset` (valid until the memory grows). */
  floats(offset: number, length: number): Float32Array {
    return new Float32Array(kernelMemory().buffer, offset, length);
  }

  bytes(offset: number, length: number): Uint8Array {
    return new Uint8Array(kernelMemory().buffer, offset, length);
  }
}

/**
 * Copies `rows × blocks` blocks of `width` floats from `source` (packed) into `target`, each block
 * starting at a multiple of `paddedWidth`; the padding must already be zero.
 */
export function spread(
  source: Float32Array,
  target: Float32Array,
  rows: number,
  blocks: number,
  width: number,
  paddedWidth: number,
): void {
  if (width === paddedWidth) {
    target.set(source.subarray(0, rows * blocks * width));
    return;
  }
  for (let k = 0; k < rows * blocks; k++) {
    target.set(source.subarray(k * width, (k + 1) * width), k * paddedWidth);
  }
}

/**
 * The inverse of {@link spread}: the blocks of `source`, packed; a view of `source` when nothing is
 * padded (then it is overwritten by the next kernel call), a new array otherwise.
 */
export function gather(
  source: Float32Array,
  rows: number,
  blocks: number,
  width: number,
  paddedWidth: number,
): Float32Array {
  if (width === paddedWidth) return source.subarray(0, rows * blocks * width);
  const target = new Float32Array(rows * blocks * width);
  for (let k = 0; k < rows * blocks; k++) {
    target.set(source.subarray(k * paddedWidth, k * paddedWidth + width), k * width);
  }
  return target;
}

/**
 * Copies a kernel `[inputs, gates × units]` (or a bias, `inputs` = 1) into `target`, `[inputs
 * padded, gates × padded]`, each gate's block of `units` columns at a multiple of `padded`; the
 * padding is zero.
 */
export function padGates(
  kernel: Float32Array,
  gates: number,
  units: number,
  target: Float32Array,
  padded: number,
): void {
  if (padded !== units || target.length !== kernel.length) target.fill(0);
  spread(kernel, target, kernel.length / (gates * units), gates, units, padded);
}

/**
 * Writes the transpose of a kernel `[inputs, gates × units]` (gate blocks of `units` columns) into
 * `target`, `[gates × padded, width]`: row q·padded + j holds column q·units + j; the padding is
 * zero.
 */
export function transposeGates(
  kernel: Float32Array,
  inputs: number,
  gates: number,
  units: number,
  target: Float32Array,
  width: number,
): void {
  const padded = target.length / (gates * width);
  target.fill(0);
  for (let q = 0; q < gates; q++) {
    for (let j = 0; j < units; j++) {
      const row = (q * padded + j) * width;
      for (let k = 0; k < inputs; k++) target[row + k] = kernel[k * gates * units + q * units + j];
    }
  }
}

/** Writes a plan's mask (a byte per padded row and step, non-zero: real) and its active steps. */
export function writeMask(
  layout: Layout,
  plan: StepPlan,
  rows: number,
  maskAt: number,
  activeAt: number,
): void {
  const mask = layout.bytes(maskAt, rows * plan.time);
  if (plan.mask === undefined) {
    mask.fill(1, 0, plan.batch * plan.time);
    mask.fill(0, plan.batch * plan.time);
  } else {
    mask.set(plan.mask);
    mask.fill(0, plan.mask.length);
  }
  layout.bytes(activeAt, plan.time).set(plan.active);
}

/** Copies a layer's input `[batch, time, features]` in at byte `at`, as `[rows, time, padded]`. */
export function writeInput(
  layout: Layout,
  at: number,
  input: Float32Array,
  plan: StepPlan,
  rows: number,
  features: number,
  padded: number,
): void {
  const target = layout.floats(at, rows * plan.time * padded);
  if (padded !== features || rows !== plan.batch) target.fill(0);
  spread(input, target, plan.batch * plan.time, 1, features, padded);
}
