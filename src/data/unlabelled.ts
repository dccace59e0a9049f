/**
 * Unlabelled texts, for the model families that learn from text without labels (document vectors): a
 * tarball or folder of `.txt` files (IMDB's `train/unsup/` when the archive holds one, else every `.txt`),
 * a plain text file of one text per line, or any labelled data format, whose labels are then ignored.
 *
 * Texts of a test split (a `test/` folder in an archive or folder, a row of a format's test split) are
 * never read unless `transductive` says so: an inductive model must not have seen a test review, with
 * or without its label.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import { DatasetError } from '../errors.js';
import { openRowSource } from './load-dataset.js';
import { maxRecordBytesOf, readFileUpTo, type RecordLimit } from './record-limit.js';
import { readTarFiles } from './tar.js';
import { utf8Text } from './utf8-file.js';

export interface UnlabelledOptions extends RecordLimit {
  /** Read test-split texts too (they are refused otherwise). */
  readonly transductive?: boolean;
  /** Read only IMDB's `train/unsup/` (for a labelled archive passed as --data); others give no text. */
  readonly onlyImdbUnsup?: boolean;
}

/** What was read, and what the manifest records of it. */
export interface UnlabelledTexts {
  readonly texts: string[];
  /** SHA-256 over the texts in the order read. */
  readonly fingerprint: string;
  /** Whether test-split texts were among them. */
  readonly transductive: boolean;
}

const ARCHIVE = /\.(tar\.gz|tgz|tar)$/i;
const UNSUP = /(^|\/)train\/unsup\/[^/]+\.txt$/;
const TEST_PART = /(^|\/)test\//;

/**
 * Reads the unlabelled texts at `path`.
 * @throws DatasetError for a missing path, a file that is not UTF-8, no text found, or a test-split text
 *   without `transductive`.
 */
export async function loadUnlabelled(
  path: string,
  options: UnlabelledOptions = {},
): Promise<UnlabelledTexts> {
  const info = await stat(path).catch((error: unknown) => {
    throw new DatasetError('does not exist (expected unlabelled texts)', path, undefined, { cause: error });
  });
  // An IMDB --data source that is neither an archive nor a folder holds no train/unsup/: nothing to read.
  if (options.onlyImdbUnsup && !info.isDirectory() && !ARCHIVE.test(path))
    return { texts: [], fingerprint: '', transductive: false };
  let named: { name: string; text: string }[];
  if (info.isDirectory()) named = await folderTexts(path, options);
  else if (ARCHIVE.test(path)) named = await archiveTexts(path, options);
  else if (extname(path).toLowerCase() === '.txt') named = await lineTexts(path, options);
  else named = await formatTexts(path, options);
  if (options.onlyImdbUnsup) named = named.filter((item) => UNSUP.test(item.name));
  else if (named.some((item) => UNSUP.test(item.name)))
    named = named.filter(
      (item) => UNSUP.test(item.name) || (options.transductive && TEST_PART.test(item.name)),
    );
  const test = named.filter((item) => TEST_PART.test(item.name));
  if (test.length > 0 && !options.transductive) {
    throw new DatasetError(
      `holds ${test.length} text(s) of a test split (e.g. ${test[0].name}); an inductive model never reads them: leave them out, or pass --transductive`,
      path,
    );
  }
  const texts = named.map((item) => item.text).filter((text) => text.trim() !== '');
  if (texts.length === 0 && !options.onlyImdbUnsup)
    throw new DatasetError('holds no unlabelled text (expected .txt files, lines of text, or rows)', path);
  const hash = createHash('sha256');
  for (const text of texts) hash.update(text).update('\u0001');
  return { texts, fingerprint: hash.digest('hex'), transductive: test.length > 0 };
}

/**
 * Whether a `.txt` file of an archive or folder is a text to learn from: IMDB's labelled training reviews
 * are training data, and its README and urls_*.txt lists are no reviews at all.
 */
function isUnlabelledText(name: string): boolean {
  return !/(^|\/)train\/(pos|neg)\//.test(name) && !/(^|\/)(README|urls_)[^/]*$/i.test(name);
}

async function archiveTexts(
  path: string,
  options: UnlabelledOptions,
): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  const wanted = (name: string) => name.toLowerCase().endsWith('.txt') && !/(^|\/)\./.test(name);
  for await (const file of readTarFiles(path, wanted, options)) {
    // IMDB's labelled reviews of the training split are training data, not unlabelled text.
    if (!isUnlabelledText(file.name)) continue;
    out.push({ name: file.name, text: decoded(file.data, path, `entry ${file.name}`) });
  }
  return sortedByName(out);
}

async function folderTexts(
  root: string,
  options: UnlabelledOptions,
): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const file = join(dir, entry.name);
      // Named from the folder given itself, so that a test/ folder passed as the root is seen as one.
      const name = relative(dirname(root), file).split(sep).join('/');
      if (entry.isDirectory()) await walk(file);
      else if (entry.name.toLowerCase().endsWith('.txt') && isUnlabelledText(name)) {
        const data = await readFileUpTo(file, maxRecordBytesOf(options), 'text');
        out.push({ name, text: decoded(data, file) });
      }
    }
  };
  await walk(root);
  return sortedByName(out);
}

async function lineTexts(
  path: string,
  options: UnlabelledOptions,
): Promise<{ name: string; text: string }[]> {
  const data = await readFileUpTo(path, Number.MAX_SAFE_INTEGER, 'file');
  const limit = maxRecordBytesOf(options);
  return decoded(data, path)
    .split(/\r?\n/)
    .map((text, line) => {
      // The record limit holds for each text, as it does for each row of the data formats.
      if (Buffer.byteLength(text) > limit) {
        throw new DatasetError(`line ${line + 1} is over the limit of ${limit} bytes a text`, path);
      }
      return { name: `line ${line + 1}`, text };
    });
}

async function formatTexts(
  path: string,
  options: UnlabelledOptions,
): Promise<{ name: string; text: string }[]> {
  const source = await openRowSource(path, { maxRecordBytes: options.maxRecordBytes });
  const out: { name: string; text: string }[] = [];
  for await (const event of source.rows()) {
    if (!('row' in event)) continue;
    const { row } = event;
    out.push({ name: row.split === 'test' ? `test/${row.line}` : `row ${row.line}`, text: row.text });
  }
  return out;
}

function decoded(data: Buffer, file: string, where?: string): string {
  const text = utf8Text(data);
  if (text === undefined)
    throw new DatasetError(`${where === undefined ? '' : `${where}: `}is not valid UTF-8 text`, file);
  return text;
}

/** In name order (numeric ids by value), so the texts and their fingerprint do not depend on the archive's order. */
function sortedByName<T extends { name: string }>(items: T[]): T[] {
  const collator = new Intl.Collator('en', { numeric: true });
  return items.sort((a, b) => collator.compare(a.name, b.name));
}
