/** Classification metrics from true and predicted label indices. */
export interface ClassificationMetrics {
  readonly labels: readonly string[];
  readonly examples: number;
  readonly accuracy: number;
  /** For two labels: precision, recall and F1 of the second label (the "positive" one). Otherwise macro averages. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Unweighted means over the labels, whatever their number: each label counts the same, however rare. */
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** `confusion[t][p]`: examples of true label t predicted as p. */
  readonly confusion: number[][];
  readonly perLabel: readonly {
    label: string;
    precision: number;
    recall: number;
    f1: number;
    support: number;
  }[];
}

export function classificationMetrics(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: readonly string[],
): ClassificationMetrics {
  if (truth.length !== predicted.length) {
    throw new Error(`truth has ${truth.length} entries but predictions have ${predicted.length}`);
  }
  const n = labels.length;
  const confusion = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perLabel = labels.map((label, k) => {
    const tp = confusion[k][k];
    const predictedK = confusion.reduce((sum, row) => sum + row[k], 0);
    const support = confusion[k].reduce((a, b) => a + b, 0);
    const precision = safeDivide(tp, predictedK);
    const recall = safeDivide(tp, support);
    return { label, precision, recall, f1: safeDivide(2 * precision * recall, precision + recall), support };
  });
  const macro = {
    precision: mean(perLabel.map((p) => p.precision)),
    recall: mean(perLabel.map((p) => p.recall)),
    f1: mean(perLabel.map((p) => p.f1)),
  };
  const summary = n === 2 ? perLabel[1] : macro;
  return {
    labels,
    examples: truth.length,
    accuracy: safeDivide(correct, truth.length),
    precision: summary.precision,
    recall: summary.recall,
    f1: summary.f1,
    macro,
    confusion,
    perLabel,
  };
}

function safeDivide(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
