/** Charts of a model's test-set scores: the confusion matrix and the ROC curve. */
import { formatValue } from './dataset-charts.js';
import { specHeader, type ChartSpec, type ChartTitle } from './theme.js';

/**
 * A heat map of `confusion[t][p]` (examples of true label t predicted as p), each cell holding its count and
 * its share of the true label's examples, so that the diagonal reads as per-label recall.
 */
export function confusionMatrixChart(
  labels: readonly string[],
  confusion: readonly (readonly number[])[],
  options: { readonly title?: ChartTitle } = {},
): ChartSpec {
  if (confusion.length !== labels.length || confusion.some((row) => row.length !== labels.length)) {
    throw new RangeError(
      `the confusion matrix must be ${labels.length} × ${labels.length}, one row per label`,
    );
  }
  const largest = Math.max(1, ...confusion.flat());
  const cells = confusion.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => ({
      truth: labels[t],
      predicted: labels[p],
      count,
      text: `${formatValue(count)}\n${total === 0 ? '–' : `${((100 * count) / total).toFixed(1)}%`}`,
      dark: count > largest / 2,
    }));
  });
  const size = Math.max(60, Math.min(120, 480 / labels.length));
  const x = { field: 'predicted', type: 'nominal' as const, sort: [...labels], title: 'predicted label' };
  const y = { field: 'truth', type: 'nominal' as const, sort: [...labels], title: 'true label' };
  return {
    ...specHeader(
      options.title ?? {
        text: 'Confusion matrix',
        subtitle: 'count, and share of the true label’s examples',
      },
    ),
    data: { values: cells },
    width: { step: size },
    height: { step: size },
    encoding: { x: { ...x, axis: { labelAngle: 0, orient: 'top' } }, y },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            scale: { scheme: 'blues', domainMin: 0 },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 13, lineBreak: '\n', lineHeight: 17 },
        encoding: {
          text: { field: 'text' },
          color: { condition: { test: 'datum.dark', value: 'white' }, value: '#222' },
        },
      },
    ],
  };
}

/** A ROC curve: true-positive rate against false-positive rate as the decision threshold falls. */
export interface RocData {
  readonly fpr: ArrayLike<number>;
  readonly tpr: ArrayLike<number>;
  /** Area under the curve, shown in the title. */
  readonly auc: number;
}

/**
 * The ROC curve with the chance diagonal. A curve over every distinct score of a 25,000-review test set has
 * thousands of points; points closer than `resolution` (in both rates) to the last one kept are dropped,
 * which no reader can see at chart size but keeps the SVG small.
 */
export function rocCurveChart(
  roc: RocData,
  options: {
    readonly title?: ChartTitle;
    readonly positiveLabel?: string;
    readonly resolution?: number;
  } = {},
): ChartSpec {
  if (roc.fpr.length !== roc.tpr.length) {
    throw new RangeError(`fpr has ${roc.fpr.length} points but tpr has ${roc.tpr.length}`);
  }
  const points = thinCurve(roc.fpr, roc.tpr, options.resolution ?? 0.002);
  const title = `ROC curve, AUC ${roc.auc.toFixed(4)}`;
  return {
    ...specHeader(
      options.title ??
        (options.positiveLabel === undefined
          ? title
          : { text: title, subtitle: `positive label: ${options.positiveLabel}` }),
    ),
    width: 320,
    height: 320,
    layer: [
      {
        data: {
          values: [
            { fpr: 0, tpr: 0 },
            { fpr: 1, tpr: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999', strokeWidth: 1 },
        encoding: {
          x: { field: 'fpr', type: 'quantitative' },
          y: { field: 'tpr', type: 'quantitative' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'line', color: '#4c78a8', strokeWidth: 2, interpolate: 'linear' },
        encoding: {
          x: {
            field: 'fpr',
            type: 'quantitative',
            title: 'false-positive rate',
            scale: { domain: [0, 1] },
            axis: { labelFlush: false },
            sort: null,
          },
          y: {
            field: 'tpr',
            type: 'quantitative',
            title: 'true-positive rate',
            scale: { domain: [0, 1] },
            axis: { labelFlush: false },
          },
          order: { field: 'index', type: 'quantitative' },
        },
      },
    ],
  };
}

function thinCurve(
  fpr: ArrayLike<number>,
  tpr: ArrayLike<number>,
  resolution: number,
): { fpr: number; tpr: number; index: number }[] {
  const points: { fpr: number; tpr: number; index: number }[] = [];
  const n = fpr.length;
  for (let i = 0; i < n; i++) {
    const last = points[points.length - 1];
    const far =
      last === undefined ||
      i === n - 1 ||
      Math.abs(fpr[i] - last.fpr) >= resolution ||
      Math.abs(tpr[i] - last.tpr) >= resolution;
    if (far) points.push({ fpr: fpr[i], tpr: tpr[i], index: points.length });
  }
  return points;
}
