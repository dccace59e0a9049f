/**
 * `polarity download <dataset>`: fetches a dataset archive into the cache ahead of time (for
 * machines that go offline later, or to see the download's progress on its own). Thin: parses
 * the options and calls `downloadImdb`.
 */
import { Argument, InvalidArgumentError, type Command } from 'commander';
import { defaultCacheDir } from '../data/imdb-location.js';
import { progressReporter } from './progress-bar.js';

const DATASETS = ['imdb'] as const;

interface DownloadFlags {
  readonly cacheDir: string;
  readonly url?: string;
  readonly sha256?: string;
}

/** Adds the `download` command to `program`. */
export function registerDownload(program: Command): void {
  program
    .command('download')
    .description(
      'download a dataset archive into the cache, resuming a partial download and checking its SHA-256',
    )
    .addArgument(new Argument('<dataset>', 'the dataset to fetch').choices(DATASETS))
    .option('--cache-dir <dir>', 'where to keep downloaded data ($POLARITY_CACHE)', defaultCacheDir())
    .option('--url <url>', 'download from this mirror instead of the official address', parseUrl)
    .option(
      '--sha256 <hex>',
      "the archive's expected SHA-256 (with --url, for a mirror of another file)",
      parseSha256,
    )
    .action(async (_dataset: string, flags: DownloadFlags) => {
      const progress = progressReporter('downloading imdb');
      let path: string;
      try {
        // Imported here: the download code is only needed when something is downloaded.
        const { downloadImdb } = await import('../data/download.js');
        path = await downloadImdb({
          cacheDir: flags.cacheDir,
          url: flags.url,
          sha256: flags.sha256,
          onProgress: progress.onProgress,
        });
      } finally {
        progress.stop();
      }
      process.stdout.write(`${path}\n`);
    });
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an absolute http:// or https:// URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('expected an http:// or https:// URL.');
  }
  return value;
}

function parseSha256(value: string): string {
  const hex = value.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new InvalidArgumentError('expected 64 hexadecimal digits.');
  return hex;
}
