/**
 * Worker threads that each load the same saved model and score chunks of texts: batch prediction
 * on every core. A worker runs one chunk at a time; chunks wait in a queue for the first free worker.
 * Each worker starts its own TensorFlow.js backend with one thread (TF.js state is per thread), so N
 * workers use N cores.
 */
import { PolarityError } from '../errors.js';
import * as errors from '../errors.js';
import type { BackendName } from '../engine/backend.js';
import type { Prediction } from '../models/classifier.js';
import { startModuleWorker } from '../util/module-worker.js';
import type { Worker } from 'node:worker_threads';

export interface ScoringPoolOptions {
  /** The saved model directory each worker loads. */
  readonly model: string;
  readonly workers: number;
  readonly backend?: BackendName | 'auto';
}

/** What a worker is started with. */
export interface ScoringWorkerData {
  readonly model: string;
  readonly backend: BackendName | 'auto';
}

/** An error as it crosses threads: its class name and message. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
}

export type WorkerRequest = {
  readonly type: 'score';
  readonly id: number;
  readonly texts: readonly string[];
};
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | { readonly type: 'scored'; readonly id: number; readonly predictions: Prediction[] }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

/** Rebuilds an error from a worker, keeping Polarity's error classes so that the CLI prints them plainly. */
function deserializeError(error: SerializedError): Error {
  const classes: Readonly<Record<string, new (message: string) => PolarityError>> = {
    PolarityError: errors.PolarityError,
    DatasetError: errors.DatasetError,
    ModelFormatError: errors.ModelFormatError,
    OptionError: errors.OptionError,
    BackendError: errors.BackendError,
  };
  const Class = classes[error.name];
  return Class ? new Class(error.message) : new Error(`scoring worker: ${error.message}`);
}

interface Job {
  readonly id: number;
  readonly texts: readonly string[];
  readonly resolve: (predictions: Prediction[]) => void;
  readonly reject: (error: Error) => void;
}

export class ScoringPool {
  private readonly queue: Job[] = [];
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;
  private broken: Error | undefined;

  private constructor(private readonly workers: readonly Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
      worker.on('error', (error) => this.breakPool(error));
      worker.on('exit', (code) => this.breakPool(new Error(`a scoring worker exited with code ${code}`)));
      this.idle.push(worker);
    }
  }

  /** Starts the workers and waits until each has loaded the model; the first failure is thrown. */
  static async start(options: ScoringPoolOptions): Promise<ScoringPool> {
    const data: ScoringWorkerData = { model: options.model, backend: options.backend ?? 'auto' };
    const workers = Array.from({ length: options.workers }, () =>
      startModuleWorker(new URL('./scoring-worker.js', import.meta.url), { workerData: data }),
    );
    try {
      await Promise.all(workers.map(ready));
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    return new ScoringPool(workers);
  }

  /** Scores `texts` on the first free worker. */
  score(texts: readonly string[]): Promise<Prediction[]> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, texts, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.breakPool(new PolarityError('the scoring pool was closed'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Job;
      this.running.set(worker, job);
      const request: WorkerRequest = { type: 'score', id: job.id, texts: job.texts };
      worker.postMessage(request);
    }
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    const job = this.running.get(worker);
    if (!job || (reply.type !== 'scored' && reply.type !== 'error') || reply.id !== job.id) return;
    this.running.delete(worker);
    this.idle.push(worker);
    if (reply.type === 'scored') job.resolve(reply.predictions);
    else job.reject(deserializeError(reply.error));
    this.dispatch();
  }

  /** Fails every queued and running job; the pool takes no more. */
  private breakPool(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    for (const job of [...this.running.values(), ...this.queue.splice(0)]) job.reject(error);
    this.running.clear();
  }
}

/** Resolves when the worker has loaded its model, rejects with the reason it could not. */
function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      cleanUp();
      if (reply.type === 'ready') resolve();
      else if (reply.type === 'failed') reject(deserializeError(reply.error));
      else reject(new Error(`a scoring worker sent "${reply.type}" before it was ready`));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanUp();
      reject(new Error(`a scoring worker exited with code ${code} while loading the model`));
    };
    const cleanUp = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
