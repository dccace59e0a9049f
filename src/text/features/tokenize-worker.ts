/**
 * Worker side of {@link tokenizeInParallel}: takes chunks of the texts from the shared counter until
 * none is left, then sends its words and chunks back (the id arrays moved, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { takeChunks, type TokenizeWorkerData } from './parallel-tokenize.js';
import { TokenIdBuilder } from './token-ids.js';

const data = workerData as TokenizeWorkerData;
const builder = new TokenIdBuilder(data.punctuation);
const chunks = takeChunks(data, builder);
parentPort?.postMessage(
  { words: builder.words, chunks },
  chunks.flatMap((chunk) => [chunk.ids.buffer, chunk.starts.buffer]),
);
