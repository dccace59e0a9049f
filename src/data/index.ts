/** The data module's public surface: dataset types, the IMDB loader, and where its data comes from. */
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
