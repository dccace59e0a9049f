/** Worker side of `FoldIn.inferParallel`: fits its rows' vectors on its scratch of the shared memory, and sends them. */
import { parentPort, workerData } from 'node:worker_threads';
import { inferRows, type FoldInWorkerData } from './fold-in.js';
import { PvDbowKernel } from './pv-dbow-kernel.js';

const data = workerData as FoldInWorkerData;
const vectors = inferRows(new PvDbowKernel(data.memory), data.layout, data.tables, data.rows, data.thread);
parentPort?.postMessage(vectors, [vectors.buffer as ArrayBuffer]);
