/**
 * Finding the IMDB data: one place decides where it comes from, so that the CLI, the library and
 * the benchmarks agree. Order: the explicit `data` option, then `$POLARITY_DATA`, then the cache
 * folder (the archive, or an unpacked `aclImdb/`), then a download into the cache.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatasetError, DownloadError } from '../errors.js';
import type { ProgressCallback } from '../util/progress.js';
import { downloadImdb } from './download.js';
import { defaultCacheDir, IMDB_ARCHIVE } from './imdb-location.js';
import { isDirectory, isFile } from '../util/paths.js';

export { defaultCacheDir, IMDB_ARCHIVE } from './imdb-location.js';

export interface ResolveImdbOptions {
  /** A path given by the user (`--data`): an archive or a folder. Wins over everything else. */
  readonly data?: string;
  /** The cache folder. Default: `defaultCacheDir()`. */
  readonly cacheDir?: string;
  /** Download the archive when it is nowhere to be found. Default true. */
  readonly download?: boolean;
  readonly onProgress?: ProgressCallback;
  /** Mirror URL and its checksum, passed to the download. */
  readonly url?: string;
  readonly sha256?: string;
}

/**
 * Returns the path to read IMDB from (give it to `loadImdb`). A `data` option or
 * `$POLARITY_DATA` that names a missing path is an error rather than a silent fall-through, so a
 * typo does not trigger an 84 MB download. Throws `DatasetError` when nothing is found and
 * `download` is false, saying how to provide the data.
 */
export async function resolveImdb(options: ResolveImdbOptions = {}): Promise<string> {
  if (options.data !== undefined && options.data !== '') {
    return mustExist(resolve(options.data), 'the data path given (--data)');
  }
  const fromEnv = process.env.POLARITY_DATA;
  if (fromEnv) return mustExist(resolve(fromEnv), 'POLARITY_DATA');

  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const archive = join(cacheDir, IMDB_ARCHIVE.fileName);
  if (await isFile(archive)) return archive;
  const unpacked = join(cacheDir, 'aclImdb');
  if (await isDirectory(unpacked)) return unpacked;

  if (options.download === false) {
    throw new DatasetError(
      `IMDB data not found: no ${IMDB_ARCHIVE.fileName} or aclImdb/ in the cache folder ${cacheDir}. ` +
        'Pass --data PATH (an aclImdb_v1.tar.gz or an unpacked aclImdb/ folder), set POLARITY_DATA=PATH, ' +
        'or run `polarity download imdb` to fetch it.',
    );
  }
  try {
    return await downloadImdb({
      cacheDir,
      url: options.url,
      sha256: options.sha256,
      onProgress: options.onProgress,
    });
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    // Without a network the download cannot work; say how to give the data another way.
    throw new DownloadError(
      `${error.message}. IMDB was not found in the cache (${cacheDir}) either: pass --data PATH or set ` +
        'POLARITY_DATA=PATH to an aclImdb_v1.tar.gz or an unpacked aclImdb/ folder.',
      { cause: error },
    );
  }
}

async function mustExist(path: string, source: string): Promise<string> {
  if (
    !(await stat(path).then(
      () => true,
      () => false,
    ))
  ) {
    throw new DatasetError(
      `does not exist (from ${source}; expected an aclImdb_v1.tar.gz or an unpacked aclImdb/ folder)`,
      path,
    );
  }
  return path;
}
