import type { EpochRecord } from '../models/classifier.js';
import type { EvaluationReport } from '../experiments/evaluate.js';
import type { HeadlineMetric, Spread } from '../experiments/headline-metrics.js';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * Human-readable evaluation: headline metrics, precision / recall / F1 per label with the macro
 * average, the confusion matrix and, when the report has them, the most confident mistakes.
 */
export function formatEvaluation(report: EvaluationReport): string {
  const positive = report.labels.length === 2 ? ` (positive label: ${report.labels[1]})` : ' (macro average)';
  const auc = report.labels.length === 2 ? '' : ' (macro one-vs-rest)';
  const width = Math.max(8, ...report.labels.map((l) => l.length + 2));
  const header = 'true \\ predicted'.padEnd(18) + report.labels.map((l) => l.padStart(width)).join('');
  const rows = report.labels.map(
    (label, t) => label.padEnd(18) + report.confusion[t].map((c) => String(c).padStart(width)).join(''),
  );
  const lines = [
    `examples   ${report.examples}`,
    `accuracy   ${pct(report.accuracy)}`,
    `precision  ${pct(report.precision)}${positive}`,
    `recall     ${pct(report.recall)}`,
    `f1         ${pct(report.f1)}`,
    `roc auc    ${report.rocAuc === null ? 'n/a (one label only)' : report.rocAuc.toFixed(4)}${auc}`,
    `log loss   ${report.logLoss.toFixed(4)}`,
    `speed      ${report.reviewsPerSecond.toFixed(0)} reviews/s (raw text, tokenizing included)`,
    '',
    table([
      ['', 'precision', 'recall', 'f1', 'support'],
      ...report.perLabel.map((p) => [p.label, pct(p.precision), pct(p.recall), pct(p.f1), String(p.support)]),
      ['macro avg', pct(report.macro.precision), pct(report.macro.recall), pct(report.macro.f1), ''],
    ]),
    '',
    'confusion matrix',
    header,
    ...rows,
  ];
  if (report.mistakes.length > 0) {
    lines.push('', `most confident mistakes (${report.mistakes.length} shown)`);
    report.mistakes.forEach((m, i) => {
      const where = m.id === undefined ? `example ${m.index}` : `example ${m.index} (id ${m.id})`;
      lines.push(
        `${String(i + 1).padStart(3)}. ${m.trueLabel} predicted ${m.predictedLabel} at ${m.score.toFixed(4)}  ${where}`,
        `     ${m.excerpt}`,
      );
    });
  }
  return lines.join('\n');
}

/**
 * Rows of cells as aligned columns, two spaces apart: the first column left-aligned (names), the
 * others right-aligned (numbers). Trailing spaces are trimmed.
 */
export function table(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Column titles of the headline metrics. */
export const METRIC_TITLES: Readonly<Record<HeadlineMetric, string>> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  macroF1: 'macro f1',
  rocAuc: 'roc auc',
  logLoss: 'log loss',
};

/** Rates as percentages, ROC AUC and log loss as four decimals; "n/a" where undefined. */
export function formatMetric(metric: HeadlineMetric, value: number | null): string {
  if (value === null) return 'n/a';
  return isRate(metric) ? pct(value) : value.toFixed(4);
}

/** "91.23% ± 0.35" (the spread of a rate in percentage points), "0.9612 ± 0.0021". */
export function formatSpread(metric: HeadlineMetric, spread: Spread): string {
  if (spread.mean === null) return 'n/a';
  const std =
    spread.std === null
      ? ''
      : ` ± ${(isRate(metric) ? 100 * spread.std : spread.std).toFixed(isRate(metric) ? 2 : 4)}`;
  return `${formatMetric(metric, spread.mean)}${std}`;
}

function isRate(metric: HeadlineMetric): boolean {
  return metric !== 'rocAuc' && metric !== 'logLoss';
}

/**
 * A training history as a table, Keras's metric names as column heads; `keptEpoch` (the epoch whose
 * weights the model holds, when early stopping restored them) is marked.
 */
export function formatHistory(history: readonly EpochRecord[], keptEpoch?: number): string {
  const validation = history.some((r) => r.valLoss !== undefined);
  const heads = ['epoch', 'loss', 'accuracy', ...(validation ? ['val_loss', 'val_accuracy'] : []), 'seconds'];
  const metric = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(4));
  const rows = history.map((r) => [
    `${r.epoch}${r.epoch === keptEpoch ? '*' : ''}`,
    metric(r.loss),
    metric(r.accuracy),
    ...(validation ? [metric(r.valLoss), metric(r.valAccuracy)] : []),
    r.seconds.toFixed(1),
  ]);
  const widths = heads.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padStart(widths[c])).join('  ');
  const note = keptEpoch === undefined ? [] : [`* the epoch whose weights early stopping kept`];
  return [line(heads), ...rows.map(line), ...note].join('\n');
}
