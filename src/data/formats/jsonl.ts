/**
 * JSON Lines rows: one JSON object per line, the text and the label in fields named by `--text-field`
 * and `--label-field`, which may reach into nested objects with dots (`review.body`). A key that itself
 * holds a dot is found too: the whole name is tried before it is split. Labels may be strings, numbers or
 * booleans; an array of them is several labels, of which the first is used.
 */
import { stat } from 'node:fs/promises';
import { noRowsError, type RowEvent, type RowProblem, type RowSource } from '../rows.js';
import type { RecordLimit } from '../record-limit.js';
import { readUtf8Lines } from '../utf8-file.js';

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
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield problem('malformed', `not valid JSON (${(error as Error).message})`);
      continue;
    }
    if (!isRecord(value)) {
      yield problem('malformed', `expected a JSON object, found ${describe(value)}`);
      continue;
    }
    const body = field(value, textField);
    const label = field(value, labelField);
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
function field(object: Record<string, unknown>, path: string): unknown {
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
