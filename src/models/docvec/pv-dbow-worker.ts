/** Worker side of {@link trainPvDbowParallel}: trains its share of the documents, then says so. */
import { parentPort, workerData } from 'node:worker_threads';
import type { PvDbowWorkerData } from './parallel-pv-dbow.js';
import { trainShare } from './pv-dbow.js';
import { PvDbowKernel } from './pv-dbow-kernel.js';

const data = workerData as PvDbowWorkerData;
trainShare(new PvDbowKernel(data.memory), data.layout, data.rows, data.counts, data.options, data);
parentPort?.postMessage('done');
