/**
 * Choosing and starting the TensorFlow.js backend.
 *
 * Order for 'auto': the native `tensorflow` backend from @tensorflow/tfjs-node when it is installed
 * (it is an optional dependency and its install needs a network), else WebAssembly with our extra
 * kernels, else the pure-JS `cpu` backend (correct, but far too slow to train on).
 *
 * Threads: the wasm backend runs single-threaded in Node. TF.js switches its threaded-SIMD build off
 * in Node (flag WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE), and forcing the flag on fails:
 * the Emscripten pthread pool starts its workers from a `blob:` URL, which Node's worker_threads
 * refuses (ERR_WORKER_PATH). See `threads.ts` for what was measured; `threads` is accepted so that
 * callers need not change if a future TF.js lifts this.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '../errors.js';
import { registerWasmKernels } from './kernels/index.js';
import { wasmBinaryDirectory } from './wasm-files.js';

/** The backends Polarity knows how to start. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Options for {@link initBackend}. */
export interface InitBackendOptions {
  /** Which backend to start; 'auto' (the default) tries tensorflow, then wasm, then cpu. */
  backend?: BackendName | 'auto';
  /**
   * Threads for the wasm backend. Only 1 is possible in Node with TF.js 4.22 (see the module
   * comment); a larger value is accepted and ignored.
   */
  threads?: number;
}

const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The optional native package; a variable so that TypeScript does not demand its types. */
const TFJS_NODE = '@tensorflow/tfjs-node';

let wasmPathsSet = false;

/** Imports tfjs-node, which registers (and selects) the 'tensorflow' backend as a side effect. */
async function loadTensorflow(): Promise<void> {
  if (tf.findBackendFactory('tensorflow') !== null) return;
  await import(TFJS_NODE);
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new Error(`${TFJS_NODE} loaded but did not register the 'tensorflow' backend`);
  }
}

/** Points the wasm backend at its binaries in node_modules and registers our kernels. */
function prepareWasm(): void {
  registerWasmKernels();
  if (wasmPathsSet || tf.engine().registry.wasm !== undefined) return;
  setWasmPaths(wasmBinaryDirectory());
  wasmPathsSet = true;
}

/** Whether `name` is the backend TensorFlow.js runs on now (and it did initialise). */
function isActive(name: string | undefined): boolean {
  return name !== undefined && tf.getBackend() === name && tf.engine().registry[name] !== undefined;
}

/**
 * Starts one backend or throws with the reason it could not start. On failure the previously
 * active backend, if any, is selected again, so that a failed attempt leaves TF.js usable.
 */
async function start(name: BackendName): Promise<void> {
  if (name === 'tensorflow') await loadTensorflow();
  if (name === 'wasm') prepareWasm();
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
  const requested = options.backend ?? 'auto';
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new BackendError(`threads must be a positive integer, got ${options.threads}`);
  }
  if (requested === 'auto') {
    const failures: string[] = [];
    for (const name of AUTO_ORDER) {
      try {
        await start(name);
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
    await start(requested);
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
