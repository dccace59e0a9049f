/**
 * What every reader of one's own data (CSV, TSV, JSON Lines, fastText, a folder per label) yields: rows
 * with the file and line they came from, or a problem with one row. Readers only parse; the checks that
 * do not depend on the format (empty text, label mapping, unknown labels) and the skip-or-fail policy
 * live in `row-checks.ts`, so each format is small and every format reports the same kinds of problem.
 */
import { DatasetError } from '../errors.js';
import type { SplitName } from './types.js';

/** One labelled text as a reader found it. */
export interface SourceRow {
  readonly text: string;
  /** The label as written in the source, before any `--label-map`. */
  readonly label: string;
  /** The file it came from, as given or found (for messages). */
  readonly file: string;
  /** 1-based line where the row starts in `file` (1 for a whole-file row). */
  readonly line: number;
  /**
   * A stable name of the row within its source: the line number for a one-file source, the file's path
   * relative to the folder for a folder source. What a saved test split lists.
   */
  readonly id: string;
  /** The split the source put it in, for sources that have splits (a folder with `train/` and `test/`). */
  readonly split?: SplitName;
  /** True when the row named several labels and `label` is the first (fastText, a JSON array). */
  readonly severalLabels?: boolean;
}

/** The kinds of bad row; each has its own message, and `--on-error skip` counts them by kind. */
export const ROW_PROBLEM_KINDS = [
  'missing-column',
  'too-many-fields',
  'empty-text',
  'unknown-label',
  'invalid-utf8',
  'malformed',
] as const;
/** Why a row was bad: one of `ROW_PROBLEM_KINDS`. */
export type RowProblemKind = (typeof ROW_PROBLEM_KINDS)[number];

/** One bad row: where it is and what is wrong with it. */
export interface RowProblem {
  readonly kind: RowProblemKind;
  readonly file: string;
  readonly line: number;
  /** The row's id (see {@link SourceRow.id}), for the saved split's list of skipped rows. */
  readonly id: string;
  /** What is wrong and what was expected, e.g. 'no column "label" (the row has 1 field)'. */
  readonly reason: string;
  /** An unknown-label row's label (after --label-map), for the count per label (label-check.ts). */
  readonly label?: string;
}

/** What a reader yields, in file order. */
export type RowEvent = { readonly row: SourceRow } | { readonly problem: RowProblem };

/**
 * The error for a file that holds no row at all, good or bad (empty, blank lines only, a header alone):
 * said here, naming the file, rather than later as "0 rows" or "needs at least two labels".
 */
export function noRowsError(file: string, found: string, expected: string): DatasetError {
  return new DatasetError(`${found}; expected ${expected}`, file);
}

/** The data formats `--format` accepts. */
export const DATA_FORMATS = ['imdb', 'csv', 'tsv', 'jsonl', 'fasttext', 'folder'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/**
 * A source of rows that can be read more than once: each call of `rows()` reads the files again from the
 * start, which is what lets training make several passes over data larger than memory.
 */
export interface RowSource {
  readonly format: Exclude<DataFormat, 'imdb'>;
  /** The path given (`--data`). */
  readonly path: string;
  /** Whether rows carry their own split (`SourceRow.split`). */
  readonly hasSplits: boolean;
  /** Total bytes of the files read, for progress and for the size of the data. */
  readonly bytes: number;
  rows(): AsyncIterable<RowEvent>;
}
