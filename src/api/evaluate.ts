/** `evaluate()`: a classifier scored on labelled data, from a path or from memory. */
import { loadDataset, type LoadDatasetOptions } from '../data/load-dataset.js';
import type { Example } from '../data/types.js';
import { DatasetError } from '../errors.js';
import { evaluateClassifier, type EvaluateOptions, type EvaluationReport } from '../experiments/evaluate.js';
import type { Classifier } from '../models/classifier.js';
import { evaluationExamples, type DataInput } from './data.js';

/** How `evaluate()` scores: as `evaluateClassifier`, and how to read a path. */
export interface EvaluateDataOptions extends EvaluateOptions {
  /** How to read `data` when it is a path (its format, label map, …). */
  readonly dataOptions?: LoadDatasetOptions;
}

/**
 * Scores `classifier` on `data` and compares with its labels: accuracy, precision, recall and F1 per
 * label, ROC AUC, log loss, the confusion matrix. A path is scored on its test split (a file without
 * splits: every row); examples or texts and labels: all of them; a `Dataset`: its test split.
 * @throws DatasetError for unreadable data, no examples, or a label the classifier does not know.
 */
export async function evaluate(
  classifier: Classifier,
  data: DataInput,
  options: EvaluateDataOptions = {},
): Promise<EvaluationReport> {
  const examples =
    typeof data === 'string' ? await testExamples(classifier, data, options) : evaluationExamples(data);
  const known = new Set(classifier.labels);
  const unknown = examples.find((example) => !known.has(example.label));
  if (unknown !== undefined) {
    throw new DatasetError(
      `the data given has the label "${unknown.label}", which the model does not know (its labels: ${classifier.labels.join(', ')})`,
    );
  }
  if (examples.length === 0) throw new DatasetError('the data given has no examples to evaluate');
  return evaluateClassifier(classifier, examples, options);
}

/** The test split of the data at `path`, read as `polarity evaluate` reads it. */
async function testExamples(
  classifier: Classifier,
  path: string,
  options: EvaluateDataOptions,
): Promise<readonly Example[]> {
  const { dataset } = await loadDataset(path, {
    ...options.dataOptions,
    unsplit: 'test',
    splits: ['test'],
    knownLabels: classifier.labels,
    knownLabelsFrom: "the model's labels",
  });
  return dataset.test;
}
