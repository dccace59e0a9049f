/**
 * Out-of-fold predictions for the ensemble's weights (k-fold cross-fitting, as scikit-learn's
 * StackingClassifier does with `cross_val_predict`): the training split is cut into k stratified
 * folds; for each fold, every member is trained on the other folds and predicts this one. Each
 * training example is then predicted by members that never saw it, so the weights learnt on those
 * predictions reward members that generalise, not members that remember their training texts.
 */
import type { Dataset, Example } from '../../data/types.js';
import { stratifiedKFold } from '../../fit/stratified-folds.js';
import { Random } from '../../util/random.js';
import type { Classifier, FitOptions, Trainer } from '../classifier.js';

/** A member as cross-fitting sees it: what to call it in progress, and how to train it again. */
export interface FoldTrainer {
  readonly name: string;
  readonly trainer: Trainer;
}

/**
 * For each member, the probabilities of every training example (row-major, `labels.length` per
 * example, in the order of `dataset.train`) from that member trained without the example's fold.
 * Each fold's members are disposed of as soon as they have predicted.
 */
export async function outOfFoldProbabilities(
  members: readonly FoldTrainer[],
  dataset: Dataset,
  folds: number,
  seed: number,
  fit: FitOptions,
): Promise<Float64Array[]> {
  const labels = [...dataset.labels];
  const examples = dataset.train;
  const out = members.map(() => new Float64Array(examples.length * labels.length));
  const foldIndices = stratifiedKFold(examples, folds, new Random(seed));
  for (const [f, held] of foldIndices.entries()) {
    const heldSet = new Set(held);
    const train = examples.filter((_, i) => !heldSet.has(i));
    const heldExamples = held.map((i) => examples[i]);
    for (const [m, member] of members.entries()) {
      fit.onProgress?.({ task: `training ${member.name} (weights fold ${f + 1}/${folds})`, done: 0 });
      const classifier = await member.trainer.fit({ ...dataset, train }, fit);
      try {
        const rows = await probabilityRows(classifier, heldExamples, labels);
        held.forEach((index, row) =>
          out[m].set(rows.subarray(row * labels.length, (row + 1) * labels.length), index * labels.length),
        );
      } finally {
        classifier.dispose();
      }
    }
  }
  return out;
}

/** A classifier's probabilities for `examples`, row-major in the order of `labels`. */
export async function probabilityRows(
  classifier: Classifier,
  examples: readonly Example[],
  labels: readonly string[],
): Promise<Float64Array> {
  const predictions = await classifier.predict(examples.map((e) => e.text));
  const out = new Float64Array(examples.length * labels.length);
  predictions.forEach((p, i) =>
    labels.forEach((label, k) => (out[i * labels.length + k] = p.scores[label] ?? 0)),
  );
  return out;
}
