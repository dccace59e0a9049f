/**
 * Tokenizing many texts into a {@link TokenIdCorpus} on every core.
 *
 * The texts are cut into chunks that the main thread and the workers take from one shared counter, so a
 * worker that starts late (a worker costs tens of milliseconds to start, more from source under tsx)
 * simply takes fewer chunks, and the main thread never waits for one before doing useful work. The result
 * is the same as {@link tokenIds} on one thread (word ids in order of first occurrence), whatever the
 * sharing. The main thread never holds a string per token, which also spares its garbage collector.
 */
import { availableParallelism } from 'node:os';
import type { ProgressCallback } from '../../util/progress.js';
import { startModuleWorker } from '../../util/module-worker.js';
import {
  TokenIdBuilder,
  mergeChunks,
  tokenIds,
  type BuilderOutput,
  type TokenIdChunk,
  type TokenIdCorpus,
} from './token-ids.js';

export interface ParallelTokenizeOptions {
  /** Threads in all, the main one included; default: the cores available, at most 4. 1 stays on this thread. */
  readonly threads?: number;
  /** Texts per chunk taken from the shared counter (default 500). */
  readonly chunkSize?: number;
  readonly onProgress?: ProgressCallback;
  /** Marks as tokens too (`tokenizeWithPunctuation`); default false (`tokenize`). */
  readonly punctuation?: boolean;
}

/** Below this many texts, starting a worker costs more than it saves. */
const MIN_PARALLEL_TEXTS = 4000;
const DEFAULT_CHUNK_SIZE = 500;
const MAX_DEFAULT_THREADS = 4;

/**
 * The worker's module, found beside this one, from source (tsx) or from the build alike; exported so that
 * a test can start it directly, since {@link tokenizeInParallel} falls back to one thread when a worker fails.
 */
export const TOKENIZE_WORKER = new URL('./tokenize-worker.js', import.meta.url);

/** What a worker is started with. */
export interface TokenizeWorkerData {
  readonly texts: readonly string[];
  readonly chunkSize: number;
  /** Int32 slots: [0] next chunk to take, [1] texts done. */
  readonly counters: SharedArrayBuffer;
  readonly punctuation: boolean;
}

/** Takes chunks from the shared counter until none is left; shared by the main thread and the workers. */
export function takeChunks(
  data: TokenizeWorkerData,
  builder: TokenIdBuilder,
  afterChunk?: (textsDone: number) => void,
): TokenIdChunk[] {
  const counters = new Int32Array(data.counters);
  const chunks: TokenIdChunk[] = [];
  for (;;) {
    const first = Atomics.add(counters, 0, 1) * data.chunkSize;
    if (first >= data.texts.length) return chunks;
    const texts = data.texts.slice(first, first + data.chunkSize);
    chunks.push(builder.add(texts, first));
    const done = Atomics.add(counters, 1, texts.length) + texts.length;
    afterChunk?.(done);
  }
}

/**
 * Tokenizes `texts` into word ids using up to `threads` threads. Progress is reported as task
 * "tokenizing" in reviews.
 */
export async function tokenizeInParallel(
  texts: readonly string[],
  options: ParallelTokenizeOptions = {},
): Promise<TokenIdCorpus> {
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_DEFAULT_THREADS);
  const punctuation = options.punctuation ?? false;
  const report = (done: number) =>
    options.onProgress?.({ task: 'tokenizing', done, total: texts.length, unit: 'reviews' });
  if (threads <= 1 || texts.length < MIN_PARALLEL_TEXTS) {
    const corpus = tokenIds(texts, punctuation);
    report(texts.length);
    return corpus;
  }
  const data: TokenizeWorkerData = {
    texts,
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    counters: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    punctuation,
  };
  const workers = Array.from({ length: threads - 1 }, () =>
    startModuleWorker(TOKENIZE_WORKER, { workerData: data }),
  );
  const results = workers.map(
    (worker) =>
      new Promise<BuilderOutput>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`tokenizing worker exited with code ${code}`)));
      }),
  );
  const builder = new TokenIdBuilder(punctuation);
  const own = takeChunks(data, builder, report);
  try {
    const outputs = [{ words: builder.words, chunks: own }, ...(await Promise.all(results))];
    return mergeChunks(outputs, texts.length);
  } catch {
    // A worker that failed took chunks with it: do it all here rather than fail the training.
    const corpus = tokenIds(texts, punctuation);
    report(texts.length);
    return corpus;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
