import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetError } from '../../../src/errors.js';
import type { LineInputReader } from '../../../src/data/formats/format.js';
import { linesFormat } from '../../../src/data/formats/lines.js';

const reader = linesFormat.input as LineInputReader;

describe('one text per line', () => {
  it('is prediction input only, and the fallback of input sniffing', () => {
    assert.equal(linesFormat.openRows, undefined);
    assert.equal(reader.sniffLine, undefined);
  });

  it('takes each line as it is, blank ones included', () => {
    const columns = { text: 'text', id: undefined, keep: [] };
    assert.deepEqual(reader.row('  a film ', columns, 'in.txt', 5), { line: 5, text: '  a film ' });
    assert.deepEqual(reader.row('', columns, 'in.txt', 6), { line: 6, text: '' });
    reader.checkColumns?.(columns, 'in.txt');
  });

  it('refuses an id or kept fields, naming the line where the format was told', () => {
    for (const columns of [
      { text: 'text', id: 'id', keep: [] },
      { text: 'text', id: undefined, keep: ['gold'] },
    ]) {
      assert.throws(
        () => reader.checkColumns?.(columns, 'in.txt', 3),
        (error: unknown) =>
          error instanceof DatasetError &&
          /in\.txt:3: .*one text per line .*JSON Lines or CSV/.test(error.message),
      );
    }
  });
});
