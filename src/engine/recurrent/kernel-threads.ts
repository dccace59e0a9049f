/**
 * Running the parts of a recurrence kernel call on several threads at once: this thread and helper
 * worker threads, each with its own instance of the kernels over the one shared kernel memory.
 *
 * Why: the recurrence runs its steps one after the other, so a single call keeps one core busy
 * whatever the batch; but the rows of a batch are independent (each has its own state), so the
 * batch is cut into parts of rows (row-parts.ts) and each part's call runs on whichever thread takes
 * it (part-queue.ts). The calls are synchronous for the caller, as TF.js's gradients must be, so
 * this thread hands the parts out, works on parts itself, and blocks on `Atomics.wait` until the
 * last part is done (Node allows that on its main thread). A part's result depends only on the part,
 * never on the thread that ran it, so a model is the same for the same seed with any number of
 * threads.
 *
 * Helpers: one fewer than the wasm backend's threads (one per core by default; 1 in the scoring
 * pool's workers, which use a core each, so they start none; none under another backend), and
 * fewer than a call's parts. They are started on the first call with several parts and take parts
 * once they are running; until then this thread runs every part.
 */
import { startModuleWorker } from '../../util/module-worker.js';
import { kernelMemory } from './kernel-memory.js';
import { KernelInstances, type KernelInvocation } from './kernel-modules.js';
import {
  awaitParts,
  controlBlock,
  currentCall,
  handOut,
  MAX_PARTS,
  partsHelped,
  takeParts,
} from './part-queue.js';
import type { WasmMemory } from '../webassembly.js';

/** What a helper is started with. */
export interface KernelWorkerData {
  readonly memory: WasmMemory<SharedArrayBuffer>;
  readonly control: Int32Array<SharedArrayBuffer>;
}

const HELPER = new URL('./kernel-worker.js', import.meta.url);

const control = controlBlock();
let local: KernelInstances | undefined;
let helpersStarted = 0;
let helpersWanted = 0;

/** Sets how many helper threads may be started (0: every part runs on this thread). */
export function setKernelHelpers(count: number): void {
  helpersWanted = Math.max(0, count);
}

function startHelpers(parts: number): void {
  const wanted = Math.min(helpersWanted, MAX_PARTS - 1, parts - 1);
  for (; helpersStarted < wanted; helpersStarted++) {
    const workerData: KernelWorkerData = { memory: kernelMemory(), control };
    const helper = startModuleWorker(HELPER, { workerData });
    // Unreferenced: an idle helper must not keep the process alive. One that fails to start takes
    // no part, and this thread runs them all: nothing to report but a slower run.
    helper.unref();
    helper.on('error', () => undefined);
  }
}

/** Runs every call, each on whichever thread takes it first; returns when all are done. */
export function runKernelCalls(calls: readonly KernelInvocation[]): void {
  local ??= new KernelInstances(kernelMemory());
  startHelpers(calls.length);
  if (calls.length === 1 || helpersWanted === 0 || helpersStarted === 0) {
    for (const call of calls) local.run(call);
    return;
  }
  handOut(control, calls);
  takeParts(control, local, currentCall(control));
  const failed = awaitParts(control);
  // Run again here, the failed part throws its error on this thread.
  if (failed !== undefined) local.run(calls[failed]);
}

/** How many parts of calls helper threads have run in this process. */
export function partsRunByHelpers(): number {
  return partsHelped(control);
}
