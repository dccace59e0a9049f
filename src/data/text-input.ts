/**
 * Prediction input (`polarity predict --input`, `readTextInputs`): texts to score from a file or
 * standard input, in order. The format is given, or told by the file's name, or else by the first
 * non-blank line, through the format registry (`formats/registry.ts`); each format's module reads the
 * rows (`formats/lines.ts`, `formats/jsonl.ts`, `formats/csv.ts`) from the record reader that reads its
 * training data too (`utf8-file.ts` for lines, `formats/csv-records.ts` for CSV).
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DatasetError } from '../errors.js';
import type { InputColumns, LineInputReader, StreamInputReader, TextInput } from './formats/format.js';
import { isBlankText } from './formats/input-fields.js';
import { INPUT_FORMATS, type InputFormat } from './formats/names.js';
import { hasExtension, inputFormatModules } from './formats/registry.js';
import { maxRecordBytesOf, type RecordLimit } from './record-limit.js';
import { utf8Lines } from './utf8-file.js';

export type { TextInput } from './formats/format.js';
export { isBlankText } from './formats/input-fields.js';
export { INPUT_FORMATS, type InputFormat };

/** How `readTextInputs` reads texts to score: layout, text, id and kept fields, record limit. */
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

/** The layout a file name implies, if any. */
export function formatFromName(file: string): InputFormat | undefined {
  return inputFormatModules().find((format) => hasExtension(file, format.extensions))?.name;
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
  const columns: InputColumns = {
    text: options.textField ?? 'text',
    id: options.idField,
    keep: options.keepFields ?? [],
  };
  const format = options.format ?? formatFromName(file);
  const given = format === undefined ? undefined : inputReader(format);
  if (given?.by === 'line') given.checkColumns?.(columns, file);
  const input: Readable = file === '-' ? process.stdin : createReadStream(file);
  const position = () => (input as { bytesRead?: number }).bytesRead ?? 0;
  const maxRecordBytes = maxRecordBytesOf(options);
  if (given?.by === 'stream') {
    yield* given.read(input, { file, columns, position, maxRecordBytes });
    return;
  }
  // The lines of training data's line reader: the same line numbers, limit and byte order mark. A line
  // that is not UTF-8 is scored with U+FFFD in place of its bad bytes (its `utf8` flag is not read):
  // prediction has no --on-error policy, and every input line must give its output row.
  const lines = utf8Lines(input as AsyncIterable<Buffer>, { file, maxRecordBytes });
  // Until a format is told, a (blank) line is read as the fallback's: one text per line.
  const readers = lineReaders();
  let reader: LineInputReader | undefined = given;
  for await (const { line: lineNumber, text: raw } of lines) {
    if (reader === undefined && !isBlankText(raw)) {
      reader = readers.sniffing.find((candidate) => candidate.sniffLine?.(raw, columns)) ?? readers.fallback;
      reader.checkColumns?.(columns, file, lineNumber);
    }
    yield { ...(reader ?? readers.fallback).row(raw, columns, file, lineNumber), position: position() };
  }
}

/** The reader of a format given by name; a library caller may pass any string. */
function inputReader(format: InputFormat): LineInputReader | StreamInputReader {
  const found = inputFormatModules().find((module) => module.name === format);
  if (found === undefined) {
    throw new RangeError(`format must be one of ${INPUT_FORMATS.join(', ')}, got ${String(format)}`);
  }
  return found.input;
}

/** The line-based input formats that sniff, in registry order, and the one that does not (the fallback). */
function lineReaders(): { sniffing: LineInputReader[]; fallback: LineInputReader } {
  const line = inputFormatModules().flatMap((format) => (format.input.by === 'line' ? [format.input] : []));
  const sniffing = line.filter((reader) => reader.sniffLine !== undefined);
  const fallback = line.find((reader) => reader.sniffLine === undefined);
  if (fallback === undefined) throw new Error('no line-based input format without a content check');
  return { sniffing, fallback };
}
