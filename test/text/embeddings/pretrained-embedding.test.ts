import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  embeddingMatrix,
  readPretrainedEmbedding,
  vocabularyFilter,
} from '../../../src/text/embeddings/pretrained-embedding.js';
import { Vocabulary } from '../../../src/text/sequences/vocabulary.js';
import { Random } from '../../../src/util/random.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-embedding-'));
after(() => rm(root, { recursive: true, force: true }));

// Counts: the 4, film 3, good 2, bad 1 (10 tokens). Ids with indexFrom 3: the 4, film 5, good 6, bad 7.
const corpus = [
  ['the', 'film', 'the', 'good'],
  ['the', 'film', 'bad'],
  ['the', 'film', 'good'],
];
const vocabulary = Vocabulary.fit(corpus, { numWords: 10 });

function row(matrix: Float32Array, id: number, dim: number): number[] {
  return Array.from(matrix.subarray(id * dim, (id + 1) * dim));
}

function vectorsOf(entries: [string, number[]][]): { dim: number; vectors: Map<string, Float32Array> } {
  return { dim: entries[0][1].length, vectors: new Map(entries.map(([w, v]) => [w, Float32Array.from(v)])) };
}

describe('embeddingMatrix', () => {
  const vectors = vectorsOf([
    ['film', [1, 2]],
    ['unrelated', [9, 9]],
    ['the', [3, 4]],
  ]);

  it('puts each vector at its word id, zeros the padding row and draws the rest in ±0.05', () => {
    const { matrix } = embeddingMatrix(vocabulary, vectors, new Random(1));
    assert.equal(matrix.length, 10 * 2);
    assert.deepEqual(row(matrix, vocabulary.wordIndex('the')!, 2), [3, 4]);
    assert.deepEqual(row(matrix, vocabulary.wordIndex('film')!, 2), [1, 2]);
    assert.deepEqual(row(matrix, 0, 2), [0, 0]);
    for (const id of [1, 2, 3, vocabulary.wordIndex('good')!, vocabulary.wordIndex('bad')!, 8, 9]) {
      for (const value of row(matrix, id, 2))
        assert.ok(Math.abs(value) <= 0.05 && value !== 0, `id ${id}: ${value}`);
    }
  });

  it('reports words and training tokens covered', () => {
    const { coverage } = embeddingMatrix(vocabulary, vectors, new Random(1));
    // the (4) and film (3) of 10 vocabulary tokens.
    assert.deepEqual(coverage, { words: 4, found: 2, foundByCase: 0, tokenShare: 0.7 });
    const withOov = embeddingMatrix(vocabulary, vectors, new Random(1), 14).coverage;
    assert.equal(withOov.tokenShare, 0.5);
  });

  it('is reproducible from the seed', () => {
    const a = embeddingMatrix(vocabulary, vectors, new Random(5)).matrix;
    assert.deepEqual(a, embeddingMatrix(vocabulary, vectors, new Random(5)).matrix);
    assert.notDeepEqual(a, embeddingMatrix(vocabulary, vectors, new Random(6)).matrix);
  });

  it('falls back to the first case variant in file order, after an exact match', () => {
    const cased = vectorsOf([
      ['Good', [1, 1]],
      ['GOOD', [2, 2]],
      ['Film', [3, 3]],
      ['film', [4, 4]],
    ]);
    const { matrix, coverage } = embeddingMatrix(vocabulary, cased, new Random(1));
    assert.deepEqual(row(matrix, vocabulary.wordIndex('good')!, 2), [1, 1]);
    assert.deepEqual(row(matrix, vocabulary.wordIndex('film')!, 2), [4, 4]);
    assert.equal(coverage.found, 2);
    assert.equal(coverage.foundByCase, 1);
  });

  it('leaves the skip-top words out of the coverage', () => {
    const skipping = Vocabulary.fit(corpus, { numWords: 10, skipTop: 1 });
    const { coverage } = embeddingMatrix(skipping, vectors, new Random(1));
    // "the" encodes as OOV, so only film (3 of the 6 tokens of film, good, bad) counts.
    assert.deepEqual(coverage, { words: 3, found: 1, foundByCase: 0, tokenShare: 0.5 });
  });

  it('gives no token share when the vocabulary has no counts', () => {
    const ranked = Vocabulary.fromRankedWords(['the', 'film'], { numWords: 10 });
    assert.equal(embeddingMatrix(ranked, vectors, new Random(1)).coverage.tokenShare, undefined);
  });
});

describe('vocabularyFilter', () => {
  it('accepts vocabulary words and one case variant of each', () => {
    const keep = vocabularyFilter(vocabulary);
    assert.deepEqual(
      ['The', 'the', 'THE', 'Film', 'cinema', 'GOOD', 'Good'].map((w) => keep(w)),
      [true, true, false, true, false, true, false],
    );
  });
});

describe('readPretrainedEmbedding', () => {
  it('streams a file into the matrix and records only its base name', async () => {
    const file = join(root, 'tiny.vec');
    await writeFile(file, '4 2\nThe 9 9\nthe 3 4\nmovie 5 5\nBad 7 8\n');
    const embedding = await readPretrainedEmbedding(file, vocabulary, { random: new Random(2) });
    assert.equal(embedding.file, 'tiny.vec');
    assert.equal(embedding.format, 'word2vec-text');
    assert.equal(embedding.dim, 2);
    assert.equal(embedding.rows, 10);
    assert.deepEqual(row(embedding.matrix, vocabulary.wordIndex('the')!, 2), [3, 4]);
    assert.deepEqual(row(embedding.matrix, vocabulary.wordIndex('bad')!, 2), [7, 8]);
    assert.deepEqual(embedding.coverage, { words: 4, found: 2, foundByCase: 1, tokenShare: 0.5 });
  });
});
