/** Smallest probability log loss takes, so that one confident mistake costs about 34.5 nats, not infinity. */
export const LOG_LOSS_EPSILON = 1e-15;

/**
 * Mean negative log-probability of the true label (cross-entropy, in nats): 0 for certain and right,
 * ln 2 ≈ 0.693 for a coin toss between two labels, large for confident mistakes. Probabilities are
 * `probabilities[row * numLabels + label]`, clipped to [ε, 1 − ε] as scikit-learn's `log_loss` does.
 */
export function logLoss(
  truth: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  numLabels: number,
  epsilon = LOG_LOSS_EPSILON,
): number {
  if (probabilities.length !== truth.length * numLabels) {
    throw new Error(
      `expected ${truth.length * numLabels} probabilities (${truth.length} rows × ${numLabels} labels), got ${probabilities.length}`,
    );
  }
  if (truth.length === 0) return 0;
  let sum = 0;
  for (let row = 0; row < truth.length; row++) {
    const p = probabilities[row * numLabels + truth[row]];
    sum -= Math.log(Math.min(Math.max(p, epsilon), 1 - epsilon));
  }
  return sum / truth.length;
}
