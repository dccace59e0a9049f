/**
 * `loadDataset(path)`: any supported source as a `Dataset` — IMDB as before, or one's own CSV, TSV,
 * JSON Lines, fastText file or folder per label — with the format detected from the path (or given),
 * every bad row reported or skipped, labels mapped, a stratified test split carved when asked, and a
 * leak check between the splits. `openRowSource` gives the same rows as a stream, for training on data
 * larger than memory.
 */
import { basename } from 'node:path';
import { OptionError } from '../errors.js';
import type { ProgressCallback } from '../util/progress.js';
import { detectFormat } from './detect-format.js';
import type { SourceOptions } from './formats/format.js';
import { dataFormatModules, formatModule } from './formats/registry.js';
import { loadImdb } from './imdb.js';
import { LabelMap } from './label-map.js';
import { countDuplicates, type DuplicateReport } from './leak-check.js';
import { checkedRows, checkLabel, RowLog, type OnError, type RowCheckOptions } from './row-checks.js';
import type { DataFormat, RowProblem, RowProblemKind, RowSource, SourceRow } from './rows.js';
import { splitRecordOf, type SplitRecord } from './split-record.js';
import { stratifiedTestRows } from './stratified-split.js';
import type { Dataset, Example, SplitName } from './types.js';

export type { SourceOptions } from './formats/format.js';

/** How `loadDataset` reads a source: its format, label map, bad rows, test split, the splits wanted. */
export interface LoadDatasetOptions extends SourceOptions {
  /** `--label-map`: the spec or a parsed map. For IMDB it maps the star rating (1–10). */
  readonly labelMap?: string | LabelMap;
  /** What a bad row does: stop the read (default) or be skipped and counted. */
  readonly onError?: OnError;
  /** Carve this fraction of the rows as a stratified test split (sources without a test split only). */
  readonly testSplit?: number;
  /** Seed of the carve. Default 42. */
  readonly seed?: number;
  /** Where the rows of a source without splits go when no test split is carved. Default 'train'. */
  readonly unsplit?: SplitName;
  /** Splits wanted: IMDB reads only these; the others come back empty. Default both. */
  readonly splits?: readonly SplitName[];
  /** Labels to accept (e.g. a saved model's): any other label is an unknown-label row. */
  readonly knownLabels?: readonly string[];
  /** What `knownLabels` are, for messages. */
  readonly knownLabelsFrom?: string;
  readonly onProgress?: ProgressCallback;
  /** Each bad row as it is skipped (`onError: 'skip'`). */
  readonly onProblem?: (problem: RowProblem) => void;
}

/** What a read found besides the rows. */
export interface DataReport {
  readonly format: DataFormat;
  readonly path: string;
  readonly rows: { readonly train: number; readonly test: number };
  /** Bad rows left out (`onError: 'skip'`), each with file, line and reason. */
  readonly problems: readonly RowProblem[];
  readonly skippedByKind: Readonly<Record<RowProblemKind, number>>;
  /** Rows a label-map entry without a label left out on purpose. */
  readonly excluded: number;
  /** Rows that named several labels, of which the first was used. */
  readonly severalLabels: number;
  /** Test texts also found in the training split; absent when one split is empty. */
  readonly duplicates?: DuplicateReport;
  /** The carve, when `testSplit` made one: what the model directory keeps. */
  readonly split?: SplitRecord;
}

/** A source read whole: the dataset, and what the read found besides the rows. */
export interface LoadedDataset {
  readonly dataset: Dataset;
  readonly report: DataReport;
}

export const DEFAULT_SPLIT_SEED = 42;
const PROGRESS_EVERY = 10_000;

/** Opens a non-IMDB source for streaming; checks that the options fit its format. */
export async function openRowSource(path: string, options: SourceOptions = {}): Promise<RowSource> {
  const format = await detectFormat(path, options.format, options);
  checkOptionsFit(format, options);
  const { openRows, title } = formatModule(format);
  if (openRows === undefined) {
    throw new OptionError(
      `${title} is read whole (loadDataset); reading in passes (--stream) is for ${dataFormatModules()
        .flatMap((module) => (module.openRows ? [module.title] : []))
        .join(', ')
        .replace(/, ([^,]*)$/, ' and $1')} data`,
    );
  }
  return openRows(path, options);
}

/**
 * Reads a dataset from `path`. IMDB keeps its own splits; so does a folder with `train/` and `test/`.
 * @throws DatasetError for a missing path, an unknown format, or (unless `onError` is 'skip') the
 *   first bad row; OptionError for options that do not fit the format.
 */
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const format = await detectFormat(path, options.format, options);
  checkOptionsFit(format, options);
  const labelMap = typeof options.labelMap === 'string' ? LabelMap.parse(options.labelMap) : options.labelMap;
  const log = new RowLog(options.onError, options.onProblem);
  const checks: RowCheckOptions = { ...options, labelMap };
  let train: Example[];
  let test: Example[];
  let split: SplitRecord | undefined;
  if (format === 'imdb') {
    if (options.testSplit !== undefined) throw new OptionError('--test-split: IMDB has its own test split');
    const imdb = await loadImdb(path, {
      splits: options.splits,
      onProgress: options.onProgress,
      maxRecordBytes: options.maxRecordBytes,
    });
    const untouched = labelMap === undefined && options.knownLabels === undefined;
    train = untouched ? [...imdb.train] : imdbChecked(imdb.train, 'train', path, checks, log);
    test = untouched ? [...imdb.test] : imdbChecked(imdb.test, 'test', path, checks, log);
  } else {
    const source = await openRowSource(path, options);
    const rows = await collect(checkedRows(source.rows(), checks, log), options.onProgress, basename(path));
    if (source.hasSplits) {
      if (options.testSplit !== undefined) {
        throw new OptionError(`--test-split: ${basename(path)} already has a test split (its test/ folder)`);
      }
      train = rows.filter((row) => row.split === 'train').map(toExample);
      test = rows.filter((row) => row.split === 'test').map(toExample);
    } else if (options.testSplit !== undefined) {
      ({ train, test, split } = carve(
        rows,
        options.testSplit,
        options.seed ?? DEFAULT_SPLIT_SEED,
        path,
        log,
      ));
    } else {
      const all = rows.map(toExample);
      [train, test] = options.unsplit === 'test' ? [[], all] : [all, []];
    }
  }
  if (options.knownLabels === undefined) test = dropUnseenLabels(train, test, path, log);

  const labels = options.knownLabels
    ? [...options.knownLabels]
    : sortedLabels(train.length > 0 ? train : test);
  const wanted = options.splits ?? ['train', 'test'];
  const dataset: Dataset = {
    name: format === 'imdb' ? 'imdb' : basename(path),
    labels,
    train: wanted.includes('train') ? train : [],
    test: wanted.includes('test') ? test : [],
  };
  const duplicates = train.length > 0 && test.length > 0 ? countDuplicates(train, test) : undefined;
  return {
    dataset,
    report: {
      format,
      path,
      rows: { train: train.length, test: test.length },
      problems: log.problems,
      skippedByKind: log.countsByKind(),
      excluded: log.excluded,
      severalLabels: log.severalLabels,
      ...(duplicates ? { duplicates } : {}),
      ...(split ? { split } : {}),
    },
  };
}

/** The stratified carve of `rows` and its record. */
function carve(
  rows: readonly SourceRow[],
  fraction: number,
  seed: number,
  path: string,
  log: RowLog,
): { train: Example[]; test: Example[]; split: SplitRecord } {
  const labels = sortedLabels(rows);
  const index = new Map(labels.map((label, i) => [label, i]));
  const mask = stratifiedTestRows(
    Int32Array.from(rows, (row) => index.get(row.label)!),
    labels.length,
    fraction,
    seed,
  );
  const train: Example[] = [];
  const test: Example[] = [];
  rows.forEach((row, i) => (mask[i] ? test : train).push(toExample(row)));
  const split = splitRecordOf(
    rows.map((row) => row.id),
    mask,
    { path, fraction, seed },
    log,
  );
  return { train, test, split };
}

/** Options that only some formats read; given for another, they are an error rather than ignored. */
function checkOptionsFit(format: DataFormat, options: SourceOptions): void {
  const own = new Set(formatModule(format).options?.map(([key]) => key));
  for (const module of dataFormatModules()) {
    for (const [key, flag] of module.options ?? []) {
      if (own.has(key) || options[key] === undefined) continue;
      const owners = dataFormatModules().filter((other) => other.options?.some(([k]) => k === key));
      throw new OptionError(
        `${flag} applies only to ${owners.map((owner) => owner.title).join(' and ')} data; this data is ${format}`,
      );
    }
  }
}

async function collect(
  rows: AsyncIterable<SourceRow>,
  onProgress?: ProgressCallback,
  name = 'data',
): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  const task = `reading ${name}`;
  for await (const row of rows) {
    out.push(row);
    if (out.length % PROGRESS_EVERY === 0) onProgress?.({ task, done: out.length, unit: 'rows' });
  }
  onProgress?.({ task, done: out.length, total: out.length, unit: 'rows' });
  return out;
}

/** IMDB's examples with a label map (applied to the star rating) and the known labels applied. */
function imdbChecked(
  examples: readonly Example[],
  split: SplitName,
  path: string,
  checks: RowCheckOptions,
  log: RowLog,
): Example[] {
  const out: Example[] = [];
  for (const example of examples) {
    const id = `${split}/${example.label}/${example.id}_${example.rating}.txt`;
    const label = checkLabel(
      checks.labelMap ? String(example.rating) : example.label,
      checks,
      log,
      (kind, reason, label) =>
        log.report({ kind, file: `${path} (${id})`, line: 1, id, reason, ...(label && { label }) }),
    );
    if (label !== undefined) out.push({ ...example, label });
  }
  return out;
}

/** Test rows whose label no training row has: unknown labels, since no model trained here could predict them. */
function dropUnseenLabels(train: readonly Example[], test: Example[], path: string, log: RowLog): Example[] {
  if (train.length === 0) return test;
  const seen = new Set(train.map((example) => example.label));
  if (test.every((example) => seen.has(example.label))) return test;
  return test.filter((example) => {
    if (seen.has(example.label)) return true;
    log.report({
      kind: 'unknown-label',
      file: `${path} (${example.id})`,
      line: 1,
      id: example.id ?? '',
      reason: `label "${example.label}" appears in the test split but not in the training split`,
      label: example.label,
    });
    return false;
  });
}

function toExample(row: SourceRow): Example {
  return { text: row.text, label: row.label, id: row.id };
}

function sortedLabels(rows: readonly { readonly label: string }[]): string[] {
  return [...new Set(rows.map((row) => row.label))].sort();
}
