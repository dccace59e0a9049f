/**
 * The record of a `--test-split` carve, saved in the model directory (`data-split.json`): which rows of
 * the data went to the test split (every other good row trained the model) and which were skipped as
 * bad. `polarity evaluate` on the same data carves again with the recorded fraction and seed and checks
 * that it finds the same test rows, so a model is never scored on rows it was trained on.
 */
import { basename } from 'node:path';
import { DatasetError, ModelFormatError } from '../errors.js';
import type { RowProblemKind } from './rows.js';

export const SPLIT_RECORD_FILE = 'data-split.json';
export const SPLIT_RECORD_FORMAT = 'polarity-data-split';

/** Which rows a carved test split took, kept in the model directory so that `evaluate` can score the same rows. */
export interface SplitRecord {
  readonly format: typeof SPLIT_RECORD_FORMAT;
  readonly version: 1;
  /** The data's file or folder name (not its full path, which is the user's business). */
  readonly source: string;
  readonly fraction: number;
  readonly seed: number;
  readonly stratified: true;
  readonly rows: { readonly train: number; readonly test: number; readonly skipped: number };
  /** The test rows' ids: line numbers for a file, paths relative to the folder for a folder. */
  readonly test: readonly string[];
  /** Rows left out as bad (`--on-error skip`), with the kind of problem. */
  readonly skipped: readonly { readonly id: string; readonly kind: RowProblemKind }[];
}

/**
 * The record of a carve: `test[i]` is 1 when the row with id `ids[i]` went to the test split; the
 * skipped rows are those `log` holds.
 */
export function splitRecordOf(
  ids: readonly string[],
  test: Uint8Array,
  carve: { readonly path: string; readonly fraction: number; readonly seed: number },
  log: { readonly problems: readonly { readonly id: string; readonly kind: RowProblemKind }[] },
): SplitRecord {
  const testIds = ids.filter((_, i) => test[i] === 1);
  return {
    format: SPLIT_RECORD_FORMAT,
    version: 1,
    source: basename(carve.path),
    fraction: carve.fraction,
    seed: carve.seed,
    stratified: true,
    rows: { train: ids.length - testIds.length, test: testIds.length, skipped: log.problems.length },
    test: testIds,
    skipped: log.problems.map((problem) => ({ id: problem.id, kind: problem.kind })),
  };
}

/** The record as JSON text: the fields one per line, the long row lists each on one line. */
export function formatSplitRecord(record: SplitRecord): string {
  const lists = { test: JSON.stringify(record.test), skipped: JSON.stringify(record.skipped) };
  const text = JSON.stringify({ ...record, test: '@test', skipped: '@skipped' }, null, 2);
  return text.replace('"@test"', () => lists.test).replace('"@skipped"', () => lists.skipped) + '\n';
}

/** Reads a record from its JSON text. @throws ModelFormatError when it is not one. */
export function parseSplitRecord(text: string, file: string): SplitRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(`not valid JSON (${(error as Error).message})`, file);
  }
  const r = value as Partial<SplitRecord> | null;
  if (
    !r ||
    r.format !== SPLIT_RECORD_FORMAT ||
    typeof r.fraction !== 'number' ||
    typeof r.seed !== 'number' ||
    !Array.isArray(r.test)
  ) {
    throw new ModelFormatError(`not a ${SPLIT_RECORD_FORMAT} record (format, fraction, seed, test)`, file);
  }
  return r as SplitRecord;
}

/** Checks that a carve made again found the recorded test rows. @throws DatasetError otherwise. */
export function checkSameSplit(recorded: SplitRecord, again: SplitRecord, path: string): void {
  const same =
    recorded.test.length === again.test.length && recorded.test.every((id, i) => id === again.test[i]);
  if (!same) {
    throw new DatasetError(
      `carving the test split again (fraction ${recorded.fraction}, seed ${recorded.seed}) does not give the test rows the model's ${SPLIT_RECORD_FILE} lists (${recorded.test.length} rows, ${again.test.length} now): this is not the data the model was trained on, or it changed since`,
      path,
    );
  }
}
