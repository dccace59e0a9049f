import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import type { StreamInputReader, TextInput } from '../../../src/data/formats/format.js';
import { csvFormat, csvSource, readCsvRows, tsvFormat } from '../../../src/data/formats/csv.js';
import { DatasetError, OptionError } from '../../../src/errors.js';
import { fixtureDir, problemsOf, readAll, withInvalidByte } from '../own-data-helpers.js';

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
before(async () => (fixtures = await fixtureDir()));
after(() => fixtures.cleanup());

const csv = (file: string, options: Partial<Parameters<typeof readCsvRows>[1]> = {}) =>
  readCsvRows(file, { delimiter: ',', ...options });

describe('CSV and TSV rows', () => {
  it('reads quoted fields holding the delimiter, doubled quotes and newlines, with each row at its first line', async () => {
    const file = await fixtures.write(
      'quoted.csv',
      'text,label\n"hello, world",pos\n"two\nlines, ""quoted""",neg\nplain,pos\n',
    );
    assert.deepEqual(await readAll(csv(file)), [
      '2:pos:hello, world',
      '3:neg:two\nlines, "quoted"',
      '5:pos:plain',
    ]);
  });

  it('drops a UTF-8 byte order mark, reads CRLF line endings and a last line without a newline', async () => {
    const file = await fixtures.write('bom.csv', '\uFEFFtext,label\r\n"a\r\nb",pos\r\nc,neg');
    assert.deepEqual(await readAll(csv(file)), ['2:pos:a\nb', '4:neg:c']);
  });

  it('finds columns by header name, in any order, or by number from 1; labels lose surrounding spaces', async () => {
    const file = await fixtures.write('columns.csv', 'id,stars,review\n1, 8 ,fine film\n');
    assert.deepEqual(await readAll(csv(file, { textColumn: 'review', labelColumn: 'stars' })), [
      '2:8:fine film',
    ]);
    assert.deepEqual(await readAll(csv(file, { textColumn: '3', labelColumn: '2' })), ['2:8:fine film']);
  });

  it('reads a file without a header when the columns are given by number', async () => {
    const file = await fixtures.write('bare.tsv', 'pos\tgood one\nneg\tbad one\n');
    const rows = readCsvRows(file, { delimiter: '\t', header: false, textColumn: '2', labelColumn: '1' });
    assert.deepEqual(await readAll(rows), ['1:pos:good one', '2:neg:bad one']);
    await assert.rejects(
      csvSource(file, { delimiter: '\t', header: false, textColumn: 'text', labelColumn: '1' }),
      (error: unknown) =>
        error instanceof OptionError && /--text-column as a column number/.test(error.message),
    );
  });

  it('skips blank lines but counts them in line numbers', async () => {
    const file = await fixtures.write('blank.csv', 'text,label\n\na,pos\n\n\nb,neg\n');
    assert.deepEqual(await readAll(csv(file)), ['3:pos:a', '6:neg:b']);
  });

  it('reports a missing column, too many fields and invalid UTF-8, each at its line, and reads on', async () => {
    const file = await fixtures.write(
      'bad.csv',
      withInvalidByte('text,label\nshort\na,b,c\n"ok",pos\nbroken ', ' bytes,neg\nlast,neg\n'),
    );
    const problems = await problemsOf(csv(file));
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.kind}`),
      ['2:missing-column', '3:too-many-fields', '5:invalid-utf8'],
    );
    assert.match(problems[0].reason, /no field for column "label" \(the row has 1 field, expected 2\)/);
    assert.match(problems[1].reason, /3 fields where 2 were expected/);
    assert.match(problems[2].reason, /not valid UTF-8/);
    assert.deepEqual((await readAll(csv(file))).slice(-3), ['4:pos:ok', '5:invalid-utf8', '6:neg:last']);
  });

  it('names the columns the header has when the text or label column is not there', async () => {
    const file = await fixtures.write('header.csv', 'review,sentiment\nfine,pos\n');
    await assert.rejects(readAll(csv(file)), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.match(
        error.message,
        /header\.csv:1: no column "text" in the header row \(columns: "review", "sentiment"\)/,
      );
      assert.match(error.message, /--text-column/);
      return true;
    });
  });

  it('stops at a quote that is never closed, naming the row where it opened', async () => {
    const file = await fixtures.write('unclosed.csv', 'text,label\nfine,pos\n"never closed,neg\nmore,pos\n');
    await assert.rejects(readAll(csv(file)), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.match(error.message, /unclosed\.csv:3: a quoted field .* never closed/);
      return true;
    });
  });

  it('keeps quotes inside an unquoted field as text', async () => {
    const file = await fixtures.write('quotes.csv', 'text,label\nsay "hi" now,pos\n');
    assert.deepEqual(await readAll(csv(file)), ['2:pos:say "hi" now']);
  });

  it('reads a file of many blocks with exact line numbers (rows split across read blocks)', async () => {
    const lines = ['text,label'];
    for (let i = 0; i < 40_000; i++)
      lines.push(i % 1000 === 0 ? `"multi\nline ${i}",pos` : `row ${i} ${'x'.repeat(30)},neg`);
    const file = await fixtures.write('big.csv', lines.join('\n') + '\n');
    const rows = await readAll(csv(file));
    assert.equal(rows.length, 40_000);
    // Row i starts on line 2 + i + (multi-line rows before it).
    for (const i of [0, 1, 999, 1000, 1001, 39_999]) {
      const line = 2 + i + Math.ceil(i / 1000);
      assert.ok(
        rows[i].startsWith(`${line}:`),
        `row ${i}: ${rows[i].slice(0, 30)} should start at line ${line}`,
      );
    }
  });
});

describe('CSV as prediction input', () => {
  const read = async (csvText: string, keep: string[] = []) => {
    const reader = csvFormat.input as StreamInputReader;
    const out: Omit<TextInput, 'position'>[] = [];
    const context = {
      file: '-',
      columns: { text: 'text', id: 'key', keep },
      maxRecordBytes: 1 << 20,
      position: () => 0,
    };
    for await (const { position: _, ...row } of reader.read(Readable.from([Buffer.from(csvText)]), context))
      out.push(row);
    return out;
  };

  it('reads records from a stream (standard input), each with its id and kept columns', async () => {
    assert.deepEqual(await read('key,text,gold\n1,"a\nb",pos\n2,c,neg\n', ['gold']), [
      { line: 3, text: 'a\nb', id: '1', fields: { gold: 'pos' } },
      { line: 4, text: 'c', id: '2', fields: { gold: 'neg' } },
    ]);
  });

  it('is strict where training rows are lenient: a record of another length stops the read', async () => {
    await assert.rejects(
      read('key,text\n1,a,extra\n'),
      (error: unknown) => error instanceof DatasetError && /^-:2: not valid CSV/.test(error.message),
    );
    await assert.rejects(read('id,text\n1,a\n'), /-:1: no "key" column; the header has "id", "text"/);
  });

  it('serves training rows only as TSV', () => {
    assert.equal(tsvFormat.input, undefined);
    assert.ok(tsvFormat.openRows && csvFormat.openRows);
  });
});
