/**
 * Where the official IMDB archive comes from, how to recognise it, and where Polarity keeps it.
 * Kept apart from the download and resolution code so that both can use it without importing
 * each other.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The official Stanford archive (84.1 MB) and its published SHA-256. */
export const IMDB_ARCHIVE = {
  url: 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz',
  sha256: 'c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe',
  fileName: 'aclImdb_v1.tar.gz',
} as const;

/**
 * The folder for downloaded datasets: `$POLARITY_CACHE`, else `$XDG_CACHE_HOME/polarity`, else
 * `~/.cache/polarity`, following the XDG base-directory convention so that users find (and can
 * clean) the cache where other tools keep theirs. A relative `$XDG_CACHE_HOME` is ignored, as
 * the XDG specification asks.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.POLARITY_CACHE;
  if (own) return resolve(own);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'polarity');
  return join(homedir(), '.cache', 'polarity');
}
