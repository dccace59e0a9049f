import type { EvaluationReport } from './evaluate.js';

/**
 * The few numbers cross-validation and hyper-parameter search compare runs by. `precision`,
 * `recall` and `f1` are of the positive label for two labels and macro averages otherwise (as in
 * `ClassificationMetrics`); `macroF1` is always the macro average.
 */
export const HEADLINE_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'macroF1',
  'rocAuc',
  'logLoss',
] as const;
export type HeadlineMetric = (typeof HEADLINE_METRICS)[number];

/** Each headline metric's value; null where it is undefined (ROC AUC with one label present). */
export type HeadlineMetrics = Readonly<Record<HeadlineMetric, number | null>>;

/** Whether a smaller value of `metric` is better (log loss) rather than a larger one. */
export function lowerIsBetter(metric: HeadlineMetric): boolean {
  return metric === 'logLoss';
}

export function headlineMetrics(report: EvaluationReport): HeadlineMetrics {
  return {
    accuracy: report.accuracy,
    precision: report.precision,
    recall: report.recall,
    f1: report.f1,
    macroF1: report.macro.f1,
    rocAuc: report.rocAuc,
    logLoss: report.logLoss,
  };
}

/** Mean and sample standard deviation (n − 1) of the defined values; null where there are too few. */
export interface Spread {
  readonly mean: number | null;
  readonly std: number | null;
}

export function spread(values: readonly (number | null)[]): Spread {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length === 0) return { mean: null, std: null };
  const mean = defined.reduce((a, b) => a + b, 0) / defined.length;
  if (defined.length === 1) return { mean, std: null };
  const squares = defined.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return { mean, std: Math.sqrt(squares / (defined.length - 1)) };
}

/** Each headline metric's spread over several runs (folds). */
export function summarizeMetrics(runs: readonly HeadlineMetrics[]): Readonly<Record<HeadlineMetric, Spread>> {
  return Object.fromEntries(HEADLINE_METRICS.map((m) => [m, spread(runs.map((r) => r[m]))])) as Record<
    HeadlineMetric,
    Spread
  >;
}
