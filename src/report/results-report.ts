/**
 * Reports of commands that compare runs: `polarity cv` (the folds of a cross-validation) and
 * `polarity search` (the trials of a hyper-parameter search). They take the library's result objects
 * and draw them with the generic bar and line charts.
 */
import type { CrossValidationResult } from '../experiments/cross-validation.js';
import { HEADLINE_METRICS, type HeadlineMetric } from '../experiments/headline-metrics.js';
import type { Configuration, SearchResult } from '../experiments/search.js';
import { confusionMatrixChart } from './evaluation-charts.js';
import type { Report, ReportItem } from './report.js';
import type { Table, TableColumn } from './table.js';
import { barChart, lineChart, type ChartPoint } from './table-charts.js';

export const METRIC_NAMES: Readonly<Record<HeadlineMetric, string>> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'F1',
  macroF1: 'macro F1',
  rocAuc: 'ROC AUC',
  logLoss: 'log loss',
};

/** Metrics between 0 and 1, higher better: they share one axis; log loss has a scale of its own. */
const RATES: readonly HeadlineMetric[] = ['accuracy', 'f1', 'rocAuc'];

const METRIC_COLUMNS: TableColumn[] = HEADLINE_METRICS.map((m) => ({
  key: m,
  title: METRIC_NAMES[m],
  decimals: 4,
}));

export interface ResultsReportOptions {
  /** The model family, e.g. "nbsvm". */
  readonly model: string;
  readonly command?: string;
  readonly created?: Date;
}

/** Per-fold scores, their mean ± standard deviation, and the confusion matrix summed over the folds. */
export function crossValidationReport(result: CrossValidationResult, options: ResultsReportOptions): Report {
  const k = result.folds.length;
  const points: ChartPoint[] = result.folds.flatMap((fold) =>
    RATES.flatMap((m) => {
      const value = fold.metrics[m];
      return value === null ? [] : [{ x: `fold ${fold.fold}`, y: value, series: METRIC_NAMES[m] }];
    }),
  );
  const first = result.folds[0]?.report;
  // Every training review is in exactly one held-out fold, so the folds' matrices add up to one
  // cross-validated matrix of the whole training split.
  const confusion = first
    ? first.confusion.map((row, t) =>
        row.map((_, p) => result.folds.reduce((n, f) => n + f.report.confusion[t][p], 0)),
      )
    : [];
  const items: ReportItem[] = [
    {
      kind: 'chart',
      name: 'folds',
      spec: lineChart(points, {
        title: {
          text: `${k}-fold cross-validation of ${options.model}`,
          subtitle: 'score of each held-out fold',
        },
        xTitle: 'fold',
        yTitle: 'score',
        yFormat: '.3f',
      }),
      caption: 'The spread between folds is how much a score measured on one split can be trusted.',
    },
    {
      kind: 'table',
      name: 'summary',
      title: `Mean ± standard deviation over ${k} folds`,
      table: {
        columns: [
          { key: 'metric', title: 'metric' },
          { key: 'mean', title: 'mean', decimals: 4 },
          { key: 'std', title: 'standard deviation', decimals: 4 },
        ],
        rows: HEADLINE_METRICS.map((m) => ({ metric: METRIC_NAMES[m], ...result.summary[m] })),
      },
    },
    {
      kind: 'table',
      name: 'folds',
      title: 'Folds',
      table: {
        columns: [
          { key: 'fold', title: 'fold' },
          { key: 'trainExamples', title: 'trained on' },
          { key: 'testExamples', title: 'scored on' },
          ...METRIC_COLUMNS,
          { key: 'seconds', title: 'seconds', decimals: 1 },
        ],
        rows: result.folds.map((f) => ({
          fold: f.fold,
          trainExamples: f.trainExamples,
          testExamples: f.testExamples,
          ...f.metrics,
          seconds: f.seconds,
        })),
      },
    },
  ];
  if (first) {
    items.push({
      kind: 'chart',
      name: 'confusion-matrix',
      spec: confusionMatrixChart(first.labels, confusion, {
        title: {
          text: 'Confusion matrix, all folds',
          subtitle: 'each training review scored once, when held out',
        },
      }),
    });
  }
  return {
    title: `Cross-validation: ${options.model}, ${k} folds`,
    command: options.command,
    created: options.created,
    sections: [{ heading: 'Folds', items }],
  };
}

/**
 * Every trial's validation score: against the searched value when the grid has a numeric key (one
 * line per value of a second key, if any), otherwise one bar per trial; and the table of trials.
 */
export function searchReport(result: SearchResult, options: ResultsReportOptions): Report {
  const keys = [...new Set(result.trials.flatMap((t) => Object.keys(t.configuration)))];
  const metric = result.metric;
  const name = METRIC_NAMES[metric];
  const best = result.trials.find((t) => t.trial === result.bestTrial);
  const numeric = keys.find((k) => result.trials.every((t) => typeof t.configuration[k] === 'number'));
  const others = keys.filter((k) => k !== numeric);
  const heading = `Search over ${keys.join(', ')} for ${options.model}`;
  const title = best
    ? {
        text: heading,
        subtitle: `best by ${name}: trial ${best.trial} (${describe(best.configuration)}), ${formatScore(best.metrics[metric])}`,
      }
    : heading;
  const scored = result.trials.filter((t) => t.metrics[metric] !== null);
  let spec;
  if (numeric !== undefined && others.length <= 1) {
    const values = scored.map((t) => t.configuration[numeric] as number);
    const positive = values.every((v) => v > 0);
    spec = lineChart(
      scored.map((t) => ({
        x: t.configuration[numeric] as number,
        y: t.metrics[metric]!,
        ...(others.length === 1
          ? { series: `${others[0]}=${formatParameter(t.configuration[others[0]])}` }
          : {}),
      })),
      {
        title,
        xTitle: numeric,
        yTitle: `validation ${name}`,
        // Settings tried at powers (C = 0.01 … 100) read better on a log axis.
        xLog: positive && Math.max(...values) / Math.min(...values) >= 100,
      },
    );
  } else {
    spec = barChart(
      scored.map((t) => ({ x: `${t.trial}: ${describe(t.configuration)}`, y: t.metrics[metric]! })),
      { title, xTitle: 'trial', yTitle: `validation ${name}` },
    );
  }
  const trials: Table = {
    columns: [
      { key: 'trial', title: 'trial' },
      { key: 'best', title: 'best' },
      ...keys.map((k) => ({ key: `setting ${k}`, title: k })),
      ...METRIC_COLUMNS,
      { key: 'seconds', title: 'seconds', decimals: 1 },
    ],
    rows: result.trials.map((t) => ({
      trial: t.trial,
      best: t.trial === result.bestTrial ? '*' : '',
      ...Object.fromEntries(keys.map((k) => [`setting ${k}`, formatParameter(t.configuration[k])])),
      ...t.metrics,
      seconds: t.seconds,
    })),
  };
  return {
    title: `Search: ${options.model}, ${result.trials.length} trials`,
    command: options.command,
    created: options.created,
    sections: [
      {
        heading: 'Trials',
        text:
          `Each trial trained on ${result.trainExamples.toLocaleString('en-US')} reviews and scored on ` +
          `${result.validationExamples.toLocaleString('en-US')} held out from the training split (never the test split).`,
        items: [
          { kind: 'chart', name: 'trials', spec },
          { kind: 'table', name: 'trials', title: 'Trials', table: trials },
        ],
      },
    ],
  };
}

function formatParameter(value: Configuration[string] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? `[${value.join(',')}]` : String(value);
}

function describe(configuration: Configuration): string {
  return Object.entries(configuration)
    .map(([key, value]) => `${key}=${formatParameter(value)}`)
    .join(' ');
}

function formatScore(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(4);
}
