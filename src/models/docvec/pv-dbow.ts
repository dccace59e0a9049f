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
 * document and the n-gram vectors learn. Plain TypeScript over Float32Array: one dot product, one norm and
 * two axpy loops per (document, n-gram) pair, which V8 compiles to tight scalar loops.
 */
import type { SparseMatrix } from '../../text/features/sparse.js';
import { Random } from '../../util/random.js';

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

/**
 * Trains document and n-gram vectors together on count rows (one row a document, labelled or not).
 * Deterministic for a seed. Returns the n-gram vectors and the documents' vectors (row r at `r·dims`).
 */
export function trainPvDbow(
  rows: SparseMatrix,
  options: PvDbowOptions,
  onEpoch?: EpochCallback,
): { ngrams: NgramVectors; documents: Float32Array } {
  const { vectors, documents, counts } = initialVectors(rows, options, (n) => new Float32Array(n));
  trainShare(rows, counts, vectors, documents, options, { thread: 0, threads: 1 }, onEpoch);
  return { ngrams: { dims: options.dims, vectors, counts }, documents };
}

/** The starting n-gram and document vectors (over `make`'s buffers: plain or shared), and the column counts. */
export function initialVectors(
  rows: SparseMatrix,
  options: PvDbowOptions,
  make: (length: number) => Float32Array,
): { vectors: Float32Array; documents: Float32Array; counts: Float64Array } {
  const random = new Random(options.seed);
  const vectors = make(rows.cols * options.dims);
  vectors.set(randomVectors(rows.cols, options.dims, random));
  const documents = make(rows.rows * options.dims);
  documents.set(randomVectors(rows.rows, options.dims, random));
  return { vectors, documents, counts: columnCounts(rows) };
}

/** Which documents a thread trains: those whose index is `thread` modulo `threads`. */
export interface Share {
  readonly thread: number;
  readonly threads: number;
}

/**
 * The epochs of one thread over its share of the documents, updating `vectors` and `documents` in place;
 * with several threads these are shared memory and updated without locks (Hogwild, as word2vec and
 * fastText do: two threads rarely touch one n-gram vector at once, and a lost update costs little).
 */
export function trainShare(
  rows: SparseMatrix,
  counts: Float64Array,
  vectors: Float32Array,
  documents: Float32Array,
  options: PvDbowOptions,
  share: Share,
  onEpoch?: EpochCallback,
): void {
  const { dims, epochs, negatives, scale } = options;
  const random = new Random(options.seed + 0x9e3779b9 * (share.thread + 1));
  const noise = noiseTable(counts);
  const keep = keepChances(counts, options.subsample);
  const step = new Float32Array(dims);
  const scratch = { buffer: new Int32Array(1024) };
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
      const length = expandRow(rows, doc, keep, random, scratch);
      const occurrences = scratch.buffer;
      const rate = options.learningRate * Math.max(MIN_RATE_SHARE, 1 - done / total);
      done += length;
      const h = doc * dims;
      for (let p = 0; p < length; p++) {
        step.fill(0);
        const positive = occurrences[p];
        const hNorm = norm(documents, h, dims);
        pairStep(documents, h, hNorm, vectors, positive * dims, 1, scale, rate, dims, step);
        for (let n = 0; n < negatives; n++) {
          const column = noise[random.int(noise.length)];
          if (column === positive) continue;
          pairStep(documents, h, hNorm, vectors, column * dims, 0, scale, rate, dims, step);
        }
        for (let i = 0; i < dims; i++) documents[h + i] += step[i];
      }
    }
    onEpoch?.(epoch + 1);
  }
}

/** ‖x[at .. at+dims)‖, never 0 (a zero vector would make the cosine undefined). */
export function norm(x: Float32Array, at: number, dims: number): number {
  let sum = 0;
  for (let i = 0; i < dims; i++) sum += x[at + i] * x[at + i];
  return Math.sqrt(sum) || 1e-12;
}

/**
 * One (document, n-gram) pair of the loss −log σ(±α cos(h, v)): adds the document's gradient step into `step`
 * and moves the n-gram vector at once (as word2vec does). ∂cos/∂h = v/(‖h‖‖v‖) − h·cos/‖h‖², and
 * symmetrically for v; the gradient of the loss is (label − σ(α cos))·α times that.
 */
export function pairStep(
  documents: Float32Array,
  h: number,
  hNorm: number,
  vectors: Float32Array,
  v: number,
  label: number,
  alpha: number,
  rate: number,
  dims: number,
  step: Float32Array,
): void {
  let dot = 0;
  let vv = 0;
  for (let i = 0; i < dims; i++) {
    const vi = vectors[v + i];
    dot += documents[h + i] * vi;
    vv += vi * vi;
  }
  if (vv === 0) vv = 1e-24;
  const inverse = 1 / (hNorm * Math.sqrt(vv));
  const cos = dot * inverse;
  const g = (label - 1 / (1 + Math.exp(-alpha * cos))) * alpha * rate;
  const hShrink = cos / (hNorm * hNorm);
  const vShrink = cos / vv;
  for (let i = 0; i < dims; i++) {
    const vi = vectors[v + i];
    const hi = documents[h + i];
    step[i] += g * (vi * inverse - hi * hShrink);
    vectors[v + i] = vi + g * (hi * inverse - vi * vShrink);
  }
}
