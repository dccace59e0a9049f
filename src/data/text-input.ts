import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse as parseCsv, CsvError } from 'csv-parse';
import { DatasetError } from '../errors.js';
import { textLines } from './bounded-lines.js';
import { maxRecordBytesOf, recordTooLong, type RecordLimit } from './record-limit.js';

/** One text to score and where it came from. */
export interface TextInput {
  /** Line of the input where the text starts (for CSV, where its record ends), from 1. */
  readonly line: number;
  readonly text: string;
  /** Bytes of the input read so far, for progress; ahead of this text by up to one read buffer. */
  readonly position: number;
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
 * may hold commas, quotes and newlines). Blank lines are skipped in the first two.
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
  const input: Readable = file === '-' ? process.stdin : createReadStream(file);
  const position = () => (input as { bytesRead?: number }).bytesRead ?? 0;
  const format = options.format ?? formatFromName(file);
  const maxRecordBytes = maxRecordBytesOf(options);
  if (format === 'csv') {
    yield* readCsv(input, file, field, position, maxRecordBytes);
    return;
  }
  const lines = textLines(input as AsyncIterable<Buffer>, { file, maxLineBytes: maxRecordBytes });
  let jsonl: boolean | undefined = format === undefined ? undefined : format === 'jsonl';
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    if (raw.trim() === '') continue;
    if (jsonl === undefined) jsonl = looksLikeJsonText(raw, field);
    yield {
      line: lineNumber,
      text: jsonl ? jsonText(raw, field, file, lineNumber) : raw,
      position: position(),
    };
  }
}

async function* readCsv(
  input: Readable,
  file: string,
  field: string,
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
        if (!(field in record)) {
          throw new DatasetError(
            `no "${field}" column; the header has ${Object.keys(record)
              .map((name) => JSON.stringify(name))
              .join(', ')}`,
            file,
            1,
          );
        }
        checked = true;
      }
      yield { line: info.lines, text: record[field], position: position() };
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

function jsonText(line: string, field: string, file: string, lineNumber: number): string {
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
  const text = (value as Record<string, unknown> | null)?.[field];
  if (typeof text !== 'string')
    throw new DatasetError(`expected a JSON object with a string "${field}" field`, file, lineNumber);
  return text;
}
