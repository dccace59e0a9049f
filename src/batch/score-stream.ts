/**
 * Scoring a stream of texts of any length in input order, on one thread or on a pool of workers.
 *
 * Texts are cut into chunks. With several workers, up to two chunks per worker are in flight while
 * the next ones are read, and the chunks come back in the order they were read, whichever worker
 * finishes first: the i-th prediction out is always the i-th text in. An input that fits in one chunk
 * is scored on this thread, as starting workers (each loads the model) would cost more than it saves.
 */
import type { TextInput } from '../data/text-input.js';
import { initBackend, type BackendName } from '../engine/backend.js';
import type { Prediction } from '../models/classifier.js';
import { loadClassifier } from '../models/load.js';
import { ScoringPool } from './scoring-pool.js';

export interface ScoreStreamOptions {
  /** The saved model directory. */
  readonly model: string;
  /** Threads that score: 1 scores on this thread, more start that many worker threads. */
  readonly workers: number;
  readonly backend?: BackendName | 'auto';
  /** Texts per chunk (default 512). */
  readonly chunkSize?: number;
}

/** The predictions of one chunk, in order, and how far into the input (bytes) the chunk reached. */
export interface ScoredChunk {
  readonly predictions: readonly Prediction[];
  readonly position: number;
}

interface Chunk {
  readonly texts: string[];
  readonly position: number;
}

interface Scorer {
  score(texts: readonly string[]): Promise<Prediction[]>;
  close(): Promise<void>;
}

const DEFAULT_CHUNK_SIZE = 512;

async function* chunked(inputs: AsyncIterable<TextInput>, size: number): AsyncGenerator<Chunk> {
  let texts: string[] = [];
  let position = 0;
  for await (const input of inputs) {
    texts.push(input.text);
    position = input.position;
    if (texts.length === size) {
      yield { texts, position };
      texts = [];
    }
  }
  if (texts.length > 0) yield { texts, position };
}

/** The model on this thread, with a one-thread backend like each worker's. */
async function inProcessScorer(options: ScoreStreamOptions): Promise<Scorer> {
  await initBackend({ backend: options.backend ?? 'auto', threads: 1 });
  const classifier = await loadClassifier(options.model);
  return {
    score: (texts) => classifier.predict(texts),
    close: async () => classifier.dispose(),
  };
}

/** Scores `inputs` and yields their predictions chunk by chunk, in input order. */
export async function* scoreInOrder(
  inputs: AsyncIterable<TextInput>,
  options: ScoreStreamOptions,
): AsyncGenerator<ScoredChunk> {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${options.workers}`);
  }
  const chunks = chunked(inputs, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const read: Chunk[] = [];
  // Read ahead far enough to know whether the input fits in one chunk.
  for (let i = 0; i < Math.min(2, options.workers); i++) {
    const next = await chunks.next();
    if (next.done) break;
    read.push(next.value);
  }
  if (read.length === 0) return;
  const parallel = options.workers > 1 && read.length > 1;
  const scorer: Scorer = parallel ? await ScoringPool.start(options) : await inProcessScorer(options);
  const inFlightLimit = parallel ? 2 * options.workers : 1;
  const inFlight: Promise<ScoredChunk>[] = [];
  const submit = (chunk: Chunk) => {
    const scored = scorer
      .score(chunk.texts)
      .then((predictions) => ({ predictions, position: chunk.position }));
    // Awaited in order below; until then, a failure must not count as unhandled.
    scored.catch(() => undefined);
    inFlight.push(scored);
  };
  try {
    read.forEach(submit);
    for (;;) {
      while (inFlight.length >= inFlightLimit) yield await (inFlight.shift() as Promise<ScoredChunk>);
      const next = await chunks.next();
      if (next.done) break;
      submit(next.value);
    }
    while (inFlight.length > 0) yield await (inFlight.shift() as Promise<ScoredChunk>);
  } finally {
    await scorer.close();
  }
}
