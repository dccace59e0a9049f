/**
 * The checks every row goes through whatever its format, and what happens to a bad one: with
 * `--on-error fail` (the default) the first bad row stops the run with its file, line and reason; with
 * `--on-error skip` it is left out, and counted and listed by a {@link RowLog}, so that nothing is
 * dropped without a word.
 */
import { DatasetError } from '../errors.js';
import type { LabelMap } from './label-map.js';
import {
  ROW_PROBLEM_KINDS,
  type RowEvent,
  type RowProblem,
  type RowProblemKind,
  type SourceRow,
} from './rows.js';

export const ON_ERROR = ['fail', 'skip'] as const;
export type OnError = (typeof ON_ERROR)[number];

export interface RowCheckOptions {
  readonly onError?: OnError;
  readonly labelMap?: LabelMap;
  /** When given, a label outside this list is an unknown label (e.g. the labels a saved model knows). */
  readonly knownLabels?: readonly string[];
  /** Where the known labels come from, for the message ("the model's labels"). */
  readonly knownLabelsFrom?: string;
  /** Called with each bad row as it is met (in `skip` mode; in `fail` mode the first one throws). */
  readonly onProblem?: (problem: RowProblem) => void;
}

/** What was left out of a read, and why. */
export class RowLog {
  readonly problems: RowProblem[] = [];
  /** Rows a `--label-map` entry with no label excluded on purpose. */
  excluded = 0;
  /** Rows that named several labels, of which the first was used (fastText, JSON arrays). */
  severalLabels = 0;

  constructor(
    readonly onError: OnError = 'fail',
    private readonly onProblem?: (problem: RowProblem) => void,
  ) {}

  /** Records a bad row, or throws it as a DatasetError in `fail` mode. */
  report(problem: RowProblem): void {
    if (this.onError === 'fail') {
      throw new DatasetError(
        `${problem.reason} (give --on-error skip to leave such rows out)`,
        problem.file,
        problem.line,
      );
    }
    this.problems.push(problem);
    this.onProblem?.(problem);
  }

  get skipped(): number {
    return this.problems.length;
  }

  /** Skipped rows per kind, every kind present. */
  countsByKind(): Record<RowProblemKind, number> {
    const counts = Object.fromEntries(ROW_PROBLEM_KINDS.map((kind) => [kind, 0])) as Record<
      RowProblemKind,
      number
    >;
    for (const problem of this.problems) counts[problem.kind]++;
    return counts;
  }
}

/**
 * The label a row's `label` becomes (mapped, and checked against the known labels), or undefined when
 * the row is left out: excluded by the label map (counted in `log`), or reported through `problem`.
 */
export function checkLabel(
  label: string,
  options: RowCheckOptions,
  log: RowLog,
  problem: (kind: RowProblemKind, reason: string, label?: string) => void,
): string | undefined {
  if (options.labelMap) {
    const mapped = options.labelMap.map(label);
    if (mapped === null) {
      log.excluded++;
      return undefined;
    }
    if (mapped === undefined) {
      problem('unknown-label', `label "${label}" is not covered by --label-map '${options.labelMap.spec}'`);
      return undefined;
    }
    label = mapped;
  }
  const known = options.knownLabels;
  if (known && !known.includes(label)) {
    const from = options.knownLabelsFrom ?? 'the known labels';
    problem('unknown-label', `label "${label}" is not one of ${from} (${known.join(', ')})`, label);
    return undefined;
  }
  return label;
}

/**
 * The good rows of `events`, labels mapped; bad ones go to `log`. A row is bad when its text is empty
 * (or only spaces), its label is empty, the label map does not cover its label, or its label is not
 * among `knownLabels`.
 */
export async function* checkedRows(
  events: AsyncIterable<RowEvent>,
  options: RowCheckOptions,
  log: RowLog,
): AsyncGenerator<SourceRow> {
  for await (const event of events) {
    if ('problem' in event) {
      log.report(event.problem);
      continue;
    }
    const row = event.row;
    const problem = (kind: RowProblemKind, reason: string, label?: string) =>
      log.report({ kind, file: row.file, line: row.line, id: row.id, reason, ...(label && { label }) });
    if (row.text.trim() === '') {
      problem('empty-text', 'the text is empty');
      continue;
    }
    if (row.label === '') {
      problem('missing-column', 'the label is empty');
      continue;
    }
    const label = checkLabel(row.label, options, log, problem);
    if (label === undefined) continue;
    if (row.severalLabels) log.severalLabels++;
    yield label === row.label ? row : { ...row, label };
  }
}
