import { Option } from 'commander';
import { checkLabelCounts, MIN_TRAINING_EXAMPLES, reportLabelFindings } from '../data/label-check.js';
import type { DataReport } from '../data/load-dataset.js';
import type { Example } from '../data/types.js';

/** `--strict-labels`, for commands that read labelled data (train, evaluate); `what` says when it fails. */
export function strictLabelsOption(what: string): Option {
  return new Option('--strict-labels', `refuse the data (exit 1) instead of warning when ${what}`).default(
    false,
  );
}

export const TRAIN_LABELS_HELP = `a label has fewer than ${MIN_TRAINING_EXAMPLES} training examples, or test rows were left out (--on-error skip) for a label the training split lacks`;
export const EVALUATE_LABELS_HELP = 'rows were left out (--on-error skip) for labels the model does not know';

/**
 * Warns on stderr about labels with too few training examples in `train` and about the rows the
 * read left out for unknown labels, or refuses them all with `strict` (see data/label-check.ts).
 */
export function checkLabelsForCli(
  train: readonly Example[],
  report: DataReport,
  options: { readonly strict: boolean; readonly unknownMeans: string },
): void {
  reportLabelFindings(checkLabelCounts(train, report.problems), {
    ...options,
    data: report.path,
    warn: (line) => process.stderr.write(`${line}\n`),
  });
}
