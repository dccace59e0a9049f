/**
 * Charts of a dataset: review length (histogram and box plot, as the Keras IMDB tutorial plots them), label
 * balance, and words per label. Each function takes plain data and returns a complete Vega-Lite spec.
 */
import type { BoxSummary, HistogramBin } from './summaries.js';
import { labelScale, specHeader, type ChartSpec, type ChartTitle } from './theme.js';

export interface LengthHistogramOptions {
  readonly title?: ChartTitle;
  /** Groups in colour order; default: the order they first appear in the bins. */
  readonly groups?: readonly string[];
  /** Title of the value axis. Default "review length (words)". */
  readonly valueTitle?: string;
  /** Vertical dashed lines, such as the mean and the median, labelled "name value" or with `label`. */
  readonly markers?: readonly { readonly name: string; readonly value: number; readonly label?: string }[];
}

/** A histogram of pre-binned counts, the groups stacked in one bar per bin. */
export function lengthHistogramChart(
  bins: readonly HistogramBin[],
  options: LengthHistogramOptions = {},
): ChartSpec {
  const groups = options.groups ?? [...new Set(bins.map((b) => b.group))];
  const step = bins.length > 0 ? bins[0].end - bins[0].start : 1;
  const valueTitle = options.valueTitle ?? 'review length (words)';
  // Labels stack downwards from the left; each line starts under its own label, so that no line crosses
  // the label of another (lines further right have lower labels).
  const markers = [...(options.markers ?? [])]
    .sort((a, b) => a.value - b.value)
    .map((m, i) => ({ ...m, text: m.label ?? `${m.name} ${formatValue(m.value)}`, top: 2 + 15 * i }));
  const height = 280;
  return {
    ...specHeader(options.title ?? 'Review length'),
    width: 560,
    height,
    layer: [
      {
        data: { values: bins.map((b) => ({ ...b })) },
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: {
            field: 'start',
            type: 'quantitative',
            bin: { binned: true, step },
            title: valueTitle,
            axis: { labelFlush: false },
          },
          x2: { field: 'end' },
          y: { field: 'count', type: 'quantitative', stack: 'zero', title: 'reviews' },
          color: { field: 'group', type: 'nominal', scale: labelScale(groups), title: null },
          order: { field: 'groupIndex', type: 'quantitative' },
        },
        transform: [{ calculate: `indexof(${JSON.stringify(groups)}, datum.group)`, as: 'groupIndex' }],
      },
      ...(markers.length === 0
        ? []
        : [
            {
              data: { values: markers.map((m) => ({ ...m, lineTop: m.top + 13 })) },
              layer: [
                {
                  mark: { type: 'rule' as const, strokeDash: [4, 3], color: '#333' },
                  encoding: {
                    x: { field: 'value', type: 'quantitative' as const },
                    y: { field: 'lineTop', type: 'quantitative' as const, scale: null },
                    y2: { value: height },
                  },
                },
                {
                  mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4 },
                  encoding: {
                    x: { field: 'value', type: 'quantitative' as const },
                    y: { field: 'top', type: 'quantitative' as const, scale: null },
                    text: { field: 'text' },
                  },
                },
              ],
            },
          ]),
    ],
  };
}

export interface BoxPlotOptions {
  readonly title?: ChartTitle;
  readonly valueTitle?: string;
  /** Groups whose box is drawn in a label's colour; the others (such as "all") are grey. */
  readonly labels?: readonly string[];
}

/** Horizontal box plots, one per group, drawn from {@link BoxSummary} numbers. */
export function boxPlotChart(boxes: readonly BoxSummary[], options: BoxPlotOptions = {}): ChartSpec {
  const order = boxes.map((b) => b.group);
  const labels = options.labels ?? [];
  const colors = labelScale(labels);
  const groupColor = (group: string) => {
    const i = colors.domain.indexOf(group);
    return i < 0 ? '#9a9a9a' : colors.range[i];
  };
  const rows = boxes.map(({ outliers: _, ...box }) => ({ ...box, color: groupColor(box.group) }));
  // One dot per half pixel at most: the 50,000 IMDB reviews have over a thousand distinct outlying lengths
  // per box, which made the SVG ten times larger with no visible difference.
  const width = 560;
  const span = Math.max(0, ...boxes.map((b) => b.max)) - Math.min(0, ...boxes.map((b) => b.min));
  const resolution = span / (2 * width);
  const snap = (v: number) =>
    resolution > 0 ? Number((Math.round(v / resolution) * resolution).toFixed(2)) : v;
  const outliers = boxes.flatMap((b) =>
    [...new Set(b.outliers.map(snap))].map((value) => ({ group: b.group, value })),
  );
  const y = { field: 'group', type: 'nominal' as const, sort: order, title: null };
  const valueTitle = options.valueTitle ?? 'review length (words)';
  return {
    ...specHeader(
      options.title ?? {
        text: 'Review length',
        subtitle: 'box: quartiles; line: median; whiskers: 1.5 × IQR; dots: reviews beyond the whiskers',
      },
    ),
    width,
    height: { step: 44 },
    layer: [
      {
        data: { values: rows },
        layer: [
          {
            mark: { type: 'rule', color: '#555' },
            encoding: {
              y,
              x: { field: 'lowerWhisker', type: 'quantitative', title: valueTitle },
              x2: { field: 'upperWhisker' },
            },
          },
          {
            mark: { type: 'bar', size: 24, stroke: '#333', strokeWidth: 0.8 },
            encoding: {
              y,
              x: { field: 'q1', type: 'quantitative' },
              x2: { field: 'q3' },
              color: { field: 'color', type: 'nominal', scale: null },
            },
          },
          {
            mark: { type: 'tick', size: 24, thickness: 2.5, color: '#111' },
            encoding: { y, x: { field: 'median', type: 'quantitative' } },
          },
        ],
      },
      {
        data: { values: outliers },
        mark: { type: 'point', size: 14, opacity: 0.5, color: '#555', strokeWidth: 0.8 },
        encoding: { y, x: { field: 'value', type: 'quantitative' } },
      },
    ],
  };
}

export interface LabelCount {
  /** A split ("train", "test") or any other grouping of the counts. */
  readonly split: string;
  readonly label: string;
  readonly count: number;
}

/** Reviews per label, side by side within each split, with the count written on each bar. */
export function labelBalanceChart(
  counts: readonly LabelCount[],
  options: { readonly title?: ChartTitle; readonly labels?: readonly string[] } = {},
): ChartSpec {
  const labels = options.labels ?? [...new Set(counts.map((c) => c.label))];
  const splits = [...new Set(counts.map((c) => c.split))];
  const x = { field: 'split', type: 'nominal' as const, sort: splits, title: null, axis: { labelAngle: 0 } };
  const xOffset = { field: 'label', type: 'nominal' as const, sort: [...labels] };
  return {
    ...specHeader(options.title ?? 'Label balance'),
    data: { values: counts.map((c) => ({ ...c, text: formatValue(c.count) })) },
    width: { step: 56 * Math.max(1, labels.length) },
    height: 240,
    encoding: {
      x,
      xOffset,
      y: { field: 'count', type: 'quantitative', title: 'reviews' },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: { color: { field: 'label', type: 'nominal', scale: labelScale(labels), title: null } },
      },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 11, color: '#333' },
        encoding: { text: { field: 'text' } },
      },
    ],
  };
}

export interface WordScore {
  readonly label: string;
  readonly word: string;
  readonly value: number;
}

export interface WordsChartOptions {
  readonly title?: ChartTitle;
  /** Label order (and colours). */
  readonly labels?: readonly string[];
  /** Title of the value axis. */
  readonly valueTitle: string;
  /** d3 format of the value axis, e.g. ".0%". */
  readonly format?: string;
}

/** One panel of horizontal bars per label, its words sorted by value, largest on top. */
export function wordsChart(words: readonly WordScore[], options: WordsChartOptions): ChartSpec {
  const labels = options.labels ?? [...new Set(words.map((w) => w.label))];
  const perLabel = Math.max(1, ...labels.map((l) => words.filter((w) => w.label === l).length));
  return {
    ...specHeader(options.title ?? 'Words per label'),
    data: { values: words.map((w) => ({ ...w })) },
    facet: { column: { field: 'label', type: 'nominal', sort: [...labels], title: null } },
    spec: {
      width: 220,
      height: { step: Math.max(12, Math.min(18, 360 / perLabel)) },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'word', type: 'nominal', sort: '-x', title: null },
        x: {
          field: 'value',
          type: 'quantitative',
          title: options.valueTitle,
          ...(options.format ? { axis: { format: options.format } } : {}),
        },
        color: { field: 'label', type: 'nominal', scale: labelScale(labels), legend: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** A number for a chart label: thousands separated, at most one decimal, the same on every machine. */
export function formatValue(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}
