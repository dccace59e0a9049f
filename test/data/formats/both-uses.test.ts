/**
 * One reader per format serves both uses: the same CSV or JSON Lines file gives the same texts as
 * training rows and as prediction input, whatever its quoting, line endings, blank lines and byte order
 * mark. The properties write generated files and read them both ways.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { readCsvRows } from '../../../src/data/formats/csv.js';
import { readJsonlRows } from '../../../src/data/formats/jsonl.js';
import type { RowEvent } from '../../../src/data/rows.js';
import { readTextInputs, type TextInputOptions } from '../../../src/data/text-input.js';
import { DatasetError } from '../../../src/errors.js';
import { fixtureDir, problemsOf } from '../own-data-helpers.js';

// Seeded, so that a run is repeatable (a failure prints its counterexample).
fc.configureGlobal({ seed: 16 });

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
before(async () => (fixtures = await fixtureDir()));
after(() => fixtures.cleanup());

const RUNS = 60;
let files = 0;

/** Texts made of what readers trip over: delimiters, quotes, line breaks, a BOM, braces, emoji. */
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ',',
        '"',
        '""',
        '\n',
        '\r',
        '\r\n',
        '\t',
        ' ',
        '\uFEFF',
        'é',
        '😀',
        '{',
        '}',
        '\\',
        '__label__',
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
    ),
    { maxLength: 8 },
  )
  .map((pieces) => pieces.join(''));
const label = fc.constantFrom('pos', 'neg', ' neutral ');

/** How a file is laid out around its records. */
const layout = fc.record({
  bom: fc.boolean(),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  /** Blank lines before each record (and at the end). */
  blanks: fc.array(fc.nat(2), { minLength: 20, maxLength: 20 }),
});
type Layout = typeof layout extends fc.Arbitrary<infer T> ? T : never;

function join(lines: readonly string[], { bom, crlf, finalNewline, blanks }: Layout): string {
  const eol = crlf ? '\r\n' : '\n';
  const out = lines.flatMap((line, i) => [...Array<string>(blanks[i % blanks.length]).fill(''), line]);
  return (bom ? '\uFEFF' : '') + out.join(eol) + (finalNewline ? eol : '');
}

async function trainingTexts(events: AsyncIterable<RowEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of events) {
    assert.ok('row' in event, `a problem: ${JSON.stringify(event)}`);
    out.push(event.row.text);
  }
  return out;
}

async function inputRows(file: string, options: TextInputOptions) {
  const out: { line: number; text: string }[] = [];
  for await (const { line, text } of readTextInputs(file, options)) out.push({ line, text });
  return out;
}

describe('the same file, as training rows and as prediction input', () => {
  it('CSV: the same texts, each as written (a CRLF inside quotes read as a newline)', async () => {
    const quote = (field: string, always: boolean) =>
      always || /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, label, fc.boolean()), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        layout,
        async (rows, labelFirst, how) => {
          const records = rows.map(([t, l, always]) =>
            labelFirst ? `${l},${quote(t, always)}` : `${quote(t, always)},${l}`,
          );
          const header = labelFirst ? 'label,text' : 'text,label';
          const file = await fixtures.write(`both-${files++}.csv`, join([header, ...records], how));
          const trained = await trainingTexts(readCsvRows(file, { delimiter: ',' }));
          const predicted = (await inputRows(file, { format: 'csv' })).map((row) => row.text);
          assert.deepEqual(predicted, trained);
          assert.deepEqual(
            trained,
            rows.map(([t]) => t.replace(/\r\n/g, '\n')),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('JSON Lines: the same texts at the same lines; prediction keeps blank lines as empty rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, label, fc.constantFrom('', ' ', '\r', '\t')), {
          minLength: 1,
          maxLength: 12,
        }),
        layout,
        async (rows, how) => {
          // A lone CR is JSON whitespace between fields: both uses must read it inside the record.
          const lines = rows.map(
            ([t, l, space]) => `{"text":${JSON.stringify(t)},${space}"label":${JSON.stringify(l)}}`,
          );
          const file = await fixtures.write(`both-${files++}.jsonl`, join(lines, how));
          const trained: { line: number; text: string }[] = [];
          for await (const event of readJsonlRows(file)) {
            assert.ok('row' in event, `a problem: ${JSON.stringify(event)}`);
            trained.push({ line: event.row.line, text: event.row.text });
          }
          const predicted = await inputRows(file, { format: 'jsonl' });
          const lineNumbers = new Set(trained.map((row) => row.line));
          assert.deepEqual(
            predicted.filter((row) => lineNumbers.has(row.line)),
            trained,
          );
          for (const row of predicted) if (!lineNumbers.has(row.line)) assert.equal(row.text, '');
          assert.deepEqual(
            trained.map((row) => row.text),
            rows.map(([t]) => t),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('what the two uses now agree on', () => {
  it('CSV: quotes inside an unquoted field are text for prediction input too', async () => {
    const file = await fixtures.write('quotes-input.csv', 'text\nsay "hi" now\n');
    assert.deepEqual(await inputRows(file, {}), [{ line: 2, text: 'say "hi" now' }]);
  });

  it('CSV: a line "" is a record of one empty field, an empty line none', async () => {
    const input = await fixtures.write('empty-field.csv', 'text\n""\n\nb\n');
    assert.deepEqual(await inputRows(input, {}), [
      { line: 2, text: '' },
      { line: 4, text: 'b' },
    ]);
    const training = await fixtures.write('empty-field-rows.csv', 'text,label\n""\n\nb,pos\n');
    const problems = await problemsOf(readCsvRows(training, { delimiter: ',' }));
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.kind}`),
      ['2:missing-column'],
    );
  });

  it('CSV input: header names lose surrounding spaces, and a header alone is checked too', async () => {
    const spaced = await fixtures.write('spaced.csv', 'id , text\n1,fine\n');
    assert.deepEqual(await inputRows(spaced, { idField: 'id' }), [{ line: 2, text: 'fine' }]);
    const alone = await fixtures.write('alone.csv', 'review\n');
    await assert.rejects(
      inputRows(alone, {}),
      (error: unknown) =>
        error instanceof DatasetError && /alone\.csv:1: no "text" column/.test(error.message),
    );
  });

  it('CSV input: a record of another width names the line where it starts', async () => {
    const file = await fixtures.write('width.csv', 'id,text\n1,"two\nlines",extra\n');
    await assert.rejects(
      inputRows(file, {}),
      (error: unknown) =>
        error instanceof DatasetError &&
        /width\.csv:2: not valid CSV: 3 fields where the header has 2/.test(error.message),
    );
  });

  it('JSON Lines input: a byte order mark is dropped and the text field may be nested', async () => {
    const file = await fixtures.write('nested-input.jsonl', '\uFEFF{"review":{"body":"fine"}}\n');
    assert.deepEqual(await inputRows(file, { textField: 'review.body' }), [{ line: 1, text: 'fine' }]);
  });

  it('one text per line: a lone CR is text, as it is in training data', async () => {
    const file = await fixtures.write('cr.txt', 'a\rb\r\nc\n');
    assert.deepEqual(await inputRows(file, { format: 'lines' }), [
      { line: 1, text: 'a\rb' },
      { line: 2, text: 'c' },
    ]);
  });
});
