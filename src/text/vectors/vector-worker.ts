/** A worker thread of `trainWordVectors`: trains its range of texts on the shared matrices. */
import { parentPort, workerData } from 'node:worker_threads';
import { trainTexts } from './negative-sampling.js';
import type { WorkerJob, WorkerMessage } from './train-word-vectors.js';

const job = workerData as WorkerJob;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
let last = 0;
trainTexts(job.tables, job.options, job.from, job.to, job.seed, (done) => {
  if (done - last >= 200_000) post({ done: (last = done) });
});
post({ finished: true });
