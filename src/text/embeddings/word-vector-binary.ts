/**
 * The word2vec binary format, parsed from chunks as they arrive: a header line `WORDS DIMENSIONS`,
 * then per word its UTF-8 bytes up to a space and `DIMENSIONS` little-endian float32 values. The
 * original C tool writes a newline after each record and gensim does not, so newlines before a word
 * are skipped. Exactly the header's number of records is read; only whitespace may follow them.
 * Errors name the record (counting from 1) and the byte offset where it starts.
 */
import { MAX_RECORD_BYTES_FLAG } from '../../data/record-limit.js';
import { DatasetError } from '../../errors.js';
import type { VectorParser, VectorSink } from './word-vector-parser.js';

const HEADER = /^(\d+)[ \t]+(\d+)$/;
const NEWLINE = 0x0a;
const SPACE = 0x20;
/** The header is two numbers; a first line longer than this means the file is something else. */
const MAX_HEADER_BYTES = 64;
/** A word longer than this means the records are out of step (wrong dimension, or not word2vec). */
const MAX_WORD_BYTES = 4096;
const FLOAT_BYTES = 4;

export class BinaryVectorParser implements VectorParser {
  readonly format = 'word2vec-binary';
  dim: number | undefined;
  declaredWords: number | undefined;
  records = 0;
  /** Bytes not yet parsed: at most one incomplete record. */
  private buffer: Buffer = Buffer.alloc(0);
  /** Offset in the file of `buffer[0]`. */
  private offset = 0;

  /** @param maxRecordBytes the longest record accepted (`--max-record-bytes`): word, space and values. */
  constructor(
    private readonly file: string,
    private readonly sink: VectorSink,
    private readonly maxRecordBytes: number,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let position = this.dim === undefined ? this.readHeader() : 0;
    if (position < 0) return;
    for (let next = this.readRecord(position); next >= 0; next = this.readRecord(position)) position = next;
    if (this.records === this.declaredWords) {
      this.checkTrailing(position);
      position = this.buffer.length;
    }
    this.offset += position;
    this.buffer = this.buffer.subarray(position);
  }

  end(): void {
    if (this.dim === undefined) {
      throw new DatasetError(
        this.buffer.length === 0
          ? 'is empty (expected word2vec binary vectors)'
          : 'ends before its header line "WORDS DIMENSIONS" is complete (expected word2vec binary vectors)',
        this.file,
      );
    }
    if (this.records < this.declaredWords!) {
      const start = this.offset + skipNewlines(this.buffer, 0);
      const inside = start < this.offset + this.buffer.length;
      throw new DatasetError(
        inside
          ? `record ${this.records + 1} of ${this.declaredWords} (at byte ${start}) is cut short: the file ends ` +
              `${this.offset + this.buffer.length - start} bytes into it (a record is the word, a space and ` +
              `${this.dim * FLOAT_BYTES} bytes of values)`
          : `ends after ${this.records} of the ${this.declaredWords} words its header promises (is it truncated?)`,
        this.file,
      );
    }
  }

  /** Parses the header; returns where the records start, or -1 when more bytes are needed. */
  private readHeader(): number {
    const newline = this.buffer.indexOf(NEWLINE);
    if (newline < 0 && this.buffer.length <= MAX_HEADER_BYTES) return -1;
    const line = this.buffer.toString('latin1', 0, newline < 0 ? MAX_HEADER_BYTES : newline).trim();
    const match = newline < 0 ? null : HEADER.exec(line);
    const [words, dim] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
    if (!Number.isSafeInteger(words) || !Number.isSafeInteger(dim) || dim < 1) {
      throw new DatasetError(
        `expected the word2vec header "WORDS DIMENSIONS" (e.g. "3000000 300"), found ${JSON.stringify(line.slice(0, 40))}`,
        this.file,
        1,
      );
    }
    // A record is held whole before it is parsed: one over the limit would hold memory the limit forbids
    // (its word is bounded apart, by MAX_WORD_BYTES).
    if (dim * FLOAT_BYTES > this.maxRecordBytes) {
      throw new DatasetError(
        `the header's dimension ${dim} makes each vector ${dim * FLOAT_BYTES} bytes long, more than the ` +
          `${MAX_RECORD_BYTES_FLAG} limit of ${this.maxRecordBytes} bytes (is this the right file? raise ` +
          `${MAX_RECORD_BYTES_FLAG} if vectors this long are meant)`,
        this.file,
        1,
      );
    }
    this.declaredWords = words;
    this.dim = dim;
    return newline + 1;
  }

  /** Parses the record at `position`; returns where the next one starts, or -1 when more bytes are needed. */
  private readRecord(position: number): number {
    const buffer = this.buffer;
    if (this.records === this.declaredWords) return -1;
    const start = skipNewlines(buffer, position);
    const space = buffer.indexOf(SPACE, start);
    const wordBytes = (space < 0 ? buffer.length : space) - start;
    if (wordBytes > MAX_WORD_BYTES) {
      this.fail(
        start,
        `holds no space within ${MAX_WORD_BYTES} bytes: its word has no end (are the records ${this.dim} ` +
          'float32 values long, and is this word2vec binary?)',
      );
    }
    if (space < 0) return -1;
    if (wordBytes === 0) this.fail(start, 'starts with a space: its word is empty');
    const valuesStart = space + 1;
    const next = valuesStart + this.dim! * FLOAT_BYTES;
    if (next > buffer.length) return -1;
    const word = buffer.toString('utf8', start, space);
    if (this.sink.wants(word)) this.sink.add(word, this.readValues(valuesStart, start, word));
    this.records++;
    return next;
  }

  private readValues(from: number, recordStart: number, word: string): Float32Array {
    const values = new Float32Array(this.dim!);
    for (let k = 0; k < values.length; k++) {
      const value = this.buffer.readFloatLE(from + k * FLOAT_BYTES);
      if (!Number.isFinite(value)) {
        this.fail(recordStart, `value ${k + 1} of ${JSON.stringify(word)} is not a finite number (${value})`);
      }
      values[k] = value;
    }
    return values;
  }

  /** After the last record only whitespace may follow; anything else means the header undercounts. */
  private checkTrailing(position: number): void {
    for (let i = position; i < this.buffer.length; i++) {
      const byte = this.buffer[i];
      if (byte !== NEWLINE && byte !== SPACE && byte !== 0x0d && byte !== 0x09) {
        throw new DatasetError(
          `holds more data (at byte ${this.offset + i}) after the ${this.declaredWords} words its header promises`,
          this.file,
        );
      }
    }
  }

  private fail(recordStart: number, message: string): never {
    throw new DatasetError(
      `record ${this.records + 1} of ${this.declaredWords} (at byte ${this.offset + recordStart}) ${message}`,
      this.file,
    );
  }
}

function skipNewlines(buffer: Buffer, from: number): number {
  let i = from;
  while (i < buffer.length && buffer[i] === NEWLINE) i++;
  return i;
}
