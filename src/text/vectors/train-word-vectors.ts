/**
 * Word vectors from a corpus: skip-gram or CBOW with negative sampling (Mikolov et al. 2013, as the
 * word2vec and fastText tools train them): frequent words subsampled, the step size decayed linearly,
 * input vectors drawn uniformly in ±0.5/dim from the seed and output vectors at zero. With several
 * threads, each trains its share of the texts on the same shared matrices (Hogwild).
 */
import type { ProgressCallback } from '../../util/progress.js';
import { startModuleWorker } from '../../util/module-worker.js';
import type { Corpus } from './corpus.js';
import { trainTexts, type TrainingTables } from './negative-sampling.js';
import { resolveWordVectorOptions, type WordVectorOptions } from './word-vector-options.js';

export interface TrainedWordVectors {
  /** Words, then any n-grams: one row of `vectors` each. */
  readonly units: readonly string[];
  readonly words: number;
  readonly dim: number;
  readonly vectors: Float32Array;
}

export const WORD_VECTORS_TRAINING_TASK = 'training word vectors';
/** fastText's table size; enough for millions of words, 40 MB. */
const MAX_NEGATIVE_TABLE = 10_000_000;

/** Message a worker thread posts: tokens it has trained so far, or that it is done. */
export type WorkerMessage = { readonly done: number } | { readonly finished: true };

/** What a worker thread gets (its range of texts, the shared arrays and the options). */
export interface WorkerJob {
  readonly tables: TrainingTables;
  readonly options: Parameters<typeof trainTexts>[1];
  readonly from: number;
  readonly to: number;
  readonly seed: number;
}

export async function trainWordVectors(
  corpus: Corpus,
  options: WordVectorOptions = {},
  onProgress?: ProgressCallback,
): Promise<TrainedWordVectors> {
  const o = resolveWordVectorOptions(options);
  const shared = o.threads > 1;
  const floats = (n: number) =>
    new Float32Array(shared ? new SharedArrayBuffer(n * 4) : new ArrayBuffer(n * 4));
  const ints = (source: Int32Array) => {
    if (!shared) return source;
    const copy = new Int32Array(new SharedArrayBuffer(source.length * 4));
    copy.set(source);
    return copy;
  };
  const input = floats(corpus.units.length * o.dim);
  let state = (o.seed ^ 0x5bd1e995) >>> 0 || 1;
  for (let i = 0; i < input.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    input[i] = (state / 4294967296 - 0.5) / o.dim;
  }
  const keep = floats(corpus.words);
  keep.set(keepProbabilities(corpus, o.sample));
  const tables: TrainingTables = {
    corpus: {
      tokens: ints(corpus.tokens),
      starts: ints(corpus.starts),
      ngrams: ints(corpus.ngrams),
      ngramOrders: corpus.ngramOrders,
    },
    input,
    output: floats(corpus.words * o.dim),
    negatives: ints(negativeTable(corpus)),
    keep,
  };
  const total = o.epochs * corpus.tokens.length;
  const report = (done: number) =>
    onProgress?.({ task: WORD_VECTORS_TRAINING_TASK, done, total, unit: 'tokens' });
  report(0);
  if (corpus.words > 0 && corpus.tokens.length > 0) {
    if (!shared) {
      let last = 0;
      trainTexts(tables, o, 0, corpus.starts.length - 1, o.seed, (done) => {
        if (done - last >= 200_000) report((last = done));
      });
    } else {
      await trainOnThreads(tables, o, corpus, report);
    }
  }
  report(total);
  return { units: corpus.units, words: corpus.words, dim: o.dim, vectors: input };
}

/** Each thread a contiguous range of texts of about the same number of tokens. */
async function trainOnThreads(
  tables: TrainingTables,
  o: ReturnType<typeof resolveWordVectorOptions>,
  corpus: Corpus,
  report: (done: number) => void,
): Promise<void> {
  const texts = corpus.starts.length - 1;
  const bounds = [0];
  for (let t = 1; t < o.threads; t++) {
    const target = (corpus.tokens.length * t) / o.threads;
    let text = bounds[t - 1];
    while (text < texts && corpus.starts[text] < target) text++;
    bounds.push(text);
  }
  bounds.push(texts);
  const done = new Array<number>(o.threads).fill(0);
  await Promise.all(
    bounds.slice(0, -1).map((from, t) => {
      const job: WorkerJob = { tables, options: o, from, to: bounds[t + 1], seed: o.seed + t };
      const worker = startModuleWorker(new URL('./vector-worker.js', import.meta.url), { workerData: job });
      return new Promise<void>((resolve, reject) => {
        worker.on('message', (message: WorkerMessage) => {
          if ('done' in message) {
            done[t] = message.done;
            report(done.reduce((a, b) => a + b, 0));
          } else {
            resolve();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`a word-vector thread stopped with code ${code}`)),
        );
      });
    }),
  );
}

/** word2vec's subsampling: a word of count c keeps each occurrence with (√(c/(t·N))+1)·t·N/c, at most 1. */
function keepProbabilities(corpus: Corpus, sample: number): Float32Array {
  const keep = new Float32Array(corpus.words).fill(1);
  if (sample === 0) return keep;
  let total = 0;
  for (let w = 0; w < corpus.words; w++) total += corpus.counts[w];
  const threshold = sample * total;
  for (let w = 0; w < corpus.words; w++) {
    const c = corpus.counts[w];
    keep[w] = Math.min(1, (Math.sqrt(c / threshold) + 1) * (threshold / c));
  }
  return keep;
}

/** Word ids, each as often as its count^0.75 asks, so that a uniform draw is a negative sample. */
function negativeTable(corpus: Corpus): Int32Array {
  const size = Math.min(MAX_NEGATIVE_TABLE, Math.max(100_000, corpus.words * 100));
  const table = new Int32Array(size);
  let norm = 0;
  for (let w = 0; w < corpus.words; w++) norm += corpus.counts[w] ** 0.75;
  let w = 0;
  let cumulative = corpus.words > 0 ? corpus.counts[0] ** 0.75 / norm : 1;
  for (let i = 0; i < size; i++) {
    table[i] = w;
    if ((i + 1) / size > cumulative && w < corpus.words - 1) {
      w++;
      cumulative += corpus.counts[w] ** 0.75 / norm;
    }
  }
  return table;
}
