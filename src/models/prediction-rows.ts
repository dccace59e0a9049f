import type { Prediction } from './classifier.js';

/**
 * The prediction of row `row` of a row-major `[rows, labels]` probability matrix: every label's
 * probability, and the first label of highest probability as the winner (the rule every family's
 * classifier follows, so that two runtimes of one model pick the same label on a tie).
 */
export function predictionOfRow(
  labels: readonly string[],
  probabilities: ArrayLike<number>,
  row: number,
): Prediction {
  const n = labels.length;
  const scores: Record<string, number> = {};
  let best = 0;
  for (let k = 0; k < n; k++) {
    scores[labels[k]] = probabilities[row * n + k];
    if (probabilities[row * n + k] > probabilities[row * n + best]) best = k;
  }
  return { label: labels[best], score: probabilities[row * n + best], scores };
}
