/**
 * The labels a `Dataset` lists must be exactly those its examples carry: a listed label without a
 * training example would be an output no model can learn (and a class that skews every probability),
 * an example with an unlisted label would have no output at all. Data read from a file gets its
 * labels from its rows; a dataset built in memory is checked here.
 */
import { DatasetError } from '../errors.js';
import type { Dataset, Example } from './types.js';

/** The distinct labels of `examples`, sorted, as a `Dataset` lists them (label indices stay stable). */
export function labelsOf(examples: readonly Example[]): string[] {
  return [...new Set(examples.map((example) => example.label))].sort();
}

/**
 * Refuses a dataset whose `labels` list a label none of its training examples has, list one twice,
 * or miss a label its examples (training or test) carry.
 * @throws DatasetError naming the dataset and the labels at fault.
 */
export function checkDatasetLabels(dataset: Dataset): void {
  const listed = new Set(dataset.labels);
  if (listed.size !== dataset.labels.length) {
    throw new DatasetError(`${dataset.name}: its labels list a label twice: ${dataset.labels.join(', ')}`);
  }
  const trained = new Set(dataset.train.map((example) => example.label));
  const absent = dataset.labels.filter((label) => !trained.has(label));
  if (absent.length > 0) {
    throw new DatasetError(
      `${dataset.name}: its labels list ${quoted(absent)}, which no training example has`,
    );
  }
  const unlisted = labelsOf([...dataset.train, ...dataset.test]).filter((label) => !listed.has(label));
  if (unlisted.length > 0) {
    throw new DatasetError(
      `${dataset.name}: examples carry ${quoted(unlisted)}, which its labels do not list`,
    );
  }
}

function quoted(labels: readonly string[]): string {
  return labels.map((label) => `"${label}"`).join(', ');
}
