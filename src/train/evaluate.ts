import type { Example } from '../data/types.js';
import type { Classifier } from '../models/classifier.js';
import type { ProgressCallback } from '../util/progress.js';
import { classificationMetrics, type ClassificationMetrics } from './metrics.js';

export interface EvaluationReport extends ClassificationMetrics {
  /** Scoring speed from raw text, tokenizing included. */
  readonly reviewsPerSecond: number;
}

export interface EvaluateOptions {
  readonly batchSize?: number;
  readonly onProgress?: ProgressCallback;
}

/** Scores `examples` with `classifier` and compares with their labels. */
export async function evaluateClassifier(
  classifier: Classifier,
  examples: readonly Example[],
  options: EvaluateOptions = {},
): Promise<EvaluationReport> {
  const batchSize = options.batchSize ?? 1000;
  const labelIndex = new Map(classifier.labels.map((label, i) => [label, i]));
  const truth = new Int32Array(examples.length);
  const predicted = new Int32Array(examples.length);
  const started = performance.now();
  for (let start = 0; start < examples.length; start += batchSize) {
    const batch = examples.slice(start, start + batchSize);
    const predictions = await classifier.predict(batch.map((e) => e.text));
    predictions.forEach((p, i) => {
      const t = labelIndex.get(batch[i].label);
      if (t === undefined) throw new Error(`example label "${batch[i].label}" is not one the model knows`);
      truth[start + i] = t;
      predicted[start + i] = labelIndex.get(p.label)!;
    });
    options.onProgress?.({
      task: 'evaluating',
      done: start + batch.length,
      total: examples.length,
      unit: 'reviews',
    });
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    ...classificationMetrics(truth, predicted, classifier.labels),
    reviewsPerSecond: examples.length / Math.max(seconds, 1e-9),
  };
}
