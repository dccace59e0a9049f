import { loadImdb, resolveImdb } from '../data/index.js';
import type { Dataset, SplitName } from '../data/types.js';
import { progressReporter } from './progress-bar.js';

export const DATA_HELP =
  'IMDB data: aclImdb_v1.tar.gz, the labelled tarball, or an unpacked aclImdb/ folder (default: $POLARITY_DATA, then the cache; downloaded when absent)';

/** Finds IMDB (option, env, cache, or download) and reads the requested splits with a progress bar. */
export async function loadImdbForCli(data: string | undefined, splits: SplitName[]): Promise<Dataset> {
  const download = progressReporter('downloading IMDB');
  let path: string;
  try {
    path = await resolveImdb({ data, onProgress: download.onProgress });
  } finally {
    download.stop();
  }
  const reading = progressReporter(`reading ${splits.join('+')}`);
  try {
    return await loadImdb(path, { splits, onProgress: reading.onProgress });
  } finally {
    reading.stop();
  }
}
