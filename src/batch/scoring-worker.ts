/**
 * Worker side of {@link ScoringPool}: registers the families the main thread registered (by
 * importing their modules: a worker starts with the built-in table only), starts a one-thread backend (unless the family table says the
 * model's family needs none: that spares the worker the second it takes to import TensorFlow.js),
 * loads the model, says it is ready, then scores the chunks it is sent one after the other and sends
 * each chunk's predictions back with its id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Classifier } from '../models/classifier.js';
import { familyOfKind } from '../models/families.js';
import { loadClassifier } from '../models/load.js';
import { readManifest } from '../persist/model-dir.js';
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
  for (const module of data.familyModules) await import(module);
  const { kind } = await readManifest(data.model);
  // An unknown kind needs no backend: loadClassifier then says it is not known.
  if (familyOfKind(kind)?.needsBackend) {
    const { initBackend } = await import('../engine/backend.js');
    await initBackend({ backend: data.backend, threads: 1 });
  }
  classifier = await loadClassifier(data.model);
} catch (error) {
  reply({ type: 'failed', error: serializeError(error) });
}
if (classifier) {
  const model = classifier;
  // The pool may send the next chunk before this one is done: score them in turn, never interleaved.
  let previous: Promise<void> = Promise.resolve();
  port.on('message', (request: WorkerRequest) => {
    previous = previous.then(() =>
      model.predict(request.texts).then(
        (predictions) => reply({ type: 'scored', id: request.id, predictions }),
        (error: unknown) => reply({ type: 'error', id: request.id, error: serializeError(error) }),
      ),
    );
  });
  reply({ type: 'ready' });
}
