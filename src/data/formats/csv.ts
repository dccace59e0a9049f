/**
 * CSV and TSV, for both uses, read by the one record reader (`csv-records.ts`: quoting, line endings,
 * blank lines, the record limit, the UTF-8 check and structure errors are the same for both). The two
 * adapters here differ on purpose, each as its use needs:
 *
 * - Training rows (CSV and TSV, from a file read again on each pass): an optional header row
 *   (`--no-header`), columns named or numbered (`--text-column`, `--label-column`), and a record of the
 *   wrong width or with bad bytes reported as a problem of its row, so that `--on-error skip` can read on.
 * - Prediction input (CSV only, from a file or standard input): a header row naming the text column (and
 *   the id and kept columns), checked before any record; every record must have the header's width,
 *   since a record that cannot be scored has no output row to take its place, and bytes that are not
 *   UTF-8 are scored as U+FFFD, as in the other input formats. A row's `line` is where its record ends,
 *   as the output files have always said.
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DatasetError, OptionError } from '../../errors.js';
import { noRowsError, type RowEvent, type RowProblem, type RowSource } from '../rows.js';
import type { RecordLimit } from '../record-limit.js';
import { fileBytes } from '../utf8-file.js';
import { readCsvRecords } from './csv-records.js';
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
  const records = readCsvRecords(fileBytes(file), { ...options, file });
  let columns: Columns | undefined;
  let rows = 0;
  for await (const { fields, line, utf8 } of records) {
    if (columns === undefined) {
      columns = resolveColumns(fields, header, options, file);
      if (header) continue;
    }
    rows++;
    yield checkRecord(fields, columns, file, line, !utf8);
  }
  if (rows === 0) throw emptyCsvError(file, columns !== undefined, header, options.delimiter);
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

/**
 * The texts of a CSV prediction input: records of a header row's columns, each its text and, when asked
 * for, its id and kept columns. `line` is where a record ends.
 */
async function* readCsvInputs(input: Readable, context: InputContext): AsyncGenerator<TextInput> {
  const { file, columns, position, maxRecordBytes } = context;
  const records = readCsvRecords(input as AsyncIterable<Buffer>, {
    file,
    delimiter: ',',
    maxRecordBytes,
    brokenMessage: (why) => `not valid CSV: ${why}`,
  });
  let header: readonly string[] | undefined;
  for await (const { fields, line, endLine } of records) {
    if (header === undefined) {
      // Names lose surrounding spaces, as in training data's header (`id, text`).
      header = fields.map((name) => name.trim());
      checkInputHeader(header, context);
      continue;
    }
    if (fields.length !== header.length) {
      throw new DatasetError(
        `not valid CSV: ${fields.length} field${fields.length === 1 ? '' : 's'} where the header has ${header.length}`,
        file,
        line,
      );
    }
    const row = recordOf(header, fields);
    yield {
      line: endLine,
      text: row[columns.text],
      position: position(),
      ...passedThrough(row, columns, file, endLine),
    };
  }
}

/** A record as its header's names to its fields; of two columns of one name, the first. */
function recordOf(header: readonly string[], fields: readonly string[]): Record<string, string> {
  // No prototype: a column named "__proto__" is a column like any other.
  const row = Object.create(null) as Record<string, string>;
  for (let i = 0; i < header.length; i++) if (!Object.hasOwn(row, header[i])) row[header[i]] = fields[i];
  return row;
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
