/**
 * What a data format module provides. Each format is read by one module under `formats/`, which serves
 * both uses of data: training and evaluation rows (text and label, with file:line, checked later by
 * `row-checks.ts`) and prediction input (text, an optional id and kept fields, blank rows kept so that
 * output rows stay aligned with input rows). `registry.ts` lists the modules; detection of a format
 * from a path or from content, for either use, goes through that list.
 */
import type { Readable } from 'node:stream';
import type { RecordLimit } from '../record-limit.js';
import type { RowSource } from '../rows.js';
import type { DataFormat, InputFormat } from './names.js';

/** How to read a source (`maxRecordBytes`: the longest line, row or file accepted, default 10 MiB). */
export interface SourceOptions extends RecordLimit {
  /** Default: detected from the path. */
  readonly format?: DataFormat;
  /** CSV/TSV: whether the first row names the columns (default true). */
  readonly header?: boolean;
  /** CSV/TSV: the text's column, a header name or a number from 1 (default "text"). */
  readonly textColumn?: string;
  /** CSV/TSV: the label's column (default "label"). */
  readonly labelColumn?: string;
  /** JSON Lines: the text's field, dots reaching into nested objects (default "text"). */
  readonly textField?: string;
  /** JSON Lines: the label's field (default "label"). */
  readonly labelField?: string;
}

/** The options of {@link SourceOptions} that only some formats read, with the flag that sets each. */
export type FormatOption = readonly [
  key: Exclude<keyof SourceOptions, 'format' | 'maxRecordBytes'>,
  flag: string,
];

/**
 * One row of prediction input: the text to score and where it came from. Every line of a lines or JSON
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

/** A row of prediction input before its read position is known. */
export type InputRow = Omit<TextInput, 'position'>;

/** The fields of a prediction input row to read: the text, and the id and kept fields if asked for. */
export interface InputColumns {
  readonly text: string;
  readonly id: string | undefined;
  readonly keep: readonly string[];
}

/**
 * A prediction input read line by line (lines, JSON Lines): every line is a row, so rows and output
 * lines stay aligned. The lines come from `utf8Lines` (`../utf8-file.ts`), the line reader of training
 * data too, from a file or standard input.
 */
export interface LineInputReader {
  readonly by: 'line';
  /**
   * Whether the first non-blank line of an input whose format is not given looks like this format.
   * Formats without it are the fallback, taken when no other format claims the line.
   */
  readonly sniffLine?: (line: string, columns: InputColumns) => boolean;
  /** Refuses what the format cannot carry (an id, kept fields), before reading or at the sniffed line. */
  readonly checkColumns?: (columns: InputColumns, file: string, line?: number) => void;
  /** One line as a row; `raw` is without its line ending. */
  readonly row: (raw: string, columns: InputColumns, file: string, line: number) => InputRow;
}

/** A prediction input whose records need a parser of their own over the byte stream (CSV). */
export interface StreamInputReader {
  readonly by: 'stream';
  readonly read: (input: Readable, context: InputContext) => AsyncGenerator<TextInput>;
}

/** What a stream reader of prediction input is told besides the bytes. */
export interface InputContext {
  /** The file name for messages ('-' for standard input). */
  readonly file: string;
  readonly columns: InputColumns;
  readonly maxRecordBytes: number;
  /** Bytes of the input read so far. */
  readonly position: () => number;
}

/** One data format: how it is recognised, and how it is read for each use it serves. */
export interface FormatModule {
  readonly name: DataFormat | InputFormat;
  /** What messages call it ("CSV", "JSON Lines"). */
  readonly title: string;
  /** What a path of this format is: a file, a folder, or either (IMDB: a tarball or a folder). */
  readonly layout: 'file' | 'folder' | 'file-or-folder';
  /** File-name endings that say the format, lower case, with their dot (`.csv`, `.tar.gz`). */
  readonly extensions: readonly string[];
  /**
   * For training data whose name says nothing: whether the path holds this format, looked at. A folder
   * format without it takes any folder no other format claims.
   */
  readonly sniff?: {
    /** Endings of file names worth looking into (`.txt`); empty for folders. */
    readonly extensions: readonly string[];
    readonly test: (path: string, limit: RecordLimit) => Promise<boolean>;
    /** Said when no format fits, e.g. "a .txt file is fastText when its lines carry __label__ words". */
    readonly hint?: string;
  };
  /** The options of {@link SourceOptions} this format reads besides the common ones. */
  readonly options?: readonly FormatOption[];
  /** Training and evaluation rows, read again on each pass. Absent: not a source of labelled rows in passes. */
  readonly openRows?: (path: string, options: SourceOptions) => Promise<RowSource>;
  /** Prediction input. Absent: not read as prediction input. */
  readonly input?: LineInputReader | StreamInputReader;
}
