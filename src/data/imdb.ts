/**
 * The IMDB Large Movie Review Dataset (Maas et al., ACL 2011) as a `Dataset`, read from the
 * official tarball, the labelled-only tarball, or an unpacked `aclImdb/` folder. Only
 * `{train,test}/{pos,neg}/ID_RATING.txt` counts; `train/unsup/`, `imdb.vocab`, the README and the
 * URL lists are ignored. Each split is sorted by label then numeric id, so the order (and every
 * seeded shuffle after it) does not depend on how the archive or the file system listed files.
 */
import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import type { ProgressCallback } from '../util/progress.js';
import { maxRecordBytesOf, readFileUpTo, type RecordLimit } from './record-limit.js';
import { readTarFiles } from './tar.js';
import type { Dataset, Example, SplitName } from './types.js';
import { utf8Text } from './utf8-file.js';
import { isDirectory } from '../util/paths.js';

export interface LoadImdbOptions extends RecordLimit {
  /** Which splits to read; the others come back empty. Default: both. */
  readonly splits?: readonly SplitName[];
  /** Called with task 'reading imdb' every few hundred reviews, and once at the end. */
  readonly onProgress?: ProgressCallback;
}

/** The labels, sorted, so that label index 0 is 'neg' and 1 is 'pos'. */
export const IMDB_LABELS = ['neg', 'pos'] as const;
type ImdbLabel = (typeof IMDB_LABELS)[number];

const SPLITS: readonly SplitName[] = ['train', 'test'];
/** Reviews per split in the real dataset; the progress total for archives, whose size is unknown up front. */
const REVIEWS_PER_SPLIT = 25_000;
const PROGRESS_EVERY = 500;
const PROGRESS_TASK = 'reading imdb';
const FILE_NAME = /^(\d+)_(\d+)\.txt$/;
const LAYOUT = 'aclImdb/{train,test}/{pos,neg}/ID_RATING.txt';
const FOLDER_READ_CONCURRENCY = 16;

/**
 * Reads IMDB from `path`: a `.tar.gz` (streamed, never unpacked to disk), a folder containing
 * `aclImdb/`, or the `aclImdb/` folder itself (any folder with `train/` and `test/`). Keeps each
 * review's `id` and star `rating` from its file name. Throws `DatasetError` naming the file and
 * what was expected when the path is missing, the archive is not a (complete) tarball, a
 * requested split lacks reviews, a file name is not `ID_RATING.txt`, or a review is not UTF-8.
 */
export async function loadImdb(path: string, options: LoadImdbOptions = {}): Promise<Dataset> {
  const splits = options.splits ?? SPLITS;
  if (splits.length === 0) throw new DatasetError('no splits requested (expected "train" and/or "test")');
  const info = await stat(path).catch((error: unknown) => {
    throw new DatasetError(
      `does not exist (expected the IMDB archive aclImdb_v1.tar.gz or a folder with the layout ${LAYOUT})`,
      path,
      undefined,
      { cause: error },
    );
  });
  const collector = new ReviewCollector(path, splits, options.onProgress);
  const maxRecordBytes = maxRecordBytesOf(options);
  if (info.isDirectory()) await readFolder(path, collector, maxRecordBytes);
  else await readArchive(path, info, collector, maxRecordBytes);
  return collector.finish();
}

/** Where one review sits in the layout, parsed from its path. */
interface ReviewPath {
  readonly split: SplitName;
  readonly label: ImdbLabel;
  readonly fileName: string;
}

/**
 * Accepts `[prefix/]split/label/file` with at most one leading folder (normally `aclImdb`).
 * Hidden files (`.DS_Store`, macOS `._*` resource forks) are not reviews and are skipped.
 */
function parseReviewPath(name: string): ReviewPath | undefined {
  const parts = name.split('/');
  if (parts.length === 4) parts.shift();
  if (parts.length !== 3) return undefined;
  const [split, label, fileName] = parts;
  if (split !== 'train' && split !== 'test') return undefined;
  if (label !== 'pos' && label !== 'neg') return undefined;
  if (fileName === '' || fileName.startsWith('.')) return undefined;
  return { split, label, fileName };
}

async function readArchive(
  path: string,
  info: Stats,
  collector: ReviewCollector,
  maxRecordBytes: number,
): Promise<void> {
  if (!info.isFile()) throw new DatasetError('is neither a file nor a folder (expected a .tar.gz)', path);
  const wanted = (name: string): boolean => {
    const review = parseReviewPath(name);
    return review !== undefined && collector.wants(review.split);
  };
  collector.start(collector.splitCount * REVIEWS_PER_SPLIT);
  for await (const file of readTarFiles(path, wanted, { maxRecordBytes })) {
    const review = parseReviewPath(file.name);
    if (review) collector.add(review, file.data, path, `entry ${file.name}`);
  }
}

async function readFolder(path: string, collector: ReviewCollector, maxRecordBytes: number): Promise<void> {
  const nested = join(path, 'aclImdb');
  const root = (await isDirectory(nested)) ? nested : path;
  const jobs: { review: ReviewPath; file: string }[] = [];
  for (const split of SPLITS) {
    if (!collector.wants(split)) continue;
    for (const label of IMDB_LABELS) {
      const dir = join(root, split, label);
      const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
        if (isMissing(error)) return [];
        throw new DatasetError(`cannot list folder (${String(error)})`, dir, undefined, { cause: error });
      });
      for (const entry of entries) {
        if (entry.name.startsWith('.') || !(entry.isFile() || entry.isSymbolicLink())) continue;
        jobs.push({ review: { split, label, fileName: entry.name }, file: join(dir, entry.name) });
      }
    }
  }
  collector.start(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const data = await readFileUpTo(job.file, maxRecordBytes, 'review');
      collector.add(job.review, data, job.file);
    }
  };
  await Promise.all(Array.from({ length: FOLDER_READ_CONCURRENCY }, worker));
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Validates, decodes and gathers reviews; reports progress; sorts and checks the result. */
class ReviewCollector {
  private readonly examples = new Map<SplitName, Example[]>();
  private readonly seen = new Set<string>();
  private done = 0;
  private total = 0;

  constructor(
    private readonly source: string,
    private readonly splits: readonly SplitName[],
    private readonly onProgress: ProgressCallback | undefined,
  ) {
    for (const split of splits) {
      if (!SPLITS.includes(split)) {
        throw new DatasetError(`unknown split "${String(split)}" (expected "train" or "test")`);
      }
      this.examples.set(split, []);
    }
  }

  get splitCount(): number {
    return this.examples.size;
  }

  wants(split: SplitName): boolean {
    return this.examples.has(split);
  }

  start(total: number): void {
    this.total = total;
    this.report();
  }

  /**
   * Adds one review. `file` is what the error names (the archive or the review file) and
   * `where`, for archives, the entry inside it.
   */
  add(review: ReviewPath, data: Buffer, file: string, where?: string): void {
    const at = where === undefined ? '' : `${where}: `;
    const match = FILE_NAME.exec(review.fileName);
    if (!match) {
      throw new DatasetError(
        `${at}file name "${review.fileName}" in ${review.split}/${review.label}/ does not match ID_RATING.txt (e.g. 123_8.txt)`,
        file,
      );
    }
    const id = match[1];
    const rating = Number(match[2]);
    if (rating < 1 || rating > 10) {
      throw new DatasetError(`${at}rating ${rating} in "${review.fileName}" is outside 1–10`, file);
    }
    const key = `${review.split}/${review.label}/${id}`;
    if (this.seen.has(key)) {
      throw new DatasetError(`${at}review ${key} appears twice (expected one file per id)`, file);
    }
    this.seen.add(key);
    const text = utf8Text(data);
    if (text === undefined) throw new DatasetError(`${at}review is not valid UTF-8 text`, file);
    this.examples.get(review.split)?.push({ text, label: review.label, id, rating });
    this.done++;
    if (this.done % PROGRESS_EVERY === 0) this.report();
  }

  finish(): Dataset {
    for (const [split, examples] of this.examples) {
      const missing = IMDB_LABELS.filter((label) => !examples.some((example) => example.label === label));
      if (missing.length > 0) {
        const where = missing.map((label) => `${split}/${label}/`).join(' or ');
        throw new DatasetError(
          `no reviews in ${where} (expected the layout ${LAYOUT}, as in aclImdb_v1.tar.gz)`,
          this.source,
        );
      }
      examples.sort(compareExamples);
    }
    this.total = this.done;
    this.report();
    return {
      name: 'imdb',
      labels: [...IMDB_LABELS],
      train: this.examples.get('train') ?? [],
      test: this.examples.get('test') ?? [],
    };
  }

  private report(): void {
    this.onProgress?.({ task: PROGRESS_TASK, done: this.done, total: this.total, unit: 'reviews' });
  }
}

function compareExamples(a: Example, b: Example): number {
  if (a.label !== b.label) return a.label < b.label ? -1 : 1;
  return Number(a.id) - Number(b.id);
}
