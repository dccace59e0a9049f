import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { scoreInOrder, type ScoredChunk } from '../../src/batch/index.js';
import { readTextInputs, type TextInput } from '../../src/data/text-input.js';
import { DatasetError, ModelFormatError } from '../../src/errors.js';
import type { Prediction } from '../../src/models/classifier.js';
import { loadClassifier } from '../../src/models/load.js';
import { runPolarity } from '../helpers/cli.js';
import { imdbSample } from '../helpers/fixtures.js';
import { saveSampleNbsvm, saveToyMlp, TOY_NEGATIVE, TOY_POSITIVE } from '../helpers/models.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-batch-'));
const nbsvmDir = join(root, 'nbsvm');
const mlpDir = join(root, 'mlp');
before(() => Promise.all([saveSampleNbsvm(nbsvmDir), saveToyMlp(mlpDir)]));
after(() => rm(root, { recursive: true, force: true }));

async function* asInputs(texts: readonly string[]): AsyncGenerator<TextInput> {
  for (const [i, text] of texts.entries()) yield { line: i + 1, text, position: i };
}

async function collect(chunks: AsyncIterable<ScoredChunk>): Promise<(Prediction | null)[]> {
  const all: (Prediction | null)[] = [];
  for await (const chunk of chunks) all.push(...chunk.rows.map((row) => row.prediction));
  return all;
}

/** Each text scored on its own, in this thread. */
async function onePerCall(model: string, texts: readonly string[]): Promise<Prediction[]> {
  const classifier = await loadClassifier(model);
  const out: Prediction[] = [];
  for (const text of texts) out.push(...(await classifier.predict([text])));
  classifier.dispose();
  return out;
}

describe('scoreInOrder', () => {
  it('keeps input order on three workers and matches single predictions exactly (nbsvm)', async () => {
    const texts = (await imdbSample()).test.map((e) => e.text);
    const scored = await collect(
      scoreInOrder(asInputs(texts), { model: nbsvmDir, workers: 3, chunkSize: 37 }),
    );
    assert.deepEqual(scored, await onePerCall(nbsvmDir, texts));
  });

  it('does the same for a neural model', async () => {
    const texts = Array.from({ length: 300 }, (_, i) =>
      (i % 3 ? TOY_POSITIVE : TOY_NEGATIVE).replace(/\d+$/, `${i}`),
    );
    const scored = await collect(scoreInOrder(asInputs(texts), { model: mlpDir, workers: 2, chunkSize: 16 }));
    assert.deepEqual(scored, await onePerCall(mlpDir, texts));
  });

  it('scores on this thread with one worker or a single chunk, with the same results', async () => {
    const texts = (await imdbSample()).test.slice(0, 40).map((e) => e.text);
    const expected = await onePerCall(nbsvmDir, texts);
    for (const workers of [1, 4]) {
      assert.deepEqual(await collect(scoreInOrder(asInputs(texts), { model: nbsvmDir, workers })), expected);
    }
  });

  it('skips empty texts in place, on three workers too: one row per input, never a guess', async () => {
    const texts = (await imdbSample()).test.slice(0, 120).map((e, i) => (i % 7 === 3 ? ' ' : e.text));
    const expected = await onePerCall(
      nbsvmDir,
      texts.filter((text) => text !== ' '),
    );
    const chunks = scoreInOrder(asInputs(texts), { model: nbsvmDir, workers: 3, chunkSize: 9 });
    const rows = [];
    for await (const chunk of chunks) rows.push(...chunk.rows);
    assert.deepEqual(
      rows.map((row) => row.input.line),
      texts.map((_, i) => i + 1),
    );
    assert.deepEqual(
      rows.filter((row) => row.skipped).map((row) => row.input.line % 7),
      Array(rows.filter((row) => row.skipped).length).fill(4),
    );
    assert.ok(
      rows
        .filter((row) => row.skipped)
        .every((row) => row.prediction === null && row.skipped === 'empty text'),
    );
    assert.deepEqual(
      rows.filter((row) => !row.skipped).map((row) => row.prediction),
      expected,
    );
  });

  it('yields nothing for no input, and reports a model that does not load', async () => {
    assert.deepEqual(
      await collect(scoreInOrder(asInputs([]), { model: join(root, 'missing'), workers: 2 })),
      [],
    );
    const texts = Array.from({ length: 30 }, (_, i) => `text ${i}`);
    for (const workers of [1, 2]) {
      await assert.rejects(
        collect(scoreInOrder(asInputs(texts), { model: join(root, 'missing'), workers, chunkSize: 10 })),
        (error: Error) =>
          error instanceof ModelFormatError && /model directory does not exist/.test(error.message),
      );
    }
  });
});

describe('readTextInputs', () => {
  const texts = async (file: string, options?: Parameters<typeof readTextInputs>[1]) => {
    const out: string[] = [];
    for await (const input of readTextInputs(file, options)) out.push(input.text);
    return out;
  };

  it('reads CSV with quoted commas, quotes and newlines, a BOM and another text column', async () => {
    const file = join(root, 'reviews.csv');
    await writeFile(file, '\ufeffid,review\n1,"Good, ""very"" good"\n2,"two\nlines"\n3,plain\n');
    assert.deepEqual(await texts(file, { textField: 'review' }), [
      'Good, "very" good',
      'two\nlines',
      'plain',
    ]);
    await assert.rejects(
      texts(file),
      (error: Error) =>
        error instanceof DatasetError &&
        /reviews\.csv:1: no "text" column; the header has "id", "review"/.test(error.message),
    );
  });

  it('names the line of a broken CSV record', async () => {
    const file = join(root, 'broken.csv');
    await writeFile(file, 'text\n"fine"\n"unclosed\n');
    await assert.rejects(
      texts(file),
      (error: Error) => error instanceof DatasetError && /broken\.csv:\d+: not valid CSV/.test(error.message),
    );
  });

  it('reads JSON Lines with another field, and plain lines', async () => {
    const jsonl = join(root, 'reviews.jsonl');
    await writeFile(jsonl, '{"body":"one"}\n\n{"body":"two"}\n');
    assert.deepEqual(await texts(jsonl, { textField: 'body' }), ['one', '', 'two']);
    const lines = join(root, 'reviews.txt');
    await writeFile(lines, 'one\n{"not":"a text"}\n');
    assert.deepEqual(await texts(lines), ['one', '{"not":"a text"}']);
  });

  it('yields every line, blank ones too, and carries ids and kept fields unchanged', async () => {
    const rows = async (file: string, options?: Parameters<typeof readTextInputs>[1]) => {
      const out: Omit<TextInput, 'position'>[] = [];
      for await (const { position: _, ...input } of readTextInputs(file, options)) out.push(input);
      return out;
    };
    const lines = join(root, 'blank.txt');
    await writeFile(lines, '\none\n  \ntwo\n');
    assert.deepEqual(await rows(lines), [
      { line: 1, text: '' },
      { line: 2, text: 'one' },
      { line: 3, text: '  ' },
      { line: 4, text: 'two' },
    ]);
    const jsonl = join(root, 'ids.jsonl');
    await writeFile(jsonl, '{"text":"a","id":3,"x":[1]}\n\n{"text":"b","id":"k","y":1}\n');
    assert.deepEqual(await rows(jsonl, { idField: 'id', keepFields: ['x', 'y'] }), [
      { line: 1, text: 'a', id: 3, fields: { x: [1], y: null } },
      { line: 2, text: '' },
      { line: 3, text: 'b', id: 'k', fields: { x: null, y: 1 } },
    ]);
    const csv = join(root, 'ids.csv');
    await writeFile(csv, 'key,text,gold\n07,a,pos\n\n08,,neg\n');
    assert.deepEqual(await rows(csv, { idField: 'key', keepFields: ['gold'] }), [
      { line: 2, text: 'a', id: '07', fields: { gold: 'pos' } },
      { line: 4, text: '', id: '08', fields: { gold: 'neg' } },
    ]);
    await assert.rejects(
      rows(jsonl, { idField: 'nope' }),
      (error: Error) => error instanceof DatasetError && /ids\.jsonl:1: no "nope" field/.test(error.message),
    );
    await assert.rejects(
      rows(lines, { format: 'lines', keepFields: ['a'] }),
      (error: Error) =>
        error instanceof DatasetError && /blank\.txt: .*one text per line/.test(error.message),
    );
  });
});

describe('polarity predict --input', () => {
  it('streams CSV in and out on two workers, in order, as single predictions', async () => {
    const dataset = await imdbSample();
    // More than two chunks of 512, so that the workers start.
    const texts = [...dataset.train.slice(0, 800), ...dataset.test].map((e) => e.text);
    const input = join(root, 'many.csv');
    const rows = texts.map((text, i) => `${i},"${text.replace(/"/g, '""')}"`);
    await writeFile(input, ['id,text', ...rows].join('\r\n') + '\r\n');
    const output = join(root, 'many.out.csv');
    const result = await runPolarity([
      'predict',
      '--model',
      nbsvmDir,
      '--input',
      input,
      '--output',
      output,
      '--workers',
      '2',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /predicting: .*\(100%\)/);
    assert.match(result.stderr, /predicted 1,300 texts in /);
    const records = parse(await readFile(output), { columns: true }) as Record<string, string>[];
    const expected = await onePerCall(nbsvmDir, texts);
    assert.deepEqual(
      records.map((r) => ({
        label: r.label,
        score: Number(r.score),
        scores: { neg: Number(r['scores.neg']), pos: Number(r['scores.pos']) },
      })),
      expected,
    );
  });

  it('refuses the --input flags without --input', async () => {
    const result = await runPolarity(['predict', '--model', nbsvmDir, '--workers', '2', 'a text']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--workers applies to --input only/);
  });
});
