/**
 * The data `train()` and `evaluate()` take: a path in any format `loadDataset` reads, labelled
 * examples, parallel lists of texts and labels, or a whole `Dataset`. In-memory data is checked here
 * (equal lengths, text and label strings, labels a dataset lists but no example has), so that a
 * mistake is refused with a DatasetError before anything trains.
 */
import { checkDatasetLabels, labelsOf } from '../data/dataset-labels.js';
import type { Dataset, Example } from '../data/types.js';
import { DatasetError } from '../errors.js';

/** Parallel lists: `labels[i]` is the label of `texts[i]`. */
export interface TextsAndLabels {
  readonly texts: readonly string[];
  readonly labels: readonly string[];
}

/**
 * Labelled data: a file or folder (CSV, TSV, JSON Lines, fastText lines, a folder per label, the
 * IMDB archive), examples, parallel texts and labels, or a `Dataset` with its own splits.
 */
export type DataInput = string | readonly Example[] | TextsAndLabels | Dataset;

/** The name a dataset built from in-memory data gets, for messages. */
const IN_MEMORY = 'the data given';

function isDataset(data: Exclude<DataInput, string>): data is Dataset {
  return !Array.isArray(data) && 'train' in data && 'test' in data;
}

/** The examples of in-memory data that is not a `Dataset`, each checked. */
export function examplesOf(data: readonly Example[] | TextsAndLabels): Example[] {
  if (!Array.isArray(data)) {
    const { texts, labels } = data as TextsAndLabels;
    if (!Array.isArray(texts) || !Array.isArray(labels)) {
      throw new DatasetError(`${IN_MEMORY}: texts and labels must both be arrays of strings`);
    }
    if (texts.length !== labels.length) {
      throw new DatasetError(
        `${IN_MEMORY}: ${texts.length} texts but ${labels.length} labels; each text needs one label`,
      );
    }
    return texts.map((text, i) => checked({ text, label: labels[i] }, i));
  }
  return (data as readonly Example[]).map(checked);
}

function checked(example: Example, index: number): Example {
  if (typeof example?.text !== 'string' || typeof example.label !== 'string') {
    throw new DatasetError(`${IN_MEMORY}: example ${index + 1} needs a text and a label, both strings`);
  }
  if (example.label === '') throw new DatasetError(`${IN_MEMORY}: example ${index + 1} has an empty label`);
  return example;
}

/**
 * In-memory data as a `Dataset` to train on: examples become its training split; a `Dataset` is
 * taken as it is, once its labels are checked against its examples.
 * @throws DatasetError for mismatched lists, a non-string text or label, no examples, or labels that
 *   do not match the examples.
 */
export function trainingDataset(data: Exclude<DataInput, string>): Dataset {
  let dataset: Dataset;
  if (isDataset(data)) {
    dataset = data;
  } else {
    const train = examplesOf(data);
    dataset = { name: IN_MEMORY, labels: labelsOf(train), train, test: [] };
  }
  if (dataset.train.length === 0) throw new DatasetError(`${dataset.name}: no training examples`);
  checkDatasetLabels(dataset);
  return dataset;
}

/** The examples to score of in-memory data: all of them, or a `Dataset`'s test split. */
export function evaluationExamples(data: Exclude<DataInput, string>): readonly Example[] {
  if (isDataset(data)) return data.test;
  return examplesOf(data);
}
