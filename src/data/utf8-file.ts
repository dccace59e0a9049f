/**
 * Reading a text file in whole lines, streamed, with every line that is not valid UTF-8 named by its
 * number. A decoder that stops at the first bad byte loses the file; one that silently writes U+FFFD
 * loses the fact. Here each block of whole lines is checked at native speed (`isUtf8`), and only a block
 * that fails is looked at line by line, so a clean file costs one extra scan and a dirty one says where.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { DatasetError } from '../errors.js';
import { lineBlocks } from './bounded-lines.js';
import { maxRecordBytesOf, type RecordLimit } from './record-limit.js';

/** A run of whole lines, decoded (bytes that are not UTF-8 become U+FFFD). */
export interface TextChunk {
  readonly text: string;
  /** Number of the chunk's first line (1-based). */
  readonly firstLine: number;
  /** Lines of the chunk that hold bytes that are not valid UTF-8, in order. */
  readonly invalidLines: readonly number[];
  /** Bytes of the file read so far, for progress. */
  readonly bytesRead: number;
}

const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];
/** Node's default; csv-parse parsed a 64 MB file several times slower in 1 MiB writes than in these. */
const READ_SIZE = 1 << 16;

/**
 * Yields the file as chunks of whole lines (each chunk but the last ends with a newline), without a
 * leading UTF-8 byte order mark.
 * @throws DatasetError when the file cannot be opened or read, or a line is longer than
 *   `maxRecordBytes` (naming the line).
 */
export async function* readUtf8Chunks(file: string, options: RecordLimit = {}): AsyncGenerator<TextChunk> {
  const limit = { file, maxLineBytes: maxRecordBytesOf(options) };
  const stream = createReadStream(file, { highWaterMark: READ_SIZE });
  let first = true;
  try {
    for await (const block of lineBlocks(stream as AsyncIterable<Buffer>, limit)) {
      let bytes = block.bytes;
      if (first) {
        first = false;
        if (BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(BOM.length);
      }
      const invalidLines = isUtf8(bytes) ? [] : linesNotUtf8(bytes, block.firstLine);
      yield {
        text: bytes.toString('utf8'),
        firstLine: block.firstLine,
        invalidLines,
        bytesRead: stream.bytesRead,
      };
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`cannot read file (${(error as Error).message})`, file, undefined, {
      cause: error,
    });
  } finally {
    stream.destroy();
  }
}

/** One line of a file, without its line ending. */
export interface TextLine {
  readonly line: number;
  readonly text: string;
  /** False when the line holds bytes that are not valid UTF-8 (then `text` has U+FFFD in their place). */
  readonly utf8: boolean;
  readonly bytesRead: number;
}

/** Yields every line of the file (a `\r` before the newline dropped), blank ones included. */
export async function* readUtf8Lines(file: string, options: RecordLimit = {}): AsyncGenerator<TextLine> {
  for await (const chunk of readUtf8Chunks(file, options)) {
    const lines = chunk.text.split('\n');
    // A chunk ends with a newline (but perhaps the last), which leaves an empty piece after it.
    if (lines[lines.length - 1] === '') lines.pop();
    let bad = 0;
    for (let i = 0; i < lines.length; i++) {
      const number = chunk.firstLine + i;
      const text = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
      const utf8 = chunk.invalidLines[bad] !== number;
      if (!utf8) bad++;
      yield { line: number, text, utf8, bytesRead: chunk.bytesRead };
    }
  }
}

function linesNotUtf8(bytes: Buffer, firstLine: number): number[] {
  const invalid: number[] = [];
  let start = 0;
  for (let line = firstLine; start < bytes.length; line++) {
    const end = bytes.indexOf(NEWLINE, start);
    const stop = end < 0 ? bytes.length : end;
    if (!isUtf8(bytes.subarray(start, stop))) invalid.push(line);
    start = stop + 1;
  }
  return invalid;
}
