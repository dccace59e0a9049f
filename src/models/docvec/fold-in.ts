/**
 * Fold-in inference: the vector of a document that training never saw, fitted by the same objective as
 * training (see pv-dbow.ts) with every n-gram vector frozen, so only the document's own vector moves
 * (gensim's `infer_vector`). Each document starts from the same seeded generator, so its vector depends
 * on its text and the seed only, never on which other texts share its batch or thread; so rows can be
 * spread over threads freely (`inferParallel`), each on its own scratch of one shared memory.
 */
import type { SparseMatrix } from '../../text/features/sparse.js';
import { selectRows } from '../../text/features/sparse.js';
import { startModuleWorker } from '../../util/module-worker.js';
import { Random } from '../../util/random.js';
import {
  drawPairs,
  expandRow,
  keepChances,
  noiseTable,
  randomVectors,
  reserveScratch,
  type NgramVectors,
  type ThreadScratch,
} from './pv-dbow.js';
import { CHUNK_OCCURRENCES, MemoryPlan, PvDbowKernel, type SharedMemory } from './pv-dbow-kernel.js';

/** How each new document's vector is fitted. */
export interface FoldInOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly scale: number;
  readonly negatives: number;
  readonly subsample: number;
  readonly seed: number;
}

/** Where fold-in's arrays sit in its memory (byte offsets): the frozen vectors, and per thread a document and scratch. */
export interface FoldInLayout {
  readonly dims: number;
  readonly vectors: number;
  readonly threads: readonly (ThreadScratch & { readonly document: number })[];
}

/** What fold-in needs beside the memory, the same on every thread. */
export interface FoldInTables {
  readonly noise: Int32Array;
  readonly keep: Float32Array;
  readonly options: FoldInOptions;
}

/** What a fold-in worker thread is given. */
export interface FoldInWorkerData {
  readonly memory: SharedMemory;
  readonly layout: FoldInLayout;
  readonly tables: FoldInTables;
  readonly rows: SparseMatrix;
  readonly thread: number;
}

const MIN_RATE_SHARE = 1e-4;
const FOLD_IN_WORKER = new URL('./fold-in-worker.js', import.meta.url);
/** Below this many rows a second thread costs more to start than it saves. */
const MIN_ROWS_PER_THREAD = 256;

/** The frozen n-gram vectors, copied into the kernel's memory with what fitting a document against them needs. */
export class FoldIn {
  private readonly tables: FoldInTables;
  private readonly kernel: PvDbowKernel;
  private readonly layout: FoldInLayout;
  /** The n-gram vectors as this fold-in holds them (a view of its memory): the given ones may be dropped. */
  readonly ngrams: NgramVectors;

  /** `threads`: how many threads `inferParallel` may use, this one included. */
  constructor(ngrams: NgramVectors, options: FoldInOptions, threads = 1) {
    this.tables = {
      noise: noiseTable(ngrams.counts),
      keep: keepChances(ngrams.counts, options.subsample),
      options,
    };
    const { dims, vectors } = ngrams;
    const plan = new MemoryPlan();
    this.layout = {
      dims,
      vectors: plan.reserve(vectors.length),
      threads: Array.from({ length: Math.max(1, threads) }, () => ({
        document: plan.reserve(dims),
        ...reserveScratch(plan, dims, options.negatives),
      })),
    };
    this.kernel = new PvDbowKernel(plan.create('the n-gram vectors'));
    const held = this.kernel.floats(this.layout.vectors, vectors.length);
    held.set(vectors);
    this.ngrams = { dims, vectors: held, counts: ngrams.counts };
  }

  /** The vectors of every row of count rows (row r at `r·dims`), on this thread. */
  infer(rows: SparseMatrix): Float32Array {
    return inferRows(this.kernel, this.layout, this.tables, rows, 0);
  }

  /** {@link infer} over the threads given to the constructor: the same vectors, sooner for many rows. */
  async inferParallel(rows: SparseMatrix): Promise<Float32Array> {
    const threads = Math.min(this.layout.threads.length, Math.floor(rows.rows / MIN_ROWS_PER_THREAD));
    if (threads <= 1) return this.infer(rows);
    const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((t * rows.rows) / threads));
    const range = (t: number) =>
      selectRows(
        rows,
        Int32Array.from({ length: bounds[t + 1] - bounds[t] }, (_, i) => bounds[t] + i),
      );
    const workers = Array.from({ length: threads - 1 }, (_, w) => {
      const workerData: FoldInWorkerData = {
        memory: this.kernel.memory,
        layout: this.layout,
        tables: this.tables,
        rows: range(w + 1),
        thread: w + 1,
      };
      const worker = startModuleWorker(FOLD_IN_WORKER, { workerData });
      return new Promise<Float32Array>((resolve, reject) => {
        worker.once('message', (vectors: Float32Array) => resolve(vectors));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`fold-in worker exited with code ${code}`)));
      }).finally(() => worker.terminate());
    });
    const out = new Float32Array(rows.rows * this.layout.dims);
    out.set(inferRows(this.kernel, this.layout, this.tables, range(0), 0));
    const parts = await Promise.all(workers);
    parts.forEach((part, w) => out.set(part, bounds[w + 1] * this.layout.dims));
    return out;
  }
}

/** The vectors of every row, fitted on scratch `thread` of the layout. */
export function inferRows(
  kernel: PvDbowKernel,
  layout: FoldInLayout,
  tables: FoldInTables,
  rows: SparseMatrix,
  thread: number,
): Float32Array {
  const { dims } = layout;
  const out = new Float32Array(rows.rows * dims);
  const expanded = { buffer: new Int32Array(1024) };
  const scratch = layout.threads[thread];
  const document = kernel.floats(scratch.document, dims);
  const pairs = kernel.ints(scratch.pairs, CHUNK_OCCURRENCES * (1 + tables.options.negatives));
  for (let r = 0; r < rows.rows; r++) {
    inferRow(kernel, layout, tables, rows, r, scratch, document, pairs, expanded);
    out.set(document, r * dims);
  }
  return out;
}

function inferRow(
  kernel: PvDbowKernel,
  layout: FoldInLayout,
  tables: FoldInTables,
  rows: SparseMatrix,
  row: number,
  scratch: ThreadScratch & { readonly document: number },
  document: Float32Array,
  pairs: Int32Array,
  expanded: { buffer: Int32Array },
): void {
  const { dims } = layout;
  const { noise, keep, options } = tables;
  const { epochs, negatives, scale, learningRate } = options;
  const per = 1 + negatives;
  const random = new Random(options.seed);
  document.set(randomVectors(1, dims, random));
  // The schedule needs the number of steps up front; sub-sampling makes it vary, so count the expected one.
  let expected = 0;
  for (let k = rows.indptr[row]; k < rows.indptr[row + 1]; k++)
    expected += rows.values[k] * keep[rows.indices[k]];
  const total = Math.max(1, expected * epochs);
  const fall = learningRate / total;
  const floor = learningRate * MIN_RATE_SHARE;
  let done = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const length = expandRow(rows, row, keep, random, expanded);
    for (let from = 0; from < length; from += CHUNK_OCCURRENCES) {
      const count = Math.min(CHUNK_OCCURRENCES, length - from);
      drawPairs(expanded.buffer, from, count, noise, negatives, random, pairs);
      kernel.inferDocument(
        scratch.document,
        layout.vectors,
        scratch.pairs,
        count,
        per,
        dims,
        scale,
        learningRate - done * fall,
        fall,
        floor,
        scratch.step,
      );
      done += count;
    }
  }
}
