import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { tokenizeInParallel } from '../../../src/text/features/parallel-tokenize.js';
import { TokenIdBuilder, corpusTokens, mergeChunks, tokenIds } from '../../../src/text/features/token-ids.js';
import { tokenize, tokenizeWithPunctuation } from '../../../src/text/sequences/tokenize.js';
import { Vectorizer } from '../../../src/text/features/vectorizer.js';
import { Random } from '../../../src/util/random.js';

/** Texts with a shared core vocabulary and words that first appear late, so the sharing of chunks matters. */
function texts(count: number, seed: number): string[] {
  const random = new Random(seed);
  const core = ['good', 'bad', 'film', 'plot', "didn't", 'acting', 'the', 'a'];
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 3 + random.int(8) }, () => core[random.int(core.length)]);
    if (i % 3 === 0) words.push(`rare${random.int(count)}`);
    return words.join(' ');
  });
}

describe('token id corpus', () => {
  it('numbers words in order of first occurrence and keeps each text’s tokens', () => {
    const corpus = tokenIds(['The film, the PLOT!', '', 'plot twist']);
    assert.deepEqual(corpus.words, ['the', 'film', 'plot', 'twist']);
    assert.deepEqual([...corpus.ids], [0, 1, 0, 2, 2, 3]);
    assert.deepEqual([...corpus.starts], [0, 4, 4, 6]);
    assert.deepEqual(corpusTokens(corpus, 2), ['plot', 'twist']);
    assert.deepEqual(corpusTokens(corpus, 1), []);
  });

  it('finds exactly the tokens of tokenize, on plain ASCII texts and on others', () => {
    const tricky = [
      "Don't stop: rock'n'roll, 'quoted' words'' and a''b, it`s 10/10!",
      "ends with an apostrophe' and 'starts with one; x'y'z '' ' a'1",
      'Tags<br />split<i>words</i> &amp; refs &#65;&#x42;c, 3-D and well-made',
      'Café, CAFÉ and cafe\u0301 are one word; naïve Dvořák ’s curly’ apostrophes',
      'The \u212a sign lower-cases to an ASCII k: \u212aelvin',
      '',
      '...!!!',
      'word',
    ];
    const corpus = tokenIds(tricky);
    tricky.forEach((text, t) => assert.deepEqual(corpusTokens(corpus, t), tokenize(text), text));
    const withMarks = tokenIds(tricky, true);
    tricky.forEach((text, t) =>
      assert.deepEqual(corpusTokens(withMarks, t), tokenizeWithPunctuation(text), text),
    );
  });

  it('finds the tokens of tokenizeWithPunctuation with marks on, of tokenize without, for any text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom(...[..."ab1 !?'.<>/~\u007f\u0000é€-&;"]) }),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 6 }), (batch) => {
        const words = tokenIds(batch);
        const marks = tokenIds(batch, true);
        batch.forEach((t, i) => {
          assert.deepEqual(corpusTokens(words, i), tokenize(t));
          assert.deepEqual(corpusTokens(marks, i), tokenizeWithPunctuation(t));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('merges chunks from several builders, in any order, into the one-thread corpus', () => {
    const all = texts(50, 1);
    const one = new TokenIdBuilder();
    const two = new TokenIdBuilder();
    // Builder two takes the first and last chunks, so its words come first in text order.
    const chunksTwo = [two.add(all.slice(0, 10), 0), two.add(all.slice(35), 35)];
    const chunksOne = [one.add(all.slice(10, 35), 10)];
    const merged = mergeChunks(
      [
        { words: one.words, chunks: chunksOne },
        { words: two.words, chunks: chunksTwo },
      ],
      all.length,
    );
    assert.deepEqual(merged, tokenIds(all));
  });

  it('rejects chunks that leave a text out or cover one twice', () => {
    const builder = new TokenIdBuilder();
    const a = builder.add(['a b', 'c'], 0);
    const b = builder.add(['d'], 1);
    assert.throws(() => mergeChunks([{ words: builder.words, chunks: [a, b] }], 3), /covered twice/);
    assert.throws(() => mergeChunks([{ words: builder.words, chunks: [a] }], 3), /cover 2 texts, expected 3/);
  });

  it('tokenizes with marks on worker threads too', async () => {
    const many = texts(4500, 5).map((t, i) => (i % 4 === 0 ? `${t}!! (${i}/10)` : t));
    const parallel = await tokenizeInParallel(many, { threads: 2, chunkSize: 700, punctuation: true });
    assert.deepEqual(parallel, tokenIds(many, true));
    assert.ok(parallel.words.includes('!'));
  });

  it('gives the same corpus on several threads as on one, and reports progress to the end', async () => {
    const all = texts(6000, 2);
    const seen: number[] = [];
    const parallel = await tokenizeInParallel(all, {
      threads: 2,
      chunkSize: 250,
      onProgress: (event) => seen.push(event.done),
    });
    assert.deepEqual(parallel, tokenIds(all));
    assert.equal(seen.at(-1), all.length);
    assert.ok(seen.every((done, i) => i === 0 || done >= seen[i - 1]));
  });

  it('builds the same features from a corpus as from token arrays, exact or hashed', () => {
    const all = texts(300, 3);
    const tokens = all.map(tokenize);
    for (const options of [
      { ngrams: 2, minDf: 2, weighting: 'tfidf' as const },
      { ngrams: 3, maxFeatures: 40, weighting: 'binary' as const, norm: null },
      { ngrams: 2, hashBits: 10, weighting: 'count' as const, norm: null },
    ]) {
      const fromTokens = Vectorizer.fitTransform(tokens, options);
      const fromCorpus = Vectorizer.fitTransform(tokenIds(all), options);
      assert.deepEqual(fromCorpus.matrix, fromTokens.matrix, JSON.stringify(options));
      assert.deepEqual(fromCorpus.vectorizer.toJSON(), fromTokens.vectorizer.toJSON());
    }
  });
});
