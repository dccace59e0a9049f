/**
 * The texts of a source for learning without labels (`polarity vectors`): any data format, its
 * labels ignored. IMDB gives its training reviews and, when the archive or folder has them, the
 * 50,000 unlabelled ones of `train/unsup/`, never `test/` (so that vectors learnt from it stay
 * inductive); one text per line, JSON Lines and CSV are read as prediction input (no label needed);
 * the other formats (TSV, fastText, a folder per label) as training data, their training split only.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { detectFormat } from './detect-format.js';
import { loadDataset } from './load-dataset.js';
import { maxRecordBytesOf, readFileUpTo, type RecordLimit } from './record-limit.js';
import { readTarFiles } from './tar.js';
import { readTextInputs } from './text-input.js';
import { utf8Text } from './utf8-file.js';
import type { SourceOptions } from './formats/format.js';
import { DatasetError } from '../errors.js';
import type { DataFormat } from './formats/names.js';

/**
 * How to read the texts: the format (a training data format, or `lines`: one text per line) and the
 * text's column or field, as for training data.
 */
export type CorpusTextOptions = Pick<SourceOptions, 'textColumn' | 'textField' | 'header'> &
  RecordLimit & { readonly format?: DataFormat | 'lines' };

/** `[aclImdb/]train/{pos,neg,unsup}/NAME.txt`: the reviews IMDB lets a model learn from. */
const IMDB_TRAINING_TEXT = /^(?:[^/]+\/)?train\/(?:pos|neg|unsup)\/[^./][^/]*\.txt$/;

/** Yields the texts of `path` in source order; blank ones are skipped. */
export async function* corpusTexts(path: string, options: CorpusTextOptions = {}): AsyncGenerator<string> {
  const format = options.format ?? (await detectFormat(path, undefined, options).catch(() => undefined));
  if (format === 'imdb') {
    yield* imdbTexts(path, options);
  } else if (format === undefined || format === 'lines' || format === 'jsonl' || format === 'csv') {
    // No data format by its name (a .txt file of tweets): read as prediction input is, one text per
    // line unless its first line is a JSON object with the text field.
    const textField = format === 'csv' ? options.textColumn : options.textField;
    if (format === undefined && (await isFolder(path)))
      throw new DatasetError('is a folder of no known layout; give --format', path);
    for await (const row of readTextInputs(path, { ...options, format, textField })) {
      if (row.text.trim() !== '') yield row.text;
    }
  } else {
    const { dataset } = await loadDataset(path, { ...options, format, onError: 'skip' });
    for (const example of dataset.train) yield example.text;
  }
}

async function* imdbTexts(path: string, limit: RecordLimit): AsyncGenerator<string> {
  const decode = (data: Buffer, name: string): string => {
    const text = utf8Text(data);
    if (text === undefined) throw new DatasetError('is not UTF-8 text', path, undefined, { cause: name });
    return text;
  };
  if (!(await isFolder(path))) {
    for await (const file of readTarFiles(path, (name) => IMDB_TRAINING_TEXT.test(name), limit))
      yield decode(file.data, file.name);
    return;
  }
  const root = (await readdir(path)).includes('aclImdb') ? join(path, 'aclImdb') : path;
  for (const part of ['pos', 'neg', 'unsup']) {
    const folder = join(root, 'train', part);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.txt') && !n.startsWith('.')).sort()) {
      const file = join(folder, name);
      yield decode(await readFileUpTo(file, maxRecordBytesOf(limit), 'review'), file);
    }
  }
}

async function isFolder(path: string): Promise<boolean> {
  return readdir(path).then(
    () => true,
    () => false,
  );
}
