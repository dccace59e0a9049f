/**
 * The text formats of word vectors, line by line: GloVe (`word v1 … vD`) and word2vec text (the same
 * after a `WORDS DIMENSIONS` header). Fields are separated by spaces or tabs; trailing whitespace
 * (the original word2vec tool writes a space before each newline), a byte-order mark and blank lines
 * are ignored.
 *
 * Every line must hold D values, D being the header's dimension or, for GloVe, the first line's
 * count, as gensim and torchtext require. One exception: when a line holds more fields and the one
 * after the first is not a number, the word itself holds spaces (glove.840B has a few, such as
 * ". . ."), and the word is everything before the last D fields. Only the values of words the sink
 * wants are parsed; the others are only counted, which is what makes a large file quick to scan.
 */
import { LineSplitter } from '../../data/bounded-lines.js';
import { DatasetError } from '../../errors.js';
import type { VectorParser, VectorSink, WordVectorFormat } from './word-vector-parser.js';

type TextFormat = 'glove' | 'word2vec-text';

const HEADER = /^(\d+)[ \t]+(\d+)$/;
const BYTE_ORDER_MARK = 0xfeff;
const SPACE = 0x20;
const TAB = 0x09;
const CARRIAGE_RETURN = 0x0d;

export class TextVectorParser implements VectorParser {
  dim: number | undefined;
  format: TextFormat | undefined;
  declaredWords: number | undefined;
  records = 0;
  private readonly requested: TextFormat | undefined;
  private line = 0;
  /** The line whose count of values set `dim` (GloVe), for error messages. */
  private dimLine = 0;
  /**
   * Where the text being parsed next holds a tab or two spaces in a row (`Infinity`: nowhere). Lines
   * before it have single spaces between fields, so counting spaces counts their values, which native
   * `indexOf` does several times faster than a loop over characters.
   */
  private irregularAt = -1;
  /** Whole lines only, and none longer than the record limit (a binary file read as text has none). */
  private readonly lines: LineSplitter;

  /** @param maxLineBytes the longest line accepted (`--max-record-bytes`). */
  constructor(
    private readonly file: string,
    format: WordVectorFormat | undefined,
    private readonly sink: VectorSink,
    maxLineBytes: number,
  ) {
    if (format === 'word2vec-binary') throw new Error('TextVectorParser reads the text formats only');
    this.requested = format;
    this.lines = new LineSplitter({ file, maxLineBytes });
  }

  push(chunk: Buffer): void {
    const block = this.lines.push(chunk);
    if (block === undefined) return;
    // A block ends with a newline, so no character is cut in two.
    const text = block.bytes.toString('utf8');
    this.irregularAt = -1;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.readLine(text, start, end);
      start = end + 1;
    }
  }

  end(): void {
    const rest = this.lines.end()?.bytes.toString('utf8') ?? '';
    this.irregularAt = -1;
    if (rest.length > 0) this.readLine(rest, 0, rest.length);
    if (this.dim === undefined) {
      throw new DatasetError('holds no word vectors (expected GloVe or word2vec text)', this.file);
    }
    if (this.declaredWords !== undefined && this.records !== this.declaredWords) {
      const truncated = this.records < this.declaredWords ? ' (is it truncated?)' : '';
      throw new DatasetError(
        `the header (line 1) promises ${this.declaredWords} words but the file holds ${this.records}${truncated}`,
        this.file,
      );
    }
  }

  /** Reads `text[start, end)`, one line without its newline. */
  private readLine(text: string, start: number, end: number): void {
    this.line++;
    if (this.line === 1 && text.charCodeAt(start) === BYTE_ORDER_MARK) start++;
    while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
    if (end === start) return;
    if (this.line === 1 && this.requested !== 'glove' && this.readHeader(text.slice(start, end))) return;
    this.format ??= 'glove';
    this.readVector(text, start, end);
  }

  /** Whether `line` is a word2vec header; fails when one was required and this is not one. */
  private readHeader(line: string): boolean {
    const match = HEADER.exec(line);
    if (!match) {
      if (this.requested === 'word2vec-text') {
        this.fail(
          `expected the word2vec header "WORDS DIMENSIONS" (e.g. "400000 100"), found ${quote(line)}`,
        );
      }
      return false;
    }
    const [words, dim] = [Number(match[1]), Number(match[2])];
    if (!Number.isSafeInteger(words) || !Number.isSafeInteger(dim) || dim < 1) {
      this.fail(`the header "WORDS DIMENSIONS" gives impossible numbers: ${quote(line)}`);
    }
    this.declaredWords = words;
    this.dim = dim;
    this.format = 'word2vec-text';
    return true;
  }

  private readVector(text: string, start: number, end: number): void {
    const wordEnd = nextSeparator(text, start, end);
    if (wordEnd === start) this.fail('starts with a space or tab; expected a word, then its values');
    if (this.irregularAt < start) this.irregularAt = nextIrregularity(text, start);
    const count = this.irregularAt >= end ? countSpaces(text, wordEnd, end) : countFields(text, wordEnd, end);
    if (count === 0) this.fail(`holds the word ${quote(text.slice(start, wordEnd))} but no values`);
    if (this.dim === undefined) {
      this.dim = count;
      this.dimLine = this.line;
    }
    let valuesFrom = wordEnd;
    if (count !== this.dim) {
      valuesFrom = count > this.dim ? this.endOfWordWithSpaces(text, wordEnd, end, count - this.dim) : -1;
      if (valuesFrom < 0) this.fail(`expected ${this.dim} values ${this.dimOrigin()}, found ${count}`);
    }
    this.records++;
    const word = text.slice(start, valuesFrom);
    if (this.sink.wants(word)) this.sink.add(word, this.parseValues(text, valuesFrom, end, word));
  }

  /**
   * Where a word of several fields ends, when the line has `extra` fields more than `dim` values; -1
   * when the first extra field is a number, which makes it a stray value rather than part of a word.
   */
  private endOfWordWithSpaces(text: string, from: number, end: number, extra: number): number {
    let i = from;
    for (let field = 0; field < extra; field++) {
      const fieldStart = skipSeparators(text, i, end);
      i = nextSeparator(text, fieldStart, end);
      if (field === 0 && Number.isFinite(Number(text.slice(fieldStart, i)))) return -1;
    }
    return i;
  }

  private parseValues(text: string, from: number, end: number, word: string): Float32Array {
    const values = new Float32Array(this.dim!);
    let k = 0;
    for (let i = skipSeparators(text, from, end); i < end; i = skipSeparators(text, i, end)) {
      const fieldEnd = nextSeparator(text, i, end);
      const field = text.slice(i, fieldEnd);
      const value = Number(field);
      if (!Number.isFinite(value)) {
        this.fail(`value ${k + 1} of ${quote(word)} is not a finite number: ${quote(field)}`);
      }
      if (k === values.length) this.fail(`expected ${values.length} values, found more`);
      values[k++] = value;
      i = fieldEnd;
    }
    return values;
  }

  private dimOrigin(): string {
    return this.format === 'word2vec-text'
      ? '(the dimension in the header)'
      : `(as on line ${this.dimLine}, the first vector)`;
  }

  private fail(message: string): never {
    throw new DatasetError(message, this.file, this.line);
  }
}

function isSeparator(code: number): boolean {
  return code === SPACE || code === TAB;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === CARRIAGE_RETURN;
}

function nextSeparator(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && !isSeparator(text.charCodeAt(i))) i++;
  return i;
}

function countFields(text: string, from: number, end: number): number {
  let count = 0;
  for (let i = skipSeparators(text, from, end); i < end; i = skipSeparators(text, i, end)) {
    count++;
    i = nextSeparator(text, i, end);
  }
  return count;
}

/** Spaces in `text[from, end)`: the number of fields there when each is preceded by exactly one. */
function countSpaces(text: string, from: number, end: number): number {
  let count = 0;
  for (let i = text.indexOf(' ', from); i !== -1 && i < end; i = text.indexOf(' ', i + 1)) count++;
  return count;
}

function nextIrregularity(text: string, from: number): number {
  const tab = text.indexOf('\t', from);
  const doubleSpace = text.indexOf('  ', from);
  return Math.min(tab < 0 ? Infinity : tab, doubleSpace < 0 ? Infinity : doubleSpace);
}

function skipSeparators(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isSeparator(text.charCodeAt(i))) i++;
  return i;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}
