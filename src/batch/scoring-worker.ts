/**
 * Worker side of {@link ScoringPool}: starts a one-thread backend, loads the model, says it is
 * ready, then scores each chunk it is sent and sends the predictions back with the chunk's id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../engine/backend.js';
import { loadClassifier } from '../models/load.js';
import type { Classifier } from '../models/classifier.js';
import {
  serializeError,
  type ScoringWorkerData,
  type WorkerReply,
  type WorkerRequest,
} from './scoring-pool.js';

const data = workerData as ScoringWorkerData;
const port = parentPort;
if (!port) throw new Error('scoring-worker.ts runs as a worker thread only');
const reply = (message: WorkerReply) => port.postMessage(message);

let classifier: Classifier | undefined;
try {
  await initBackend({ backend: data.backend, threads: 1 });
  classifier = await loadClassifier(data.model);
} catch (error) {
  reply({ type: 'failed', error: serializeError(error) });
}
if (classifier) {
  const model = classifier;
  port.on('message', (request: WorkerRequest) => {
    model.predict(request.texts).then(
      (predictions) => reply({ type: 'scored', id: request.id, predictions }),
      (error: unknown) => reply({ type: 'error', id: request.id, error: serializeError(error) }),
    );
  });
  reply({ type: 'ready' });
}
