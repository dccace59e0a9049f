/**
 * Which format a `--data` path holds, from `--format` or from the path, by the format registry
 * (`formats/registry.ts`): a folder is IMDB when it holds IMDB's own files, else a folder per label; a
 * file is told by its name's ending (`.tar.gz`/`.tgz`, `.csv`, `.tsv`/`.tab`, `.jsonl`/`.ndjson`,
 * `.ft`/`.fasttext`), then by its content (a `.txt` file whose first lines carry `__label__` words is
 * fastText).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DatasetError } from '../errors.js';
import type { DataFormat } from './formats/names.js';
import { dataFormatModules, formatModule, hasExtension, listOf } from './formats/registry.js';
import type { RecordLimit } from './record-limit.js';

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
    const { layout } = formatModule(explicit);
    if (layout !== 'file-or-folder' && (layout === 'folder') !== folder) {
      throw new DatasetError(`--format ${explicit} expects a ${layout}`, path);
    }
    return explicit;
  }
  const candidates = dataFormatModules().filter((format) =>
    folder ? format.layout !== 'file' : format.layout !== 'folder',
  );
  const named = (format: (typeof candidates)[number]) => format.name as DataFormat;
  if (folder) {
    for (const format of candidates) if (await format.sniff?.test(path, limit)) return named(format);
    const fallback = candidates.find((format) => format.sniff === undefined);
    if (fallback) return named(fallback);
  } else {
    const byName = candidates.find((format) => hasExtension(path, format.extensions));
    if (byName) return named(byName);
    for (const format of candidates) {
      const sniff = format.sniff;
      if (sniff && hasExtension(path, sniff.extensions) && (await sniff.test(path, limit))) {
        return named(format);
      }
    }
  }
  const files = candidates.filter((format) => format.layout === 'file');
  const hints = files.flatMap((format) => (format.sniff?.hint ? [format.sniff.hint] : []));
  throw new DatasetError(
    `cannot tell the format of "${basename(path)}" from its name; give --format ${listOf(files.map((format) => format.name))}${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`,
    path,
  );
}
