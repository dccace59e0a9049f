/**
 * The ceiling on one record of input (a line, a CSV row, a file of a folder dataset, an archive entry, a
 * word vector): `--max-record-bytes`, 10 MiB unless given. Without one, a file with no line breaks
 * (`/dev/zero`, a binary given by mistake) is read into one ever-growing line until memory runs out; with
 * one, the read stops within the limit and says which file and line, in memory bounded by the limit.
 */
import { open } from 'node:fs/promises';
import { DatasetError } from '../errors.js';

/** The longest record (line, file or field) read by default: 10 MiB (`--max-record-bytes`). */
export const DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024;

/** The limit's flag, for messages and help. */
export const MAX_RECORD_BYTES_FLAG = '--max-record-bytes';

const READ_SIZE = 1 << 16;

/** How far a read runs before a record counts as too long, and how it says so. */
export interface RecordLimit {
  /** Bytes one record may hold. Default {@link DEFAULT_MAX_RECORD_BYTES}. */
  readonly maxRecordBytes?: number;
}

/** `options.maxRecordBytes`, or the default; checked, since a library caller may pass anything. */
export function maxRecordBytesOf(options: RecordLimit | undefined): number {
  const limit = options?.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`maxRecordBytes must be a positive integer, got ${limit}`);
  }
  return limit;
}

/**
 * The error for a record over the limit. `what` names the record ("line", "row", "file", "entry x");
 * `line` is where it starts, when the format has lines.
 */
export function recordTooLong(
  file: string,
  line: number | undefined,
  maxBytes: number,
  what = 'line',
): DatasetError {
  return new DatasetError(
    `${what} is longer than ${maxBytes.toLocaleString('en-US')} bytes, the ${MAX_RECORD_BYTES_FLAG} limit ` +
      `(is this the right file? raise ${MAX_RECORD_BYTES_FLAG} if records this long are meant)`,
    file,
    line,
  );
}

/**
 * Reads a whole file, but no more than `maxBytes` of it: a file larger than that (or a device such as
 * `/dev/zero`, whose size `stat` does not tell) fails after reading `maxBytes + 1` bytes at most.
 * @throws DatasetError naming the file when it cannot be read or is over the limit.
 */
export async function readFileUpTo(file: string, maxBytes: number, what = 'file'): Promise<Buffer> {
  const cannot = (error: unknown) =>
    new DatasetError(`cannot read ${what} (${String(error)})`, file, undefined, { cause: error });
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw cannot(error);
  });
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > maxBytes) throw recordTooLong(file, undefined, maxBytes, what);
    // The size is a hint only (a device, a file still growing): the read itself stops at the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // A regular file is read into a buffer of its size (the +1 sees it if it grew), not a chunk that
      // would keep a mostly empty allocation alive behind every short text.
      const want = total === 0 && info.isFile() ? info.size + 1 : READ_SIZE;
      const chunk = Buffer.allocUnsafe(Math.min(want, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw recordTooLong(file, undefined, maxBytes, what);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } catch (error) {
    throw error instanceof DatasetError ? error : cannot(error);
  } finally {
    await handle.close();
  }
}
