/**
 * Scoring chunks of texts on every core: this thread plus worker threads that each load the same
 * saved model.
 *
 * Like the parallel tokenizer, the pool never waits for a worker to start (a worker spends about a
 * second importing TensorFlow.js and loading the model, more on a busy machine): chunks go to this
 * thread's own classifier until workers are ready, then to whichever worker has room, and to this
 * thread only when no worker has. A worker holds up to two chunks, so that it has the next one at hand
 * while this thread is busy scoring and cannot pass it on. Each worker starts its own TensorFlow.js
 * backend with one thread (TF.js state is per thread), so the pool uses one core per thread.
 */
import type { Worker } from 'node:worker_threads';
import type { BackendName } from '../engine/backend.js';
import * as errors from '../errors.js';
import type { Prediction } from '../models/classifier.js';
import { familyModules } from '../models/families.js';
import type { OnnxGraphBytes } from '../models/onnx-classifier.js';
import { startModuleWorker } from '../util/module-worker.js';

/** Scores texts in order; the classifier on this thread. */
export type LocalScorer = (texts: readonly string[]) => Promise<Prediction[]>;

export interface ScoringPoolOptions {
  /** The saved model directory each worker loads. */
  readonly model: string;
  /** Worker threads to start, besides this thread. */
  readonly workers: number;
  readonly backend?: BackendName | 'auto';
  /**
   * `--runtime onnx`: the model's graph, built once on this thread; each worker then scores it in
   * onnxruntime with one thread, without loading the model directory or TensorFlow.js.
   */
  readonly onnx?: OnnxGraphBytes;
}

/** What a worker is started with. */
export interface ScoringWorkerData {
  readonly model: string;
  readonly backend: BackendName | 'auto';
  readonly onnx?: OnnxGraphBytes;
  /** Modules that register the families registered on this thread: a worker starts with the built-in table only. */
  readonly familyModules: readonly string[];
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
  const classes: Readonly<Record<string, new (message: string) => errors.PolarityError>> = {
    PolarityError: errors.PolarityError,
    DatasetError: errors.DatasetError,
    ModelFormatError: errors.ModelFormatError,
    OptionError: errors.OptionError,
    BackendError: errors.BackendError,
  };
  const Class = classes[error.name];
  return Class ? new Class(error.message) : new Error(`scoring worker: ${error.message}`);
}

/** Chunks a worker holds at once: the one it scores and the next. */
const WORKER_DEPTH = 2;

interface Job {
  readonly id: number;
  readonly texts: readonly string[];
  readonly resolve: (predictions: Prediction[]) => void;
  readonly reject: (error: Error) => void;
}

interface Lane {
  readonly worker: Worker;
  ready: boolean;
  readonly jobs: Map<number, Job>;
}

export class ScoringPool {
  private readonly queue: Job[] = [];
  private readonly lanes: Lane[];
  private localBusy = false;
  private nextId = 0;
  private broken: Error | undefined;

  /** Starts the workers without waiting for them; until they are ready, `local` scores everything. */
  constructor(
    options: ScoringPoolOptions,
    private readonly local: LocalScorer,
  ) {
    const data: ScoringWorkerData = {
      model: options.model,
      backend: options.backend ?? 'auto',
      onnx: options.onnx,
      familyModules: familyModules(),
    };
    this.lanes = Array.from({ length: options.workers }, () => {
      const lane: Lane = {
        worker: startModuleWorker(new URL('./scoring-worker.js', import.meta.url), { workerData: data }),
        ready: false,
        jobs: new Map(),
      };
      lane.worker.on('message', (reply: WorkerReply) => this.onReply(lane, reply));
      lane.worker.on('error', (error) => this.breakPool(error));
      lane.worker.on('exit', (code) =>
        this.breakPool(new Error(`a scoring worker exited with code ${code}`)),
      );
      return lane;
    });
  }

  /** Scores `texts` on a worker or on this thread, whichever is free first. */
  score(texts: readonly string[]): Promise<Prediction[]> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, texts, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.breakPool(new errors.PolarityError('the scoring pool was closed'));
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.broken) {
      const lane = this.roomiestLane();
      if (lane) {
        const job = this.queue.shift() as Job;
        lane.jobs.set(job.id, job);
        const request: WorkerRequest = { type: 'score', id: job.id, texts: job.texts };
        lane.worker.postMessage(request);
      } else if (!this.localBusy) {
        this.runLocally(this.queue.shift() as Job);
      } else {
        return;
      }
    }
  }

  /** The ready worker holding the fewest chunks, if one has room. */
  private roomiestLane(): Lane | undefined {
    let best: Lane | undefined;
    for (const lane of this.lanes) {
      if (!lane.ready || lane.jobs.size >= WORKER_DEPTH) continue;
      if (!best || lane.jobs.size < best.jobs.size) best = lane;
    }
    return best;
  }

  private runLocally(job: Job): void {
    this.localBusy = true;
    const done = () => {
      this.localBusy = false;
      // A linear model scores synchronously: dispatching again at once would keep this thread from
      // ever reading the workers' messages ("ready", "scored"). Let them in first.
      setImmediate(() => this.dispatch());
    };
    this.local(job.texts).then(
      (predictions) => {
        done();
        job.resolve(predictions);
      },
      (error: Error) => {
        done();
        job.reject(error);
      },
    );
  }

  private onReply(lane: Lane, reply: WorkerReply): void {
    if (reply.type === 'ready') {
      lane.ready = true;
    } else if (reply.type === 'failed') {
      this.breakPool(deserializeError(reply.error));
      return;
    } else {
      const job = lane.jobs.get(reply.id);
      if (!job) return;
      lane.jobs.delete(reply.id);
      if (reply.type === 'scored') job.resolve(reply.predictions);
      else job.reject(deserializeError(reply.error));
    }
    this.dispatch();
  }

  /** Fails every queued job and every job on a worker; the pool takes no more. */
  private breakPool(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    for (const lane of this.lanes) {
      for (const job of lane.jobs.values()) job.reject(error);
      lane.jobs.clear();
    }
    for (const job of this.queue.splice(0)) job.reject(error);
  }
}
