/**
 * Running the wasm backend multi-threaded in Node.
 *
 * TF.js ships a threaded-SIMD wasm build (XNNPACK on a pthreadpool) but keeps it off in Node, and
 * it does not start there as shipped. What it takes, found by trying (TF.js 4.22, Node 20):
 *
 * 1. Flag `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false when IS_NODE; we set it true.
 * 2. Emscripten starts each pthread as `new Worker(url)` where the url is a `blob:` URL made from
 *    the inlined worker script; Node's worker_threads rejects blob: URLs (ERR_WORKER_PATH). During
 *    start-up we swap in a Worker subclass that runs that same script with `eval: true`.
 * 3. Each worker is then sent the main script as a Blob, which it cannot read synchronously in
 *    Node; our subclass sends the path of the same script in node_modules instead.
 * 4. The C++ side caps the pool at `logical cores / 2` (it assumes hyper-threading), i.e. 1 on a
 *    2-core machine. Emscripten reads the core count from `os.cpus()`, so during start-up we make
 *    that report twice the requested thread count, then restore it.
 * 5. The pool's threads are ref'd workers that never finish, which would keep Node from exiting;
 *    we unref them, and terminate the 7 idle pre-spawned workers (Emscripten re-creates workers on
 *    demand if ever needed).
 *
 * Measured on the 2-core machine: a 128×16000 by 16000×250 product takes 17 ms with 2 threads and
 * 34 ms with 1; the Conv1D forward 11 ms instead of 14; a training step (bench/kernels.ts) of the
 * MLP 166 ms instead of 223, of the CNN 175 ms instead of 233. Weight packing, elementwise ops and
 * our JS kernels stay single-threaded. When another process keeps the second core busy the gain
 * shrinks to nothing, but the threaded build was never slower than the single-threaded one.
 * Start-up costs ~140 ms and ~80 MB more than the single-threaded build.
 */
import { createRequire } from 'node:module';
import type { TransferListItem, WorkerOptions } from 'node:worker_threads';
import * as tf from './tf.js';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** Most threads the wasm build supports (it pre-spawns 8 workers). */
export const MAX_WASM_THREADS = 8;

type WorkerThreads = typeof import('node:worker_threads');
type Os = typeof import('node:os');

/** The Emscripten pthread bookkeeping the threaded module exposes (not in TF.js's types). */
interface PThreadRegistry {
  runningWorkers: { unref(): void }[];
  unusedWorkers: { terminate(): Promise<number> }[];
}

function isLoadMessage(message: unknown): message is { cmd: 'load'; urlOrBlob: unknown } {
  return typeof message === 'object' && message !== null && (message as { cmd?: unknown }).cmd === 'load';
}

/** A Worker class that starts Emscripten's pthread workers from node_modules instead of blob: URLs. */
function emscriptenWorkerClass(Base: WorkerThreads['Worker']): WorkerThreads['Worker'] {
  const workerModule = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
  // The worker script as TF.js inlines it; TF.js re-escapes its newlines the same way before use.
  const { wasmWorkerContents } = require(workerModule) as { wasmWorkerContents: string };
  const workerSource = wasmWorkerContents.replace(/\n/g, '\\n');
  const mainScript =
    require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');

  return class EmscriptenWorker extends Base {
    constructor(filename: string | URL, options?: WorkerOptions) {
      if (typeof filename === 'string' && filename.startsWith('blob:')) {
        super(workerSource, { ...options, eval: true });
      } else {
        super(filename, options);
      }
    }

    override postMessage(message: unknown, transferList?: readonly TransferListItem[]): void {
      const patched =
        isLoadMessage(message) && typeof message.urlOrBlob !== 'string'
          ? { ...message, urlOrBlob: mainScript }
          : message;
      super.postMessage(patched, transferList);
    }
  };
}

/**
 * Prepares the next wasm backend start to use `threads` threads, and returns the function that
 * undoes the temporary patches once the backend has started (successfully or not).
 */
export function prepareThreadedStart(threads: number): () => void {
  const workerThreads = require('node:worker_threads') as WorkerThreads;
  const os = require('node:os') as Os;
  const OriginalWorker = workerThreads.Worker;
  const originalCpus = os.cpus;
  workerThreads.Worker = emscriptenWorkerClass(OriginalWorker);
  os.cpus = () => {
    const cpus = originalCpus();
    return Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]);
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  return () => {
    workerThreads.Worker = OriginalWorker;
    os.cpus = originalCpus;
  };
}

/** Sets the flags back so that the next start uses the single-threaded SIMD build. */
export function prepareSingleThreadedStart(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
}

/** After a threaded start: lets Node exit despite the pool's threads, and frees idle workers. */
export function settleThreads(backend: BackendWasm): void {
  const pthreads = (backend.wasm as unknown as { PThread?: PThreadRegistry }).PThread;
  if (pthreads === undefined) return;
  for (const worker of pthreads.runningWorkers) worker.unref();
  for (const worker of pthreads.unusedWorkers.splice(0)) void worker.terminate();
}

/** Threads the running wasm backend uses (1 for the single-threaded build). */
export function wasmThreadCount(): number {
  try {
    return Math.max(1, getThreadsCount());
  } catch {
    return 1;
  }
}
