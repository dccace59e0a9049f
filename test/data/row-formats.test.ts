import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectFormat } from '../../src/data/detect-format.js';
import { readFastTextRows } from '../../src/data/formats/fasttext.js';
import { folderSource } from '../../src/data/formats/folder.js';
import { readJsonlRows } from '../../src/data/formats/jsonl.js';
import type { RowEvent, SourceRow } from '../../src/data/rows.js';
import { DatasetError } from '../../src/errors.js';
import { fixtureDir, problemsOf, readAll, withInvalidByte } from './own-data-helpers.js';

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
before(async () => (fixtures = await fixtureDir()));
after(() => fixtures.cleanup());

async function rowsOf(events: AsyncIterable<RowEvent>): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const event of events) if ('row' in event) rows.push(event.row);
  return rows;
}

describe('JSON Lines rows', () => {
  it('reads text and label fields, nested ones through dots, and a key that holds a dot', async () => {
    const file = await fixtures.write(
      'nested.jsonl',
      [
        '{"review": {"body": "fine film"}, "meta": {"stars": 8}}',
        '',
        '{"review": {"body": "dull film"}, "meta": {"stars": 2}}',
        '{"review.body": "dotted key", "meta": {"stars": true}}',
      ].join('\n'),
    );
    const rows = readJsonlRows(file, { textField: 'review.body', labelField: 'meta.stars' });
    assert.deepEqual(await readAll(rows), ['1:8:fine film', '3:2:dull film', '4:true:dotted key']);
  });

  it('uses the first of several labels and marks the row', async () => {
    const file = await fixtures.write('multi.jsonl', '{"text": "t", "label": ["pos", "funny"]}\n');
    const [row] = await rowsOf(readJsonlRows(file));
    assert.equal(row.label, 'pos');
    assert.equal(row.severalLabels, true);
  });

  it('reports bad JSON, a non-object, a missing field, a wrong type and invalid UTF-8 at their lines', async () => {
    const file = await fixtures.write(
      'bad.jsonl',
      Buffer.concat([
        Buffer.from(
          [
            '{"text": "ok", "label": "pos"}',
            '{"text": "cut off", ',
            '[1, 2]',
            '{"label": "pos"}',
            '{"text": "no label"}',
            '{"text": 5, "label": "pos"}',
            '{"text": "t", "label": {"a": 1}}',
            '',
          ].join('\n'),
        ),
        withInvalidByte('{"text": "', '", "label": "neg"}\n'),
      ]),
    );
    const problems = await problemsOf(readJsonlRows(file));
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.kind}`),
      [
        '2:malformed',
        '3:malformed',
        '4:missing-column',
        '5:missing-column',
        '6:malformed',
        '7:malformed',
        '8:invalid-utf8',
      ],
    );
    assert.match(problems[0].reason, /not valid JSON/);
    assert.match(problems[1].reason, /expected a JSON object, found an array/);
    assert.match(problems[2].reason, /no field "text" \(set --text-field\)/);
    assert.match(problems[3].reason, /no field "label" \(set --label-field\)/);
    assert.match(problems[4].reason, /field "text" is a number, expected a string/);
    assert.match(problems[5].reason, /field "label" is an object, expected a string, number or boolean/);
  });
});

describe('fastText rows', () => {
  it('reads __label__ words wherever they are, keeping the first label and the other words as the text', async () => {
    const file = await fixtures.write(
      'train.ft',
      '__label__pos a fine film\n__label__neg __label__sad a sad   dull film\nthe end __label__pos\n',
    );
    const rows = await rowsOf(readFastTextRows(file));
    assert.deepEqual(
      rows.map((r) => [r.line, r.label, r.text, r.severalLabels ?? false]),
      [
        [1, 'pos', 'a fine film', false],
        [2, 'neg', 'a sad dull film', true],
        [3, 'pos', 'the end', false],
      ],
    );
  });

  it('reports a line without a label and a line that is not UTF-8', async () => {
    const file = await fixtures.write(
      'bad.ft',
      Buffer.concat([Buffer.from('no label here\n'), withInvalidByte('__label__pos ', ' text\n')]),
    );
    const problems = await problemsOf(readFastTextRows(file));
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.kind}`),
      ['1:missing-column', '2:invalid-utf8'],
    );
    assert.match(problems[0].reason, /no label \(expected a word like __label__pos\)/);
  });
});

describe('a folder per label', () => {
  it('reads LABEL/FILE in label then name order, skipping hidden files and files at the top', async () => {
    const root = join(fixtures.dir, 'flat');
    await fixtures.write('flat/README.md', 'not a text');
    await fixtures.write('flat/pos/b.txt', 'second pos');
    await fixtures.write('flat/pos/a.txt', '\uFEFFfirst pos');
    await fixtures.write('flat/neg/1.txt', 'a neg');
    await fixtures.write('flat/neg/.DS_Store', 'junk');
    const source = await folderSource(root);
    assert.equal(source.hasSplits, false);
    const rows = await rowsOf(source.rows());
    assert.deepEqual(
      rows.map((r) => [r.id, r.label, r.text, r.split]),
      [
        ['neg/1.txt', 'neg', 'a neg', undefined],
        ['pos/a.txt', 'pos', 'first pos', undefined],
        ['pos/b.txt', 'pos', 'second pos', undefined],
      ],
    );
  });

  it('reads train/LABEL and test/LABEL as splits, and reports a file that is not UTF-8', async () => {
    const root = join(fixtures.dir, 'split');
    await fixtures.write('split/train/good/1.txt', 'nice');
    await fixtures.write('split/train/bad/1.txt', 'nasty');
    await fixtures.write('split/test/good/2.txt', 'lovely');
    await fixtures.write('split/test/bad/2.txt', withInvalidByte('broken', ''));
    const source = await folderSource(root);
    assert.equal(source.hasSplits, true);
    const events: string[] = [];
    for await (const event of source.rows()) {
      events.push(
        'row' in event ? `${event.row.split}:${event.row.id}` : `${event.problem.kind}:${event.problem.id}`,
      );
    }
    assert.deepEqual(events, [
      'train:train/bad/1.txt',
      'train:train/good/1.txt',
      'invalid-utf8:test/bad/2.txt',
      'test:test/good/2.txt',
    ]);
  });

  it('refuses a folder inside a label folder, test/ without train/, and a folder without labels', async () => {
    await fixtures.write('nested/pos/deeper/1.txt', 'x');
    await assert.rejects(folderSource(join(fixtures.dir, 'nested')), /a label folder holds a folder/);
    await fixtures.write('testonly/test/pos/1.txt', 'x');
    await assert.rejects(folderSource(join(fixtures.dir, 'testonly')), /has test\/ but no train\//);
    await mkdir(join(fixtures.dir, 'empty'));
    await assert.rejects(folderSource(join(fixtures.dir, 'empty')), /holds no labelled files/);
  });
});

describe('detectFormat', () => {
  it('tells formats from names, fastText .txt files from __label__ words, and folders apart from IMDB', async () => {
    const cases: [string, string | Uint8Array, string][] = [
      ['a.csv', 'text,label\n', 'csv'],
      ['a.TSV', 'text\tlabel\n', 'tsv'],
      ['a.ndjson', '{}\n', 'jsonl'],
      ['a.ft', '__label__x y\n', 'fasttext'],
      ['a.txt', '\n\nsome words __label__x\n', 'fasttext'],
      ['b.tar.gz', '', 'imdb'],
    ];
    for (const [name, content, format] of cases) {
      assert.equal(await detectFormat(await fixtures.write(`detect/${name}`, content)), format, name);
    }
    await fixtures.write('imdbish/aclImdb/README', '');
    assert.equal(await detectFormat(join(fixtures.dir, 'imdbish')), 'imdb');
    await fixtures.write('labels/pos/1.txt', 'x');
    assert.equal(await detectFormat(join(fixtures.dir, 'labels')), 'folder');
  });

  it('refuses a name it cannot read, a missing path and a format that does not fit', async () => {
    const plain = await fixtures.write('detect/plain.txt', 'just text\n');
    await assert.rejects(detectFormat(plain), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.match(
        error.message,
        /cannot tell the format of "plain\.txt".*--format csv, tsv, jsonl or fasttext/,
      );
      return true;
    });
    await assert.rejects(detectFormat(join(fixtures.dir, 'nope.csv')), /nope\.csv: does not exist/);
    assert.equal(await detectFormat(plain, 'csv'), 'csv');
    await assert.rejects(detectFormat(plain, 'folder'), /--format folder expects a folder/);
  });
});
