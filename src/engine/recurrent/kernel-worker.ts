/** A helper thread of kernel-threads.ts: runs parts of recurrence kernel calls until the process ends. */
import { workerData } from 'node:worker_threads';
import { KernelInstances } from './kernel-modules.js';
import { serveParts } from './part-queue.js';
import type { KernelWorkerData } from './kernel-threads.js';

const { memory, control } = workerData as KernelWorkerData;
serveParts(control, new KernelInstances(memory));
