/**
 * Pre-trained word vectors from the three common file formats, streamed so that a file of millions
 * of words is never held in memory: only the vectors of the words a caller keeps (typically those of
 * a vocabulary) are parsed and stored.
 *
 * - GloVe text: one `word v1 … vD` line per word, no header.
 * - word2vec text: a header line `WORDS DIMENSIONS`, then GloVe-style lines (fastText's `.vec` files
 *   are this format).
 * - word2vec binary: the same header line, then per word its UTF-8 bytes up to a space and `D`
 *   little-endian float32 values, optionally followed by a newline (the original C tool writes one,
 *   gensim does not).
 *
 * The format is detected unless given: a name ending in `.bin` (or `.bin.gz`) is word2vec binary;
 * otherwise a first line of two integers is a word2vec header, anything else is GloVe. A file starting
 * with the gzip signature is decompressed on the fly, whatever its name. Malformed input is a
 * `DatasetError` naming the file and the line (text) or the record and byte offset (binary).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { maxRecordBytesOf, type RecordLimit } from '../../data/record-limit.js';
import { DatasetError } from '../../errors.js';
import type { ProgressCallback } from '../../util/progress.js';
import { BinaryVectorParser } from './word-vector-binary.js';
import {
  formatFromName,
  type VectorParser,
  type VectorSink,
  type WordVectorFormat,
} from './word-vector-parser.js';
import { TextVectorParser } from './word-vector-text.js';

// Part of this module's public face, defined beside the parser contract that the format readers share.
export { WORD_VECTOR_FORMATS, formatFromName, type WordVectorFormat } from './word-vector-parser.js';

export interface ReadWordVectorsOptions extends RecordLimit {
  /** The file's format; default: detected (see the module comment). */
  readonly format?: WordVectorFormat;
  /**
   * Which words to keep. Only their values are parsed and stored, so memory is bounded by what this
   * accepts, not by the file. Called once per word in file order, except for repeats of a word
   * already kept (the first occurrence wins). Default: every word.
   */
  readonly keep?: (word: string) => boolean;
  /** Called with task 'reading word vectors' as the file is read, in bytes of the file on disk. */
  readonly onProgress?: ProgressCallback;
}

export interface WordVectors {
  readonly format: WordVectorFormat;
  readonly dim: number;
  /** Vectors in the file, kept or not. */
  readonly records: number;
  /** The kept words' vectors, in file order. */
  readonly vectors: ReadonlyMap<string, Float32Array>;
}

/** The format and dimension of a vector file, from its first line or record alone. */
export interface WordVectorFileInfo {
  readonly format: WordVectorFormat;
  readonly dim: number;
  /** Words in the header (word2vec formats only). */
  readonly declaredWords?: number;
}

export const WORD_VECTORS_TASK = 'reading word vectors';
const READ_CHUNK = 1 << 20;
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Streams a vector file, keeping the vectors of the words `options.keep` accepts.
 * @throws DatasetError when the file is missing, not in the format, or malformed (naming the line
 * or byte offset).
 */
export async function readWordVectors(
  file: string,
  options: ReadWordVectorsOptions = {},
): Promise<WordVectors> {
  const keep = options.keep ?? (() => true);
  const vectors = new Map<string, Float32Array>();
  const sink: VectorSink = {
    wants: (word) => !vectors.has(word) && keep(word),
    add: (word, vector) => vectors.set(word, vector),
  };
  const parser = createParser(file, options.format, sink, maxRecordBytesOf(options));
  await streamInto(file, parser, { onProgress: options.onProgress });
  return { format: parser.format!, dim: parser.dim!, records: parser.records, vectors };
}

/**
 * Reads only the start of a vector file, to learn its format and dimension (for example to check
 * options before a long run).
 * @throws DatasetError as {@link readWordVectors} does for the part it reads.
 */
export async function inspectWordVectors(
  file: string,
  format?: WordVectorFormat,
  limit: RecordLimit = {},
): Promise<WordVectorFileInfo> {
  const parser = createParser(
    file,
    format,
    { wants: () => false, add: () => undefined },
    maxRecordBytesOf(limit),
  );
  await streamInto(file, parser, { stopWhen: () => parser.dim !== undefined });
  const info = { format: parser.format!, dim: parser.dim! };
  return parser.declaredWords === undefined ? info : { ...info, declaredWords: parser.declaredWords };
}

function createParser(
  file: string,
  format: WordVectorFormat | undefined,
  sink: VectorSink,
  maxRecordBytes: number,
): VectorParser {
  const chosen = format ?? formatFromName(file);
  return chosen === 'word2vec-binary'
    ? new BinaryVectorParser(file, sink, maxRecordBytes)
    : new TextVectorParser(file, chosen, sink, maxRecordBytes);
}

/**
 * Feeds the file's bytes (decompressed when it is gzip) to `parser`, reporting progress in bytes of
 * the file on disk. With `stopWhen`, stops as soon as it holds after a chunk, without `end()`.
 */
async function streamInto(
  file: string,
  parser: VectorParser,
  options: { onProgress?: ProgressCallback; stopWhen?: () => boolean },
): Promise<void> {
  const size = await fileSize(file);
  const gzip = await startsWithGzipMagic(file);
  const source = createReadStream(file, { highWaterMark: READ_CHUNK });
  let input: Readable = source;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: READ_CHUNK });
    // Errors surface through the iteration below; this only keeps an early stop from leaving an
    // unhandled rejection behind.
    pipeline(source, gunzip).catch(() => undefined);
    input = gunzip;
  }
  let reported = -1;
  try {
    for await (const chunk of input) {
      parser.push(chunk as Buffer);
      if (options.stopWhen?.()) return;
      if (options.onProgress && source.bytesRead !== reported) {
        reported = source.bytesRead;
        options.onProgress({ task: WORD_VECTORS_TASK, done: reported, total: size, unit: 'bytes' });
      }
    }
    parser.end();
  } catch (error) {
    throw describeError(error, file);
  } finally {
    source.destroy();
  }
}

async function fileSize(file: string): Promise<number> {
  const info = await stat(file).catch((error: unknown) => {
    throw new DatasetError(
      'does not exist (expected a word-vector file: GloVe or word2vec text, or word2vec binary)',
      file,
      undefined,
      { cause: error },
    );
  });
  if (!info.isFile()) throw new DatasetError('is not a file (expected a word-vector file)', file);
  return info.size;
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw describeError(error, file);
  });
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

function describeError(error: unknown, file: string): Error {
  if (error instanceof DatasetError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return new DatasetError('truncated gzip data (the file is incomplete)', file, undefined, {
      cause: error,
    });
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new DatasetError(`corrupt gzip data (${message})`, file, undefined, { cause: error });
  }
  return new DatasetError(`cannot read (${message})`, file, undefined, { cause: error });
}
