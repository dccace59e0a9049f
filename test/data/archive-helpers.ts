/** Builds small IMDB-style archives and folders for the data tests. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export interface FakeEntry {
  readonly name: string;
  readonly content?: string | Buffer;
  readonly directory?: boolean;
}

/** Writes `entries` as a tarball, gzip-compressed unless `gzip` is false. */
export async function writeTarball(
  path: string,
  entries: readonly FakeEntry[],
  gzip = true,
): Promise<string> {
  const pack = tar.pack();
  const done = gzip
    ? pipeline(pack, createGzip(), createWriteStream(path))
    : pipeline(pack, createWriteStream(path));
  for (const entry of entries) {
    if (entry.directory) pack.entry({ name: entry.name, type: 'directory' });
    else pack.entry({ name: entry.name }, entry.content ?? '');
  }
  pack.finalize();
  await done;
  return path;
}

/** Writes `entries` as files under `root`. */
export async function writeFolder(root: string, entries: readonly FakeEntry[]): Promise<string> {
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.directory) {
      await mkdir(path, { recursive: true });
    } else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, entry.content ?? '');
    }
  }
  return root;
}

/** A temporary folder and a function that removes it. */
export async function tempDir(
  prefix = 'polarity-test-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A review file entry in the Stanford layout. */
export function review(split: string, label: string, id: number, rating: number, text?: string): FakeEntry {
  return {
    name: `aclImdb/${split}/${label}/${id}_${rating}.txt`,
    content: text ?? `${split} ${label} review ${id}, ${rating} stars.`,
  };
}

/** A small labelled-style dataset: 3 reviews per split and label, listed out of order. */
export function labelledEntries(): FakeEntry[] {
  const entries: FakeEntry[] = [{ name: 'aclImdb/', directory: true }];
  for (const split of ['test', 'train']) {
    entries.push({ name: `aclImdb/${split}/`, directory: true });
    entries.push({ name: `aclImdb/${split}/pos/`, directory: true });
    entries.push(review(split, 'pos', 10, 9), review(split, 'pos', 2, 7), review(split, 'pos', 1, 10));
    entries.push({ name: `aclImdb/${split}/neg/`, directory: true });
    entries.push(review(split, 'neg', 11, 1), review(split, 'neg', 3, 4), review(split, 'neg', 0, 2));
  }
  entries.push({
    name: 'aclImdb/test/urls_pos.txt',
    content: 'http://www.imdb.com/title/tt0000001/usercomments\n',
  });
  entries.push({
    name: 'aclImdb/test/urls_neg.txt',
    content: 'http://www.imdb.com/title/tt0000002/usercomments\n',
  });
  return entries;
}

/** The labelled entries plus what the official archive adds and the loader must ignore. */
export function officialEntries(): FakeEntry[] {
  return [
    ...labelledEntries(),
    { name: 'aclImdb/README', content: 'Large Movie Review Dataset v1.0\n' },
    { name: 'aclImdb/imdb.vocab', content: 'the\nand\n' },
    { name: 'aclImdb/imdbEr.txt', content: '0.1\n' },
    { name: 'aclImdb/train/labeledBow.feat', content: '9 0:1\n' },
    { name: 'aclImdb/train/unsupBow.feat', content: '0 0:1\n' },
    { name: 'aclImdb/train/urls_unsup.txt', content: 'http://example.invalid\n' },
    { name: 'aclImdb/train/unsup/', directory: true },
    { name: 'aclImdb/train/unsup/0_0.txt', content: 'unlabelled review' },
    { name: 'aclImdb/train/unsup/1_0.txt', content: 'another unlabelled review' },
  ];
}
