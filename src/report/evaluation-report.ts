/** The report of `polarity evaluate --report`: scores, the confusion matrix and (given scores) the ROC curve. */
import type { ClassificationMetrics } from '../experiments/metrics.js';
import { confusionMatrixChart, rocCurveChart, type RocData } from './evaluation-charts.js';
import type { ReportItem, Report } from './report.js';

export interface EvaluationReportOptions {
  /** What was evaluated, e.g. "cnn model in models/cnn". */
  readonly model: string;
  /** The ROC curve of the positive label, when the evaluation kept each example's score. */
  readonly roc?: RocData & { readonly positiveLabel: string };
  readonly command?: string;
  readonly created?: Date;
}

export function evaluationReport(metrics: ClassificationMetrics, options: EvaluationReportOptions): Report {
  const two = metrics.labels.length === 2;
  const charts: ReportItem[] = [
    {
      kind: 'chart',
      name: 'confusion-matrix',
      spec: confusionMatrixChart(metrics.labels, metrics.confusion),
      caption: 'Rows are the true labels, columns the predicted ones; the diagonal holds the right answers.',
    },
  ];
  if (options.roc) {
    charts.push({
      kind: 'chart',
      name: 'roc-curve',
      spec: rocCurveChart(options.roc, { positiveLabel: options.roc.positiveLabel }),
      caption:
        'Each point is one decision threshold on the score of the positive label; the dashed diagonal is guessing.',
    });
  }
  return {
    title: `Evaluation: ${options.model}`,
    command: options.command,
    created: options.created,
    sections: [
      {
        heading: 'Scores',
        text: `${metrics.examples.toLocaleString('en-US')} test reviews.`,
        items: [
          {
            kind: 'table',
            name: 'scores',
            title: 'Scores',
            caption: two
              ? `Precision, recall and F1 of the label "${metrics.labels[1]}".`
              : 'Precision, recall and F1 are averages over the labels (macro).',
            table: {
              columns: [
                { key: 'metric', title: 'metric' },
                { key: 'value', title: 'value', decimals: 4 },
              ],
              rows: [
                { metric: 'accuracy', value: metrics.accuracy },
                { metric: 'precision', value: metrics.precision },
                { metric: 'recall', value: metrics.recall },
                { metric: 'F1', value: metrics.f1 },
                ...(options.roc ? [{ metric: 'ROC AUC', value: options.roc.auc }] : []),
              ],
            },
          },
          {
            kind: 'table',
            name: 'per-label',
            title: 'Per label',
            table: {
              columns: [
                { key: 'label', title: 'label' },
                { key: 'precision', title: 'precision', decimals: 4 },
                { key: 'recall', title: 'recall', decimals: 4 },
                { key: 'f1', title: 'F1', decimals: 4 },
                { key: 'support', title: 'reviews' },
              ],
              rows: metrics.perLabel.map((p) => ({ ...p })),
            },
          },
        ],
      },
      { heading: options.roc ? 'Confusion matrix and ROC curve' : 'Confusion matrix', items: charts },
    ],
  };
}
