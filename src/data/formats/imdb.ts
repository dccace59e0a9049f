/**
 * IMDB as a data format: the official tarball (or the labelled-only one), or an unpacked `aclImdb/`
 * folder. It is read whole by `../imdb.ts` (its own splits, star ratings that `--label-map` can map),
 * not in passes, so it has no row reader here; this module says how it is recognised.
 */
import { readdir, stat } from 'node:fs/promises';
import type { FormatModule } from './format.js';

/**
 * An IMDB folder: one holding `aclImdb/`, or the `aclImdb/` folder itself, told apart from a plain
 * folder per label by IMDB's own files (`imdb.vocab`, `train/unsup/`).
 */
async function isImdbFolder(path: string): Promise<boolean> {
  const names = new Set(await readdir(path));
  if (names.has('aclImdb') || names.has('imdb.vocab')) return true;
  return stat(`${path}/train/unsup`).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

export const imdbFormat: FormatModule = {
  name: 'imdb',
  title: 'IMDB',
  layout: 'file-or-folder',
  extensions: ['.tar.gz', '.tgz'],
  sniff: { extensions: [], test: isImdbFolder },
};
