import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { DatasetError } from '../../../src/errors.js';
import {
  WORD_VECTORS_TASK,
  formatFromName,
  inspectWordVectors,
  readWordVectors,
  type WordVectors,
} from '../../../src/text/embeddings/word-vectors.js';
import type { ProgressEvent } from '../../../src/util/progress.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-vectors-'));
after(() => rm(root, { recursive: true, force: true }));

// Values exactly representable in float32, so that text and binary files read back equal.
const VECTORS: Record<string, number[]> = {
  the: [0.5, -1.25, 2],
  film: [0.25, 0, -3.5],
  café: [1, 0.125, -0.0625],
};

async function file(name: string, contents: string | Buffer): Promise<string> {
  const path = join(root, name);
  await writeFile(path, contents);
  return path;
}

function gloveText(vectors: Record<string, number[]>): string {
  return Object.entries(vectors)
    .map(([word, values]) => `${word} ${values.join(' ')}\n`)
    .join('');
}

/** word2vec binary as the C tool writes it (a newline after each record) or as gensim does (none). */
function word2vecBinary(vectors: Record<string, number[]>, newline = true, header?: string): Buffer {
  const entries = Object.entries(vectors);
  const dim = entries[0][1].length;
  const parts = [Buffer.from(header ?? `${entries.length} ${dim}\n`)];
  for (const [word, values] of entries) {
    const floats = Buffer.alloc(values.length * 4);
    values.forEach((v, k) => floats.writeFloatLE(v, k * 4));
    parts.push(Buffer.from(`${word} `), floats);
    if (newline) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

function asObject(read: WordVectors): Record<string, number[]> {
  return Object.fromEntries([...read.vectors].map(([word, vector]) => [word, Array.from(vector)]));
}

async function datasetError(promise: Promise<unknown>): Promise<DatasetError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a DatasetError');
}

describe('readWordVectors: the three formats', () => {
  it('reads GloVe text', async () => {
    const read = await readWordVectors(await file('glove.txt', gloveText(VECTORS)));
    assert.equal(read.format, 'glove');
    assert.equal(read.dim, 3);
    assert.equal(read.records, 3);
    assert.deepEqual(asObject(read), VECTORS);
    assert.deepEqual([...read.vectors.keys()], ['the', 'film', 'café']);
  });

  it('reads word2vec text: header, trailing spaces, CRLF, blank lines and a byte-order mark', async () => {
    const body = Object.entries(VECTORS)
      .map(([word, values]) => `${word} ${values.join(' ')} \r\n`)
      .join('\r\n');
    const read = await readWordVectors(await file('w2v.txt', `\ufeff3 3\r\n${body}`));
    assert.equal(read.format, 'word2vec-text');
    assert.equal(read.records, 3);
    assert.deepEqual(asObject(read), VECTORS);
  });

  it('reads word2vec binary with or without a newline after each record', async () => {
    for (const newline of [true, false]) {
      const read = await readWordVectors(await file(`w2v-${newline}.bin`, word2vecBinary(VECTORS, newline)));
      assert.equal(read.format, 'word2vec-binary');
      assert.equal(read.dim, 3);
      assert.equal(read.records, 3);
      assert.deepEqual(asObject(read), VECTORS);
    }
  });

  it('decompresses gzip whatever the name, and takes .bin.gz as binary', async () => {
    const text = await readWordVectors(await file('glove.txt.gz', gzipSync(gloveText(VECTORS))));
    assert.deepEqual(asObject(text), VECTORS);
    const binary = await readWordVectors(await file('vectors.bin.gz', gzipSync(word2vecBinary(VECTORS))));
    assert.equal(binary.format, 'word2vec-binary');
    assert.deepEqual(asObject(binary), VECTORS);
  });

  it('reads fields separated by tabs or runs of spaces, and counts them right', async () => {
    const read = await readWordVectors(await file('tabs.txt', 'the\t1\t2\nfilm  3   4\ncafé 5 6\n'));
    assert.deepEqual(asObject(read), { the: [1, 2], film: [3, 4], café: [5, 6] });
    const error = await datasetError(readWordVectors(await file('tabs-bad.txt', 'the 1 2\nfilm 1\t2 3\n')));
    assert.equal(error.line, 2);
    assert.match(error.message, /expected 2 values .*found 3/);
  });

  it('takes an explicit format over the name', async () => {
    const path = await file('binary-named.txt', word2vecBinary(VECTORS));
    const read = await readWordVectors(path, { format: 'word2vec-binary' });
    assert.deepEqual(asObject(read), VECTORS);
    // As GloVe, a header-like first line is a one-dimensional vector of the word "3".
    const glove = await readWordVectors(await file('two-numbers.txt', '3 1\n4 1\n'), { format: 'glove' });
    assert.deepEqual(asObject(glove), { '3': [1], '4': [1] });
  });

  it('names formats from file names only for binary', () => {
    assert.equal(formatFromName('/x/GoogleNews-vectors-negative300.bin'), 'word2vec-binary');
    assert.equal(formatFromName('vectors.BIN.gz'), 'word2vec-binary');
    assert.equal(formatFromName('glove.6B.100d.txt'), undefined);
    assert.equal(formatFromName('wiki.en.vec'), undefined);
  });

  it('inspects the format and dimension from the start of the file', async () => {
    assert.deepEqual(await inspectWordVectors(await file('i.txt', gloveText(VECTORS))), {
      format: 'glove',
      dim: 3,
    });
    assert.deepEqual(await inspectWordVectors(await file('i.bin', word2vecBinary(VECTORS))), {
      format: 'word2vec-binary',
      dim: 3,
      declaredWords: 3,
    });
    assert.deepEqual(await inspectWordVectors(await file('i.vec', `3 3\n${gloveText(VECTORS)}`)), {
      format: 'word2vec-text',
      dim: 3,
      declaredWords: 3,
    });
  });
});

describe('readWordVectors: what is kept', () => {
  it('parses and stores only the words `keep` accepts, counting every record', async () => {
    const asked: string[] = [];
    const read = await readWordVectors(await file('keep.txt', gloveText(VECTORS)), {
      keep: (word) => {
        asked.push(word);
        return word !== 'film';
      },
    });
    assert.deepEqual(asked, ['the', 'film', 'café']);
    assert.deepEqual([...read.vectors.keys()], ['the', 'café']);
    assert.equal(read.records, 3);
  });

  it('keeps the first occurrence of a repeated word', async () => {
    for (const [name, contents] of [
      ['repeat.txt', 'the 1 2\nthe 3 4\n'],
      [
        'repeat.bin',
        word2vecBinary({ the: [1, 2] }, true, '2 2\n').toString('latin1') + 'the \0\0\0\0\0\0\0\0',
      ],
    ] as const) {
      const read = await readWordVectors(await file(name, Buffer.from(contents, 'latin1')));
      assert.deepEqual(asObject(read), { the: [1, 2] }, name);
      assert.equal(read.records, 2, name);
    }
  });

  it('reads a word holding spaces when the field after it is not a number (as in glove.840B)', async () => {
    const read = await readWordVectors(await file('spaces.txt', 'the 1 2\n. . . 3 4\nat x@y.z 5 6\n'));
    assert.deepEqual(asObject(read), { the: [1, 2], '. . .': [3, 4], 'at x@y.z': [5, 6] });
  });

  it('reads records and multi-byte words that straddle chunk boundaries', async () => {
    // Well over one read chunk (1 MiB) in each format.
    const vectors: Record<string, number[]> = {};
    for (let i = 0; i < 3000; i++) {
      vectors[`wörd${i}`] = Array.from({ length: 100 }, (_, k) => ((i * 7 + k) % 64) / 8 - 4);
    }
    const text = await readWordVectors(await file('large.txt', gloveText(vectors)));
    const binary = await readWordVectors(await file('large.bin', word2vecBinary(vectors)));
    assert.ok((await stat(join(root, 'large.bin'))).size > 1 << 20);
    assert.deepEqual(asObject(text), vectors);
    assert.deepEqual(asObject(binary), vectors);
  });

  it('reports progress in bytes of the file on disk, ending at its size', async () => {
    const path = await file('progress.txt.gz', gzipSync(gloveText(VECTORS)));
    const events: ProgressEvent[] = [];
    await readWordVectors(path, { onProgress: (event) => events.push(event) });
    const size = (await stat(path)).size;
    assert.ok(events.length > 0);
    assert.deepEqual(events.at(-1), { task: WORD_VECTORS_TASK, done: size, total: size, unit: 'bytes' });
  });
});

describe('readWordVectors: malformed files', () => {
  it('names the line with the wrong number of values', async () => {
    const path = await file('short.txt', 'the 1 2 3\nfilm 1 2 3\ncafé 1 2\nend 1 2 3\n');
    const error = await datasetError(readWordVectors(path));
    assert.equal(error.file, path);
    assert.equal(error.line, 3);
    assert.match(
      error.message,
      /short\.txt:3: expected 3 values \(as on line 1, the first vector\), found 2/,
    );
  });

  it('takes a numeric extra field as a stray value, not part of the word', async () => {
    const error = await datasetError(readWordVectors(await file('long.txt', 'the 1 2\nfilm 1 2 3\n')));
    assert.equal(error.line, 2);
    assert.match(error.message, /expected 2 values .*found 3/);
  });

  it('names the line and value that is not a number', async () => {
    const error = await datasetError(readWordVectors(await file('nan.txt', '\nthe 1 2\nfilm 1 two\n')));
    assert.equal(error.line, 3);
    assert.match(error.message, /value 2 of "film" is not a finite number: "two"/);
  });

  it('checks every line against the dimension in the word2vec header', async () => {
    const error = await datasetError(readWordVectors(await file('dim.vec', '2 3\nthe 1 2 3\nfilm 1 2\n')));
    assert.equal(error.line, 3);
    assert.match(error.message, /expected 3 values \(the dimension in the header\), found 2/);
  });

  it('checks the word count in the word2vec header', async () => {
    const fewer = await datasetError(readWordVectors(await file('count.vec', '3 2\nthe 1 2\nfilm 1 2\n')));
    assert.match(
      fewer.message,
      /header \(line 1\) promises 3 words but the file holds 2 \(is it truncated\?\)/,
    );
    const more = await datasetError(readWordVectors(await file('count2.vec', '1 2\nthe 1 2\nfilm 1 2\n')));
    assert.match(more.message, /promises 1 words but the file holds 2$/);
  });

  it('requires the header when word2vec text is asked for', async () => {
    const error = await datasetError(
      readWordVectors(await file('noheader.vec', 'the 1 2\n'), { format: 'word2vec-text' }),
    );
    assert.equal(error.line, 1);
    assert.match(error.message, /expected the word2vec header "WORDS DIMENSIONS"/);
  });

  it('refuses a line without values, an empty file and a missing file', async () => {
    assert.equal((await datasetError(readWordVectors(await file('lonely.txt', 'the 1\nfilm\n')))).line, 2);
    assert.match(
      (await datasetError(readWordVectors(await file('empty.txt', '')))).message,
      /no word vectors/,
    );
    const missing = join(root, 'missing.txt');
    const error = await datasetError(readWordVectors(missing));
    assert.equal(error.file, missing);
    assert.match(error.message, /does not exist/);
  });

  it('names the truncated binary record and its byte offset', async () => {
    const whole = word2vecBinary(VECTORS);
    const path = await file('cut.bin', whole.subarray(0, whole.length - 5));
    const error = await datasetError(readWordVectors(path));
    // Header "3 3\n" (4 bytes), then records of word + space + 12 bytes + newline.
    const third = 4 + ('the'.length + 14) + ('film'.length + 14);
    assert.match(error.message, new RegExp(`record 3 of 3 \\(at byte ${third}\\) is cut short`));
    const atBoundary = await file('cut2.bin', whole.subarray(0, third));
    assert.match((await datasetError(readWordVectors(atBoundary))).message, /ends after 2 of the 3 words/);
  });

  it('refuses binary data beyond the header count, a bad header and a runaway word', async () => {
    const extra = await file('extra.bin', word2vecBinary(VECTORS, true, '2 3\n'));
    assert.match(
      (await datasetError(readWordVectors(extra))).message,
      /more data \(at byte \d+\) after the 2 words/,
    );
    const header = await datasetError(readWordVectors(await file('header.bin', 'the 1 2 3\n')));
    assert.equal(header.line, 1);
    assert.match(header.message, /expected the word2vec header/);
    const runaway = await file(
      'runaway.bin',
      Buffer.concat([Buffer.from('1 3\n'), Buffer.alloc(5000, 0x61)]),
    );
    assert.match(
      (await datasetError(readWordVectors(runaway))).message,
      /record 1 of 1 \(at byte 4\) holds no space/,
    );
  });

  it('refuses a non-finite binary value of a kept word', async () => {
    const path = await file('nan.bin', word2vecBinary({ the: [1, NaN, 2] }));
    assert.match((await datasetError(readWordVectors(path))).message, /record 1 of 1 .*value 2 of "the"/);
  });

  it('reports corrupt gzip data as a DatasetError', async () => {
    const zipped = gzipSync(gloveText(VECTORS));
    const error = await datasetError(
      readWordVectors(await file('cut.txt.gz', zipped.subarray(0, zipped.length - 6))),
    );
    assert.match(error.message, /gzip/);
  });
});
