/**
 * Scoring a stream of texts of any length in input order, on one thread or on a pool of workers.
 *
 * Texts are cut into chunks. The model is loaded on this thread first, so that a bad model directory
 * fails at once with its own error. With several threads, this thread and `threads - 1` workers score
 * (see {@link ScoringPool}), up to two chunks per thread are in flight while the next ones are read,
 * and chunks come back in the order they were read, whichever thread finishes first: the i-th
 * row out is always the i-th row in. An input that fits in one chunk starts no worker.
 *
 * Only texts go to the scorers: a row whose text is empty or only whitespace is not scored (a model
 * would only guess) but comes out in its place with `prediction: null` and a `skipped` reason, so that
 * every input row has exactly one output row.
 */
import { isBlankText, type TextInput } from '../data/text-input.js';
import { preferBackend, type BackendName } from '../engine/backend-choice.js';
import type { Classifier, Prediction } from '../models/classifier.js';
import { loadScoringClassifier, OnnxClassifier, type RuntimeName } from '../models/onnx-classifier.js';
import { ScoringPool } from './scoring-pool.js';

/** What `scoreInOrder` scores with: the model, the threads, the backend, the chunk size. */
export interface ScoreStreamOptions {
  /** The saved model directory. */
  readonly model: string;
  /** Threads that score, this one included: 1 scores on this thread only, N adds N - 1 worker threads. */
  readonly workers: number;
  readonly backend?: BackendName | 'auto';
  /**
   * Where the model loaded here is scored (default polarity); with onnx, one onnxruntime thread per
   * scoring thread. A `classifier` given already loaded decides for itself.
   */
  readonly runtime?: RuntimeName;
  /** Texts per chunk (default 512). */
  readonly chunkSize?: number;
  /**
   * The model, already loaded from `model` (the caller then disposes of it): lets a caller check the
   * model before it writes anything. By default it is loaded here, once there is something to score.
   */
  readonly classifier?: Classifier;
}

/** Why a row was not scored. */
export type SkipReason = 'empty text';

/** One input row and its prediction, or null and why it has none. */
export type ScoredRow =
  | { readonly input: TextInput; readonly prediction: Prediction; readonly skipped?: undefined }
  | { readonly input: TextInput; readonly prediction: null; readonly skipped: SkipReason };

/** The rows of one chunk, in input order, and how far into the input (bytes) the chunk reached. */
export interface ScoredChunk {
  readonly rows: readonly ScoredRow[];
  readonly position: number;
}

interface Chunk {
  readonly inputs: TextInput[];
  readonly position: number;
}

const DEFAULT_CHUNK_SIZE = 512;

async function* chunked(inputs: AsyncIterable<TextInput>, size: number): AsyncGenerator<Chunk> {
  let chunk: TextInput[] = [];
  let position = 0;
  for await (const input of inputs) {
    chunk.push(input);
    position = input.position;
    if (chunk.length === size) {
      yield { inputs: chunk, position };
      chunk = [];
    }
  }
  if (chunk.length > 0) yield { inputs: chunk, position };
}

/** Scores the chunk's non-blank texts with `score` and puts the predictions back among its rows. */
async function scoreChunk(
  chunk: Chunk,
  score: (texts: readonly string[]) => Promise<Prediction[]>,
): Promise<ScoredChunk> {
  const texts = chunk.inputs.filter((input) => !isBlankText(input.text)).map((input) => input.text);
  const predictions = texts.length > 0 ? await score(texts) : [];
  let next = 0;
  const rows = chunk.inputs.map((input): ScoredRow =>
    isBlankText(input.text)
      ? { input, prediction: null, skipped: 'empty text' }
      : { input, prediction: predictions[next++] },
  );
  return { rows, position: chunk.position };
}

/** Scores `inputs` and yields them with their predictions chunk by chunk, in input order. */
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
  const classifier = options.classifier ?? (await loadHere(options));
  const local = (texts: readonly string[]) => classifier.predict(texts);
  const pool =
    options.workers > 1 && read.length > 1
      ? new ScoringPool({ ...options, workers: options.workers - 1, onnx: onnxGraphOf(classifier) }, local)
      : undefined;
  const score = pool ? (texts: readonly string[]) => pool.score(texts) : local;
  const inFlightLimit = 2 * (pool ? options.workers : 1);
  const inFlight: Promise<ScoredChunk>[] = [];
  const submit = (chunk: Chunk) => {
    const scored = scoreChunk(chunk, score);
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
    if (!options.classifier) classifier.dispose();
  }
}

async function loadHere(options: ScoreStreamOptions): Promise<Classifier> {
  // A one-thread backend, as each worker has: one core per scoring thread. It starts only if the
  // model is a network (its family starts it on load), so a linear model never loads TF.js.
  preferBackend({ backend: options.backend ?? 'auto', threads: 1 });
  return loadScoringClassifier(options.model, options.runtime, { threads: 1 });
}

/** The graph the workers score when this thread scores with onnxruntime. */
function onnxGraphOf(classifier: Classifier) {
  return classifier instanceof OnnxClassifier ? classifier.graph : undefined;
}
