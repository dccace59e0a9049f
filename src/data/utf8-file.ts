/**
 * The one line reader of every line-based data format (CSV and TSV records, JSON Lines, fastText, one
 * text per line), for training data and prediction input alike: bytes in (a file, standard input),
 * decoded runs of whole lines out, each line with its number, under the `--max-record-bytes` ceiling
 * (`bounded-lines.ts`), without a leading byte order mark, and with every line that is not valid UTF-8
 * named by its number. A decoder that stops at the first bad byte loses the file; one that silently
 * writes U+FFFD loses the fact. Here each block of whole lines is checked at native speed (`isUtf8`),
 * and only a block that fails is looked at line by line, so a clean file costs one extra scan and a
 * dirty one says where. What a bad line means is each use's choice: a training row is reported, a
 * prediction text is scored with U+FFFD in place of the bad bytes.
 *
 * A line ends at `\n` (a `\r` before it dropped); a lone `\r` is text, as it is inside a JSON Lines
 * record's whitespace or a CSV record once `\r\n` is normalised.
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
  /** Bytes of the input taken so far, for progress. */
  readonly bytesRead: number;
}

/** One line, without its line ending. */
export interface TextLine {
  readonly line: number;
  readonly text: string;
  /** False when the line holds bytes that are not valid UTF-8 (then `text` has U+FFFD in their place). */
  readonly utf8: boolean;
  readonly bytesRead: number;
}

/** Where the bytes come from, for messages ('-' for standard input), and the ceiling on a line. */
export interface LineSource extends RecordLimit {
  readonly file: string;
}

const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];
/** Node's default; csv-parse parsed a 64 MB file several times slower in 1 MiB writes than in these. */
const READ_SIZE = 1 << 16;

/**
 * Yields a byte stream as chunks of whole lines (each chunk but the last ends with a newline), without a
 * leading UTF-8 byte order mark.
 * @throws DatasetError when a line is longer than `maxRecordBytes` (naming the line), or the stream
 *   fails ("cannot read file").
 */
export async function* utf8Chunks(
  bytes: AsyncIterable<Buffer>,
  { file, ...options }: LineSource,
): AsyncGenerator<TextChunk> {
  const limit = { file, maxLineBytes: maxRecordBytesOf(options) };
  let first = true;
  let bytesRead = 0;
  const counted = async function* () {
    for await (const chunk of bytes) {
      bytesRead += chunk.length;
      yield chunk;
    }
  };
  try {
    for await (const block of lineBlocks(counted(), limit)) {
      let data = block.bytes;
      if (first) {
        first = false;
        if (BOM.every((b, i) => data[i] === b)) data = data.subarray(BOM.length);
      }
      const invalidLines = isUtf8(data) ? [] : linesNotUtf8(data, block.firstLine);
      yield { text: data.toString('utf8'), firstLine: block.firstLine, invalidLines, bytesRead };
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`cannot read file (${(error as Error).message})`, file, undefined, {
      cause: error,
    });
  }
}

/** Yields every line of a byte stream (a `\r` before the newline dropped), blank ones included. */
export async function* utf8Lines(bytes: AsyncIterable<Buffer>, source: LineSource): AsyncGenerator<TextLine> {
  for await (const chunk of utf8Chunks(bytes, source)) {
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

/** The bytes of a file, read in blocks; the file is closed when the reader stops, early or not. */
export async function* fileBytes(file: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(file, { highWaterMark: READ_SIZE });
  try {
    yield* stream as AsyncIterable<Buffer>;
  } finally {
    stream.destroy();
  }
}

/** {@link utf8Lines} of a file. @throws DatasetError also when the file cannot be opened or read. */
export function readUtf8Lines(file: string, options: RecordLimit = {}): AsyncGenerator<TextLine> {
  return utf8Lines(fileBytes(file), { ...options, file });
}

/**
 * A whole file (or archive entry) as one text, for the formats whose record is a file (a folder per
 * label, IMDB): without a leading byte order mark, or undefined when it is not valid UTF-8. What that
 * means is the format's to say (a folder's row is reported, an IMDB review stops the read).
 */
export function utf8Text(data: Buffer): string | undefined {
  if (!isUtf8(data)) return undefined;
  const text = data.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
