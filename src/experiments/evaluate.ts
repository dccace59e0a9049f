import type { Example } from '../data/types.js';
import type { Classifier } from '../models/classifier.js';
import type { ProgressCallback } from '../util/progress.js';
import { logLoss } from './log-loss.js';
import { classificationMetrics, type ClassificationMetrics } from './metrics.js';
import { mostConfidentMistakes, type Mistake } from './mistakes.js';
import { macroRocAuc, rocCurve, type RocCurve } from './roc.js';

export interface EvaluationReport extends ClassificationMetrics {
  /**
   * Area under the ROC curve: of the second label's probability for two labels, else the macro
   * average of one-vs-rest AUCs. Null when the examples hold fewer than two labels.
   */
  readonly rocAuc: number | null;
  /** Mean negative log-probability of the true label (nats; probabilities clipped to [1e-15, 1 − 1e-15]). */
  readonly logLoss: number;
  /** The most confident mistakes, most confident first (as many as `EvaluateOptions.mistakes` asks). */
  readonly mistakes: readonly Mistake[];
  /**
   * With `EvaluateOptions.rocCurve`, two labels and both present: the ROC curve of the second label's
   * probability (the curve `rocAuc` is the area of).
   */
  readonly rocCurve?: RocCurve;
  /** Scoring speed from raw text, tokenizing included. */
  readonly reviewsPerSecond: number;
}

/** How `evaluateClassifier` (and `evaluate`) score: batch size, mistakes to keep, the ROC curve, progress. */
export interface EvaluateOptions {
  readonly batchSize?: number;
  /** How many of the most confident mistakes to return (default 0). */
  readonly mistakes?: number;
  /** Also return the ROC curve, for a chart (two labels only; default false). */
  readonly rocCurve?: boolean;
  readonly onProgress?: ProgressCallback;
}

/** Scores `examples` with `classifier` and compares with their labels. */
export async function evaluateClassifier(
  classifier: Classifier,
  examples: readonly Example[],
  options: EvaluateOptions = {},
): Promise<EvaluationReport> {
  const batchSize = options.batchSize ?? 1000;
  const labels = classifier.labels;
  const numLabels = labels.length;
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const truth = new Int32Array(examples.length);
  const predicted = new Int32Array(examples.length);
  const probabilities = new Float64Array(examples.length * numLabels);
  const started = performance.now();
  for (let start = 0; start < examples.length; start += batchSize) {
    const batch = examples.slice(start, start + batchSize);
    const predictions = await classifier.predict(batch.map((e) => e.text));
    predictions.forEach((p, i) => {
      const t = labelIndex.get(batch[i].label);
      if (t === undefined) throw new Error(`example label "${batch[i].label}" is not one the model knows`);
      const row = start + i;
      truth[row] = t;
      predicted[row] = labelIndex.get(p.label)!;
      labels.forEach((label, k) => (probabilities[row * numLabels + k] = p.scores[label]));
    });
    options.onProgress?.({
      task: 'evaluating',
      done: start + batch.length,
      total: examples.length,
      unit: 'reviews',
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const rocAuc = macroRocAuc(truth, probabilities, numLabels);
  const curve =
    options.rocCurve && numLabels === 2 && rocAuc !== null
      ? rocCurve(
          Uint8Array.from(truth),
          Float64Array.from(truth, (_, row) => probabilities[row * 2 + 1]),
        )
      : undefined;
  return {
    ...classificationMetrics(truth, predicted, labels),
    rocAuc,
    ...(curve ? { rocCurve: curve } : {}),
    logLoss: logLoss(truth, probabilities, numLabels),
    mistakes: mostConfidentMistakes(examples, truth, predicted, probabilities, labels, options.mistakes ?? 0),
    reviewsPerSecond: examples.length / Math.max(seconds, 1e-9),
  };
}
