import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { lineBlocks, LineSplitter } from '../../src/data/bounded-lines.js';
import { readCsvRows } from '../../src/data/formats/csv.js';
import { detectFormat } from '../../src/data/detect-format.js';
import { readFastTextRows } from '../../src/data/formats/fasttext.js';
import { folderSource } from '../../src/data/formats/folder.js';
import { loadImdb } from '../../src/data/imdb.js';
import { readJsonlRows } from '../../src/data/formats/jsonl.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { readFileUpTo } from '../../src/data/record-limit.js';
import type { RowEvent } from '../../src/data/rows.js';
import { readTarFiles } from '../../src/data/tar.js';
import { readTextInputs, type TextInputOptions } from '../../src/data/text-input.js';
import { utf8Lines } from '../../src/data/utf8-file.js';
import { DatasetError } from '../../src/errors.js';
import { inspectWordVectors, readWordVectors } from '../../src/text/embeddings/word-vectors.js';
import { review, tempDir, writeFolder, writeTarball } from './archive-helpers.js';

const LIMIT = 64;
const LONG = 'x'.repeat(LIMIT + 1);
const limit = { maxRecordBytes: LIMIT };

let dir: string;
let cleanup: () => Promise<void>;
before(async () => ({ dir, cleanup } = await tempDir('polarity-limit-')));
after(() => cleanup());

async function write(name: string, content: string | Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

async function drain(events: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Asserts `promise` fails with a DatasetError naming `file` (and `line`, when given) and the limit. */
async function rejectsOverLimit(promise: Promise<unknown>, file: string, line?: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    assert.equal(error.file, file);
    assert.equal(error.line, line);
    assert.match(error.message, /longer than 64 bytes, the --max-record-bytes limit/);
    return true;
  });
}

function chunks(...parts: string[]): AsyncIterable<Buffer> {
  return Readable.from(parts.map((part) => Buffer.from(part)));
}

describe('the bounded line splitter', () => {
  const options = { file: 'f.txt', maxLineBytes: 4 };

  it('hands out whole lines with their first line number, however the chunks fall', async () => {
    const blocks = await drain(lineBlocks(chunks('ab\ncd', 'e\nf', 'g\n\nhi'), options));
    assert.deepEqual(
      (blocks as { bytes: Buffer; firstLine: number }[]).map((b) => [b.bytes.toString(), b.firstLine]),
      [
        ['ab\n', 1],
        ['cde\n', 2],
        ['fg\n\n', 3],
        ['hi', 5],
      ],
    );
  });

  const lines = async (...parts: string[]) =>
    (await drain(utf8Lines(chunks(...parts), { file: 'f.txt', maxRecordBytes: 4 }))).map(
      (line) => (line as { text: string }).text,
    );

  it('gives lines without their endings (CRLF or LF; a lone CR is text; no empty last line)', async () => {
    assert.deepEqual(await lines('a\r\nb\rc\n', '\nd\n'), ['a', 'b\rc', '', 'd']);
  });

  it('accepts a line of exactly the limit and refuses one byte more, inside a chunk or across chunks', async () => {
    assert.deepEqual(await lines('abcd\n'), ['abcd']);
    await rejectsOverLimit4(lines('ab\nabcde\n'), 2);
    await rejectsOverLimit4(lines('ab\nab', 'c', 'de'), 2);
  });

  it('stops an endless line after holding no more than the limit', () => {
    const splitter = new LineSplitter({ file: 'zero', maxLineBytes: 1000 });
    const zeros = Buffer.alloc(100);
    assert.throws(
      () => {
        for (let i = 0; i < 1_000_000; i++) splitter.push(zeros);
      },
      (error: unknown) => error instanceof DatasetError && error.line === 1 && error.file === 'zero',
    );
  });

  async function rejectsOverLimit4(promise: Promise<unknown>, line: number): Promise<void> {
    await assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.equal(
        error.message,
        `f.txt:${line}: line is longer than 4 bytes, the --max-record-bytes limit (is this the right file? raise --max-record-bytes if records this long are meant)`,
      );
      return true;
    });
  }
});

describe('every reader refuses a record over --max-record-bytes', () => {
  it('CSV: a long line, and a quoted row of many short lines', async () => {
    const file = await write('long.csv', `text,label\nfine,pos\n"${LONG}",neg\n`);
    await rejectsOverLimit(drain(readCsvRows(file, { delimiter: ',', ...limit })), file, 3);
    const many = await write('open.csv', `text,label\nfine,pos\n"${'ab\n'.repeat(40)}",neg\n`);
    await assert.rejects(drain(readCsvRows(many, { delimiter: ',', ...limit })), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.equal(error.line, 3);
      assert.match(error.message, /the row starting here is longer than 64 bytes/);
      return true;
    });
    // The same file reads under the default limit.
    assert.equal((await drain(readCsvRows(many, { delimiter: ',' }))).length, 2);
  });

  it('TSV, through loadDataset', async () => {
    const file = await write('long.tsv', `text\tlabel\n${LONG}\tpos\n`);
    await rejectsOverLimit(loadDataset(file, limit), file, 2);
  });

  it('JSON Lines and fastText', async () => {
    const jsonl = await write('long.jsonl', `{"text":"a","label":"p"}\n{"text":"${LONG}","label":"p"}\n`);
    await rejectsOverLimit(drain(readJsonlRows(jsonl, limit)), jsonl, 2);
    const ft = await write('long.ft', `__label__p a\n\n__label__p ${LONG}\n`);
    await rejectsOverLimit(drain(readFastTextRows(ft, limit)), ft, 3);
  });

  it('the fastText sniff of a .txt file', async () => {
    const txt = await write('long.txt', LONG);
    await rejectsOverLimit(detectFormat(txt, undefined, limit), txt, 1);
  });

  it('a folder per label: a file over the limit', async () => {
    const root = await writeFolder(join(dir, 'folder'), [
      { name: 'pos/a.txt', content: 'fine' },
      { name: 'neg/b.txt', content: LONG },
    ]);
    const source = await folderSource(root, limit);
    await assert.rejects(drain(source.rows() as AsyncIterable<RowEvent>), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.equal(error.file, join(root, 'neg/b.txt'));
      assert.match(error.message, /file is longer than 64 bytes/);
      return true;
    });
  });

  it('IMDB: a review file of a folder, and an archive entry, over the limit', async () => {
    const entries = [
      review('train', 'pos', 1, 8, 'fine'),
      review('train', 'neg', 2, 2, LONG),
      review('test', 'pos', 3, 9, 'good'),
      review('test', 'neg', 4, 1, 'bad'),
    ];
    const folder = await writeFolder(join(dir, 'imdb'), entries);
    await assert.rejects(loadImdb(folder, limit), /neg\/2_2\.txt: review is longer than 64 bytes/);
    const archive = await writeTarball(join(dir, 'imdb.tar.gz'), entries);
    await assert.rejects(readTarDrain(archive), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.equal(error.file, archive);
      assert.match(error.message, /entry aclImdb\/train\/neg\/2_2\.txt is longer than 64 bytes/);
      return true;
    });
  });

  async function readTarDrain(archive: string): Promise<unknown[]> {
    return drain(readTarFiles(archive, () => true, limit));
  }

  // csv-parse checks a row's length before it appends a character, so a closing quote may follow one
  // character past the limit: the CSV text is made well over it.
  for (const format of ['lines', 'jsonl', 'csv'] as const) {
    it(`prediction input as ${format}`, async () => {
      const body = {
        lines: `fine\n${LONG}\n`,
        jsonl: `{"text":"${LONG}"}\n`,
        csv: `text\n"${LONG}${LONG}"\n`,
      }[format];
      const file = await write(`input-${format}.txt`, body);
      const options: TextInputOptions = { format, ...limit };
      await rejectsOverLimit(
        drain(readTextInputs(file, options)),
        file,
        { lines: 2, jsonl: 1, csv: 2 }[format],
      );
    });
  }

  it('word vectors: a text line, and a binary header whose vectors would pass the limit', async () => {
    const glove = await write('long.txt', `a 1 2\nb ${'1 '.repeat(40)}\n`);
    await rejectsOverLimit(readWordVectors(glove, limit), glove, 2);
    await rejectsOverLimit(
      inspectWordVectors(await write('zero.txt', Buffer.alloc(200)), undefined, limit),
      join(dir, 'zero.txt'),
      1,
    );
    const binary = await write('big.bin', '1 100\n');
    await assert.rejects(
      readWordVectors(binary, limit),
      /big\.bin:1: the header's dimension 100 makes each vector 400 bytes long, more than the --max-record-bytes limit of 64 bytes/,
    );
  });

  it('readFileUpTo: a file over the limit, and /dev/zero, after reading little more than the limit', async () => {
    const file = await write('big.txt', LONG);
    await rejectsOverLimit(readFileUpTo(file, LIMIT), file);
    assert.equal((await readFileUpTo(file, LIMIT + 1)).toString(), LONG);
    await assert.rejects(
      readFileUpTo('/dev/zero', 1 << 20),
      /\/dev\/zero: file is longer than 1,048,576 bytes/,
    );
  });
});

describe('an empty file names itself', () => {
  for (const [name, content, message] of [
    ['empty.csv', '', /empty\.csv: is empty \(or holds only blank lines\); expected a CSV header row/],
    ['header.csv', 'text,label\n', /header\.csv: has a header row but no rows below it/],
    ['blank.tsv', '\n\n', /blank\.tsv: is empty .*TSV header row/],
    ['empty.jsonl', '\n', /empty\.jsonl: is empty .*one JSON object per line/],
    ['empty.ft', '', /empty\.ft: is empty .*__label__pos/],
  ] as const) {
    it(name, async () => {
      const file = await write(name, content);
      await assert.rejects(loadDataset(file), (error: unknown) => {
        assert.ok(error instanceof DatasetError);
        assert.equal(error.file, file);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
