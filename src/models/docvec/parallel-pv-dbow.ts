/**
 * PV-DBOW on several threads (Hogwild): the n-gram and document vectors sit in shared memory, and each
 * thread trains its share of the documents (see pv-dbow.ts's `trainShare`) with no lock, as word2vec
 * and fastText train. With more than one thread the result depends on how the threads interleave, so
 * it is not reproducible to the bit; one thread is.
 */
import type { SparseMatrix } from '../../text/features/sparse.js';
import { startModuleWorker } from '../../util/module-worker.js';
import {
  initialVectors,
  trainPvDbow,
  trainShare,
  type EpochCallback,
  type NgramVectors,
  type PvDbowOptions,
} from './pv-dbow.js';

/** What a PV-DBOW worker thread is given: every array shared, nothing copied but the rows. */
export interface PvDbowWorkerData {
  readonly rows: SparseMatrix;
  readonly counts: Float64Array;
  readonly vectors: Float32Array;
  readonly documents: Float32Array;
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
  const shared = (length: number) => new Float32Array(new SharedArrayBuffer(length * 4));
  const { vectors, documents, counts } = initialVectors(rows, options, shared);
  const workers = Array.from({ length: threads - 1 }, (_, w) => {
    const workerData: PvDbowWorkerData = {
      rows,
      counts,
      vectors,
      documents,
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
    trainShare(rows, counts, vectors, documents, options, { thread: 0, threads }, onEpoch);
    await Promise.all(finished);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { ngrams: { dims: options.dims, vectors, counts }, documents };
}
