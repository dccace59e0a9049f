/**
 * Scoring a stream of texts of any length in input order, on one thread or on a pool of workers.
 *
 * Texts are cut into chunks. The model is loaded on this thread first, so that a bad model directory
 * fails at once with its own error. With several threads, this thread and `threads - 1` workers score
 * (see {@link ScoringPool}), up to two chunks per thread are in flight while the next ones are read,
 * and chunks come back in the order they were read, whichever thread finishes first: the i-th
 * prediction out is always the i-th text in. An input that fits in one chunk starts no worker.
 */
import type { TextInput } from '../data/text-input.js';
import { initBackend, type BackendName } from '../engine/backend.js';
import type { Prediction } from '../models/classifier.js';
import { loadClassifier } from '../models/load.js';
import { ScoringPool } from './scoring-pool.js';

export interface ScoreStreamOptions {
  /** The saved model directory. */
  readonly model: string;
  /** Threads that score, this one included: 1 scores on this thread only, N adds N - 1 worker threads. */
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
  // A one-thread backend, as each worker has: one core per scoring thread.
  await initBackend({ backend: options.backend ?? 'auto', threads: 1 });
  const classifier = await loadClassifier(options.model);
  const local = (texts: readonly string[]) => classifier.predict(texts);
  const pool =
    options.workers > 1 && read.length > 1
      ? new ScoringPool({ ...options, workers: options.workers - 1 }, local)
      : undefined;
  const score = pool ? (texts: readonly string[]) => pool.score(texts) : local;
  const inFlightLimit = 2 * (pool ? options.workers : 1);
  const inFlight: Promise<ScoredChunk>[] = [];
  const submit = (chunk: Chunk) => {
    const scored = score(chunk.texts).then((predictions) => ({ predictions, position: chunk.position }));
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
    await pool?.close();
    classifier.dispose();
  }
}
