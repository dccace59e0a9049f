/**
 * Plain numbers → what a chart draws: histogram bins and box-plot summaries. Charts get these summaries
 * rather than one row per review, so that a chart of 50,000 reviews is a spec of a few hundred rows and
 * renders in milliseconds.
 */
import { lengthSummary } from '../text/corpus/stats.js';

/** A group's values: one box or one colour of a histogram (a label, a split, "all"). */
export interface ValueGroup {
  readonly group: string;
  readonly values: ArrayLike<number>;
}

/** Values of `group` in `[start, end)`; the last bin also holds values equal to its end. */
export interface HistogramBin {
  readonly group: string;
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

export interface HistogramOptions {
  /** Width of every bin. Default: a round width (1, 2 or 5 times a power of ten) giving about `bins` bins. */
  readonly binWidth?: number;
  /** Number of bins aimed at when `binWidth` is not given. Default 40. */
  readonly bins?: number;
}

/**
 * Counts each group's values in bins of one width shared by all groups, so that the groups' bars line up.
 * Bins run from the smallest value's bin to the largest's; every group has a row for every bin (0 where it
 * has none), so that a stacked chart has no gaps. No values at all gives no bins.
 */
export function histogram(groups: readonly ValueGroup[], options: HistogramOptions = {}): HistogramBin[] {
  let min = Infinity;
  let max = -Infinity;
  for (const { values } of groups) {
    for (let i = 0; i < values.length; i++) {
      if (values[i] < min) min = values[i];
      if (values[i] > max) max = values[i];
    }
  }
  if (min > max) return [];
  const width = options.binWidth ?? niceStep(max - min, options.bins ?? 40);
  if (!(width > 0)) throw new RangeError(`a histogram's bin width must be positive, got ${width}`);
  const first = Math.floor(min / width);
  const bins = Math.max(1, Math.ceil(max / width) - first);
  const rows: HistogramBin[] = [];
  for (const { group, values } of groups) {
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < values.length; i++) {
      counts[Math.min(bins - 1, Math.floor(values[i] / width) - first)]++;
    }
    counts.forEach((count, b) => {
      rows.push({ group, start: (first + b) * width, end: (first + b + 1) * width, count });
    });
  }
  return rows;
}

/** A round step (1, 2 or 5 times a power of ten) that cuts `span` into about `target` parts. */
export function niceStep(span: number, target: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].find((m) => m * power >= raw)! * power;
}

/**
 * A box plot's numbers, drawn the way matplotlib's `boxplot` (the tutorial's) draws them: the box spans the
 * quartiles, the whiskers reach the most extreme values within 1.5 times the interquartile range of the box,
 * and values beyond the whiskers are outliers.
 */
export interface BoxSummary {
  readonly group: string;
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
  readonly lowerWhisker: number;
  readonly upperWhisker: number;
  /** Distinct values beyond the whiskers, ascending (one point per value, however many share it). */
  readonly outliers: readonly number[];
  /** How many values lie beyond the whiskers. */
  readonly outlierCount: number;
}

/** The box-plot summary of one group; `null` when it has no values. Quartiles as NumPy computes them. */
export function boxSummary({ group, values }: ValueGroup): BoxSummary | null {
  const summary = lengthSummary(values);
  if (summary === null) return null;
  const reach = 1.5 * (summary.q75 - summary.q25);
  const low = summary.q25 - reach;
  const high = summary.q75 + reach;
  let lowerWhisker = summary.q25;
  let upperWhisker = summary.q75;
  const outliers = new Set<number>();
  let outlierCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < low || v > high) {
      outliers.add(v);
      outlierCount++;
    } else {
      if (v < lowerWhisker) lowerWhisker = v;
      if (v > upperWhisker) upperWhisker = v;
    }
  }
  return {
    group,
    count: values.length,
    mean: summary.mean,
    min: summary.min,
    q1: summary.q25,
    median: summary.median,
    q3: summary.q75,
    max: summary.max,
    lowerWhisker,
    upperWhisker,
    outliers: [...outliers].sort((a, b) => a - b),
    outlierCount,
  };
}
