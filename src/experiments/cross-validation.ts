import type { Dataset } from '../data/types.js';
import { DEFAULT_SEED, type Trainer, type TrainingCallbacks } from '../models/classifier.js';
import { Random } from '../util/random.js';
import { stratifiedKFold } from '../fit/stratified-folds.js';
import { evaluateClassifier, type EvaluationReport } from './evaluate.js';
import {
  headlineMetrics,
  summarizeMetrics,
  type HeadlineMetric,
  type HeadlineMetrics,
  type Spread,
} from './headline-metrics.js';

export const DEFAULT_FOLDS = 5;

// Shared with the ensemble's cross-fitted weights, so it lives in fit/; exported here as before.
export { stratifiedKFold };

/** One fold's run: trained on the other folds, scored on this one. */
export interface FoldResult {
  /** 1-based. */
  readonly fold: number;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly metrics: HeadlineMetrics;
  /** The full evaluation of the held-out fold (per-label scores, confusion matrix). */
  readonly report: EvaluationReport;
  /** Training and scoring time. */
  readonly seconds: number;
}

export interface CrossValidationResult {
  readonly folds: readonly FoldResult[];
  /** Mean and standard deviation of each metric over the folds. */
  readonly summary: Readonly<Record<HeadlineMetric, Spread>>;
}

export interface CrossValidationOptions extends TrainingCallbacks {
  /** Number of folds (default 5). */
  readonly folds?: number;
  /** Seed of the fold assignment and of every fold's training (default 42). */
  readonly seed?: number;
  readonly onFoldBegin?: (fold: number, folds: number, sizes: { train: number; test: number }) => void;
  readonly onFoldEnd?: (result: FoldResult, folds: number) => void;
}

/**
 * Stratified k-fold cross-validation on the training split (the test split is never read): for
 * each fold, a fresh trainer from `createTrainer` fits the other folds with the same seed, and
 * the fold is scored with `evaluateClassifier`. Each fold's model is disposed once scored.
 */
export async function runCrossValidation(
  createTrainer: () => Trainer | Promise<Trainer>,
  dataset: Dataset,
  options: CrossValidationOptions = {},
): Promise<CrossValidationResult> {
  const k = options.folds ?? DEFAULT_FOLDS;
  const seed = options.seed ?? DEFAULT_SEED;
  const folds = stratifiedKFold(dataset.train, k, new Random(seed));
  const results: FoldResult[] = [];
  for (let f = 0; f < k; f++) {
    const held = new Set(folds[f]);
    const train = dataset.train.filter((_, i) => !held.has(i));
    const test = folds[f].map((i) => dataset.train[i]);
    options.onFoldBegin?.(f + 1, k, { train: train.length, test: test.length });
    const started = performance.now();
    const trainer = await createTrainer();
    const classifier = await trainer.fit(
      { ...dataset, train, test: [] },
      { ...trainingCallbacks(options), seed },
    );
    let report: EvaluationReport;
    try {
      report = await evaluateClassifier(classifier, test, { onProgress: options.onProgress });
    } finally {
      classifier.dispose();
    }
    const result: FoldResult = {
      fold: f + 1,
      trainExamples: train.length,
      testExamples: test.length,
      metrics: headlineMetrics(report),
      report,
      seconds: (performance.now() - started) / 1000,
    };
    results.push(result);
    options.onFoldEnd?.(result, k);
  }
  return { folds: results, summary: summarizeMetrics(results.map((r) => r.metrics)) };
}

/** Only the training callbacks of `options`, for `Trainer.fit`. */
export function trainingCallbacks(options: TrainingCallbacks): TrainingCallbacks {
  const { onProgress, onBatchEnd, onEpochBegin, onEpochEnd } = options;
  return { onProgress, onBatchEnd, onEpochBegin, onEpochEnd };
}
