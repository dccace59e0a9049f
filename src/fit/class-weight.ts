import { OptionError } from '../errors.js';

/**
 * How much the training examples of each label count in the loss, for imbalanced data:
 * - `'none'`: every example counts 1;
 * - `'auto'`: label k weighs n / (labels × n_k), as scikit-learn's `class_weight='balanced'`, so
 *   that each label carries the same total weight;
 * - a map from label name to weight; labels it leaves out weigh 1, as in scikit-learn.
 */
export type ClassWeightSpec = 'auto' | 'none' | Readonly<Record<string, number>>;

/** The CLI flag the messages name, so that a user of either the CLI or the library knows what to fix. */
const FLAG = '--class-weight';

/** Parses the `--class-weight` syntax: `auto`, `none`, or `label=weight` pairs such as `neg=2,pos=1`. */
export function parseClassWeight(text: string): ClassWeightSpec {
  const trimmed = text.trim();
  if (trimmed === 'auto' || trimmed === 'none') return trimmed;
  const weights: Record<string, number> = {};
  for (const pair of trimmed.split(',')) {
    const match = /^\s*([^=\s][^=]*?)\s*=\s*(\S+)\s*$/.exec(pair);
    if (!match) {
      throw new OptionError(
        `${FLAG}: expected auto, none or label=weight pairs such as neg=2,pos=1, got "${text}"`,
      );
    }
    const [, label, value] = match;
    if (Object.hasOwn(weights, label)) throw new OptionError(`${FLAG}: label "${label}" is given twice`);
    weights[label] = checkWeight(label, Number(value), value);
  }
  return weights;
}

/** Checks a spec given through the library (where no parser ran); returns it unchanged. */
export function validateClassWeight(spec: ClassWeightSpec): ClassWeightSpec {
  if (spec === 'auto' || spec === 'none') return spec;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new OptionError(`${FLAG}: expected "auto", "none" or a map from label to weight`);
  }
  for (const [label, weight] of Object.entries(spec)) checkWeight(label, weight, String(weight));
  return spec;
}

/**
 * The weight of each label (in the order of `labels`) for a training set whose label indices are
 * `y`, or null when every example counts 1 (so that callers keep their unweighted path).
 * An unknown label in a map, or `'auto'` with a label that has no training example, is an
 * OptionError.
 */
export function resolveClassWeights(
  spec: ClassWeightSpec | undefined,
  labels: readonly string[],
  y: ArrayLike<number>,
): Float64Array | null {
  if (spec === undefined || spec === 'none') return null;
  if (spec === 'auto') {
    const counts = new Float64Array(labels.length);
    for (let i = 0; i < y.length; i++) counts[y[i]]++;
    const empty = labels.findIndex((_, k) => counts[k] === 0);
    if (empty >= 0) {
      throw new OptionError(
        `${FLAG} auto: label "${labels[empty]}" has no training examples, so it has no balanced weight`,
      );
    }
    return counts.map((count) => y.length / (labels.length * count));
  }
  checkClassWeightLabels(spec, labels);
  return Float64Array.from(labels, (label) => spec[label] ?? 1);
}

/** Checks, before any work, that a map names only the dataset's labels (and valid weights). */
export function checkClassWeightLabels(spec: ClassWeightSpec | undefined, labels: readonly string[]): void {
  if (spec === undefined || spec === 'auto' || spec === 'none') return;
  validateClassWeight(spec);
  for (const label of Object.keys(spec)) {
    if (!labels.includes(label)) {
      throw new OptionError(
        `${FLAG}: unknown label "${label}"; the dataset's labels are ${labels.join(', ')}`,
      );
    }
  }
}

/** Weights by label name, as the manifest records them. */
export function classWeightRecord(labels: readonly string[], weights: Float64Array): Record<string, number> {
  return Object.fromEntries(labels.map((label, k) => [label, weights[k]]));
}

/** One weight per example: its label's. */
export function exampleWeights(weights: Float64Array, y: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: y.length }, (_, i) => weights[y[i]]);
}

function checkWeight(label: string, weight: number, text: string): number {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || !(weight > 0)) {
    throw new OptionError(`${FLAG}: the weight of "${label}" must be a positive number, got "${text}"`);
  }
  return weight;
}
