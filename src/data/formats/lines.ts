/**
 * One text per line: prediction input only (training data needs a label, which this format has no
 * place for). Every line is a row, blank ones included, so that output rows stay aligned with input
 * lines. It is the fallback of an input whose format is neither given nor told by its name or its first
 * line (see `jsonl.ts`), and it cannot carry ids or kept fields.
 */
import { DatasetError } from '../../errors.js';
import type { FormatModule, InputColumns } from './format.js';

/** One text per line has no fields to pass through. */
function refuseFields(columns: InputColumns, file: string, line?: number): void {
  if (columns.id === undefined && columns.keep.length === 0) return;
  throw new DatasetError(
    `an id field or kept fields were asked for, but the input is one text per line (not a JSON object with a string "${columns.text}" field); they need JSON Lines or CSV`,
    file,
    line,
  );
}

export const linesFormat: FormatModule = {
  name: 'lines',
  title: 'one text per line',
  layout: 'file',
  extensions: [],
  input: { by: 'line', checkColumns: refuseFields, row: (text, _columns, _file, line) => ({ line, text }) },
};
