/**
 * Streaming reader for `.tar.gz` (and plain `.tar`) archives. Datasets ship as tarballs of many
 * small files; streaming them through gunzip and tar-stream reads the whole IMDB archive in well
 * under a second without unpacking anything to disk, and every failure (not gzip, not a tarball,
 * truncated download) becomes a `DatasetError` that names the archive and says what was expected.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { DatasetError } from '../errors.js';
import { maxRecordBytesOf, recordTooLong, type RecordLimit } from './record-limit.js';

/** One regular file of an archive, read whole. */
export interface TarFile {
  /** The entry's path inside the archive, with any leading `./` or `/` removed. */
  readonly name: string;
  readonly data: Buffer;
}

type Compression = 'gzip' | 'none';

const GZIP_MAGIC = [0x1f, 0x8b];
const USTAR_MAGIC = 'ustar';
const USTAR_OFFSET = 257;
const READ_CHUNK = 1 << 20;

/**
 * Yields the regular files of the archive at `path` whose names `wanted` accepts, in archive
 * order; other entries are skipped without being buffered. The archive may be gzip-compressed or
 * plain (detected from its first bytes, not its name). Stops reading when the caller stops
 * iterating.
 */
export async function* readTarFiles(
  path: string,
  wanted: (name: string) => boolean = () => true,
  options: RecordLimit = {},
): AsyncGenerator<TarFile> {
  const maxRecordBytes = maxRecordBytesOf(options);
  const compression = await detectCompression(path);
  const source: Readable = createReadStream(path, { highWaterMark: READ_CHUNK });
  const extract = tar.extract();
  const done =
    compression === 'gzip'
      ? pipeline(source, createGunzip({ chunkSize: READ_CHUNK }), extract)
      : pipeline(source, extract);
  // Errors surface through the iterator below; this only keeps an early return from leaving an
  // unhandled rejection behind.
  done.catch(() => undefined);

  let entries = 0;
  try {
    for await (const entry of extract) {
      entries++;
      const name = normalizeName(entry.header.name);
      const type = entry.header.type;
      if ((type !== 'file' && type !== 'contiguous-file') || !wanted(name)) {
        entry.resume();
        continue;
      }
      // The header tells the size before anything is buffered (tar-stream reads no more than it says).
      if ((entry.header.size ?? 0) > maxRecordBytes) {
        throw recordTooLong(path, undefined, maxRecordBytes, `entry ${name}`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      yield { name, data: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) };
    }
    await done;
  } catch (error) {
    throw describeError(error, path, compression, entries);
  } finally {
    source.destroy();
  }
}

/** Reads the first bytes to tell a gzip stream from a plain tarball from something else. */
async function detectCompression(path: string): Promise<Compression> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new DatasetError(`cannot open archive (${messageOf(error)})`, path, undefined, { cause: error });
  });
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return 'gzip';
    const magic = head.toString('latin1', USTAR_OFFSET, USTAR_OFFSET + USTAR_MAGIC.length);
    if (bytesRead === 512 && magic === USTAR_MAGIC) return 'none';
    throw new DatasetError(
      bytesRead === 0
        ? 'is empty (expected a gzip-compressed tarball, .tar.gz)'
        : 'is not a gzip-compressed tarball (expected a .tar.gz file starting with the gzip signature 1f 8b, or a .tar)',
      path,
    );
  } finally {
    await handle.close();
  }
}

/** Turns zlib and tar-stream errors into a message a user can act on. */
function describeError(error: unknown, path: string, compression: Compression, entries: number): Error {
  if (error instanceof DatasetError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = messageOf(error);
  const cause = { cause: error };
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return new DatasetError(
      `truncated gzip data after ${entries} archive entries (the file is incomplete; download it again)`,
      path,
      undefined,
      cause,
    );
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new DatasetError(`corrupt gzip data (${message})`, path, undefined, cause);
  }
  if (/invalid tar header/i.test(message)) {
    const what = compression === 'gzip' ? 'is gzip-compressed but not a tarball' : 'is not a valid tarball';
    return new DatasetError(
      `${what} (invalid tar header after ${entries} entries; expected a .tar.gz)`,
      path,
      undefined,
      cause,
    );
  }
  if (/unexpected end of data/i.test(message)) {
    const what = entries === 0 ? 'is not a tarball (no complete tar header)' : 'is a truncated tarball';
    return new DatasetError(
      `${what} after ${entries} entries (expected a complete .tar.gz)`,
      path,
      undefined,
      cause,
    );
  }
  return new DatasetError(`cannot read archive (${message})`, path, undefined, cause);
}

function normalizeName(name: string): string {
  return name.replace(/^(?:\.?\/)+/, '');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
