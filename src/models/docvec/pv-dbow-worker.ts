/** Worker side of {@link trainPvDbowParallel}: trains its share of the documents, then says so. */
import { parentPort, workerData } from 'node:worker_threads';
import type { PvDbowWorkerData } from './parallel-pv-dbow.js';
import { trainShare } from './pv-dbow.js';

const data = workerData as PvDbowWorkerData;
trainShare(data.rows, data.counts, data.vectors, data.documents, data.options, data);
parentPort?.postMessage('done');
