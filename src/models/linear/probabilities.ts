import { ModelFormatError } from '../../errors.js';
import { plattProbability } from './platt.js';

/**
 * How a linear model's scores become probabilities that sum to one.
 * - `softmax`: one score per label that is a log-probability up to a constant (naive Bayes's joint
 *   log-likelihood), so the softmax is the exact posterior.
 * - `sigmoid`: logistic regression. One score (binary: the log-odds of the second label) or one per
 *   label (one-vs-rest); each sigmoid is a probability, and one-vs-rest ones are divided by their
 *   sum as scikit-learn does.
 * - `platt`: SVM decision values through a sigmoid per score, fitted on held-out training rows
 *   (see platt.ts), normalised like `sigmoid`.
 */
export type ProbabilityMapping =
  | { readonly type: 'softmax' }
  | { readonly type: 'sigmoid' }
  | { readonly type: 'platt'; readonly a: readonly number[]; readonly b: readonly number[] };

/** Writes `numLabels` probabilities into `out` for one row's `scores` (one per weight row). */
export function scoresToProbabilities(
  scores: Float64Array,
  mapping: ProbabilityMapping,
  numLabels: number,
  out: Float64Array,
): void {
  if (mapping.type === 'softmax') {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < numLabels; k++) max = Math.max(max, scores[k]);
    let sum = 0;
    for (let k = 0; k < numLabels; k++) sum += out[k] = Math.exp(scores[k] - max);
    for (let k = 0; k < numLabels; k++) out[k] /= sum;
    return;
  }
  const squash = (score: number, row: number): number =>
    mapping.type === 'platt'
      ? plattProbability(score, { a: mapping.a[row], b: mapping.b[row] })
      : score >= 0
        ? 1 / (1 + Math.exp(-score))
        : Math.exp(score) / (1 + Math.exp(score));
  if (scores.length === 1) {
    out[1] = squash(scores[0], 0);
    out[0] = 1 - out[1];
    return;
  }
  let sum = 0;
  for (let k = 0; k < numLabels; k++) sum += out[k] = squash(scores[k], k);
  if (sum > 0) for (let k = 0; k < numLabels; k++) out[k] /= sum;
  else out.fill(1 / numLabels, 0, numLabels);
}

/** Checks a mapping read from a manifest against the number of weight rows. */
export function validateMapping(value: unknown, rows: number, file: string): ProbabilityMapping {
  const m = value as Partial<{ type: string; a: unknown; b: unknown }> | null;
  if (m?.type === 'softmax' || m?.type === 'sigmoid') return { type: m.type };
  if (m?.type === 'platt') {
    const ok = (v: unknown): v is number[] =>
      Array.isArray(v) && v.length === rows && v.every((n) => typeof n === 'number' && Number.isFinite(n));
    if (ok(m.a) && ok(m.b)) return { type: 'platt', a: m.a, b: m.b };
    throw new ModelFormatError(
      `"probability" of type platt needs ${rows} finite values in "a" and "b"`,
      file,
    );
  }
  throw new ModelFormatError(
    `"probability" should be {"type": "softmax" | "sigmoid" | "platt"}, found ${JSON.stringify(value)}`,
    file,
  );
}
