/**
 * The recurrence kernels by name, so that a call can be described as data (a module, a pass and its
 * arguments) and run on whichever thread takes it: this one or a helper (kernel-threads.ts).
 */
import { GRU_WASM } from './gru-wasm.js';
import { LSTM_WASM } from './lstm-wasm.js';
import { wasmKernel, type WasmMemory } from '../webassembly.js';

/** The kernel modules (compiled `.wat` bytes) by name. */
const MODULES = { lstm: LSTM_WASM, gru: GRU_WASM } as const;

export type KernelModule = keyof typeof MODULES;
export const KERNEL_MODULES = Object.keys(MODULES) as readonly KernelModule[];

export type KernelPass = 'forward' | 'backward';
export const KERNEL_PASSES: readonly KernelPass[] = ['forward', 'backward'];

/** One call of a kernel pass: every argument is an i32 (byte offsets, sizes, 0/1 flags). */
export interface KernelInvocation {
  readonly module: KernelModule;
  readonly pass: KernelPass;
  readonly args: readonly number[];
}

type Entry = (...args: number[]) => void;

/** A thread's instances of every kernel module over `memory`, made on first use of each. */
export class KernelInstances {
  private readonly instantiate = new Map(
    KERNEL_MODULES.map((name) => [name, wasmKernel<Record<string, Entry>>(MODULES[name])]),
  );
  private readonly instances = new Map<KernelModule, Record<string, Entry>>();

  constructor(private readonly memory: WasmMemory<SharedArrayBuffer>) {}

  run({ module, pass, args }: KernelInvocation): void {
    let exports = this.instances.get(module);
    if (exports === undefined) {
      exports = this.instantiate.get(module)!(this.memory);
      this.instances.set(module, exports);
    }
    exports[`${module}_${pass}`](...args);
  }
}
