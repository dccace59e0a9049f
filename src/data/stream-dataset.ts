/**
 * A dataset read in passes instead of loaded: for files larger than memory. Opening it reads the source
 * once, holding no text — every row is checked (bad rows reported as `loadDataset` reports them), its
 * label and split noted in typed arrays, and its text hashed for the leak check. `batches(split)` then
 * reads the source again each time it is called and yields that split's examples a batch at a time, so
 * that a trainer can make as many passes as it needs. Memory: 13 bytes per row (and its id when a test
 * split is carved, for the record), and one batch of texts at a time.
 */
import { basename } from 'node:path';
import { DatasetError, OptionError } from '../errors.js';
import type { ProgressCallback } from '../util/progress.js';
import { LabelMap } from './label-map.js';
import { textKey } from './leak-check.js';
import {
  DEFAULT_SPLIT_SEED,
  openRowSource,
  type DataReport,
  type LoadDatasetOptions,
} from './load-dataset.js';
import { checkedRows, RowLog, type RowCheckOptions } from './row-checks.js';
import type { RowSource } from './rows.js';
import { splitRecordOf, type SplitRecord } from './split-record.js';
import { stratifiedTestRows } from './stratified-split.js';
import type { Example, SplitName } from './types.js';

export interface StreamedDataset {
  readonly name: string;
  /** Every label, sorted. */
  readonly labels: readonly string[];
  readonly report: DataReport;
  /** Reads the source again and yields the examples of `split` in batches of `size`, in file order. */
  batches(split: SplitName, size?: number): AsyncIterable<readonly Example[]>;
}

export const DEFAULT_BATCH_SIZE = 20_000;
const PROGRESS_EVERY = 50_000;
const TRAIN = 0;
const TEST = 1;

/**
 * Opens a dataset for reading in passes. Takes the options of `loadDataset` (not IMDB, which is read
 * whole). `splits` and `unsplit` decide, as there, which rows are training and which are test rows.
 * @throws DatasetError on the first bad row (unless `onError` is 'skip'); OptionError as `loadDataset`.
 */
export async function streamDataset(
  path: string,
  options: LoadDatasetOptions = {},
): Promise<StreamedDataset> {
  const source = await openRowSource(path, options);
  const labelMap = typeof options.labelMap === 'string' ? LabelMap.parse(options.labelMap) : options.labelMap;
  const checks: RowCheckOptions = { ...options, labelMap };
  if (source.hasSplits && options.testSplit !== undefined) {
    throw new OptionError(`--test-split: ${basename(path)} already has a test split (its test/ folder)`);
  }

  // The one pass that reports problems: labels, splits, ids of the rows and hashes of their texts.
  const log = new RowLog(options.onError, options.onProblem);
  const seen = new Map<string, number>();
  let labelOf = new Int32Array(1 << 16);
  let splitOf: Uint8Array = new Uint8Array(1 << 16);
  let keys = new Float64Array(1 << 16);
  // Row ids only for the record of a carve (it lists the test rows).
  const ids: string[] | undefined = options.testSplit !== undefined ? [] : undefined;
  let rows = 0;
  const task = `reading ${basename(path)}`;
  for await (const row of checkedRows(source.rows(), checks, log)) {
    if (rows === labelOf.length) {
      labelOf = grown(labelOf);
      splitOf = grown(splitOf);
      keys = grown(keys);
    }
    let label = seen.get(row.label);
    if (label === undefined) seen.set(row.label, (label = seen.size));
    labelOf[rows] = label;
    splitOf[rows] = row.split === 'test' ? TEST : TRAIN;
    keys[rows] = textKey(row.text);
    ids?.push(row.id);
    rows++;
    if (rows % PROGRESS_EVERY === 0) options.onProgress?.({ task, done: rows, unit: 'rows' });
  }
  options.onProgress?.({ task, done: rows, total: rows, unit: 'rows' });

  // Labels sorted, as in a Dataset; the row labels renumbered to match.
  const labels = options.knownLabels ? [...options.knownLabels] : [...seen.keys()].sort();
  const renumber = Int32Array.from(seen.keys(), (label) => labels.indexOf(label));
  const sortedLabelOf = Int32Array.from(labelOf.subarray(0, rows), (label) => renumber[label]);

  let split: SplitRecord | undefined;
  if (!source.hasSplits) {
    if (options.testSplit !== undefined) {
      const seed = options.seed ?? DEFAULT_SPLIT_SEED;
      splitOf = stratifiedTestRows(sortedLabelOf, labels.length, options.testSplit, seed);
      split = splitRecordOf(ids!, splitOf, { path, fraction: options.testSplit, seed }, log);
    } else {
      splitOf = new Uint8Array(rows).fill(options.unsplit === 'test' ? TEST : TRAIN);
    }
  }
  const splitOfRow = splitOf.subarray(0, rows);
  const counts = [0, 0];
  const trainKeys = new Set<number>();
  for (let i = 0; i < rows; i++) {
    counts[splitOfRow[i]]++;
    if (splitOfRow[i] === TRAIN) trainKeys.add(keys[i]);
  }
  let testInTrain = 0;
  for (let i = 0; i < rows; i++) if (splitOfRow[i] === TEST && trainKeys.has(keys[i])) testInTrain++;

  return {
    name: basename(path),
    labels,
    report: {
      format: source.format,
      path,
      rows: { train: counts[TRAIN], test: counts[TEST] },
      problems: log.problems,
      skippedByKind: log.countsByKind(),
      excluded: log.excluded,
      severalLabels: log.severalLabels,
      ...(counts[TRAIN] > 0 && counts[TEST] > 0 ? { duplicates: { testInTrain, test: counts[TEST] } } : {}),
      ...(split ? { split } : {}),
    },
    batches: (which, size = DEFAULT_BATCH_SIZE) =>
      readBatches(source, checks, splitOfRow, which === 'test' ? TEST : TRAIN, size, options.onProgress),
  };
}

async function* readBatches(
  source: RowSource,
  checks: RowCheckOptions,
  splitOf: Uint8Array,
  wanted: number,
  size: number,
  onProgress?: ProgressCallback,
): AsyncGenerator<readonly Example[]> {
  // Bad rows were reported by the first pass; here they are only left out again, the same ones.
  const quiet = new RowLog('skip');
  let batch: Example[] = [];
  let i = 0;
  for await (const row of checkedRows(source.rows(), checks, quiet)) {
    const index = i++;
    if (index >= splitOf.length || splitOf[index] !== wanted) continue;
    batch.push({ text: row.text, label: row.label, id: row.id });
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
  if (i !== splitOf.length || (quiet.skipped > 0 && checks.onError !== 'skip')) {
    throw new DatasetError(
      'the data changed since it was first read: it must stay the same while it is used',
      source.path,
    );
  }
  onProgress?.({ task: `reading ${basename(source.path)}`, done: i, total: splitOf.length, unit: 'rows' });
}

function grown<T extends Int32Array | Uint8Array | Float64Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(2 * array.length);
  bigger.set(array);
  return bigger;
}
