/**
 * Which format a `--data` path holds, from `--format` or from the path: `.tar.gz`/`.tgz` and the IMDB
 * folders are IMDB; `.csv`, `.tsv`/`.tab`, `.jsonl`/`.ndjson`, `.ft`/`.fasttext`; a `.txt` file whose
 * first lines carry `__label__` words is fastText; any other folder holds one sub-folder per label.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DatasetError } from '../errors.js';
import { looksLikeFastText } from './formats/fasttext.js';
import type { RecordLimit } from './record-limit.js';
import type { DataFormat } from './rows.js';
import { readUtf8Lines } from './utf8-file.js';

const BY_EXTENSION: readonly [RegExp, DataFormat][] = [
  [/\.(tar\.gz|tgz)$/i, 'imdb'],
  [/\.csv$/i, 'csv'],
  [/\.(tsv|tab)$/i, 'tsv'],
  [/\.(jsonl|ndjson)$/i, 'jsonl'],
  [/\.(ft|fasttext)$/i, 'fasttext'],
];
/** Lines of a .txt file looked at for `__label__` words. */
const SNIFF_LINES = 20;

/** The format of `path`. @throws DatasetError when the path is missing or its format cannot be told. */
export async function detectFormat(
  path: string,
  explicit?: DataFormat,
  limit: RecordLimit = {},
): Promise<DataFormat> {
  const info = await stat(path).catch((error: unknown) => {
    throw new DatasetError('does not exist', path, undefined, { cause: error });
  });
  const folder = info.isDirectory();
  if (explicit !== undefined) {
    const wantsFolder = explicit === 'folder';
    if (explicit !== 'imdb' && wantsFolder !== folder) {
      throw new DatasetError(`--format ${explicit} expects a ${wantsFolder ? 'folder' : 'file'}`, path);
    }
    return explicit;
  }
  if (folder) return (await isImdbFolder(path)) ? 'imdb' : 'folder';
  for (const [pattern, format] of BY_EXTENSION) if (pattern.test(path)) return format;
  if (/\.txt$/i.test(path) && (await sniffFastText(path, limit))) return 'fasttext';
  throw new DatasetError(
    `cannot tell the format of "${basename(path)}" from its name; give --format csv, tsv, jsonl or fasttext (a .txt file is fastText when its lines carry __label__ words)`,
    path,
  );
}

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

async function sniffFastText(path: string, limit: RecordLimit): Promise<boolean> {
  let seen = 0;
  for await (const { text } of readUtf8Lines(path, limit)) {
    if (text.trim() === '') continue;
    if (looksLikeFastText(text)) return true;
    if (++seen >= SNIFF_LINES) return false;
  }
  return false;
}
