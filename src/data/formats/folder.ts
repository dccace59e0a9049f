/**
 * A folder with one sub-folder per label, each file in it one text: the IMDB layout generalised to any
 * labels and any file names. Either `ROOT/LABEL/FILE` (no split of its own), or
 * `ROOT/train/LABEL/FILE` with an optional `ROOT/test/LABEL/FILE`. Hidden entries (`.DS_Store`) are
 * skipped, and so are files directly in `ROOT` or a split folder (a README); a folder inside a label
 * folder is an error rather than silently ignored. Files are read in name order, several at a time.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DatasetError } from '../../errors.js';
import { maxRecordBytesOf, readFileUpTo, type RecordLimit } from '../record-limit.js';
import type { RowEvent, RowSource } from '../rows.js';
import type { SplitName } from '../types.js';
import { utf8Text } from '../utf8-file.js';
import type { FormatModule } from './format.js';

/** One file to read and what it is. */
interface LabelledFile {
  readonly path: string;
  readonly id: string;
  readonly label: string;
  readonly split?: SplitName;
}

const READ_AHEAD = 16;

/** Lists the folder (the files are read by `rows()`). @throws DatasetError when it holds no label folder. */
export async function folderSource(root: string, options: RecordLimit = {}): Promise<RowSource> {
  const maxRecordBytes = maxRecordBytesOf(options);
  const top = await subfolders(root);
  const splits = top.filter((name) => name === 'train' || name === 'test') as SplitName[];
  const files: LabelledFile[] = [];
  if (splits.length > 0) {
    const others = top.filter((name) => name !== 'train' && name !== 'test');
    if (!splits.includes('train')) {
      throw new DatasetError('has test/ but no train/ (expected train/LABEL/ and test/LABEL/)', root);
    }
    if (others.length > 0) {
      throw new DatasetError(
        `mixes split folders (train/, test/) with other folders (${others.join(', ')}); expected either LABEL/ folders or train/LABEL/ and test/LABEL/`,
        root,
      );
    }
    for (const split of ['train', 'test'] as const) {
      if (splits.includes(split)) files.push(...(await labelledFiles(root, join(root, split), split)));
    }
  } else {
    files.push(...(await labelledFiles(root, root)));
  }
  if (files.length === 0) {
    throw new DatasetError(
      'holds no labelled files (expected one folder per label, e.g. pos/ and neg/, each holding one text per file, optionally inside train/ and test/)',
      root,
    );
  }
  let bytes = 0;
  return {
    format: 'folder',
    path: root,
    hasSplits: splits.includes('test'),
    get bytes() {
      return bytes;
    },
    rows: () => readFolderRows(files, maxRecordBytes, (n) => (bytes = n)),
  };
}

async function* readFolderRows(
  files: readonly LabelledFile[],
  maxRecordBytes: number,
  onBytes: (total: number) => void,
): AsyncGenerator<RowEvent> {
  const reads: Promise<Buffer>[] = [];
  const start = (i: number) => {
    if (i < files.length) {
      reads[i] = readFileUpTo(files[i].path, maxRecordBytes);
      // Settled later, in order; an early failure must not be reported as unhandled meanwhile.
      reads[i].catch(() => undefined);
    }
  };
  for (let i = 0; i < READ_AHEAD; i++) start(i);
  let total = 0;
  for (let i = 0; i < files.length; i++) {
    const data = await reads[i];
    delete reads[i];
    start(i + READ_AHEAD);
    total += data.length;
    onBytes(total);
    const { path, id, label, split } = files[i];
    const text = utf8Text(data);
    if (text === undefined) {
      yield {
        problem: {
          kind: 'invalid-utf8',
          file: path,
          line: 1,
          id,
          reason: 'the file is not valid UTF-8 text',
        },
      };
      continue;
    }
    yield { row: { text, label, file: path, line: 1, id, ...(split ? { split } : {}) } };
  }
}

/** Every file of every label folder of `dir`, by label then file name. */
async function labelledFiles(root: string, dir: string, split?: SplitName): Promise<LabelledFile[]> {
  const out: LabelledFile[] = [];
  for (const label of await subfolders(dir)) {
    const folder = join(dir, label);
    const entries = await listFolder(folder);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        throw new DatasetError(`a label folder holds a folder (expected only files, one text each)`, path);
      }
      out.push({ path, id: relative(root, path).split(sep).join('/'), label, ...(split ? { split } : {}) });
    }
  }
  return out;
}

/** The names of the visible sub-folders of `dir`, sorted. */
async function subfolders(dir: string): Promise<string[]> {
  const entries = await listFolder(dir);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}

async function listFolder(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw new DatasetError(`cannot list folder (${String(error)})`, dir, undefined, { cause: error });
  });
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The folder format takes any folder that no other format claims (see `imdb.ts`). */
export const folderFormat: FormatModule = {
  name: 'folder',
  title: 'folder',
  layout: 'folder',
  extensions: [],
  openRows: folderSource,
};
