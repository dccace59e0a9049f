/**
 * What every prediction input format shares about its rows: when a text counts as blank, and how the id
 * and the kept fields of a row are passed through (JSON Lines and CSV alike).
 */
import { DatasetError } from '../../errors.js';
import type { InputColumns, TextInput } from './format.js';

/** Whether a text has nothing to score: empty or only whitespace. */
export function isBlankText(text: string): boolean {
  return text.trim() === '';
}

/** The id and kept fields of a row: a missing id is an error, a missing kept field null. */
export function passedThrough(
  value: Readonly<Record<string, unknown>>,
  columns: InputColumns,
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
