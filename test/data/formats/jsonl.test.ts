import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetError } from '../../../src/errors.js';
import type { InputColumns, LineInputReader } from '../../../src/data/formats/format.js';
import { jsonlFormat, parseJsonLine } from '../../../src/data/formats/jsonl.js';

const reader = jsonlFormat.input as LineInputReader;
const columns: InputColumns = { text: 'body', id: 'id', keep: ['x'] };

describe('JSON Lines, one parse for both uses', () => {
  it('parses a line into an object, or says why it is none', () => {
    assert.deepEqual(parseJsonLine('{"a":1}'), { object: { a: 1 } });
    assert.deepEqual(parseJsonLine('[1]'), { notObject: [1] });
    assert.deepEqual(parseJsonLine('null'), { notObject: null });
    assert.ok('syntaxError' in parseJsonLine('{"a":'));
  });

  it('claims the first line of an input when it is an object with a string text field', () => {
    assert.equal(reader.sniffLine?.('  {"body":"a"}', columns), true);
    assert.equal(reader.sniffLine?.('{"body":1}', columns), false);
    assert.equal(reader.sniffLine?.('{"text":"a"}', columns), false);
    assert.equal(reader.sniffLine?.('{not json', columns), false);
    assert.equal(reader.sniffLine?.('plain text', columns), false);
  });

  it('reads a prediction row with its id and kept fields; a blank line is a row with no text', () => {
    assert.deepEqual(reader.row('{"body":"a","id":7}', columns, 'in.jsonl', 3), {
      line: 3,
      text: 'a',
      id: 7,
      fields: { x: null },
    });
    assert.deepEqual(reader.row('   ', columns, 'in.jsonl', 4), { line: 4, text: '' });
  });

  it('stops a prediction read at a line that is not an object with the text field, naming it', () => {
    for (const [line, message] of [
      ['{"body":', /in\.jsonl:2: expected a JSON object with a "body" field: /],
      ['[1]', /in\.jsonl:2: expected a JSON object with a string "body" field/],
      ['{"body":1,"id":1}', /in\.jsonl:2: expected a JSON object with a string "body" field/],
      ['{"body":"a"}', /in\.jsonl:2: no "id" field; every row needs its id field/],
    ] as const) {
      assert.throws(
        () => reader.row(line, columns, 'in.jsonl', 2),
        (error: unknown) => error instanceof DatasetError && message.test(error.message),
      );
    }
  });
});
