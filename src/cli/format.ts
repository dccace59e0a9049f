import type { EvaluationReport } from '../train/evaluate.js';

/** Human-readable evaluation: headline metrics and the confusion matrix. */
export function formatEvaluation(report: EvaluationReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const positive = report.labels.length === 2 ? ` (positive label: ${report.labels[1]})` : ' (macro average)';
  const width = Math.max(8, ...report.labels.map((l) => l.length + 2));
  const header = 'true \\ predicted'.padEnd(18) + report.labels.map((l) => l.padStart(width)).join('');
  const rows = report.labels.map(
    (label, t) => label.padEnd(18) + report.confusion[t].map((c) => String(c).padStart(width)).join(''),
  );
  return [
    `examples   ${report.examples}`,
    `accuracy   ${pct(report.accuracy)}`,
    `precision  ${pct(report.precision)}${positive}`,
    `recall     ${pct(report.recall)}`,
    `f1         ${pct(report.f1)}`,
    `speed      ${report.reviewsPerSecond.toFixed(0)} reviews/s (raw text, tokenizing included)`,
    '',
    'confusion matrix',
    header,
    ...rows,
  ].join('\n');
}
