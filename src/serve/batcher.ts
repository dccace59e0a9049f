/**
 * Micro-batching: requests that arrive while the model is busy are scored together in one call to
 * `predict`, which is much cheaper per text for the neural models than one call per request.
 *
 * A batch holds at most `maxBatch` texts. A request larger than the room left is split: the part that
 * fits goes into this batch and the rest waits at the back of the queue, so one large request (an
 * occlusion explanation scores hundreds of texts) shares the model with the small ones arriving
 * behind it instead of holding them up. Between batches the queue yields to the event loop, so that
 * requests that arrived meanwhile are read and join the next batch.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Prediction } from '../models/classifier.js';
import type { PredictFunction } from '../explain/occlusion.js';

export interface BatcherOptions {
  /** Most texts in one call to `predict`. */
  readonly maxBatch: number;
  /** Called after each batch with the number of texts it held (for metrics). */
  readonly onBatch?: (texts: number) => void;
}

interface Job {
  readonly texts: readonly string[];
  readonly results: Prediction[];
  /** Texts of this job handed to a batch so far. */
  taken: number;
  /** Texts of this job scored so far. */
  scored: number;
  failed: boolean;
  readonly resolve: (predictions: Prediction[]) => void;
  readonly reject: (error: unknown) => void;
}

interface Slice {
  readonly job: Job;
  readonly from: number;
  readonly count: number;
}

export class PredictionBatcher {
  private readonly queue: Job[] = [];
  private running = false;
  private waiting = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly score: PredictFunction,
    private readonly options: BatcherOptions,
  ) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
  }

  /** Texts queued and not yet scored. */
  get pendingTexts(): number {
    return this.waiting;
  }

  /** Scores `texts` (in a batch with others) and resolves with their predictions, in order. */
  predict = (texts: readonly string[]): Promise<Prediction[]> => {
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise<Prediction[]>((resolve, reject) => {
      this.queue.push({
        texts,
        results: new Array(texts.length),
        taken: 0,
        scored: 0,
        failed: false,
        resolve,
        reject,
      });
      this.waiting += texts.length;
      if (!this.running) {
        this.running = true;
        void this.run();
      }
    });
  };

  /**
   * Rejects every job still waiting with `error` and drops its texts; the batch being scored
   * finishes. Used when the service stops on its deadline, so that it need not score texts whose
   * clients are gone.
   */
  cancelQueued(error: unknown): void {
    for (const job of [...this.queue]) this.fail(job, error);
  }

  /** Resolves once nothing is queued or being scored. */
  drained(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async run(): Promise<void> {
    // Let the requests that arrived in this turn of the event loop join the first batch.
    await nextTurn();
    while (this.queue.length > 0) {
      const slices = this.nextBatch();
      const texts = slices.flatMap(({ job, from, count }) => job.texts.slice(from, from + count));
      try {
        const predictions = await this.score(texts);
        let offset = 0;
        for (const { job, from, count } of slices) {
          for (let i = 0; i < count; i++) job.results[from + i] = predictions[offset + i];
          offset += count;
          job.scored += count;
          if (job.scored === job.texts.length && !job.failed) job.resolve(job.results);
        }
      } catch (error) {
        for (const { job } of slices) this.fail(job, error);
      }
      this.waiting -= texts.length;
      this.options.onBatch?.(texts.length);
      await nextTurn();
    }
    this.running = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Takes up to maxBatch texts from the front of the queue; a job that does not fit goes to the back. */
  private nextBatch(): Slice[] {
    const slices: Slice[] = [];
    let room = this.options.maxBatch;
    while (room > 0 && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      const count = Math.min(room, job.texts.length - job.taken);
      slices.push({ job, from: job.taken, count });
      job.taken += count;
      room -= count;
      if (job.taken < job.texts.length) this.queue.push(job);
    }
    return slices;
  }

  /** Rejects a job and drops its unscored texts from the queue. */
  private fail(job: Job, error: unknown): void {
    if (job.failed) return;
    job.failed = true;
    const index = this.queue.indexOf(job);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.waiting -= job.texts.length - job.taken;
    }
    job.reject(error);
  }
}
