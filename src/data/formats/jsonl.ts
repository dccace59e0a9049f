/**
 * JSON Lines rows: one JSON object per line, the text and the label in fields named by `--text-field`
 * and `--label-field`, which may reach into nested objects with dots (`review.body`). A key that itself
 * holds a dot is found too: the whole name is tried before it is split. Labels may be strings, numbers or
 * booleans; an array of them is several labels, of which the first is used.
 *
 * The same lines as prediction input: the text in the field `textField` (found as for training), the id
 * and kept fields (top-level) passed through as they are; every line is a row (a blank one has the text
 * ''), and a bad line stops the read. Both uses read the same lines (`utf8Lines`: line numbers, the
 * record limit, the byte order mark) and parse a line with {@link parseJsonLine} and a field with
 * {@link jsonField}, so a file gives the same texts to both.
 *
 * What differs is deliberate: training skips blank lines and reports a bad line as a problem of its row
 * (`--on-error` decides), while prediction keeps a blank line as a row, so output rows stay aligned
 * with input lines, and stops at a bad line, since it has no row to put in its place.
 */
import { stat } from 'node:fs/promises';
import { DatasetError } from '../../errors.js';
import { noRowsError, type RowEvent, type RowProblem, type RowSource } from '../rows.js';
import type { RecordLimit } from '../record-limit.js';
import { readUtf8Lines } from '../utf8-file.js';
import type { FormatModule, InputColumns, InputRow } from './format.js';
import { isBlankText, passedThrough } from './input-fields.js';

export interface JsonlOptions extends RecordLimit {
  /** Default "text". */
  readonly textField?: string;
  /** Default "label". */
  readonly labelField?: string;
}

export async function jsonlSource(file: string, options: JsonlOptions = {}): Promise<RowSource> {
  const info = await stat(file);
  return {
    format: 'jsonl',
    path: file,
    hasSplits: false,
    bytes: info.size,
    rows: () => readJsonlRows(file, options),
  };
}

/** The rows of a JSON Lines file; blank lines are skipped. */
export async function* readJsonlRows(file: string, options: JsonlOptions = {}): AsyncGenerator<RowEvent> {
  const textField = options.textField ?? 'text';
  const labelField = options.labelField ?? 'label';
  let lines = 0;
  for await (const { line, text, utf8 } of readUtf8Lines(file, options)) {
    if (text.trim() === '') continue;
    lines++;
    const id = String(line);
    const problem = (kind: RowProblem['kind'], reason: string): RowEvent => ({
      problem: { kind, file, line, id, reason },
    });
    if (!utf8) {
      yield problem('invalid-utf8', 'the line is not valid UTF-8 text');
      continue;
    }
    const parsed = parseJsonLine(text);
    if ('syntaxError' in parsed) {
      yield problem('malformed', `not valid JSON (${parsed.syntaxError})`);
      continue;
    }
    if ('notObject' in parsed) {
      yield problem('malformed', `expected a JSON object, found ${describe(parsed.notObject)}`);
      continue;
    }
    const value = parsed.object;
    const body = jsonField(value, textField);
    const label = jsonField(value, labelField);
    if (body === undefined) {
      yield problem('missing-column', `no field "${textField}" (set --text-field)`);
      continue;
    }
    if (label === undefined) {
      yield problem('missing-column', `no field "${labelField}" (set --label-field)`);
      continue;
    }
    if (typeof body !== 'string') {
      yield problem('malformed', `field "${textField}" is ${describe(body)}, expected a string`);
      continue;
    }
    const labels = Array.isArray(label) ? label : [label];
    if (labels.length === 0 || !labels.every(isScalar)) {
      yield problem(
        'malformed',
        `field "${labelField}" is ${describe(label)}, expected a string, number or boolean (or a list of them)`,
      );
      continue;
    }
    yield {
      row: {
        text: body,
        label: String(labels[0]).trim(),
        file,
        line,
        id,
        ...(labels.length > 1 ? { severalLabels: true } : {}),
      },
    };
  }
  if (lines === 0) {
    throw noRowsError(file, 'is empty (or holds only blank lines)', 'one JSON object per line');
  }
}

/** `path` in `object`: the whole name as a key first, then split at its dots. */
export function jsonField(object: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path in object) return object[path];
  let current: unknown = object;
  for (const key of path.split('.')) {
    if (!isRecord(current) || !(key in current)) return undefined;
    current = current[key];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A line of JSON Lines, parsed: the object it holds, or why it holds none. */
export type JsonLine =
  | { readonly object: Readonly<Record<string, unknown>> }
  | { readonly syntaxError: string }
  | { readonly notObject: unknown };

/** Parses one line of JSON Lines (without its line ending). */
export function parseJsonLine(text: string): JsonLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { syntaxError: (error as Error).message };
  }
  return isRecord(value) ? { object: value } : { notObject: value };
}

/** Whether the first line of an input of unknown format is JSON Lines: an object with a string text field. */
function looksLikeJsonText(line: string, columns: InputColumns): boolean {
  if (!line.trimStart().startsWith('{')) return false;
  const parsed = parseJsonLine(line);
  return 'object' in parsed && typeof jsonField(parsed.object, columns.text) === 'string';
}

/** One line of JSON Lines prediction input as a row: a blank line is a row with the text ''. */
function inputRow(raw: string, columns: InputColumns, file: string, line: number): InputRow {
  if (isBlankText(raw)) return { line, text: '' };
  const parsed = parseJsonLine(raw);
  if ('syntaxError' in parsed) {
    throw new DatasetError(
      `expected a JSON object with a "${columns.text}" field: ${parsed.syntaxError}`,
      file,
      line,
    );
  }
  if ('notObject' in parsed) {
    throw new DatasetError(`expected a JSON object with a string "${columns.text}" field`, file, line);
  }
  const text = jsonField(parsed.object, columns.text);
  if (typeof text !== 'string')
    throw new DatasetError(`expected a JSON object with a string "${columns.text}" field`, file, line);
  return { line, text, ...passedThrough(parsed.object, columns, file, line) };
}

export const jsonlFormat: FormatModule = {
  name: 'jsonl',
  title: 'JSON Lines',
  layout: 'file',
  extensions: ['.jsonl', '.ndjson'],
  options: [
    ['textField', '--text-field'],
    ['labelField', '--label-field'],
  ],
  openRows: jsonlSource,
  input: { by: 'line', sniffLine: looksLikeJsonText, row: inputRow },
};
