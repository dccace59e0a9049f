/**
 * Receiver operating characteristic: how the true-positive rate grows with the false-positive rate
 * as the decision threshold on a score falls, and the area under that curve (the probability that a
 * random positive outscores a random negative, a tie counting one half).
 */

/** Points of a ROC curve, from (0, 0) at threshold +∞ to (1, 1) at the lowest score. */
export interface RocCurve {
  /** False-positive rate at each threshold. */
  readonly fpr: number[];
  /** True-positive rate at each threshold. */
  readonly tpr: number[];
  /** Scores at or above the threshold count as positive; the first is +∞ (nothing positive). */
  readonly thresholds: number[];
}

export interface RocCurveOptions {
  /**
   * Drop points that lie on a straight segment between their neighbours (default true): they
   * change neither the curve's shape nor its area, and a chart of 25,000 reviews stays small.
   */
  readonly dropIntermediate?: boolean;
}

/** Running counts at each distinct score, highest score first, with (0, 0) in front. */
interface CountCurve {
  readonly falsePositives: number[];
  readonly truePositives: number[];
  readonly thresholds: number[];
  readonly positives: number;
  readonly negatives: number;
}

/**
 * The ROC curve of `scores` against `positive` (true or 1 for a positive example). Equal scores
 * form one point, so ties move the curve diagonally instead of in an order that depends on input
 * order. Throws when the examples are all of one class, where the curve is undefined.
 */
export function rocCurve(
  positive: ArrayLike<boolean | number>,
  scores: ArrayLike<number>,
  options: RocCurveOptions = {},
): RocCurve {
  const counts = countCurve(positive, scores);
  const keep =
    options.dropIntermediate === false
      ? counts.thresholds.map((_, i) => i)
      : bendIndices(counts.falsePositives, counts.truePositives);
  return {
    fpr: keep.map((i) => counts.falsePositives[i] / counts.negatives),
    tpr: keep.map((i) => counts.truePositives[i] / counts.positives),
    thresholds: keep.map((i) => counts.thresholds[i]),
  };
}

/**
 * Area under the ROC curve of `scores` against `positive`, by the trapezoid rule over the tie-aware
 * curve (equal to the Mann-Whitney U statistic with ties counted one half, divided by P·N). 1 is a
 * perfect ranking, 0.5 chance, 0 a perfectly inverted one. Throws when the examples are all of one
 * class.
 */
export function rocAuc(positive: ArrayLike<boolean | number>, scores: ArrayLike<number>): number {
  const { falsePositives: fp, truePositives: tp, positives, negatives } = countCurve(positive, scores);
  // Twice the area in count units, summed in integers so that hand-computed cases come out exact.
  let doubleArea = 0;
  for (let i = 1; i < fp.length; i++) doubleArea += (fp[i] - fp[i - 1]) * (tp[i] + tp[i - 1]);
  return doubleArea / (2 * positives * negatives);
}

/**
 * AUC from class probabilities (`probabilities[row * numLabels + label]`) and true label indices.
 * Two labels: the AUC of the second label's probability. More: the unweighted mean of each label's
 * one-vs-rest AUC, over the labels that occur in `truth` (a label without examples has no curve).
 * Null when `truth` holds fewer than two labels.
 */
export function macroRocAuc(
  truth: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  numLabels: number,
): number | null {
  if (probabilities.length !== truth.length * numLabels) {
    throw new Error(
      `expected ${truth.length * numLabels} probabilities (${truth.length} rows × ${numLabels} labels), got ${probabilities.length}`,
    );
  }
  const present = new Set(Array.from(truth));
  if (present.size < 2) return null;
  const column = (label: number) =>
    Float64Array.from(truth, (_, row) => probabilities[row * numLabels + label]);
  const isLabel = (label: number) => Uint8Array.from(truth, (t) => (t === label ? 1 : 0));
  if (numLabels === 2) return rocAuc(isLabel(1), column(1));
  const areas = [...present].sort((a, b) => a - b).map((label) => rocAuc(isLabel(label), column(label)));
  return areas.reduce((a, b) => a + b, 0) / areas.length;
}

function countCurve(positive: ArrayLike<boolean | number>, scores: ArrayLike<number>): CountCurve {
  if (positive.length !== scores.length) {
    throw new Error(`${positive.length} labels but ${scores.length} scores`);
  }
  const order = Array.from({ length: scores.length }, (_, i) => i);
  for (const i of order) {
    if (Number.isNaN(scores[i])) throw new Error(`score ${i} is NaN`);
  }
  // Highest first; compared rather than subtracted so that infinite scores sort too.
  order.sort((a, b) => (scores[a] > scores[b] ? -1 : scores[a] < scores[b] ? 1 : 0));
  const falsePositives = [0];
  const truePositives = [0];
  const thresholds = [Infinity];
  let fp = 0;
  let tp = 0;
  for (let i = 0; i < order.length; i++) {
    if (positive[order[i]]) tp++;
    else fp++;
    // One point per distinct score: only after the last of a run of equal scores.
    if (i + 1 === order.length || scores[order[i + 1]] !== scores[order[i]]) {
      falsePositives.push(fp);
      truePositives.push(tp);
      thresholds.push(scores[order[i]]);
    }
  }
  if (tp === 0 || fp === 0) {
    throw new Error(
      `a ROC curve needs positive and negative examples; got ${tp} positive and ${fp} negative`,
    );
  }
  return { falsePositives, truePositives, thresholds, positives: tp, negatives: fp };
}

/** Indices of the first point, the last, and every point where the curve changes direction. */
function bendIndices(x: readonly number[], y: readonly number[]): number[] {
  const keep = [0];
  for (let i = 1; i < x.length - 1; i++) {
    // Collinear when the cross product of the two steps is zero (exact: counts are integers).
    const cross = (x[i] - x[i - 1]) * (y[i + 1] - y[i]) - (y[i] - y[i - 1]) * (x[i + 1] - x[i]);
    if (cross !== 0) keep.push(i);
  }
  if (x.length > 1) keep.push(x.length - 1);
  return keep;
}
