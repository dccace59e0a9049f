/**
 * Generic charts of a table of results, for commands that compare runs (cross-validation folds, a search
 * over hyper-parameters): bars per category, or lines over a numeric setting, each point optionally with an
 * error bar (a mean ± its spread over folds or seeds).
 */
import { LABEL_COLORS, specHeader, type ChartSpec, type ChartTitle } from './theme.js';

export interface ChartPoint {
  /** A category (bar charts; lines then space the categories evenly) or a number (line charts). */
  readonly x: string | number;
  readonly y: number;
  /** Which line, or which bar of a group; points without one form one series. */
  readonly series?: string;
  /** Ends of an error bar drawn around `y`. */
  readonly low?: number;
  readonly high?: number;
}

export interface XYChartOptions {
  readonly title: ChartTitle;
  readonly xTitle: string;
  readonly yTitle: string;
  /** d3 format of the y axis and the bar labels, e.g. ".2%" or ".4f". */
  readonly yFormat?: string;
  /**
   * Line charts: the y axis range. Default: fitted to the data (accuracy differences of a few tenths of a
   * point stay visible). Bar charts always start at zero, since a bar's length is its value.
   */
  readonly yDomain?: readonly [number, number];
  /** Line charts: a logarithmic x axis, for settings tried at powers (C = 0.01, 0.1, 1, 10). */
  readonly xLog?: boolean;
}

/** Bars in the order the points come, grouped by series when there is more than one, values on the bars. */
export function barChart(points: readonly ChartPoint[], options: XYChartOptions): ChartSpec {
  const categories = unique(points.map((p) => String(p.x)));
  const series = unique(points.map((p) => p.series ?? ''));
  const grouped = series.length > 1;
  const format = options.yFormat ?? '~r';
  const x = {
    field: 'x',
    type: 'nominal' as const,
    sort: categories,
    title: options.xTitle,
    axis: { labelAngle: categories.some((c) => c.length > 8) ? -30 : 0 },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: options.yTitle,
    axis: { format },
  };
  return {
    ...specHeader(options.title),
    data: { values: rows(points) },
    width: { step: grouped ? 24 * series.length + 12 : 60 },
    height: 260,
    encoding: { x, ...(grouped ? { xOffset: { field: 'series', type: 'nominal', sort: series } } : {}) },
    layer: [
      {
        mark: { type: 'bar', ...(grouped ? {} : { color: LABEL_COLORS[0] }) },
        encoding: {
          y,
          ...(grouped ? { color: { field: 'series', type: 'nominal', sort: series, title: null } } : {}),
        },
      },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 10, color: '#333' },
        encoding: { y: { field: 'top', type: 'quantitative' }, text: { field: 'y', format } },
      },
      ...errorBars(points),
    ],
  };
}

/** Lines with a point at each x, one line per series, error bars where given. */
export function lineChart(points: readonly ChartPoint[], options: XYChartOptions): ChartSpec {
  const numeric = points.every((p) => typeof p.x === 'number');
  const series = unique(points.map((p) => p.series ?? ''));
  const xValues = [...new Set(points.map((p) => Number(p.x)))].sort((a, b) => a - b);
  const categories = unique(points.map((p) => String(p.x)));
  const xScale = options.xLog ? { type: 'log' as const } : { zero: false };
  const x = numeric
    ? {
        field: 'x',
        type: 'quantitative' as const,
        title: options.xTitle,
        scale: xScale,
        // Ticks at the settings tried, when they are few: those are the values a reader looks up.
        axis: {
          ...(xValues.length <= 12 ? { values: xValues } : {}),
          labelOverlap: 'greedy' as const,
          labelSeparation: 4,
          labelFlush: false,
        },
      }
    : {
        field: 'x',
        type: 'ordinal' as const,
        title: options.xTitle,
        sort: categories,
        axis: { labelAngle: categories.some((c) => c.length > 8) ? -30 : 0 },
      };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: options.yTitle,
    axis: { format: options.yFormat ?? '~r' },
    scale: options.yDomain ? { domain: [...options.yDomain] } : { zero: false },
  };
  return {
    ...specHeader(options.title),
    data: { values: rows(points) },
    width: 420,
    height: 260,
    encoding: { x },
    layer: [
      {
        mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 },
        encoding: {
          y,
          ...(series.length > 1
            ? { color: { field: 'series', type: 'nominal', sort: series, title: null } }
            : { color: { value: LABEL_COLORS[0] } }),
        },
      },
      ...errorBars(points, series),
    ],
  };
}

function rows(points: readonly ChartPoint[]) {
  return points.map((p) => ({
    x: p.x,
    y: p.y,
    series: p.series ?? '',
    low: p.low ?? p.y,
    high: p.high ?? p.y,
    // Bar labels sit above the error bar, not inside it.
    top: Math.max(p.y, p.high ?? p.y),
  }));
}

/** Error bars from `low` to `high`, in each series' colour on lines (on bars, dark). */
function errorBars(points: readonly ChartPoint[], series: readonly string[] = []) {
  if (!points.some((p) => p.low !== undefined || p.high !== undefined)) return [];
  return [
    {
      mark: { type: 'rule' as const, strokeWidth: 1.5, ...(series.length > 1 ? {} : { color: '#222' }) },
      encoding: {
        y: { field: 'low', type: 'quantitative' as const },
        y2: { field: 'high' },
        ...(series.length > 1
          ? { color: { field: 'series', type: 'nominal' as const, sort: [...series], title: null } }
          : {}),
      },
    },
  ];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
