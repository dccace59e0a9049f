/**
 * The one CSV and TSV record reader, for training rows and prediction input alike: bytes in (a file,
 * standard input), records out, each with the lines it spans and whether they were valid UTF-8. It is
 * csv-parse (RFC 4180: quoted fields holding the delimiter, doubled quotes and line breaks), fed by hand
 * from the line reader of every format (`../utf8-file.ts`: the `--max-record-bytes` limit on a line, the
 * byte order mark, the UTF-8 check per line), so that each record and each error comes out in file order
 * and names its record's first line exactly.
 *
 * What it accepts, for both uses:
 * - Line endings are normalised to `\n` before parsing: csv-parse miscounts lines after a `\r\n` inside
 *   quotes, and would take a file's first line ending as the only one; a text's line breaks are
 *   whitespace to the tokenizer either way.
 * - Quotes inside an unquoted field are kept as text (`say "hi"`).
 * - A record may have any number of fields: what a wrong number means is each use's to say (a training
 *   row is reported, `--on-error` decides; a prediction input stops).
 * - An empty line holds no record, but counts in line numbers; a line `""` is a record of one empty field.
 * - A quote opened and never closed, or any other error of the structure itself, is fatal, since the
 *   records after it cannot be told apart; so is a record over the limit.
 */
import { finished } from 'node:stream/promises';
import { CsvError, Parser } from 'csv-parse';
import { DatasetError } from '../../errors.js';
import { maxRecordBytesOf, recordTooLong } from '../record-limit.js';
import { utf8Chunks, type LineSource } from '../utf8-file.js';

/** One record: its fields as written (unquoted), and where it is. */
export interface CsvRecord {
  readonly fields: readonly string[];
  /** Line where the record starts, from 1. */
  readonly line: number;
  /** Line where it ends (later than `line` when a quoted field holds line breaks). */
  readonly endLine: number;
  /** False when a line of the record holds bytes that are not UTF-8 (then U+FFFD stands in for them). */
  readonly utf8: boolean;
}

export interface CsvRecordOptions extends LineSource {
  /** `,` for CSV, `\t` for TSV. */
  readonly delimiter: ',' | '\t';
  /**
   * The message of a broken structure, from what is wrong. Default: it, and that the file needs fixing.
   * Prediction input says "not valid CSV: …", as it always has.
   */
  readonly brokenMessage?: (why: string) => string;
}

type Queued = { record: string[]; end: number; bytes: number } | { error: CsvError };

const fixTheFile = (why: string) => `${why}; fix the file: the rows after it cannot be told apart`;

/**
 * The records of a CSV or TSV byte stream, in order.
 * @throws DatasetError at a broken structure or a record over the limit (naming its first line), or when
 *   the bytes cannot be read.
 */
export async function* readCsvRecords(
  bytes: AsyncIterable<Buffer>,
  options: CsvRecordOptions,
): AsyncGenerator<CsvRecord> {
  const { file } = options;
  const maxRecordBytes = maxRecordBytesOf(options);
  const brokenMessage = options.brokenMessage ?? fixTheFile;
  // Records and errors in the order the parser meets them; drained after each block is written.
  const queue: Queued[] = [];
  const parser = new Parser({
    delimiter: options.delimiter,
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    // A record of many lines (a quote left open) is held whole by the parser: the limit bounds it too.
    max_record_size: maxRecordBytes,
    on_record: (record, context) => {
      queue.push({ record, end: context.lines, bytes: context.bytes });
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      // Thrown, this one stops the parser; skipped, it would come back for every further byte of the row.
      if (error?.code === 'CSV_MAX_RECORD_SIZE') throw error;
      if (error) queue.push({ error });
      return undefined;
    },
  });
  parser.on('error', (error: CsvError) => queue.push({ error }));
  parser.resume();

  const chunks = utf8Chunks(bytes, { file, maxRecordBytes });
  const invalidLines = new Set<number>();
  let previousEnd = 0;
  let previousBytes = 0;
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        parser.end();
        // The last record (one without a final newline) and an unclosed quote come out on flushing.
        await finished(parser).catch(() => undefined);
      } else {
        for (const line of next.value.invalidLines) invalidLines.add(line);
        const text = next.value.text;
        parser.write(text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text);
      }
      while (queue.length > 0) {
        const item = queue.shift()!;
        const line = previousEnd + 1;
        if ('error' in item) throw brokenError(item.error, file, line, maxRecordBytes, brokenMessage);
        const { record, end } = item;
        const length = item.bytes - previousBytes;
        previousEnd = end;
        previousBytes = item.bytes;
        // An empty line (its newline alone), not a quoted empty field.
        if (record.length === 1 && record[0] === '' && end === line && length <= 1) continue;
        let utf8 = true;
        for (let l = line; l <= end; l++) utf8 = !invalidLines.delete(l) && utf8;
        yield { fields: record, line, endLine: end, utf8 };
      }
      if (next.done) return;
    }
  } finally {
    parser.destroy();
    await chunks.return(undefined);
  }
}

function brokenError(
  error: CsvError,
  file: string,
  line: number,
  maxRecordBytes: number,
  message: (why: string) => string,
): DatasetError {
  if (error.code === 'CSV_MAX_RECORD_SIZE')
    return recordTooLong(file, line, maxRecordBytes, 'the row starting here');
  const why =
    error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted field opened in the row starting here is never closed (the file ends inside the quotes)'
      : `the CSV structure is broken here (${error.message})`;
  return new DatasetError(message(why), file, line, { cause: error });
}
