/**
 * CSV and TSV, for both uses, parsed by csv-parse (RFC 4180: quoted fields with the delimiter, doubled
 * quotes and newlines inside them).
 *
 * Training rows are streamed in blocks of whole lines so that a file of any size is read in bounded
 * memory. The parser is fed by hand and reports each record and each error through its callbacks, in
 * file order, so every problem names its row's first line exactly. Line endings are normalised to `\n`
 * before parsing: csv-parse miscounts lines after a `\r\n` inside quotes, and a text's line breaks are
 * whitespace to the tokenizer either way. Quotes inside an unquoted field are kept as text (`say "hi"`);
 * a quote opened and never closed, or any other error of the CSV structure itself, is fatal whatever
 * `--on-error` says, since the parser cannot tell where the following rows begin.
 *
 * Prediction input (CSV only) is parsed strictly, from a file or standard input: a header row naming the
 * text column (and the id and kept columns), then one record per text; a record the parser rejects
 * stops the read. Each use keeps the parser settings it was built with, so that neither changes what it
 * accepts; what they share is the limit on a record and its message.
 */
import { stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { parse as parseCsv, CsvError, Parser } from 'csv-parse';
import { DatasetError, OptionError } from '../../errors.js';
import { noRowsError, type RowEvent, type RowProblem, type RowSource } from '../rows.js';
import { maxRecordBytesOf, recordTooLong, type RecordLimit } from '../record-limit.js';
import { readUtf8Chunks } from '../utf8-file.js';
import type { FormatModule, FormatOption, InputContext, TextInput } from './format.js';
import { passedThrough } from './input-fields.js';

export interface CsvOptions extends RecordLimit {
  /** `,` for CSV, `\t` for TSV. */
  readonly delimiter: ',' | '\t';
  /** Whether the first row names the columns. Default true. */
  readonly header?: boolean;
  /** The text's column: a header name, or a column number (1 = the first). Default "text". */
  readonly textColumn?: string;
  /** The label's column, likewise. Default "label". */
  readonly labelColumn?: string;
}

/** Where the text and the label are in each record (0-based), and how many fields a row should have. */
interface Columns {
  readonly text: number;
  readonly label: number;
  readonly names: readonly [string, string];
  readonly width: number;
}

/** A CSV or TSV file as a {@link RowSource}. Checks the column options up front. */
export async function csvSource(file: string, options: CsvOptions): Promise<RowSource> {
  const header = options.header ?? true;
  if (!header) {
    for (const [flag, value] of [
      ['--text-column', options.textColumn],
      ['--label-column', options.labelColumn],
    ] as const) {
      if (value === undefined || columnNumber(value) === undefined) {
        throw new OptionError(
          `a file without a header row needs ${flag} as a column number (1 = the first), got ${value === undefined ? 'nothing' : `"${value}"`}`,
        );
      }
    }
  }
  const info = await stat(file);
  return {
    format: options.delimiter === '\t' ? 'tsv' : 'csv',
    path: file,
    hasSplits: false,
    bytes: info.size,
    rows: () => readCsvRows(file, { ...options, header }),
  };
}

/** The rows of a CSV or TSV file, in order. */
export async function* readCsvRows(file: string, options: CsvOptions): AsyncGenerator<RowEvent> {
  const header = options.header ?? true;
  const maxRecordBytes = maxRecordBytesOf(options);
  // Records and errors in the order the parser meets them; drained after each block is written.
  const queue: ({ record: string[]; end: number } | { error: CsvError })[] = [];
  const parser = new Parser({
    delimiter: options.delimiter,
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    // A row of many lines (a quote left open) is held whole by the parser: the limit bounds it too.
    max_record_size: maxRecordBytes,
    on_record: (record, context) => {
      queue.push({ record, end: context.lines });
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

  const chunks = readUtf8Chunks(file, { maxRecordBytes });
  const invalidLines = new Set<number>();
  let columns: Columns | undefined;
  let previousEnd = 0;
  let rows = 0;
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
        if ('error' in item) throw structureError(item.error, file, line, maxRecordBytes);
        previousEnd = item.end;
        const { record } = item;
        if (record.length === 1 && record[0] === '' && item.end === line) continue; // a blank line
        if (columns === undefined) {
          columns = resolveColumns(record, header, options, file);
          if (header) continue;
        }
        let badBytes = false;
        for (let l = line; l <= item.end; l++) badBytes = invalidLines.delete(l) || badBytes;
        rows++;
        yield checkRecord(record, columns, file, line, badBytes);
      }
      if (next.done) {
        if (rows === 0) throw emptyCsvError(file, columns !== undefined, header, options.delimiter);
        return;
      }
    }
  } finally {
    parser.destroy();
    await chunks.return(undefined);
  }
}

function checkRecord(
  record: readonly string[],
  columns: Columns,
  file: string,
  line: number,
  badBytes: boolean,
): RowEvent {
  const id = String(line);
  const problem = (kind: RowProblem['kind'], reason: string): RowEvent => ({
    problem: { kind, file, line, id, reason },
  });
  if (badBytes) return problem('invalid-utf8', 'the row is not valid UTF-8 text');
  if (record.length > columns.width) {
    return problem(
      'too-many-fields',
      `${record.length} fields where ${columns.width} were expected (an unquoted delimiter in the text?)`,
    );
  }
  for (const [index, name] of [
    [columns.text, columns.names[0]],
    [columns.label, columns.names[1]],
  ] as const) {
    if (index >= record.length) {
      return problem(
        'missing-column',
        `no field for column ${name} (the row has ${record.length} field${record.length === 1 ? '' : 's'}, expected ${columns.width})`,
      );
    }
  }
  return { row: { text: record[columns.text], label: record[columns.label].trim(), file, line, id } };
}

function resolveColumns(
  first: readonly string[],
  header: boolean,
  options: CsvOptions,
  file: string,
): Columns {
  if (!header) {
    const text = columnNumber(options.textColumn!)! - 1;
    const label = columnNumber(options.labelColumn!)! - 1;
    return { text, label, names: [`${text + 1}`, `${label + 1}`], width: first.length };
  }
  const names = first.map((name) => name.trim());
  const find = (wanted: string | undefined, fallback: string, flag: string): number => {
    const name = wanted ?? fallback;
    const byName = names.indexOf(name);
    if (byName >= 0) return byName;
    const number = columnNumber(name);
    if (number !== undefined && number <= names.length) return number - 1;
    throw new DatasetError(
      `no column "${name}" in the header row (columns: ${names.map((n) => `"${n}"`).join(', ')}); name one with ${flag} NAME or a number (1 = the first)`,
      file,
      1,
    );
  };
  const text = find(options.textColumn, 'text', '--text-column');
  const label = find(options.labelColumn, 'label', '--label-column');
  if (text === label) {
    throw new OptionError(`the text and the label cannot be the same column ("${names[text]}")`);
  }
  return { text, label, names: [`"${names[text]}"`, `"${names[label]}"`], width: names.length };
}

function columnNumber(value: string): number | undefined {
  return /^[1-9]\d*$/.test(value) ? Number(value) : undefined;
}

function emptyCsvError(file: string, sawHeader: boolean, header: boolean, delimiter: string): DatasetError {
  const kind = delimiter === '\t' ? 'TSV' : 'CSV';
  if (sawHeader)
    return noRowsError(file, 'has a header row but no rows below it', `one row per text under it`);
  return noRowsError(
    file,
    'is empty (or holds only blank lines)',
    header ? `a ${kind} header row naming the columns, then one row per text` : `one ${kind} row per text`,
  );
}

function structureError(error: CsvError, file: string, line: number, maxRecordBytes: number): DatasetError {
  if (error.code === 'CSV_MAX_RECORD_SIZE')
    return recordTooLong(file, line, maxRecordBytes, 'the row starting here');
  const why =
    error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted field opened in the row starting here is never closed (the file ends inside the quotes)'
      : `the CSV structure is broken here (${error.message})`;
  return new DatasetError(`${why}; fix the file: the rows after it cannot be told apart`, file, line, {
    cause: error,
  });
}

/**
 * The texts of a CSV prediction input: records of a header row's columns, each its text and, when asked
 * for, its id and kept columns. `line` is where a record ends.
 */
async function* readCsvInputs(input: Readable, context: InputContext): AsyncGenerator<TextInput> {
  const { file, columns, position, maxRecordBytes } = context;
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
        checkInputHeader(Object.keys(record), context);
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
function checkInputHeader(header: readonly string[], { columns, file }: InputContext): void {
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

/** The options only CSV and TSV read. */
const CSV_OPTIONS: readonly FormatOption[] = [
  ['textColumn', '--text-column'],
  ['labelColumn', '--label-column'],
  ['header', '--no-header'],
];

export const csvFormat: FormatModule = {
  name: 'csv',
  title: 'CSV',
  layout: 'file',
  extensions: ['.csv'],
  options: CSV_OPTIONS,
  openRows: (path, options) => csvSource(path, { ...options, delimiter: ',' }),
  input: { by: 'stream', read: readCsvInputs },
};

export const tsvFormat: FormatModule = {
  name: 'tsv',
  title: 'TSV',
  layout: 'file',
  extensions: ['.tsv', '.tab'],
  options: CSV_OPTIONS,
  openRows: (path, options) => csvSource(path, { ...options, delimiter: '\t' }),
};
