import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { ScoredRow } from './score-stream.js';
import { OptionError } from '../errors.js';
import { openAtomicWriteStream } from '../util/atomic-write-stream.js';

/**
 * How predictions are written, one row per input row, in input order: JSON Lines
 * (`{"line","id","label","score","scores","skipped","fields"}` per line, `id` and `fields` only when
 * asked for, `skipped` only on a row that was not scored) or CSV with a header row.
 */
export type OutputFormat = 'jsonl' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['jsonl', 'csv'];

/** What the output holds besides the predictions. */
export interface OutputColumns {
  /** The model's labels, which name the CSV probability columns. */
  readonly labels: readonly string[];
  /** Whether each row carries its input's id (`TextInput.id`). */
  readonly id?: boolean;
  /** Input fields passed through (`TextInput.fields`). */
  readonly keepFields?: readonly string[];
}

/** Writes rows in input order, waiting whenever the destination is full. */
export interface PredictionWriter {
  /** Writes `rows` after those written before, resolving once the destination can take more. */
  write(rows: readonly ScoredRow[]): Promise<void>;
  /** Flushes and, for a file, closes it and puts it in place. */
  end(): Promise<void>;
  /** Gives up: a file being written is removed, and what was at its place is left as it was. */
  abort(): Promise<void>;
}

/** The layout a file name implies: CSV for .csv, JSON Lines otherwise. */
export function outputFormatFromName(file: string): OutputFormat {
  return /\.csv$/i.test(file) ? 'csv' : 'jsonl';
}

/**
 * The CSV header: the input's line, its id (if asked for), the winning label and its probability,
 * one probability column per label named as its JSON path (`scores.pos`), why the row was skipped
 * (empty when it was scored), then the kept fields as `fields.NAME`.
 */
export function csvHeader(columns: OutputColumns): string[] {
  return [
    'line',
    ...(columns.id ? ['id'] : []),
    'label',
    'score',
    ...columns.labels.map((label) => `scores.${label}`),
    'skipped',
    ...(columns.keepFields ?? []).map((name) => `fields.${name}`),
  ];
}

/** A JSON Lines row. Key order is fixed: line, id, label, score, scores, skipped, fields. */
function jsonRow(row: ScoredRow, columns: OutputColumns): Record<string, unknown> {
  const { input, prediction } = row;
  return {
    line: input.line,
    ...(columns.id ? { id: input.id ?? null } : {}),
    label: prediction?.label ?? null,
    score: prediction?.score ?? null,
    scores: prediction?.scores ?? null,
    ...(row.skipped ? { skipped: row.skipped } : {}),
    ...(columns.keepFields?.length ? { fields: keptFields(row, columns.keepFields) } : {}),
  };
}

function keptFields(row: ScoredRow, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, row.input.fields?.[name] ?? null]));
}

/** A CSV row, in the order of {@link csvHeader}; null is an empty cell. */
function csvRow(row: ScoredRow, columns: OutputColumns): unknown[] {
  const { input, prediction } = row;
  return [
    input.line,
    ...(columns.id ? [csvCell(input.id)] : []),
    prediction?.label ?? '',
    prediction?.score ?? '',
    ...columns.labels.map((label) => prediction?.scores[label] ?? ''),
    row.skipped ?? '',
    ...(columns.keepFields ?? []).map((name) => csvCell(input.fields?.[name])),
  ];
}

/** A passed-through value in a CSV cell: strings as they are, other JSON values as JSON. */
function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function formatter(format: OutputFormat, columns: OutputColumns): (rows: readonly ScoredRow[]) => string {
  if (format === 'jsonl')
    return (rows) => rows.map((row) => JSON.stringify(jsonRow(row, columns)) + '\n').join('');
  return (rows) => (rows.length === 0 ? '' : stringify(rows.map((row) => csvRow(row, columns))));
}

/** Where the rows go, and how that place is finished or given up. */
interface Destination {
  readonly stream: Writable;
  end(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Standard output and other streams that are not regular files (a pipe, /dev/null) are written as the
 * rows come; a regular file is written beside its place and renamed onto it by `end()`, so that a
 * failure never leaves it half written.
 */
async function openDestination(file: string): Promise<Destination> {
  if (file === '-')
    return { stream: process.stdout, end: async () => undefined, abort: async () => undefined };
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) throw new OptionError(`--output ${file}: is a directory, expected a file`);
  try {
    if (info && !info.isFile()) {
      const stream = createWriteStream(file);
      await once(stream, 'ready');
      const close = async () => {
        stream.end();
        await finished(stream);
      };
      return { stream, end: close, abort: () => close().catch(() => undefined) };
    }
    const atomic = await openAtomicWriteStream(file);
    return { stream: atomic.stream, end: () => atomic.commit(), abort: () => atomic.abort() };
  } catch (error) {
    throw new OptionError(`--output ${file}: cannot write there (${whyNotWritable(file, error)})`, {
      cause: error,
    });
  }
}

/** Why a file could not be created, without the temp file's name that the system's message holds. */
function whyNotWritable(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `the folder ${dirname(file)} does not exist`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `${code}: not allowed to create a file in ${dirname(file)}`;
  return (error as Error).message;
}

/**
 * Opens `file` ('-' for standard output) for the rows of a model with these labels. A regular file
 * appears (or changes) only when `end()` succeeds.
 */
export async function openPredictionOutput(
  file: string,
  format: OutputFormat,
  columns: OutputColumns,
): Promise<PredictionWriter> {
  const destination = await openDestination(file);
  const { stream } = destination;
  const write = async (chunk: string) => {
    if (stream.errored) throw stream.errored;
    if (chunk !== '' && !stream.write(chunk)) await once(stream, 'drain');
  };
  const render = formatter(format, columns);
  try {
    if (format === 'csv') await write(stringify([csvHeader(columns)]));
  } catch (error) {
    await destination.abort();
    throw error;
  }
  return {
    write: (rows) => write(render(rows)),
    end: () => destination.end(),
    abort: () => destination.abort(),
  };
}
