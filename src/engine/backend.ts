/**
 * Choosing and starting the TensorFlow.js backend.
 *
 * Order for 'auto': the native `tensorflow` backend from @tensorflow/tfjs-node when it is installed
 * (it is an optional dependency and its install needs a network), else WebAssembly with our extra
 * kernels, else the pure-JS `cpu` backend (correct, but far too slow to train on).
 *
 * The wasm backend runs its threaded-SIMD build with one thread per core by default (see
 * threads.ts for what that takes in Node and what it gains); `threads: 1` selects the
 * single-threaded SIMD build. If the threaded build fails to start, the single-threaded one is used.
 */
import { availableParallelism } from 'node:os';
import * as tf from './tf.js';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '../errors.js';
import {
  announceBackendStart,
  backendPreference,
  type BackendName,
  type InitBackendOptions,
} from './backend-choice.js';
import { registerWasmKernels } from './kernels/index.js';
import {
  MAX_WASM_THREADS,
  prepareSingleThreadedStart,
  prepareThreadedStart,
  settleThreads,
  wasmThreadCount,
} from './threads.js';
import { wasmBinaryDirectory } from './wasm-files.js';
import { setKernelHelpers } from './recurrent/kernel-threads.js';

export type { BackendName, InitBackendOptions } from './backend-choice.js';

const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The optional native package; a variable so that TypeScript does not demand its types. */
const TFJS_NODE = '@tensorflow/tfjs-node';

/** Imports tfjs-node, which registers (and selects) the 'tensorflow' backend as a side effect. */
async function loadTensorflow(): Promise<void> {
  if (tf.findBackendFactory('tensorflow') !== null) return;
  await import(TFJS_NODE);
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new Error(`${TFJS_NODE} loaded but did not register the 'tensorflow' backend`);
  }
}

/** Whether the backend `name` has been initialised in this process. */
function initialised(name: string): boolean {
  return tf.engine().registry[name] !== undefined;
}

/** Whether `name` is the backend TensorFlow.js runs on now (and it did initialise). */
function isActive(name: string | undefined): boolean {
  return name !== undefined && tf.getBackend() === name && initialised(name);
}

/**
 * Selects `name`, throwing if it cannot initialise. On failure the previously active backend, if
 * any, is selected again, so that a failed attempt leaves TF.js usable.
 */
async function select(name: BackendName): Promise<void> {
  if (isActive(name)) return;
  const previous = tf.getBackend() as string | undefined;
  const hadPrevious = isActive(previous);
  // setBackend resolves false (after logging) when the backend's factory fails; it rejects when
  // no factory is registered under that name.
  const ok = await tf.setBackend(name);
  if (!ok) {
    if (hadPrevious && previous !== undefined) await tf.setBackend(previous);
    throw new Error(`TensorFlow.js could not initialise the '${name}' backend`);
  }
  await tf.ready();
}

let wasmPathsSet = false;

/** Starts the wasm backend: our kernels, binaries from node_modules, threads when asked. */
async function startWasm(threads: number): Promise<void> {
  registerWasmKernels();
  if (initialised('wasm')) return select('wasm');
  if (!wasmPathsSet) {
    // TF.js refuses new paths after a failed start; the ones set before still hold then.
    setWasmPaths(wasmBinaryDirectory());
    wasmPathsSet = true;
  }
  if (threads > 1) {
    const restore = prepareThreadedStart(threads);
    let ok = false;
    try {
      ok = await tf.setBackend('wasm');
    } catch {
      ok = false;
    } finally {
      restore();
    }
    if (ok) {
      settleThreads(tf.engine().registry.wasm as BackendWasm);
      await tf.ready();
      return;
    }
    prepareSingleThreadedStart();
  }
  await select('wasm');
}

/**
 * Starts one backend or throws with the reason it could not start; then lets our recurrence kernels
 * run on as many threads (the backend's own, under wasm: those it started with).
 */
async function start(name: BackendName, threads: number): Promise<void> {
  if (name === 'tensorflow') await loadTensorflow();
  if (name === 'wasm') await startWasm(threads);
  else await select(name);
  setKernelHelpers((name === 'wasm' ? wasmThreadCount() : threads) - 1);
}

function reason(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/**
 * Starts a TensorFlow.js backend and returns its name (callers print it, so that a user knows
 * whether they got native speed).
 *
 * Idempotent: asking again for the backend that runs returns at once. An explicitly requested
 * backend that cannot start throws {@link BackendError} with the reason; 'auto' moves on to the
 * next candidate and throws only when none starts.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const name = await startRequested(options);
  // Said once per backend that starts, not on each idempotent call.
  if (name !== started) announceBackendStart(name);
  started = name;
  return name;
}

/** The backend Polarity last started, if any. */
let started: BackendName | undefined;

/**
 * The backend a network runs on: the one already started, or else the one `preferBackend` chose
 * (auto by default), started now. Polarity's network code calls it before it touches TF.js, so a
 * library user never starts a backend by hand.
 */
export async function ensureBackend(): Promise<BackendName> {
  if (started !== undefined && isActive(started)) return started;
  return initBackend(backendPreference());
}

async function startRequested(options: InitBackendOptions): Promise<BackendName> {
  const requested = options.backend ?? 'auto';
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_WASM_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new BackendError(`threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${threads}`);
  }
  if (requested === 'auto') {
    const failures: string[] = [];
    for (const name of AUTO_ORDER) {
      try {
        await start(name, threads);
        return name;
      } catch (error) {
        failures.push(`${name}: ${reason(error)}`);
      }
    }
    throw new BackendError(`no TensorFlow.js backend could start (${failures.join('; ')})`);
  }
  if (!BACKEND_NAMES.includes(requested)) {
    throw new BackendError(
      `unknown backend '${String(requested)}'; expected one of auto, ${BACKEND_NAMES.join(', ')}`,
    );
  }
  try {
    await start(requested, threads);
  } catch (error) {
    throw new BackendError(`the '${requested}' backend could not start: ${reason(error)}`, { cause: error });
  }
  return requested;
}

/** The backend that TensorFlow.js runs on now, if it is one of ours. */
export function activeBackend(): BackendName | undefined {
  const name = tf.getBackend() as string | undefined;
  return BACKEND_NAMES.find((b) => b === name);
}

/** Threads of the wasm backend (1 when single-threaded; undefined when wasm has not started). */
export function wasmThreads(): number | undefined {
  return initialised('wasm') ? wasmThreadCount() : undefined;
}
