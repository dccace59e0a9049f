import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { corpusTexts } from '../../../src/data/corpus-texts.js';
import { readWordVectors } from '../../../src/text/embeddings/word-vectors.js';
import { CorpusBuilder } from '../../../src/text/vectors/corpus.js';
import { trainWordVectors, type TrainedWordVectors } from '../../../src/text/vectors/train-word-vectors.js';
import { isWordVectorFileStart, writeWordVectorsFile } from '../../../src/text/vectors/vector-file.js';
import type { WordVectorOptions } from '../../../src/text/vectors/word-vector-options.js';
import { Random } from '../../../src/util/random.js';
import { runPolarity } from '../../helpers/cli.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-vectors-'));
after(() => rm(root, { recursive: true, force: true }));

const ANIMALS = ['cat', 'dog', 'cow', 'pig'];
const VEHICLES = ['car', 'bus', 'van', 'truck'];

/** Two artificial contexts: animals only ever among zoo words, vehicles among road words. */
function contextTexts(count: number): string[] {
  const random = new Random(5);
  return Array.from({ length: count }, (_, i) => {
    const words = i % 2 ? ['zoo', 'feed', 'keeper', 'fur'] : ['road', 'drive', 'engine', 'fuel'];
    const pool = i % 2 ? ANIMALS : VEHICLES;
    words.push(pool[Math.floor(random.next() * pool.length)], 'the');
    return random.shuffle(words).join(' ');
  });
}

function train(texts: readonly string[], options: WordVectorOptions): Promise<TrainedWordVectors> {
  const builder = new CorpusBuilder();
  texts.forEach((t) => builder.add(t));
  return trainWordVectors(builder.build(options.minCount ?? 5, options.wordNgrams), options);
}

function cosine(trained: TrainedWordVectors, a: string, b: string): number {
  const row = (w: string) => {
    const i = trained.units.indexOf(w);
    assert.ok(i >= 0, `no vector for ${w}`);
    return trained.vectors.subarray(i * trained.dim, (i + 1) * trained.dim);
  };
  const [x, y] = [row(a), row(b)];
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let k = 0; k < x.length; k++) {
    dot += x[k] * y[k];
    nx += x[k] * x[k];
    ny += y[k] * y[k];
  }
  return dot / Math.sqrt(nx * ny);
}

const texts = contextTexts(600);
const small: WordVectorOptions = { dim: 16, epochs: 8, minCount: 1, sample: 0, seed: 3 };

describe('word vectors', () => {
  for (const architecture of ['skipgram', 'cbow'] as const) {
    it(`${architecture}: words of the same context end up nearer than words of different ones`, async () => {
      const trained = await train(texts, { ...small, architecture });
      // Measured: about 0.99 within a context, about 0.1 across (floors leave room for other seeds).
      assert.ok(cosine(trained, 'cat', 'dog') > 0.9, `cat/dog ${cosine(trained, 'cat', 'dog')}`);
      assert.ok(cosine(trained, 'bus', 'truck') > 0.9, `bus/truck ${cosine(trained, 'bus', 'truck')}`);
      assert.ok(cosine(trained, 'cat', 'car') < 0.5, `cat/car ${cosine(trained, 'cat', 'car')}`);
      assert.ok(cosine(trained, 'pig', 'van') < 0.5, `pig/van ${cosine(trained, 'pig', 'van')}`);
    });
  }

  it('gives the same vectors for the same seed on one thread, and others for another seed', async () => {
    const [a, b, c] = [
      await train(texts, small),
      await train(texts, small),
      await train(texts, { ...small, seed: 4 }),
    ];
    assert.deepEqual(a.vectors, b.vectors);
    assert.notDeepEqual(a.vectors, c.vectors);
  });

  it('trains on two threads sharing the vectors (Hogwild)', async () => {
    const trained = await train(texts, { ...small, threads: 2 });
    assert.ok(cosine(trained, 'cat', 'cow') > 0.9);
    assert.ok(cosine(trained, 'cow', 'bus') < 0.5);
  });

  it('drops words under the minimum count and learns frequent word n-grams', async () => {
    const trained = await train([...texts, 'a rare word'], { ...small, minCount: 2, wordNgrams: 2 });
    assert.equal(trained.units.includes('rare'), false);
    assert.equal(trained.units.slice(0, trained.words).includes('cat'), true);
    // Every pair of adjacent words occurs often: some bigrams are kept, after the words.
    const bigrams = trained.units.slice(trained.words);
    assert.ok(bigrams.length > 0 && bigrams.every((u) => /^[a-z]+_[a-z]+$/.test(u)), bigrams.join(' '));
  });
});

describe('the vector file', () => {
  it('is word2vec text that the --embeddings reader reads back', async () => {
    const trained = await train(texts, small);
    const file = join(root, 'vectors.vec');
    assert.equal(await writeWordVectorsFile(file, trained), trained.units.length);
    const read = await readWordVectors(file);
    assert.equal(read.format, 'word2vec-text');
    assert.equal(read.dim, 16);
    assert.equal(read.vectors.size, trained.units.length);
    const cat = trained.units.indexOf('cat');
    const expected = trained.vectors.subarray(cat * 16, cat * 16 + 16);
    read.vectors.get('cat')!.forEach((v, k) => assert.ok(Math.abs(v - expected[k]) < 1e-6));
    assert.equal(isWordVectorFileStart(await readFile(file, 'utf8')), true);
    assert.equal(isWordVectorFileStart('text,label\n'), false);
  });

  it('polarity vectors replaces an earlier vector file, and refuses to replace any other file', async () => {
    const data = join(root, 'texts.txt');
    await writeFile(data, texts.join('\n') + '\n');
    // Written by the test above: a word2vec text file, which the command may replace.
    const out = join(root, 'vectors.vec');
    const args = ['vectors', '--data', data, '--dim', '8', '--epochs', '1', '--min-count', '1'];
    const run = await runPolarity([...args, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /600 texts, 3,600 tokens of 17 words/);
    assert.equal((await readWordVectors(out)).dim, 8);

    const notes = join(root, 'notes.txt');
    await writeFile(notes, 'my notes\n');
    const refused = await runPolarity([...args, '--out', notes]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /not written by Polarity: refusing to replace it/);
    assert.equal(await readFile(notes, 'utf8'), 'my notes\n');
  });
});

describe('corpusTexts', () => {
  it("reads IMDB's training and unlabelled reviews, never its test reviews", async () => {
    const imdb = join(root, 'aclImdb');
    for (const [folder, name, text] of [
      ['train/pos', '1_9.txt', 'a good film'],
      ['train/neg', '2_1.txt', 'a bad film'],
      ['train/unsup', '3_0.txt', 'an unlabelled film'],
      ['test/pos', '4_8.txt', 'a test film'],
    ]) {
      await mkdir(join(imdb, folder), { recursive: true });
      await writeFile(join(imdb, folder, name), text);
    }
    const read: string[] = [];
    for await (const text of corpusTexts(root)) read.push(text);
    assert.deepEqual(read, ['a good film', 'a bad film', 'an unlabelled film']);
  });

  it('reads a CSV text column without a label column', async () => {
    const csv = join(root, 'tickets.csv');
    await writeFile(csv, 'id,body\n1,printer is broken\n2,"thanks, fixed"\n');
    const read: string[] = [];
    for await (const text of corpusTexts(csv, { textColumn: 'body' })) read.push(text);
    assert.deepEqual(read, ['printer is broken', 'thanks, fixed']);
  });
});
