/**
 * Speed and memory of reading pre-trained word vectors, on a generated GloVe-sized file (no download):
 * WORDS random words × DIM values with five decimals, as glove.6B.100d.txt has 400,000 × 100. The same
 * vectors are written as GloVe text, gzip-compressed GloVe text and word2vec binary into a temporary
 * folder, then each is read twice: keeping a 5,000-word vocabulary (what training does) and keeping
 * every word (what the memory bound avoids). Peak memory is measured in a fresh process per read.
 *
 *   node --import tsx bench/word-vectors.ts [--words 400000] [--dim 100] [--vocabulary 5000]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { Vocabulary } from '../src/text/sequences/vocabulary.js';
import { readWordVectors } from '../src/text/embeddings/word-vectors.js';
import { vocabularyFilter } from '../src/text/embeddings/pretrained-embedding.js';
import { Random } from '../src/util/random.js';

const { values } = parseArgs({
  options: {
    words: { type: 'string', default: '400000' },
    dim: { type: 'string', default: '100' },
    vocabulary: { type: 'string', default: '5000' },
    // Internal: read one file in this process and print what it measured.
    read: { type: 'string' },
    all: { type: 'boolean', default: false },
  },
});
const words = Number(values.words);
const dim = Number(values.dim);
const vocabularySize = Number(values.vocabulary);

/** The vocabulary: every (words / vocabularySize)-th word, so that kept words are spread over the file. */
function vocabularyWords(): string[] {
  const step = Math.max(1, Math.floor(words / vocabularySize));
  return Array.from({ length: Math.min(vocabularySize, words) }, (_, i) => word(i * step));
}

function word(i: number): string {
  return `w${i.toString(36)}`;
}

if (values.read !== undefined) {
  const vocabulary = Vocabulary.fromRankedWords(vocabularyWords(), { numWords: null });
  const started = performance.now();
  const read = await readWordVectors(values.read, {
    keep: values.all ? undefined : vocabularyFilter(vocabulary),
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      records: read.records,
      kept: read.vectors.size,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

const folder = await mkdtemp(join(tmpdir(), 'polarity-bench-vectors-'));
try {
  const glove = join(folder, 'vectors.txt');
  const binary = join(folder, 'vectors.bin');
  let started = performance.now();
  await writeFiles(glove, binary);
  await pipeline(createReadStream(glove), createGzip(), createWriteStream(`${glove}.gz`));
  process.stderr.write(`wrote the files in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  const self = fileURLToPath(import.meta.url);
  const rows: string[] = [
    `${words.toLocaleString('en-US')} words × ${dim}, vocabulary ${vocabularySize.toLocaleString('en-US')}`,
    '',
    '| file | size (MB) | keep | read (s) | MB/s | kept | peak RSS (MB) |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const file of [glove, `${glove}.gz`, binary]) {
    const size = (await stat(file)).size;
    for (const all of [false, true]) {
      started = performance.now();
      const output = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          self,
          '--read',
          file,
          '--words',
          String(words),
          '--dim',
          String(dim),
          '--vocabulary',
          String(vocabularySize),
          ...(all ? ['--all'] : []),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const result = JSON.parse(output) as { seconds: number; kept: number; maxRssMB: number };
      rows.push(
        `| ${file.slice(folder.length + 1)} | ${(size / 1e6).toFixed(0)} | ${all ? 'every word' : 'vocabulary'} | ` +
          `${result.seconds.toFixed(2)} | ${(size / 1e6 / result.seconds).toFixed(0)} | ` +
          `${result.kept.toLocaleString('en-US')} | ${result.maxRssMB.toFixed(0)} |`,
      );
      process.stderr.write(`${rows.at(-1)}\n`);
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
} finally {
  await rm(folder, { recursive: true, force: true });
}

/** Writes the same random vectors as GloVe text and word2vec binary, a chunk at a time. */
async function writeFiles(textPath: string, binaryPath: string): Promise<void> {
  const random = new Random(1);
  const text = createWriteStream(textPath);
  const bin = createWriteStream(binaryPath);
  bin.write(`${words} ${dim}\n`);
  const values = new Float32Array(dim);
  let textChunk = '';
  let binChunks: Buffer[] = [];
  for (let i = 0; i < words; i++) {
    const w = word(i);
    let line = w;
    for (let k = 0; k < dim; k++) {
      const rounded = Math.round((random.next() * 2 - 1) * 1e5) / 1e5;
      values[k] = rounded;
      line += ` ${rounded}`;
    }
    textChunk += `${line}\n`;
    binChunks.push(Buffer.from(`${w} `), Buffer.from(values.buffer.slice(0)), Buffer.from('\n'));
    if (textChunk.length > 1 << 20 || i === words - 1) {
      if (!text.write(textChunk)) await once(text, 'drain');
      if (!bin.write(Buffer.concat(binChunks))) await once(bin, 'drain');
      textChunk = '';
      binChunks = [];
    }
  }
  text.end();
  bin.end();
  await Promise.all([once(text, 'finish'), once(bin, 'finish')]);
}
