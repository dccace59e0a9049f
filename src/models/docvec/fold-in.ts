/**
 * Fold-in inference: the vector of a document that training never saw, fitted by the same objective as
 * training (see pv-dbow.ts) with every n-gram vector frozen, so only the document's own vector moves
 * (gensim's `infer_vector`). Each document starts from the same seeded generator, so its vector depends
 * on its text and the seed only, never on which other texts share its batch or thread.
 */
import type { SparseMatrix } from '../../text/features/sparse.js';
import { Random } from '../../util/random.js';
import { expandRow, keepChances, noiseTable, norm, randomVectors, type NgramVectors } from './pv-dbow.js';

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

/** The frozen n-gram vectors with what fitting a document against them needs, computed once. */
export class FoldIn {
  private readonly noise: Int32Array;
  private readonly keep: Float32Array;
  /** 1/‖v‖ of every n-gram vector: frozen, so computed once instead of once per pair. */
  private readonly inverseNorms: Float32Array;

  constructor(
    private readonly ngrams: NgramVectors,
    private readonly options: FoldInOptions,
  ) {
    this.noise = noiseTable(ngrams.counts);
    this.keep = keepChances(ngrams.counts, options.subsample);
    const { dims, vectors } = ngrams;
    const columns = vectors.length / dims;
    this.inverseNorms = new Float32Array(columns);
    for (let c = 0; c < columns; c++) this.inverseNorms[c] = 1 / norm(vectors, c * dims, dims);
  }

  /** The vectors of every row of count rows (row r at `r·dims`). */
  infer(rows: SparseMatrix): Float32Array {
    const { dims } = this.ngrams;
    const out = new Float32Array(rows.rows * dims);
    const scratch = { buffer: new Int32Array(1024) };
    const step = new Float32Array(dims);
    for (let r = 0; r < rows.rows; r++) this.inferRow(rows, r, out, r * dims, scratch, step);
    return out;
  }

  private inferRow(
    rows: SparseMatrix,
    row: number,
    out: Float32Array,
    h: number,
    scratch: { buffer: Int32Array },
    step: Float32Array,
  ): void {
    const { dims, vectors } = this.ngrams;
    const { epochs, negatives, scale, learningRate } = this.options;
    const random = new Random(this.options.seed);
    out.set(randomVectors(1, dims, random), h);
    // The schedule needs the number of steps up front; sub-sampling makes it vary, so count the expected one.
    let expected = 0;
    for (let k = rows.indptr[row]; k < rows.indptr[row + 1]; k++)
      expected += rows.values[k] * this.keep[rows.indices[k]];
    const total = Math.max(1, expected * epochs);
    let done = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const length = expandRow(rows, row, this.keep, random, scratch);
      const occurrences = scratch.buffer;
      for (let p = 0; p < length; p++) {
        const rate = learningRate * Math.max(MIN_RATE_SHARE, 1 - done++ / total);
        step.fill(0);
        const hNorm = norm(out, h, dims);
        const positive = occurrences[p];
        this.pair(out, h, hNorm, vectors, positive, 1, scale, rate, step);
        for (let n = 0; n < negatives; n++) {
          const column = this.noise[random.int(this.noise.length)];
          if (column !== positive) this.pair(out, h, hNorm, vectors, column, 0, scale, rate, step);
        }
        for (let i = 0; i < dims; i++) out[h + i] += step[i];
      }
    }
  }

  /** The document's half of pv-dbow.ts's `pairStep`: the n-gram vector stays as it is. */
  private pair(
    out: Float32Array,
    h: number,
    hNorm: number,
    vectors: Float32Array,
    column: number,
    label: number,
    alpha: number,
    rate: number,
    step: Float32Array,
  ): void {
    const { dims } = this.ngrams;
    const v = column * dims;
    let dot = 0;
    for (let i = 0; i < dims; i++) dot += out[h + i] * vectors[v + i];
    const inverse = this.inverseNorms[column] / hNorm;
    const cos = dot * inverse;
    const g = (label - 1 / (1 + Math.exp(-alpha * cos))) * alpha * rate;
    const hShrink = cos / (hNorm * hNorm);
    for (let i = 0; i < dims; i++) step[i] += g * (vectors[v + i] * inverse - out[h + i] * hShrink);
  }
}
