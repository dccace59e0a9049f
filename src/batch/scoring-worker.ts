/**
 * Worker side of {@link ScoringPool}: registers the families the main thread registered (by
 * importing their modules: a worker starts with the built-in table only), asks for a one-thread
 * backend (started only if the model is a network, by its family on load: a linear model spares
 * the worker the second TensorFlow.js takes to import), loads the model, says it is ready, then scores the chunks it is sent one after the other and sends
 * each chunk's predictions back with its id. Under `--runtime onnx` it is sent the model's graph
 * instead and only opens an onnxruntime session on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Classifier } from '../models/classifier.js';
import { preferBackend } from '../engine/backend-choice.js';
import { loadClassifier } from '../models/load.js';
import { OnnxClassifier } from '../models/onnx-classifier.js';
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
  if (data.onnx) {
    // --runtime onnx: the graph came built; one onnxruntime thread, as one core per scoring thread.
    classifier = await OnnxClassifier.fromGraph(data.onnx, { threads: 1 });
  } else {
    for (const module of data.familyModules) await import(module);
    preferBackend({ backend: data.backend, threads: 1 });
    classifier = await loadClassifier(data.model);
  }
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
