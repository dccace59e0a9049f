/**
 * How the threads of kernel-threads.ts hand the parts of a kernel call to each other: a control
 * block of shared integers, read and written atomically, that this module alone lays out. Kept apart
 * from kernel-threads.ts so that a helper thread loads only this and the kernels, not TF.js.
 */
import {
  KERNEL_MODULES,
  KERNEL_PASSES,
  type KernelInstances,
  type KernelInvocation,
} from './kernel-modules.js';

/** The most parts a call is cut into (row-parts.ts), so the most threads that can share one. */
export const MAX_PARTS = 4;
/** The most i32 arguments a kernel pass takes (lstm_backward takes 28). */
const MAX_ARGS = 32;

const GENERATION = 0; // the current call's number; helpers wait on it
const FINISHED = 1; // parts of the current call done; the thread that handed them out waits on it
const COUNT = 2; // parts in the current call
const FAILED = 3; // 1 + the index of a part that threw, else 0
const HELPED = 4; // parts that helpers have run, ever (for tests and benchmarks)
/**
 * Then a claim per part: −g while part i of call g waits to be taken, g once taken. A thread takes
 * a part by swapping −g for g, so each part runs once, and a thread still looking at an earlier
 * call (it read g − 1) can take nothing of call g.
 */
const CLAIMS = 5;
const HEADER = CLAIMS + MAX_PARTS;
/** Then a slot per part: its module, its pass, its argument count and its arguments. */
const SLOT = 3 + MAX_ARGS;

/** A control block, over memory that worker threads can share. */
export function controlBlock(): Int32Array<SharedArrayBuffer> {
  return new Int32Array(new SharedArrayBuffer(4 * (HEADER + MAX_PARTS * SLOT)));
}

/** Publishes `calls` as the current call's parts and wakes the helpers waiting for one. */
export function handOut(control: Int32Array, calls: readonly KernelInvocation[]): void {
  if (calls.length > MAX_PARTS) throw new Error(`recurrence: ${calls.length} parts, at most ${MAX_PARTS}`);
  const call = Atomics.load(control, GENERATION) + 1;
  calls.forEach((invocation, part) => writeSlot(control, part, invocation));
  Atomics.store(control, COUNT, calls.length);
  Atomics.store(control, FINISHED, 0);
  Atomics.store(control, FAILED, 0);
  for (let part = 0; part < calls.length; part++) Atomics.store(control, CLAIMS + part, -call);
  Atomics.store(control, GENERATION, call);
  Atomics.notify(control, GENERATION);
}

/** Blocks until every part of the current call is done; returns the index of one that threw, if any. */
export function awaitParts(control: Int32Array): number | undefined {
  const count = Atomics.load(control, COUNT);
  for (let done = Atomics.load(control, FINISHED); done < count; done = Atomics.load(control, FINISHED)) {
    Atomics.wait(control, FINISHED, done);
  }
  const failed = Atomics.load(control, FAILED);
  return failed === 0 ? undefined : failed - 1;
}

/**
 * Takes parts of call `call` until none is left, runs them and counts each done. A part that
 * throws is marked failed and counted all the same, so that nobody waits for it forever.
 */
export function takeParts(
  control: Int32Array,
  instances: KernelInstances,
  call: number,
  helper = false,
): void {
  for (let part = 0; part < MAX_PARTS; part++) {
    if (Atomics.compareExchange(control, CLAIMS + part, -call, call) !== -call) continue;
    try {
      instances.run(readSlot(control, part));
    } catch {
      Atomics.store(control, FAILED, part + 1);
    }
    if (helper) Atomics.add(control, HELPED, 1);
    Atomics.add(control, FINISHED, 1);
    Atomics.notify(control, FINISHED);
  }
}

/** The number of the call handed out last. */
export function currentCall(control: Int32Array): number {
  return Atomics.load(control, GENERATION);
}

/** A helper's life: wait for a call to be handed out, take its parts, wait for the next. */
export function serveParts(control: Int32Array, instances: KernelInstances): never {
  let seen = Atomics.load(control, GENERATION);
  for (;;) {
    Atomics.wait(control, GENERATION, seen);
    seen = Atomics.load(control, GENERATION);
    takeParts(control, instances, seen, true);
  }
}

/** How many parts helpers have run since the control block was made. */
export function partsHelped(control: Int32Array): number {
  return Atomics.load(control, HELPED);
}

function writeSlot(control: Int32Array, part: number, { module, pass, args }: KernelInvocation): void {
  if (args.length > MAX_ARGS)
    throw new Error(`recurrence: ${args.length} kernel arguments, at most ${MAX_ARGS}`);
  const at = HEADER + part * SLOT;
  control[at] = KERNEL_MODULES.indexOf(module);
  control[at + 1] = KERNEL_PASSES.indexOf(pass);
  control[at + 2] = args.length;
  control.set(args, at + 3);
}

function readSlot(control: Int32Array, part: number): KernelInvocation {
  const at = HEADER + part * SLOT;
  return {
    module: KERNEL_MODULES[control[at]],
    pass: KERNEL_PASSES[control[at + 1]],
    args: Array.from(control.subarray(at + 3, at + 3 + control[at + 2])),
  };
}
