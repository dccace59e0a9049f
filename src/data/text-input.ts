import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse as parseCsv, CsvError } from 'csv-parse';
import { DatasetError } from '../errors.js';
import { textLines } from './bounded-lines.js';
import { maxRecordBytesOf, recordTooLong, type RecordLimit } from './record-limit.js';

/**
 * One row of the input: the text to score and where it came from. Every line of a lines or JSON
 * Lines input is a row (a blank one has the text ''), and every record of a CSV input.
 */
export interface TextInput {
  /** Line of the input where the text starts (for CSV, where its record ends), from 1. */
  readonly line: number;
  readonly text: string;
  /** Bytes of the input read so far, for progress; ahead of this text by up to one read buffer. */
  readonly position: number;
  /**
   * The row's id (`idField`), as it is in the input: any JSON value in JSON Lines, a string in CSV.
   * Absent when no `idField` was asked for, and on a blank line.
   */
  readonly id?: unknown;
  /** The `keepFields` of the row, as they are in the input (null for a JSON field the row lacks). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** How texts are laid out in an input: one per line, JSON Lines, or CSV with a header row. */
export type InputFormat = 'lines' | 'jsonl' | 'csv';
export const INPUT_FORMATS: readonly InputFormat[] = ['lines', 'jsonl', 'csv'];

export interface TextInputOptions extends RecordLimit {
  /**
   * The layout; by default .csv files are CSV, .jsonl/.ndjson files JSON Lines, and anything else
   * JSON Lines if its first line is a JSON object with the text field, else one text per line.
   */
  readonly format?: InputFormat;
  /** The JSON field or CSV column holding the text (default "text"). */
  readonly textField?: string;
  /**
   * The JSON field or CSV column holding each row's id, passed through as `id`. A CSV header without
   * it, or a JSON Lines row without it, is an error naming the file and line.
   */
  readonly idField?: string;
  /** Other JSON fields or CSV columns to pass through as `fields` (a CSV header must have them all). */
  readonly keepFields?: readonly string[];
}

/** Whether a text has nothing to score: empty or only whitespace. */
export function isBlankText(text: string): boolean {
  return text.trim() === '';
}

/** The layout a file name implies, if any. */
export function formatFromName(file: string): InputFormat | undefined {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  return undefined;
}

/**
 * Reads texts to score from a file ('-' for standard input), in order: one text per line, JSON
 * Lines with a text field, or CSV whose header row names a text column (RFC 4180 quoting, so a text
 * may hold commas, quotes and newlines). Every line of the first two is a row, blank ones included
 * (with the text ''), so that rows and lines stay aligned; blank lines of a CSV input hold no record.
 */
export async function* readTextInputs(
  file: string,
  options: TextInputOptions = {},
): AsyncGenerator<TextInput> {
  if (file !== '-') {
    try {
      await access(file);
    } catch {
      throw new DatasetError('input file does not exist', file);
    }
  }
  const field = options.textField ?? 'text';
  const columns: RowColumns = { text: field, id: options.idField, keep: options.keepFields ?? [] };
  const format = options.format ?? formatFromName(file);
  if (format === 'lines') refuseFieldsOfLines(columns, file);
  const input: Readable = file === '-' ? process.stdin : createReadStream(file);
  const position = () => (input as { bytesRead?: number }).bytesRead ?? 0;
  const maxRecordBytes = maxRecordBytesOf(options);
  if (format === 'csv') {
    yield* readCsv(input, file, columns, position, maxRecordBytes);
    return;
  }
  const lines = textLines(input as AsyncIterable<Buffer>, { file, maxLineBytes: maxRecordBytes });
  let jsonl: boolean | undefined = format === undefined ? undefined : format === 'jsonl';
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    if (jsonl === undefined && !isBlankText(raw)) {
      jsonl = looksLikeJsonText(raw, field);
      if (!jsonl) refuseFieldsOfLines(columns, file, lineNumber);
    }
    yield { ...lineInput(raw, jsonl === true, columns, file, lineNumber), position: position() };
  }
}

/** The fields of a row to read: the text, and the id and kept fields if asked for. */
interface RowColumns {
  readonly text: string;
  readonly id: string | undefined;
  readonly keep: readonly string[];
}

/** One line of a lines or JSON Lines input as a row (without its position). */
function lineInput(
  raw: string,
  jsonl: boolean,
  columns: RowColumns,
  file: string,
  line: number,
): Omit<TextInput, 'position'> {
  if (!jsonl || isBlankText(raw)) return { line, text: jsonl ? '' : raw };
  const value = jsonObject(raw, columns.text, file, line);
  const text = value[columns.text];
  if (typeof text !== 'string')
    throw new DatasetError(`expected a JSON object with a string "${columns.text}" field`, file, line);
  return { line, text, ...passedThrough(value, columns, file, line) };
}

/** The id and kept fields of a JSON Lines row: a missing id is an error, a missing kept field null. */
function passedThrough(
  value: Readonly<Record<string, unknown>>,
  columns: RowColumns,
  file: string,
  line: number,
): Pick<TextInput, 'id' | 'fields'> {
  const out: { id?: unknown; fields?: Record<string, unknown> } = {};
  if (columns.id !== undefined) {
    if (!Object.hasOwn(value, columns.id)) {
      throw new DatasetError(`no "${columns.id}" field; every row needs its id field`, file, line);
    }
    out.id = value[columns.id];
  }
  if (columns.keep.length > 0) {
    out.fields = Object.fromEntries(
      columns.keep.map((name) => [name, Object.hasOwn(value, name) ? value[name] : null]),
    );
  }
  return out;
}

/** One text per line has no fields to pass through. */
function refuseFieldsOfLines(columns: RowColumns, file: string, line?: number): void {
  if (columns.id === undefined && columns.keep.length === 0) return;
  throw new DatasetError(
    `an id field or kept fields were asked for, but the input is one text per line (not a JSON object with a string "${columns.text}" field); they need JSON Lines or CSV`,
    file,
    line,
  );
}

async function* readCsv(
  input: Readable,
  file: string,
  columns: RowColumns,
  position: () => number,
  maxRecordBytes: number,
): AsyncGenerator<TextInput> {
  const parser = input.pipe(
    parseCsv({
      columns: true,
      bom: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: maxRecordBytes,
    }),
  );
  // A read error of the file does not travel through pipe(); hand it to the parser.
  input.once('error', (error) => parser.destroy(error));
  let checked = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (!checked) {
        checkCsvHeader(Object.keys(record), columns, file);
        checked = true;
      }
      yield {
        line: info.lines,
        text: record[columns.text],
        position: position(),
        ...passedThrough(record, columns, file, info.lines),
      };
    }
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_MAX_RECORD_SIZE') {
      throw recordTooLong(
        file,
        typeof error.lines === 'number' ? error.lines : undefined,
        maxRecordBytes,
        'row',
      );
    }
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      throw new DatasetError(`not valid CSV: ${error.message}`, file, line, { cause: error });
    }
    throw error;
  }
}

/** The header must name the text column, and the id and kept columns when asked for. */
function checkCsvHeader(header: readonly string[], columns: RowColumns, file: string): void {
  const wanted = [columns.text, ...(columns.id === undefined ? [] : [columns.id]), ...columns.keep];
  const missing = wanted.filter((name) => !header.includes(name));
  if (missing.length === 0) return;
  throw new DatasetError(
    `no ${missing.map((name) => JSON.stringify(name)).join(', ')} column${missing.length > 1 ? 's' : ''}; the header has ${header
      .map((name) => JSON.stringify(name))
      .join(', ')}`,
    file,
    1,
  );
}

function looksLikeJsonText(line: string, field: string): boolean {
  if (!line.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(line);
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Record<string, unknown>)[field] === 'string'
    );
  } catch {
    return false;
  }
}

function jsonObject(
  line: string,
  field: string,
  file: string,
  lineNumber: number,
): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new DatasetError(
      `expected a JSON object with a "${field}" field: ${(error as Error).message}`,
      file,
      lineNumber,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DatasetError(`expected a JSON object with a string "${field}" field`, file, lineNumber);
  return value as Readonly<Record<string, unknown>>;
}
