import { OptionError } from '../errors.js';
import type { Random } from '../util/random.js';

/**
 * Splits examples into `k` disjoint folds of indices that together cover them all, each holding
 * every label in about its overall proportion (a label's count per fold differs by at most one
 * between folds, and so do the fold sizes). A label's examples are shuffled with `random`, then
 * dealt to the folds in turn, each label starting where the previous one stopped. Indices in a
 * fold are ascending.
 */
export function stratifiedKFold(
  examples: readonly { readonly label: string }[],
  k: number,
  random: Random,
): number[][] {
  if (!Number.isInteger(k) || k < 2)
    throw new OptionError(`folds must be an integer of at least 2, got ${k}`);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const indices = byLabel.get(e.label);
    if (indices) indices.push(i);
    else byLabel.set(e.label, [i]);
  });
  const labels = [...byLabel.keys()].sort();
  for (const label of labels) {
    const count = byLabel.get(label)!.length;
    if (count < k) {
      throw new OptionError(
        `${k} folds need at least ${k} examples of every label, but label "${label}" has ${count}; use fewer folds`,
      );
    }
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const label of labels) {
    for (const index of random.shuffle(byLabel.get(label)!)) {
      folds[next].push(index);
      next = (next + 1) % k;
    }
  }
  return folds.map((fold) => fold.sort((a, b) => a - b));
}
