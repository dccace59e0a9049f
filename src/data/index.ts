/** The data module's public surface: dataset types, the loaders (IMDB and one's own data), and where IMDB comes from. */
export type { Dataset, Example, SplitName } from './types.js';
export { loadImdb, IMDB_LABELS, type LoadImdbOptions } from './imdb.js';
export { resolveImdb, type ResolveImdbOptions } from './cache.js';
export { defaultCacheDir, IMDB_ARCHIVE } from './imdb-location.js';
export {
  downloadFile,
  downloadImdb,
  sha256File,
  type DownloadFileOptions,
  type DownloadImdbOptions,
} from './download.js';
export { readTarFiles, type TarFile } from './tar.js';
export {
  loadDataset,
  openRowSource,
  DEFAULT_SPLIT_SEED,
  type DataReport,
  type LoadDatasetOptions,
  type LoadedDataset,
  type SourceOptions,
} from './load-dataset.js';
export {
  DATA_FORMATS,
  ROW_PROBLEM_KINDS,
  type DataFormat,
  type RowEvent,
  type RowProblem,
  type RowProblemKind,
  type RowSource,
  type SourceRow,
} from './rows.js';
export { checkedRows, RowLog, ON_ERROR, type OnError, type RowCheckOptions } from './row-checks.js';
export { LabelMap, type MappedLabel } from './label-map.js';
export { stratifiedTestRows } from './stratified-split.js';
export { countDuplicates, LeakCheck, textKey, type DuplicateReport } from './leak-check.js';
export { SPLIT_RECORD_FILE, checkSameSplit, parseSplitRecord, type SplitRecord } from './split-record.js';
export { DEFAULT_MAX_RECORD_BYTES, type RecordLimit } from './record-limit.js';
export { streamDataset, DEFAULT_BATCH_SIZE, type StreamedDataset } from './stream-dataset.js';
