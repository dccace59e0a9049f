/**
 * Progress reporting. Long work takes an optional callback; the CLI turns the events into a
 * progress bar and the library user (or the HTTP service) can ignore them.
 */
export interface ProgressEvent {
  /** What is being done, e.g. "reading train/pos" or "downloading". */
  readonly task: string;
  /** Units done so far (files, bytes, samples). */
  readonly done: number;
  /** Units in all, when known. */
  readonly total?: number;
  /** The unit of `done` and `total`, for display. */
  readonly unit?: string;
}

/** Told of each step of long work (reading, training, scoring); the CLI draws a progress bar from it. */
export type ProgressCallback = (event: ProgressEvent) => void;
