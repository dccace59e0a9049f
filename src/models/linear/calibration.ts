/**
 * Platt calibration of one-vs-rest SVM problems: for each problem, a model trained on most of the
 * training rows scores the rest, and a sigmoid is fitted to those held-out decision values (on its
 * own training rows an SVM's margins are over-confident).
 *
 * The calibration models are independent of the final ones, so on a machine with a spare core they
 * train on a worker thread while the final models train on the calling one: on IMDB (TF-IDF top
 * 5,000 words) calibrating then costs the worker's start-up, tens of milliseconds, instead of a
 * second solve.
 */
import { availableParallelism } from 'node:os';
import { nonZeros, type SparseMatrix } from '../../text/features/sparse.js';
import { startModuleWorker } from '../../util/module-worker.js';
import { Random } from '../../util/random.js';
import { solveBinary, type DiscriminativeOptions } from './binary-problem.js';
import { fitPlatt, type PlattParameters } from './platt.js';
import { decisionValues, rowSquaredNorms } from '../../fit/sparse-ops.js';

export interface CalibrationProblem {
  /** Labels (+1 or −1) of the rows the calibration model trains on, and of the held-out rows. */
  readonly yFit: Int8Array;
  readonly yHeld: Int8Array;
  /** Seeds the solver's order of coordinates. */
  readonly seed: number;
}

export interface CalibrationTask {
  /** Rows the calibration models train on. */
  readonly fit: SparseMatrix;
  /** Rows whose decision values the sigmoids are fitted to. */
  readonly held: SparseMatrix;
  readonly problems: readonly CalibrationProblem[];
  /** How the calibration models train (usually at a looser tolerance than the final ones). */
  readonly options: DiscriminativeOptions;
  /** Row weights (class weights) of the fit and held rows; absent: all 1. */
  readonly fitWeights?: Float64Array;
  readonly heldWeights?: Float64Array;
}

/** Below this many non-zeros in the rows to fit, a worker's start-up costs more than the solve. */
const MIN_WORKER_NON_ZEROS = 1_000_000;

/** One Platt sigmoid per problem, slope only (see `PlattOptions.intercept`), on this thread. */
export function calibrateProblems(task: CalibrationTask): PlattParameters[] {
  const norms = task.options.ratioAlpha === null ? rowSquaredNorms(task.fit, 0) : undefined;
  return task.problems.map((problem) => {
    const model = solveBinary(
      task.fit,
      problem.yFit,
      task.options,
      new Random(problem.seed),
      norms,
      task.fitWeights,
    );
    const f = decisionValues(model.weights, model.bias, task.held);
    // Slope only: the final model's own decision boundary stays the label boundary.
    return fitPlatt(f, problem.yHeld, { intercept: false, weights: task.heldWeights });
  });
}

export interface CalibrateOptions {
  /**
   * Threads available, this one included (default: the cores). With 1, or for small data, the
   * calibration runs on this thread before the promise is returned; 'worker' forces a worker.
   */
  readonly threads?: number | 'worker';
}

/**
 * {@link calibrateProblems}, on a worker thread when that pays, so that the caller can train its
 * final models meanwhile. The result does not depend on where it ran; a worker that fails is
 * replaced by a run on this thread.
 */
export function calibrateAside(
  task: CalibrationTask,
  options: CalibrateOptions = {},
): Promise<PlattParameters[]> {
  const threads = options.threads ?? availableParallelism();
  const useWorker = threads === 'worker' || (threads > 1 && nonZeros(task.fit) >= MIN_WORKER_NON_ZEROS);
  if (!useWorker) return Promise.resolve(calibrateProblems(task));
  return calibrateOnWorker(task).catch(() => calibrateProblems(task));
}

/** {@link calibrateProblems} on a new worker thread, which ends when it has answered. */
export function calibrateOnWorker(task: CalibrationTask): Promise<PlattParameters[]> {
  return new Promise<PlattParameters[]>((resolve, reject) => {
    const worker = startModuleWorker(new URL('./calibration-worker.js', import.meta.url), {
      workerData: task,
    });
    worker.once('message', (result: PlattParameters[]) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`calibration worker exited with code ${code}`)));
  });
}
