/**
 * Ensemble weights by grid search over the simplex: every combination of member weights in steps
 * of `step` that sums to one, scored by the log loss of the mixed probabilities on a validation
 * slice. Few members (2–4) make the grid small (21 points for two at 0.05, 231 for three), and a
 * grid cannot overfit the way free stacking weights can.
 */
export interface WeightSearchResult {
  readonly weights: number[];
  readonly logLoss: number;
  readonly accuracy: number;
}

/**
 * @param memberProbabilities one array per member, `numLabels` probabilities per example, row-major
 * @param truth the true label index of each example
 */
export function learnEnsembleWeights(
  memberProbabilities: readonly Float64Array[],
  truth: Int32Array,
  numLabels: number,
  step = 0.05,
): WeightSearchResult {
  const members = memberProbabilities.length;
  const units = Math.round(1 / step);
  let best: WeightSearchResult | undefined;
  for (const grid of compositions(units, members)) {
    const weights = grid.map((g) => g / units);
    const scored = score(memberProbabilities, weights, truth, numLabels);
    if (!best || scored.logLoss < best.logLoss - 1e-12) best = { weights, ...scored };
  }
  return best!;
}

function score(
  probabilities: readonly Float64Array[],
  weights: readonly number[],
  truth: Int32Array,
  numLabels: number,
): { logLoss: number; accuracy: number } {
  const epsilon = 1e-7;
  let loss = 0;
  let correct = 0;
  const mixed = new Float64Array(numLabels);
  for (let i = 0; i < truth.length; i++) {
    mixed.fill(0);
    probabilities.forEach((p, m) => {
      for (let k = 0; k < numLabels; k++) mixed[k] += weights[m] * p[i * numLabels + k];
    });
    let arg = 0;
    for (let k = 1; k < numLabels; k++) if (mixed[k] > mixed[arg]) arg = k;
    if (arg === truth[i]) correct++;
    loss -= Math.log(Math.min(Math.max(mixed[truth[i]], epsilon), 1 - epsilon));
  }
  return { logLoss: loss / truth.length, accuracy: correct / truth.length };
}

/** All ways to write `total` as an ordered sum of `parts` non-negative integers. */
function* compositions(total: number, parts: number): Generator<number[]> {
  if (parts === 1) {
    yield [total];
    return;
  }
  for (let first = 0; first <= total; first++) {
    for (const rest of compositions(total - first, parts - 1)) yield [first, ...rest];
  }
}
