/**
 * Labels the data gives too little of: fewer than two training examples (a model can hardly learn
 * such a label, and no split can put it on both sides), or test rows whose label no training row
 * (or the model being evaluated) has, which were left out. The CLI prints them as warnings, or
 * refuses the data with `--strict-labels`.
 */
import { DatasetError } from '../errors.js';
import type { RowProblem } from './rows.js';
import type { Example } from './types.js';

/** Fewest training examples of a label that is not reported. */
export const MIN_TRAINING_EXAMPLES = 2;

/** A label and how many rows it has (training examples, or test rows left out). */
export interface LabelCount {
  readonly label: string;
  readonly count: number;
}

/** What `checkLabelCounts` found; both lists empty when all is well. */
export interface LabelFindings {
  /** Labels with fewer than `MIN_TRAINING_EXAMPLES` training examples. */
  readonly rare: readonly LabelCount[];
  /** Labels of test rows left out as unknown (`--on-error skip`), with the rows of each. */
  readonly unknown: readonly LabelCount[];
}

/**
 * The labels of `train` with fewer than two examples (none when `train` is empty: nothing is trained),
 * and the labels of the rows that `problems` left out as unknown, with their counts.
 */
export function checkLabelCounts(train: readonly Example[], problems: readonly RowProblem[]): LabelFindings {
  const rare = counts(train.map((example) => example.label)).filter(
    ({ count }) => count < MIN_TRAINING_EXAMPLES,
  );
  const unknown = counts(
    problems.flatMap((problem) =>
      problem.kind === 'unknown-label' && problem.label !== undefined ? [problem.label] : [],
    ),
  );
  return { rare, unknown };
}

/**
 * One sentence per finding. `unknownMeans` says what the left-out labels lacked: "the training
 * split" for `train`, "the model's labels" for `evaluate`.
 */
export function describeLabelFindings(findings: LabelFindings, unknownMeans: string): string[] {
  const sentences: string[] = [];
  if (findings.rare.length > 0) {
    sentences.push(
      `${plural(findings.rare.length, 'label')} with fewer than ${MIN_TRAINING_EXAMPLES} training examples, too few to learn from: ${listed(findings.rare)}`,
    );
  }
  if (findings.unknown.length > 0) {
    const rows = findings.unknown.reduce((sum, { count }) => sum + count, 0);
    sentences.push(
      `${plural(rows, 'test row')} left out, with ${plural(findings.unknown.length, 'label')} not in ${unknownMeans}: ${listed(findings.unknown)}`,
    );
  }
  return sentences;
}

/**
 * Warns on stderr through `warn` about each finding, or, when `strict`, throws them all as one
 * DatasetError naming the data.
 */
export function reportLabelFindings(
  findings: LabelFindings,
  options: {
    readonly strict: boolean;
    readonly data: string;
    readonly unknownMeans: string;
    readonly warn: (line: string) => void;
  },
): void {
  const sentences = describeLabelFindings(findings, options.unknownMeans);
  if (sentences.length === 0) return;
  if (options.strict) throw new DatasetError(`${sentences.join('; ')} (--strict-labels)`, options.data);
  for (const sentence of sentences) {
    options.warn(`warning: ${sentence} (--strict-labels makes this an error)`);
  }
}

function counts(labels: readonly string[]): LabelCount[] {
  const byLabel = new Map<string, number>();
  for (const label of labels) byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
  return [...byLabel]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

function listed(items: readonly LabelCount[]): string {
  return items.map(({ label, count }) => `${JSON.stringify(label)} (${count})`).join(', ');
}

function plural(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}
