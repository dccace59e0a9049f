/**
 * PV-DBOW on several threads (Hogwild): the n-gram and document vectors sit in one shared WebAssembly
 * memory, every thread instantiates the kernel over it and trains its share of the documents (see
 * pv-dbow.ts's `trainShare`) with no lock, as word2vec and fastText train. With more than one thread
 * the result depends on how the threads interleave, so it is not reproducible to the bit; one thread is.
 */
import type { SparseMatrix } from '../../text/features/sparse.js';
import { startModuleWorker } from '../../util/module-worker.js';
import type { SharedMemory } from './pv-dbow-kernel.js';
import {
  startPvDbow,
  trainedVectors,
  trainPvDbow,
  trainShare,
  type EpochCallback,
  type NgramVectors,
  type PvDbowLayout,
  type PvDbowOptions,
} from './pv-dbow.js';

/** What a PV-DBOW worker thread is given: the shared memory and where things are in it, and the rows. */
export interface PvDbowWorkerData {
  readonly memory: SharedMemory;
  readonly layout: PvDbowLayout;
  readonly rows: SparseMatrix;
  readonly counts: Float64Array;
  readonly options: PvDbowOptions;
  readonly thread: number;
  readonly threads: number;
}

export const PVDBOW_WORKER = new URL('./pv-dbow-worker.js', import.meta.url);

/** {@link trainPvDbow} on `threads` threads, this one included; `onEpoch` follows this thread's epochs. */
export async function trainPvDbowParallel(
  rows: SparseMatrix,
  options: PvDbowOptions,
  threads: number,
  onEpoch?: EpochCallback,
): Promise<{ ngrams: NgramVectors; documents: Float32Array }> {
  if (threads <= 1) return trainPvDbow(rows, options, onEpoch);
  const { kernel, layout, counts } = startPvDbow(rows, options, threads);
  const workers = Array.from({ length: threads - 1 }, (_, w) => {
    const workerData: PvDbowWorkerData = {
      memory: kernel.memory,
      layout,
      rows,
      counts,
      options,
      thread: w + 1,
      threads,
    };
    return startModuleWorker(PVDBOW_WORKER, { workerData });
  });
  const finished = workers.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`document-vector worker exited with code ${code}`)));
      }),
  );
  try {
    trainShare(kernel, layout, rows, counts, options, { thread: 0, threads }, onEpoch);
    await Promise.all(finished);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return trainedVectors(kernel, layout, rows, counts, options.dims);
}
