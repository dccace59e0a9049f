/** Training curves: loss and accuracy per epoch, on the training data and on the validation slice. */
import type { EpochRecord } from '../models/classifier.js';
import { specHeader, type ChartSpec, type ChartTitle } from './theme.js';

const SETS = ['training', 'validation'];
const SET_COLORS = ['#4c78a8', '#f58518'];
const METRICS = ['loss', 'accuracy'];

/**
 * Two panels side by side, loss and accuracy against the epoch, a line for the training data and one for
 * the validation slice (when the run held one out). Training figures are the running mean over the epoch's
 * batches, as Keras reports them, so in early epochs they trail the validation figures taken at its end.
 */
export function trainingCurvesChart(
  history: readonly EpochRecord[],
  options: { readonly title?: ChartTitle } = {},
): ChartSpec {
  const rows = history.flatMap((r) => [
    { epoch: r.epoch, metric: 'loss', set: 'training', value: r.loss },
    { epoch: r.epoch, metric: 'accuracy', set: 'training', value: r.accuracy },
    ...(r.valLoss === undefined
      ? []
      : [{ epoch: r.epoch, metric: 'loss', set: 'validation', value: r.valLoss }]),
    ...(r.valAccuracy === undefined
      ? []
      : [{ epoch: r.epoch, metric: 'accuracy', set: 'validation', value: r.valAccuracy }]),
  ]);
  const sets = SETS.filter((set) => rows.some((r) => r.set === set));
  return {
    ...specHeader(options.title ?? 'Training curves'),
    data: { values: rows },
    facet: {
      column: {
        field: 'metric',
        type: 'nominal',
        sort: METRICS,
        title: null,
        header: { labelExpr: "datum.value === 'loss' ? 'loss (cross-entropy)' : 'accuracy'" },
      },
    },
    spec: {
      width: 300,
      height: 220,
      mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 },
      encoding: {
        x: {
          field: 'epoch',
          type: 'quantitative',
          title: 'epoch',
          scale: { domain: [1, Math.max(2, history.length)], nice: false },
          axis: { tickMinStep: 1, format: 'd' },
        },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: {
          field: 'set',
          type: 'nominal',
          scale: { domain: sets, range: sets.map((set) => SET_COLORS[SETS.indexOf(set)]) },
          title: null,
          legend: { orient: 'bottom', direction: 'horizontal' },
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}
