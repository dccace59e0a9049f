/**
 * Paragraph vectors, distributed bag of words (PV-DBOW; Le & Mikolov 2014), over word n-grams and trained
 * with cosine similarity instead of the dot product (Thongtan & Phienthrakul, ACL SRW 2019, "Sentiment
 * classification using document embeddings trained with cosine similarity"): each document vector h is
 * pulled towards the vectors v of the n-grams it holds and pushed from a few n-grams drawn from the noise
 * distribution (negative sampling, word2vec's unigram^0.75), through
 *
 *   P(n-gram in doc) = σ(α · cos(h, v))
 *
 * The cosine bounds the score, so α (about 6) stretches it to a useful range of probabilities. Both the
 * document and the n-gram vectors learn. This module draws the samples (occurrences in a shuffled order,
 * noise n-grams) with Polarity's seeded generator; the arithmetic on the vectors runs in WebAssembly
 * (pv-dbow.wat through pv-dbow-kernel.ts).
 */
import type { SparseMatrix } from '../../text/features/sparse.js';
import { Random } from '../../util/random.js';
import { CHUNK_OCCURRENCES, MemoryPlan, PvDbowKernel } from './pv-dbow-kernel.js';

/** What shapes the vectors and their training. */
export interface PvDbowOptions {
  /** Length of every vector. */
  readonly dims: number;
  /** Passes over the documents. */
  readonly epochs: number;
  /** Step size at the start; it falls linearly to a ten-thousandth of that by the last step (word2vec's schedule). */
  readonly learningRate: number;
  /** α, the scale of the cosine inside the sigmoid. */
  readonly scale: number;
  /** Noise n-grams drawn per occurrence. */
  readonly negatives: number;
  /** word2vec's sub-sampling threshold t: an occurrence of an n-gram of share f is kept with √(t/f) + t/f; 0 keeps all. */
  readonly subsample: number;
  readonly seed: number;
}

/** Trained n-gram vectors (column c at `vectors[c·dims ..]`) with what drawing noise from them needs. */
export interface NgramVectors {
  readonly dims: number;
  readonly vectors: Float32Array;
  /** Total occurrences of each column in the training documents: the noise distribution and sub-sampling. */
  readonly counts: Float64Array;
}

/** Called after each epoch with its number (1-based). */
export type EpochCallback = (epoch: number) => void;

const NOISE_POWER = 0.75;
const MAX_NOISE_TABLE = 1 << 22;
const MIN_RATE_SHARE = 1e-4;

/** Total occurrences of each column in count rows. */
export function columnCounts(rows: SparseMatrix): Float64Array {
  const counts = new Float64Array(rows.cols);
  for (let k = 0; k < rows.indptr[rows.rows]; k++) counts[rows.indices[k]] += rows.values[k];
  return counts;
}

/** word2vec's noise table: each column in proportion to count^0.75. */
export function noiseTable(counts: Float64Array): Int32Array {
  let total = 0;
  for (let c = 0; c < counts.length; c++) total += counts[c] ** NOISE_POWER;
  const size = Math.min(MAX_NOISE_TABLE, Math.max(1, counts.length * 16));
  const table = new Int32Array(size);
  let column = 0;
  let reach = counts.length > 0 ? counts[0] ** NOISE_POWER / total : 1;
  for (let i = 0; i < size; i++) {
    table[i] = column;
    if ((i + 1) / size > reach && column < counts.length - 1) {
      column++;
      reach += counts[column] ** NOISE_POWER / total;
    }
  }
  return table;
}

/** The chance an occurrence of each column is kept under sub-sampling threshold t (all 1 for t = 0). */
export function keepChances(counts: Float64Array, subsample: number): Float32Array {
  const keep = new Float32Array(counts.length).fill(1);
  if (subsample <= 0) return keep;
  let total = 0;
  for (let c = 0; c < counts.length; c++) total += counts[c];
  for (let c = 0; c < counts.length; c++) {
    const ratio = (subsample * total) / Math.max(counts[c], 1);
    keep[c] = Math.min(1, Math.sqrt(ratio) + ratio);
  }
  return keep;
}

/** Small random values in ±0.5/dims, as the reference implementation starts every vector. */
export function randomVectors(count: number, dims: number, random: Random): Float32Array {
  const out = new Float32Array(count * dims);
  for (let i = 0; i < out.length; i++) out[i] = (random.next() - 0.5) / dims;
  return out;
}

/** Every occurrence of row `row` of count rows, written into `into` (grown as needed); returns how many. */
export function expandRow(
  rows: SparseMatrix,
  row: number,
  keep: Float32Array,
  random: Random,
  into: { buffer: Int32Array },
): number {
  let length = 0;
  for (let k = rows.indptr[row], end = rows.indptr[row + 1]; k < end; k++) {
    const column = rows.indices[k];
    const chance = keep[column];
    for (let r = 0; r < rows.values[k]; r++) {
      if (chance < 1 && random.next() >= chance) continue;
      if (length === into.buffer.length) {
        const grown = new Int32Array(Math.max(64, length * 2));
        grown.set(into.buffer);
        into.buffer = grown;
      }
      into.buffer[length++] = column;
    }
  }
  // Shuffle, so that the n-gram vectors see a document's n-grams in no fixed order.
  for (let i = length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = into.buffer[i];
    into.buffer[i] = into.buffer[j];
    into.buffer[j] = t;
  }
  return length;
}

/** Where PV-DBOW's arrays sit in the kernel's memory, as byte offsets. */
export interface PvDbowLayout {
  /** The n-gram vectors, column c at `vectors + 4·c·dims`. */
  readonly vectors: number;
  /** The document vectors, row r at `documents + 4·r·dims`. */
  readonly documents: number;
  /** Each thread's scratch: a chunk of occurrences with their noise draws, and a document step. */
  readonly threads: readonly ThreadScratch[];
}

/** One thread's scratch in the kernel's memory: `pairs` (CHUNK_OCCURRENCES × (1 + negatives) ints) and `step` (dims floats). */
export interface ThreadScratch {
  readonly pairs: number;
  readonly step: number;
}

/** Reserves one thread's scratch in a memory plan. */
export function reserveScratch(plan: MemoryPlan, dims: number, negatives: number): ThreadScratch {
  return { pairs: plan.reserve(CHUNK_OCCURRENCES * (1 + negatives)), step: plan.reserve(dims) };
}

/** A kernel over a fresh memory holding the starting vectors of `rows`, laid out for `threads` threads. */
export function startPvDbow(
  rows: SparseMatrix,
  options: PvDbowOptions,
  threads: number,
): { kernel: PvDbowKernel; layout: PvDbowLayout; counts: Float64Array } {
  const { dims } = options;
  const plan = new MemoryPlan();
  const layout: PvDbowLayout = {
    vectors: plan.reserve(rows.cols * dims),
    documents: plan.reserve(rows.rows * dims),
    threads: Array.from({ length: threads }, () => reserveScratch(plan, dims, options.negatives)),
  };
  const kernel = new PvDbowKernel(plan.create('the document and n-gram vectors'));
  const random = new Random(options.seed);
  kernel.floats(layout.vectors, rows.cols * dims).set(randomVectors(rows.cols, dims, random));
  kernel.floats(layout.documents, rows.rows * dims).set(randomVectors(rows.rows, dims, random));
  return { kernel, layout, counts: columnCounts(rows) };
}

/** The trained vectors, copied out of the kernel's memory. */
export function trainedVectors(
  kernel: PvDbowKernel,
  layout: PvDbowLayout,
  rows: SparseMatrix,
  counts: Float64Array,
  dims: number,
): { ngrams: NgramVectors; documents: Float32Array } {
  const vectors = kernel.floats(layout.vectors, rows.cols * dims).slice();
  const documents = kernel.floats(layout.documents, rows.rows * dims).slice();
  return { ngrams: { dims, vectors, counts }, documents };
}

/**
 * Trains document and n-gram vectors together on count rows (one row a document, labelled or not).
 * Deterministic for a seed. Returns the n-gram vectors and the documents' vectors (row r at `r·dims`).
 */
export function trainPvDbow(
  rows: SparseMatrix,
  options: PvDbowOptions,
  onEpoch?: EpochCallback,
): { ngrams: NgramVectors; documents: Float32Array } {
  const { kernel, layout, counts } = startPvDbow(rows, options, 1);
  trainShare(kernel, layout, rows, counts, options, { thread: 0, threads: 1 }, onEpoch);
  return trainedVectors(kernel, layout, rows, counts, options.dims);
}

/** Which documents a thread trains: those whose index is `thread` modulo `threads`. */
export interface Share {
  readonly thread: number;
  readonly threads: number;
}

/**
 * Writes `length` occurrences from `occurrences[from ..]` into `pairs`, each followed by its noise draws
 * (-1 where a draw hit the occurring n-gram itself, which is skipped).
 */
export function drawPairs(
  occurrences: Int32Array,
  from: number,
  length: number,
  noise: Int32Array,
  negatives: number,
  random: Random,
  pairs: Int32Array,
): void {
  let w = 0;
  for (let p = from; p < from + length; p++) {
    const positive = occurrences[p];
    pairs[w++] = positive;
    for (let n = 0; n < negatives; n++) {
      const column = noise[random.int(noise.length)];
      pairs[w++] = column === positive ? -1 : column;
    }
  }
}

/**
 * The epochs of one thread over its share of the documents, updating the vectors in the kernel's memory
 * in place; with several threads that memory is shared and updated without locks (Hogwild, as word2vec
 * and fastText do: two threads rarely touch one n-gram vector at once, and a lost update costs little).
 */
export function trainShare(
  kernel: PvDbowKernel,
  layout: PvDbowLayout,
  rows: SparseMatrix,
  counts: Float64Array,
  options: PvDbowOptions,
  share: Share,
  onEpoch?: EpochCallback,
): void {
  const { dims, epochs, negatives, scale } = options;
  const random = new Random(options.seed + 0x9e3779b9 * (share.thread + 1));
  const noise = noiseTable(counts);
  const keep = keepChances(counts, options.subsample);
  const scratch = layout.threads[share.thread];
  const per = 1 + negatives;
  const pairs = kernel.ints(scratch.pairs, CHUNK_OCCURRENCES * per);
  const expanded = { buffer: new Int32Array(1024) };
  const order = Int32Array.from(
    { length: Math.ceil((rows.rows - share.thread) / share.threads) },
    (_, i) => share.thread + i * share.threads,
  );
  // The schedule runs over the expected number of kept occurrences, so it ends near its floor.
  let expected = 0;
  for (const doc of order) {
    for (let k = rows.indptr[doc]; k < rows.indptr[doc + 1]; k++)
      expected += rows.values[k] * keep[rows.indices[k]];
  }
  const total = Math.max(1, expected * epochs);
  let done = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let o = 0; o < order.length; o++) {
      const doc = order[o];
      const length = expandRow(rows, doc, keep, random, expanded);
      const rate = options.learningRate * Math.max(MIN_RATE_SHARE, 1 - done / total);
      done += length;
      const h = layout.documents + doc * dims * 4;
      for (let from = 0; from < length; from += CHUNK_OCCURRENCES) {
        const count = Math.min(CHUNK_OCCURRENCES, length - from);
        drawPairs(expanded.buffer, from, count, noise, negatives, random, pairs);
        kernel.trainDocument(h, layout.vectors, scratch.pairs, count, per, dims, scale, rate, scratch.step);
      }
    }
    onEpoch?.(epoch + 1);
  }
}
