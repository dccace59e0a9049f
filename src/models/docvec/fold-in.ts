/**
 * Fold-in inference: the vector of a document that training never saw, fitted by the same objective as
 * training (see pv-dbow.ts) with every n-gram vector frozen, so only the document's own vector moves
 * (gensim's `infer_vector`). Each document starts from the same seeded generator, so its vector depends
 * on its text and the seed only, never on which other texts share its batch or thread.
 */
import type { SparseMatrix } from '../../text/features/sparse.js';
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
import { CHUNK_OCCURRENCES, MemoryPlan, PvDbowKernel } from './pv-dbow-kernel.js';

/** How each new document's vector is fitted. */
export interface FoldInOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly scale: number;
  readonly negatives: number;
  readonly subsample: number;
  readonly seed: number;
}

const MIN_RATE_SHARE = 1e-4;

/** The frozen n-gram vectors, copied into the kernel's memory with what fitting a document against them needs. */
export class FoldIn {
  private readonly noise: Int32Array;
  private readonly keep: Float32Array;
  private readonly kernel: PvDbowKernel;
  private readonly at: { vectors: number; inverseNorms: number; document: number; scratch: ThreadScratch };

  constructor(
    private readonly ngrams: NgramVectors,
    private readonly options: FoldInOptions,
  ) {
    this.noise = noiseTable(ngrams.counts);
    this.keep = keepChances(ngrams.counts, options.subsample);
    const { dims, vectors } = ngrams;
    const columns = vectors.length / dims;
    const plan = new MemoryPlan();
    this.at = {
      vectors: plan.reserve(vectors.length),
      inverseNorms: plan.reserve(columns),
      document: plan.reserve(dims),
      scratch: reserveScratch(plan, dims, options.negatives),
    };
    this.kernel = new PvDbowKernel(plan.create('the n-gram vectors'));
    this.kernel.floats(this.at.vectors, vectors.length).set(vectors);
    // 1/‖v‖ of every n-gram vector: frozen, so computed once instead of once per pair.
    const inverseNorms = this.kernel.floats(this.at.inverseNorms, columns);
    for (let c = 0; c < columns; c++) {
      let sum = 0;
      for (let i = c * dims; i < (c + 1) * dims; i++) sum += vectors[i] * vectors[i];
      inverseNorms[c] = 1 / (Math.sqrt(sum) || 1e-12);
    }
  }

  /** The vectors of every row of count rows (row r at `r·dims`). */
  infer(rows: SparseMatrix): Float32Array {
    const { dims } = this.ngrams;
    const out = new Float32Array(rows.rows * dims);
    const expanded = { buffer: new Int32Array(1024) };
    const document = this.kernel.floats(this.at.document, dims);
    for (let r = 0; r < rows.rows; r++) {
      this.inferRow(rows, r, document, expanded);
      out.set(document, r * dims);
    }
    return out;
  }

  private inferRow(
    rows: SparseMatrix,
    row: number,
    document: Float32Array,
    expanded: { buffer: Int32Array },
  ): void {
    const { dims } = this.ngrams;
    const { epochs, negatives, scale, learningRate } = this.options;
    const { vectors, inverseNorms, scratch } = this.at;
    const per = 1 + negatives;
    const pairs = this.kernel.ints(scratch.pairs, CHUNK_OCCURRENCES * per);
    const random = new Random(this.options.seed);
    document.set(randomVectors(1, dims, random));
    // The schedule needs the number of steps up front; sub-sampling makes it vary, so count the expected one.
    let expected = 0;
    for (let k = rows.indptr[row]; k < rows.indptr[row + 1]; k++)
      expected += rows.values[k] * this.keep[rows.indices[k]];
    const total = Math.max(1, expected * epochs);
    const fall = learningRate / total;
    const floor = learningRate * MIN_RATE_SHARE;
    let done = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const length = expandRow(rows, row, this.keep, random, expanded);
      for (let from = 0; from < length; from += CHUNK_OCCURRENCES) {
        const count = Math.min(CHUNK_OCCURRENCES, length - from);
        drawPairs(expanded.buffer, from, count, this.noise, negatives, random, pairs);
        const rate = { start: learningRate - done * fall, fall, floor };
        this.kernel.inferDocument(
          this.at.document,
          vectors,
          inverseNorms,
          scratch.pairs,
          count,
          per,
          dims,
          scale,
          rate,
          scratch.step,
        );
        done += count;
      }
    }
  }
}
