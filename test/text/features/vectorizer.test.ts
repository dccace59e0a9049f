import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DatasetError, ModelFormatError, OptionError } from '../../../src/errors.js';
import { hashNgram, ngrams } from '../../../src/text/features/ngrams.js';
import { CsrBuilder, type SparseMatrix } from '../../../src/text/features/sparse.js';
import { tokenIds } from '../../../src/text/features/token-ids.js';
import {
  Vectorizer,
  type VectorizerJSON,
  type VectorizerOptions,
} from '../../../src/text/features/vectorizer.js';
import { Random } from '../../../src/util/random.js';

// Three small "reviews". Unigram counts: the 3, movie 2, good 2, not 2, bad 1, was 1 (…).
const docs: string[][] = [
  ['the', 'movie', 'was', 'good'],
  ['not', 'good', 'not', 'good', 'the', 'end'],
  ['the', 'bad', 'movie'],
];

/** Row r as a map from feature name to value, for readable expectations. */
function row(v: Vectorizer, m: SparseMatrix, r: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++)
    out[v.featureName(m.indices[k]) as string] = m.values[k];
  return out;
}

function names(v: Vectorizer): string[] {
  return Array.from({ length: v.size }, (_, c) => v.featureName(c) as string);
}

function assertValidCsr(m: SparseMatrix): void {
  assert.equal(m.indptr.length, m.rows + 1);
  assert.equal(m.indptr[0], 0);
  assert.equal(m.indptr[m.rows], m.indices.length);
  assert.equal(m.values.length, m.indices.length);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) {
      assert.ok(m.indices[k] >= 0 && m.indices[k] < m.cols);
      if (k > m.indptr[r]) assert.ok(m.indices[k - 1] < m.indices[k], 'columns ascending and unique');
    }
  }
}

function assertSameMatrix(a: SparseMatrix, b: SparseMatrix): void {
  assert.equal(a.rows, b.rows);
  assert.equal(a.cols, b.cols);
  assert.deepEqual(a.indptr, b.indptr);
  assert.deepEqual(a.indices, b.indices);
  assert.deepEqual(a.values, b.values);
}

function withoutKey<T extends object>(value: T, key: keyof T): Partial<T> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

const close = (actual: number, expected: number, what = '') =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what} ${actual} ≠ ${expected}`);

describe('CsrBuilder', () => {
  it('stores each distinct column of a row once, sorted, with its count', () => {
    const b = new CsrBuilder(10);
    b.addCounts(Int32Array.from([3, 1, 3, 9, 1, 3]), 6);
    b.addCounts(new Int32Array(4), 0);
    b.addCounts(Int32Array.from([5, 5, 99]), 2);
    const m = b.build();
    assert.deepEqual(m.indptr, Int32Array.from([0, 3, 3, 4]));
    assert.deepEqual(m.indices, Int32Array.from([1, 3, 9, 5]));
    assert.deepEqual(m.values, Float32Array.from([2, 3, 1, 2]));
    assert.equal(m.rows, 3);
    assert.equal(m.cols, 10);
  });

  it('agrees with a plain count on long rows and wide spaces (the radix-sort path)', () => {
    const random = new Random(7);
    for (const cols of [300, 70_000, 2 ** 27]) {
      const b = new CsrBuilder(cols, 1, 1);
      const expected: Map<number, number>[] = [];
      for (let r = 0; r < 20; r++) {
        const length = random.int(900);
        const columns = new Int32Array(length);
        const counts = new Map<number, number>();
        for (let i = 0; i < length; i++) {
          columns[i] = random.int(cols);
          counts.set(columns[i], (counts.get(columns[i]) ?? 0) + 1);
        }
        b.addCounts(columns, length);
        expected.push(counts);
      }
      const m = b.build();
      assertValidCsr(m);
      for (let r = 0; r < 20; r++) {
        const sorted = [...expected[r]].sort((x, y) => x[0] - y[0]);
        const start = m.indptr[r];
        assert.deepEqual(
          [...m.indices.subarray(start, m.indptr[r + 1])],
          sorted.map(([c]) => c),
        );
        assert.deepEqual(
          [...m.values.subarray(start, m.indptr[r + 1])],
          sorted.map(([, n]) => n),
        );
      }
    }
  });
});

describe('Vectorizer: counts', () => {
  it('counts unigrams, columns sorted by name', () => {
    const { vectorizer: v, matrix: m } = Vectorizer.fitTransform(docs);
    assert.deepEqual(names(v), ['bad', 'end', 'good', 'movie', 'not', 'the', 'was']);
    assert.equal(v.size, 7);
    assert.equal(m.rows, 3);
    assert.equal(m.cols, 7);
    assertValidCsr(m);
    assert.deepEqual(row(v, m, 0), { good: 1, movie: 1, the: 1, was: 1 });
    assert.deepEqual(row(v, m, 1), { end: 1, good: 2, not: 2, the: 1 });
    assert.deepEqual(row(v, m, 2), { bad: 1, movie: 1, the: 1 });
  });

  it('counts all n-grams up to ngrams, named with a space, sorted by name with prefixes first', () => {
    const { vectorizer: v, matrix: m } = Vectorizer.fitTransform(docs, { ngrams: 2 });
    const expected = [...new Set(docs.flatMap((d) => ngrams(d, 2)))].sort();
    assert.deepEqual(names(v), expected);
    assert.deepEqual(names(v).slice(0, 4), ['bad', 'bad movie', 'end', 'good']);
    assert.deepEqual(row(v, m, 1), {
      end: 1,
      good: 2,
      'good not': 1,
      'good the': 1,
      not: 2,
      'not good': 2,
      the: 1,
      'the end': 1,
    });
  });

  it('orders "a b" before "ab" and "a" before both, as sorted strings do', () => {
    const v = Vectorizer.fit(
      [
        ['ab', 'a', 'b', 'a'],
        ['b', 'ab'],
      ],
      { ngrams: 3 },
    );
    const all = names(v);
    assert.deepEqual(all, [...all].sort());
    assert.deepEqual(all.slice(0, 4), ['a', 'a b', 'a b a', 'ab']);
  });

  it('does not depend on the order of the training documents', () => {
    const a = Vectorizer.fit(docs, { ngrams: 3 });
    const b = Vectorizer.fit([...docs].reverse(), { ngrams: 3 });
    assert.deepEqual(names(a), names(b));
    assert.deepEqual(a.toJSON(), b.toJSON());
  });

  it('fit then transform gives what fitTransform gives', () => {
    for (const options of [
      {},
      { ngrams: 3 },
      { ngrams: 2, minDf: 2 },
      { weighting: 'tfidf', ngrams: 2 },
      { weighting: 'binary', ngrams: 2, maxFeatures: 4 },
      { ngrams: 2, hashBits: 3 },
      { ngrams: 2, hashBits: 3, weighting: 'tfidf', sublinearTf: true },
    ] as VectorizerOptions[]) {
      const { vectorizer, matrix } = Vectorizer.fitTransform(docs, options);
      assertSameMatrix(Vectorizer.fit(docs, options).transform(docs), matrix);
      assertSameMatrix(vectorizer.transform(docs), matrix);
    }
  });

  it('ignores unseen words and every n-gram that contains one', () => {
    const v = Vectorizer.fit(docs, { ngrams: 2 });
    const m = v.transform([['the', 'movie', 'was', 'superb'], ['superb', 'zzz'], []]);
    assertValidCsr(m);
    assert.deepEqual(row(v, m, 0), { movie: 1, 'movie was': 1, the: 1, 'the movie': 1, was: 1 });
    assert.deepEqual(row(v, m, 1), {});
    assert.deepEqual(row(v, m, 2), {});
    // "movie the" was never seen as a bigram, though both words were.
    assert.deepEqual(row(v, v.transform([['movie', 'the']]), 0), { movie: 1, the: 1 });
  });

  it('transformOne returns the row that transform gives', () => {
    const v = Vectorizer.fit(docs, { ngrams: 2, weighting: 'tfidf' });
    const text = ['not', 'good', 'the', 'movie', 'unseen'];
    const m = v.transform([text]);
    const one = v.transformOne(text);
    assert.deepEqual(one.indices, m.indices);
    assert.deepEqual(one.values, m.values);
    assert.deepEqual(v.transformOne([]), { indices: new Int32Array(0), values: new Float32Array(0) });
  });

  it('exactVocabulary gives each column as (prefix column, last word); undefined when hashed', () => {
    const v = Vectorizer.fit(docs, { ngrams: 3 });
    const vocabulary = v.exactVocabulary();
    if (vocabulary === undefined) throw new Error('an exact vocabulary was fitted');
    assert.equal(vocabulary.parents.length, v.size);
    for (let c = 0; c < v.size; c++) {
      const parent: number = vocabulary.parents[c];
      const last: string = vocabulary.words[vocabulary.lastWords[c]];
      const prefix: string[] = parent < 0 ? [] : [v.featureName(parent) ?? ''];
      assert.equal([...prefix, last].join(' '), v.featureName(c));
    }
    assert.equal(Vectorizer.fit(docs, { hashBits: 4 }).exactVocabulary(), undefined);
  });

  it('keeps empty documents as empty rows', () => {
    const { matrix } = Vectorizer.fitTransform([[], ['a'], []]);
    assert.deepEqual(matrix.indptr, Int32Array.from([0, 0, 1, 1]));
  });
});

describe('Vectorizer: minDf and maxFeatures', () => {
  it('minDf keeps n-grams found in at least that many documents', () => {
    // good: documents 0 and 1; movie: 0 and 2; the: all three; "not good" twice but in one document.
    const v = Vectorizer.fit(docs, { ngrams: 2, minDf: 2 });
    assert.deepEqual(names(v), ['good', 'movie', 'the']);
    assert.deepEqual(names(Vectorizer.fit(docs, { minDf: 3 })), ['the']);
  });

  it('minDf so high that nothing is left is an OptionError', () => {
    assert.throws(
      () => Vectorizer.fit(docs, { minDf: 4 }),
      (e: Error) => {
        return e instanceof OptionError && /minDf 4/.test(e.message) && /3 documents/.test(e.message);
      },
    );
  });

  it('maxFeatures keeps the highest total counts, ties by name, columns still by name', () => {
    // Totals: good 3, the 3; movie 2, not 2, "not good" 2; every other n-gram 1.
    assert.deepEqual(names(Vectorizer.fit(docs, { maxFeatures: 1 })), ['good']);
    assert.deepEqual(names(Vectorizer.fit(docs, { maxFeatures: 2 })), ['good', 'the']);
    assert.deepEqual(names(Vectorizer.fit(docs, { maxFeatures: 3 })), ['good', 'movie', 'the']);
    assert.deepEqual(names(Vectorizer.fit(docs, { ngrams: 2, maxFeatures: 5 })), [
      'good',
      'movie',
      'not',
      'not good',
      'the',
    ]);
    // With 6 the one extra comes from the count-1 n-grams, the first by name: "bad".
    assert.deepEqual(names(Vectorizer.fit(docs, { ngrams: 2, maxFeatures: 6 }))[0], 'bad');
    assert.equal(Vectorizer.fit(docs, { maxFeatures: 100 }).size, 7);
  });

  it('maxFeatures ranks by total count, not by document frequency', () => {
    // "a" is in one document three times, "b" in two documents once each.
    assert.deepEqual(names(Vectorizer.fit([['a', 'a', 'a', 'b'], ['b']], { maxFeatures: 1 })), ['a']);
  });

  it('applies minDf before maxFeatures', () => {
    // With ['not', 'not'] added, "not" is the most frequent (4) but in 2 documents only; "the" is in 3.
    const corpus = [...docs, ['not', 'not']];
    assert.deepEqual(names(Vectorizer.fit(corpus, { maxFeatures: 1 })), ['not']);
    assert.deepEqual(names(Vectorizer.fit(corpus, { minDf: 3, maxFeatures: 1 })), ['the']);
  });

  it('agrees with a string-keyed reference implementation on a random corpus', () => {
    const random = new Random(11);
    const alphabet = ['a', 'ab', 'b', 'ba', 'c', 'abc', "a'b", 'é', 'z'];
    const corpus = Array.from({ length: 60 }, () =>
      Array.from({ length: random.int(30) }, () => alphabet[random.int(alphabet.length)]),
    );
    for (const options of [
      { ngrams: 3 },
      { ngrams: 3, minDf: 3 },
      { ngrams: 2, maxFeatures: 40 },
      { ngrams: 4, minDf: 2, maxFeatures: 100 },
    ]) {
      const { vectorizer, matrix } = Vectorizer.fitTransform(corpus, options);
      const expected = referenceCounts(corpus, options.ngrams, options.minDf ?? 1, options.maxFeatures);
      assert.deepEqual(names(vectorizer), expected.names, JSON.stringify(options));
      assertValidCsr(matrix);
      for (let r = 0; r < corpus.length; r++) assert.deepEqual(row(vectorizer, matrix, r), expected.rows[r]);
    }
  });
});

describe('Vectorizer: a larger random corpus (tables grow, rows take the radix-sort path)', () => {
  const random = new Random(23);
  const vocabulary = Array.from({ length: 3000 }, (_, i) => i.toString(36) + (i % 7 === 0 ? "'s" : ''));
  // Zipf-like: low indices much more frequent, so n-grams repeat across documents.
  const word = () => vocabulary[Math.floor(vocabulary.length * random.next() ** 3)];
  const corpus = Array.from({ length: 300 }, () => Array.from({ length: 50 + random.int(300) }, word));
  const unseen = Array.from({ length: 40 }, () => Array.from({ length: 100 }, word).concat(['zzz-unseen']));

  for (const options of [{ ngrams: 3 }, { ngrams: 2, minDf: 2, maxFeatures: 5000 }]) {
    it(`matches the reference for ${JSON.stringify(options)}, and transform matches fitTransform`, () => {
      const { vectorizer, matrix } = Vectorizer.fitTransform(corpus, options);
      const expected = referenceCounts(corpus, options.ngrams, options.minDf ?? 1, options.maxFeatures);
      assert.deepEqual(names(vectorizer), expected.names);
      for (let r = 0; r < corpus.length; r += 7)
        assert.deepEqual(row(vectorizer, matrix, r), expected.rows[r]);
      assertSameMatrix(vectorizer.transform(corpus), matrix);
      const copy = Vectorizer.fromFiles(vectorizer.toFiles());
      assertSameMatrix(copy.transform(unseen), vectorizer.transform(unseen));
      for (const text of unseen.slice(0, 5)) {
        const one = vectorizer.transformOne(text);
        const m = vectorizer.transform([text]);
        assert.deepEqual(one.indices, m.indices);
        assert.deepEqual(one.values, m.values);
      }
    });
  }
});

describe('Vectorizer: single words from a token-id corpus (the training fast path)', () => {
  const random = new Random(31);
  // 70,000 distinct words: beyond the dense-tally limit of 65,536 columns when all are kept.
  const rare = Array.from({ length: 70_000 }, (_, i) => `w${i.toString(36)}`);
  const common = ['the', 'a', 'film', 'good', 'bad', 'plot', 'and', 'it'];
  const texts = Array.from({ length: 200 }, (_, d) => {
    const words = Array.from({ length: 20 + random.int(40) }, () => common[random.int(common.length)]);
    return words.concat(rare.slice(d * 350, (d + 1) * 350)).join(' ');
  });
  const tokenized = texts.map((text) => text.split(' '));

  for (const options of [
    { weighting: 'count', norm: null },
    { maxFeatures: 5, weighting: 'tfidf', norm: 'l2' },
    { minDf: 2, weighting: 'binary', norm: null },
    { maxFeatures: 1000, weighting: 'count', norm: null },
  ] as VectorizerOptions[]) {
    it(`gives what the token lists give, and leaves the corpus as it was: ${JSON.stringify(options)}`, () => {
      const corpus = tokenIds(texts);
      const ids = corpus.ids.slice();
      const fromCorpus = Vectorizer.fitTransform(corpus, options);
      const fromTokens = Vectorizer.fitTransform(tokenized, options);
      assert.deepEqual(names(fromCorpus.vectorizer), names(fromTokens.vectorizer));
      assertValidCsr(fromCorpus.matrix);
      assertSameMatrix(fromCorpus.matrix, fromTokens.matrix);
      assert.deepEqual(corpus.ids, ids);
    });
  }

  it('keeps ties at the maxFeatures cut by name', () => {
    // "b" and "c" tie with 2 occurrences for the second place; "b" sorts first.
    const corpus = tokenIds(['c a b', 'a c a', 'b d']);
    assert.deepEqual(names(Vectorizer.fitTransform(corpus, { maxFeatures: 2 }).vectorizer), ['a', 'b']);
  });
});

/** CountVectorizer's semantics spelt out with strings and Maps. */
function referenceCounts(
  corpus: string[][],
  n: number,
  minDf: number,
  maxFeatures?: number,
): { names: string[]; rows: Record<string, number>[] } {
  const total = new Map<string, number>();
  const df = new Map<string, number>();
  for (const doc of corpus) {
    const grams = ngrams(doc, n);
    for (const g of grams) total.set(g, (total.get(g) ?? 0) + 1);
    for (const g of new Set(grams)) df.set(g, (df.get(g) ?? 0) + 1);
  }
  let kept = [...total.keys()].filter((g) => (df.get(g) ?? 0) >= minDf);
  if (maxFeatures !== undefined) {
    kept = kept
      .sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, maxFeatures);
  }
  const keep = new Set(kept);
  const rows = corpus.map((doc) => {
    const counts: Record<string, number> = {};
    for (const g of ngrams(doc, n)) if (keep.has(g)) counts[g] = (counts[g] ?? 0) + 1;
    return counts;
  });
  return { names: kept.sort(), rows };
}

describe('Vectorizer: weighting', () => {
  it('binary gives 1 for every n-gram present', () => {
    const { vectorizer: v, matrix: m } = Vectorizer.fitTransform(docs, { weighting: 'binary' });
    assert.deepEqual(row(v, m, 1), { end: 1, good: 1, not: 1, the: 1 });
    assert.equal(v.options.norm, null);
  });

  it('tfidf: tf × smoothed idf, rows l2-normalised (scikit-learn TfidfVectorizer defaults)', () => {
    const { vectorizer: v, matrix: m } = Vectorizer.fitTransform(docs, { weighting: 'tfidf' });
    assert.equal(v.options.norm, 'l2');
    assert.equal(v.options.smoothIdf, true);
    // n = 3 documents. idf = ln((1 + n) / (1 + df)) + 1:
    //   the (df 3):                 ln(4/4) + 1 = 1
    //   good, movie (df 2):         ln(4/3) + 1 = 1.2876820724517808
    //   bad, end, not, was (df 1):  ln(4/2) + 1 = 1.6931471805599454
    const idf1 = Math.log(4 / 2) + 1;
    const idf2 = Math.log(4 / 3) + 1;
    close(idf1, 1.6931471805599454);
    close(idf2, 1.2876820724517808);
    // Document 1 = not good not good the end: tf good 2, not 2, the 1, end 1.
    //   raw: good 2 × 1.28768 = 2.57536, not 2 × 1.69315 = 3.38629, the 1 × 1 = 1, end 1.69315
    //   l2 norm = sqrt(2.57536² + 3.38629² + 1² + 1.69315²) = sqrt(6.63250 + 11.46699 + 1 + 2.86675) = 4.68682
    const raw = { end: idf1, good: 2 * idf2, not: 2 * idf1, the: 1 };
    const norm = Math.sqrt(Object.values(raw).reduce((s, x) => s + x * x, 0));
    close(norm, 4.686815, 'norm');
    const r1 = row(v, m, 1);
    close(r1.good, 2.575364 / 4.686815, 'good');
    for (const [name, value] of Object.entries(raw)) close(r1[name], value / norm, name);
    // Document 2 = the bad movie: raw 1, 1.69315, 1.28768; norm sqrt(1 + 2.86675 + 1.65813) = 2.350505.
    const r2 = row(v, m, 2);
    close(r2.bad, idf1 / 2.350505, 'bad');
    close(r2.the, 1 / 2.350505, 'the');
    const df = v.documentFrequencies();
    assert.deepEqual(df && [...df], [1, 1, 2, 2, 1, 3, 1]);
  });

  it('tfidf without smoothing: idf = ln(n / df) + 1', () => {
    const { vectorizer: v, matrix: m } = Vectorizer.fitTransform(docs, {
      weighting: 'tfidf',
      smoothIdf: false,
      norm: null,
    });
    // Document 1: good 2 × (ln(3/2) + 1), not 2 × (ln 3 + 1), the 1 × (ln 1 + 1) = 1.
    const r1 = row(v, m, 1);
    close(r1.good, 2 * (Math.log(3 / 2) + 1));
    close(r1.not, 2 * (Math.log(3) + 1));
    close(r1.the, 1);
  });

  it('sublinearTf replaces tf by 1 + ln(tf), before idf and norm', () => {
    const counts = Vectorizer.fitTransform(docs, { sublinearTf: true });
    // tf 2 → 1 + ln 2 = 1.6931; tf 1 → 1.
    const r1 = row(counts.vectorizer, counts.matrix, 1);
    close(r1.good, 1 + Math.log(2));
    close(r1.the, 1);
    const tfidf = Vectorizer.fitTransform(docs, { weighting: 'tfidf', sublinearTf: true });
    const raw = {
      end: Math.log(2) + 1,
      good: (1 + Math.log(2)) * (Math.log(4 / 3) + 1),
      not: (1 + Math.log(2)) * (Math.log(2) + 1),
      the: 1,
    };
    const norm = Math.hypot(...Object.values(raw));
    const r = row(tfidf.vectorizer, tfidf.matrix, 1);
    for (const [name, value] of Object.entries(raw)) close(r[name], value / norm, name);
  });

  it('norm l2 also works on counts, and a row of zeros stays empty', () => {
    const { vectorizer: v, matrix: m } = Vectorizer.fitTransform(docs, { norm: 'l2' });
    // Document 1 counts: end 1, good 2, not 2, the 1 → norm sqrt(1 + 4 + 4 + 1) = sqrt(10).
    const r1 = row(v, m, 1);
    close(r1.good, 2 / Math.sqrt(10));
    close(r1.end, 1 / Math.sqrt(10));
    assert.deepEqual(row(v, v.transform([['unseen']]), 0), {});
  });

  it('values are Float32 rounded once from the double computation', () => {
    const { matrix } = Vectorizer.fitTransform(docs, { weighting: 'tfidf' });
    assert.ok(matrix.values instanceof Float32Array);
  });
});

describe('Vectorizer: hashing', () => {
  it('puts each n-gram in column hashNgram mod 2^bits and sums colliding n-grams', () => {
    // 2 columns for 9 unigrams and 11 bigrams: collisions are certain.
    const bits = 1;
    const { vectorizer: v, matrix: m } = Vectorizer.fitTransform(docs, { ngrams: 2, hashBits: bits });
    assert.equal(v.size, 2);
    assert.equal(m.cols, 2);
    assertValidCsr(m);
    for (let r = 0; r < docs.length; r++) {
      const expected = [0, 0];
      for (let n = 1; n <= 2; n++) {
        for (let i = 0; i + n <= docs[r].length; i++)
          expected[hashNgram(docs[r].slice(i, i + n)) % 2 ** bits]++;
      }
      const actual = [0, 0];
      for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) actual[m.indices[k]] = m.values[k];
      assert.deepEqual(actual, expected, `row ${r}`);
      // Every n-gram landed somewhere: the row sums to the number of n-grams.
      assert.equal(expected[0] + expected[1], ngrams(docs[r], 2).length);
    }
  });

  it('is deterministic, needs no vocabulary, and changes with the seed', () => {
    const a = Vectorizer.fitTransform(docs, { ngrams: 2, hashBits: 6 });
    const b = Vectorizer.fitTransform(docs, { ngrams: 2, hashBits: 6 });
    assertSameMatrix(a.matrix, b.matrix);
    // Unseen words still get a column: there is no vocabulary.
    assert.equal(
      a.vectorizer.transformOne(['never', 'seen']).values.reduce((s, x) => s + x, 0),
      3,
    );
    assert.equal(a.vectorizer.featureName(0), undefined);
    const seeded = Vectorizer.fitTransform(docs, { ngrams: 2, hashBits: 6, hashSeed: 12345 });
    assert.notDeepEqual(seeded.matrix.indices, a.matrix.indices);
    const column = hashNgram(['not', 'good'], 12345) % 64;
    assert.ok(seeded.vectorizer.features(['not', 'good']).some((f) => f.column === column));
  });

  it('tfidf counts document frequency per column', () => {
    const { vectorizer: v, matrix: m } = Vectorizer.fitTransform(docs, {
      hashBits: 1,
      weighting: 'tfidf',
      norm: null,
    });
    const df = v.documentFrequencies() as Int32Array;
    const expectedDf = [0, 0];
    for (const doc of docs) for (const c of new Set(doc.map((t) => hashNgram([t]) % 2))) expectedDf[c]++;
    assert.deepEqual([...df], expectedDf);
    const r0 = new Map<number, number>();
    for (const t of docs[0]) r0.set(hashNgram([t]) % 2, (r0.get(hashNgram([t]) % 2) ?? 0) + 1);
    for (let k = m.indptr[0]; k < m.indptr[1]; k++) {
      const c = m.indices[k];
      close(m.values[k], (r0.get(c) ?? 0) * (Math.log(4 / (1 + expectedDf[c])) + 1));
    }
  });
});

describe('Vectorizer.features', () => {
  it('lists the distinct known n-grams of a text by first occurrence, with column and value', () => {
    const v = Vectorizer.fit(docs, { ngrams: 2 });
    const features = v.features(['not', 'good', 'not', 'great', 'movie']);
    assert.deepEqual(
      features.map((f) => [f.ngram, f.value]),
      [
        ['not', 2],
        ['not good', 1],
        ['good', 1],
        ['good not', 1],
        ['movie', 1],
      ],
    );
    for (const f of features) assert.equal(v.featureName(f.column), f.ngram);
  });

  it('works in a hashed space, where the text tells which n-grams a column holds', () => {
    const v = Vectorizer.fit(docs, { ngrams: 2, hashBits: 1 });
    const features = v.features(['not', 'good', 'not']);
    assert.deepEqual(
      features.map((f) => f.ngram),
      ['not', 'not good', 'good', 'good not'],
    );
    const row = v.transformOne(['not', 'good', 'not']);
    for (const f of features) {
      assert.equal(f.column, hashNgram(f.ngram.split(' ')) % 2);
      assert.equal(f.value, row.values[[...row.indices].indexOf(f.column)]);
    }
  });
});

describe('Vectorizer: options', () => {
  it('resolves defaults and records them', () => {
    const v = Vectorizer.fit(docs);
    assert.deepEqual(v.options, {
      ngrams: 1,
      minDf: 1,
      maxFeatures: null,
      hashBits: null,
      hashSeed: 0,
      weighting: 'count',
      sublinearTf: false,
      smoothIdf: true,
      norm: null,
      tokenizer: 'polarity-words-v1',
    });
    assert.equal(Vectorizer.fit(docs, { weighting: 'tfidf', norm: null }).options.norm, null);
    // Resolved options are accepted as input again.
    assert.deepEqual(Vectorizer.fit(docs, v.options).options, v.options);
  });

  const bad: [VectorizerOptions, RegExp][] = [
    [{ ngrams: 0 }, /ngrams/],
    [{ ngrams: 1.5 }, /ngrams/],
    [{ ngrams: 9 }, /ngrams/],
    [{ minDf: -1 }, /minDf/],
    [{ minDf: 0 }, /minDf/],
    [{ maxFeatures: 0 }, /maxFeatures/],
    [{ hashBits: 40 }, /hashBits/],
    [{ hashBits: 0 }, /hashBits/],
    [{ hashSeed: -1, hashBits: 4 }, /hashSeed/],
    [{ weighting: 'bm25' as 'count' }, /weighting/],
    [{ norm: 'l1' as 'l2' }, /norm/],
    [{ sublinearTf: 'yes' as unknown as boolean }, /sublinearTf/],
    // Conflicts: a value that would have no effect.
    [{ hashBits: 10, minDf: 2 }, /minDf.*hashBits/],
    [{ hashBits: 10, maxFeatures: 100 }, /maxFeatures.*hashBits/],
    [{ hashSeed: 3 }, /hashSeed.*hashBits/],
    [{ weighting: 'binary', sublinearTf: true }, /sublinearTf.*binary/],
    [{ weighting: 'count', smoothIdf: false }, /smoothIdf.*tfidf/],
    [{ min_df: 2 } as VectorizerOptions, /unknown option "min_df"/],
  ];
  for (const [options, message] of bad) {
    it(`rejects ${JSON.stringify(options)} with an OptionError naming the option`, () => {
      assert.throws(
        () => Vectorizer.fit(docs, options),
        (e: Error) => e instanceof OptionError && message.test(e.message),
      );
    });
  }

  it('training texts without any token are a DatasetError', () => {
    assert.throws(() => Vectorizer.fit([[], []]), DatasetError);
    assert.throws(() => Vectorizer.fit([]), DatasetError);
  });
});

describe('Vectorizer: saving', () => {
  const recipes: VectorizerOptions[] = [
    {},
    { ngrams: 3, minDf: 2 },
    { ngrams: 2, weighting: 'tfidf', sublinearTf: true },
    { weighting: 'binary', ngrams: 2, maxFeatures: 5 },
    { ngrams: 2, hashBits: 5, hashSeed: 9 },
    { ngrams: 2, hashBits: 5, weighting: 'tfidf', smoothIdf: false },
  ];
  const probe = [...docs, ['the', 'movie', 'unseen', 'was', 'not', 'good'], []];

  for (const options of recipes) {
    it(`JSON and files round-trips transform identically: ${JSON.stringify(options)}`, () => {
      const v = Vectorizer.fit(docs, options);
      const fromJson = Vectorizer.fromJSON(JSON.parse(JSON.stringify(v)));
      const fromFiles = Vectorizer.fromFiles(v.toFiles());
      for (const copy of [fromJson, fromFiles]) {
        assert.deepEqual(copy.options, v.options);
        assert.equal(copy.size, v.size);
        assert.deepEqual(names(copy), names(v));
        assertSameMatrix(copy.transform(probe), v.transform(probe));
        assert.deepEqual(copy.toJSON(), v.toJSON());
      }
    });
  }

  it('toFiles writes a small JSON header and little-endian Int32 blobs under the prefix', () => {
    const v = Vectorizer.fit(docs, { ngrams: 2, weighting: 'tfidf' });
    const files = v.toFiles('features');
    assert.deepEqual(Object.keys(files).sort(), ['features-df.bin', 'features-ngrams.bin', 'features.json']);
    assert.equal((files['features-ngrams.bin'] as Uint8Array).byteLength, 8 * v.size);
    assert.equal((files['features-df.bin'] as Uint8Array).byteLength, 4 * v.size);
    const header = JSON.parse(files['features.json'] as string) as VectorizerJSON;
    assert.equal(header.ngrams, undefined);
    assert.deepEqual(header.words, ['bad', 'end', 'good', 'movie', 'not', 'the', 'was']);
    // Buffers from the pool are not 4-byte aligned; reading must not care.
    const unaligned: Record<string, Uint8Array | string> = {};
    for (const [name, data] of Object.entries(files)) {
      unaligned[name] =
        typeof data === 'string' ? Buffer.from(data) : Buffer.concat([Buffer.from([0]), data]).subarray(1);
    }
    assertSameMatrix(Vectorizer.fromFiles(unaligned, 'features').transform(docs), v.transform(docs));
  });

  describe('rejects damaged input with a ModelFormatError saying what is wrong', () => {
    const good = Vectorizer.fit(docs, { ngrams: 2, weighting: 'tfidf' }).toJSON();
    const table = Buffer.from(good.ngrams as string, 'base64');
    const withTable = (edit: (t: Int32Array) => void) => {
      const t = new Int32Array(new Uint8Array(table).buffer.slice(0));
      edit(t);
      return Buffer.from(t.buffer).toString('base64');
    };
    const cases: [string, unknown, RegExp][] = [
      ['not an object', 'vectorizer', /JSON object/],
      ['another format', { ...good, format: 'polarity-vocabulary' }, /format/],
      ['a newer version', { ...good, version: 2 }, /version/],
      ['a missing option', { ...good, options: withoutKey(good.options, 'minDf') }, /options\.minDf/],
      ['a bad option', { ...good, options: { ...good.options, ngrams: 0 } }, /ngrams/],
      ['an unknown option', { ...good, options: { ...good.options, extra: 1 } }, /options\.extra/],
      ['a bad size', { ...good, size: -1 }, /size/],
      ['words that are not strings', { ...good, words: [1, 2] }, /words\[0\]/],
      ['unsorted words', { ...good, words: [...(good.words ?? [])].reverse() }, /sorted/],
      ['no n-gram table', { ...good, ngrams: undefined }, /n-gram table is missing/],
      [
        'a truncated n-gram table',
        { ...good, ngrams: table.subarray(0, 12).toString('base64') },
        /truncated/,
      ],
      ['a prefix after its n-gram', { ...good, ngrams: withTable((t) => (t[0] = 5)) }, /prefix column/],
      ['a word out of range', { ...good, ngrams: withTable((t) => (t[1] = 99)) }, /word 99/],
      ['a repeated n-gram', { ...good, ngrams: withTable((t) => ((t[2] = t[0]), (t[3] = t[1]))) }, /repeats/],
      [
        'children out of name order',
        // Column 4 is "good not" and 5 "good the" (words: bad end good movie not the was); make 5 "good end",
        // which would sort before "good not".
        { ...good, ngrams: withTable((t) => (t[11] = 1)) },
        /column 5 .*out of name order/,
      ],
      ['no df for tfidf', { ...good, df: undefined }, /document frequencies are missing/],
      [
        'a df above the documents',
        { ...good, df: Buffer.from(new Int32Array(good.size).fill(9).buffer).toString('base64') },
        /df of column 0 is 9/,
      ],
    ];
    for (const [what, json, message] of cases) {
      it(what, () => {
        assert.throws(
          () => Vectorizer.fromJSON(json, 'model/vectorizer.json'),
          (e: Error) =>
            e instanceof ModelFormatError &&
            message.test(e.message) &&
            e.message.startsWith('model/vectorizer.json:'),
        );
      });
    }

    it('a missing, truncated or unreadable file names the file', () => {
      const files = Vectorizer.fit(docs, { ngrams: 2, weighting: 'tfidf' }).toFiles();
      const without = (name: string) => Object.fromEntries(Object.entries(files).filter(([n]) => n !== name));
      const check = (input: Record<string, Uint8Array | string>, message: RegExp) =>
        assert.throws(
          () => Vectorizer.fromFiles(input, 'vectorizer', 'models/nbsvm'),
          (e: Error) => e instanceof ModelFormatError && message.test(e.message),
        );
      check(without('vectorizer.json'), /models\/nbsvm\/vectorizer\.json: .*missing/);
      check(without('vectorizer-ngrams.bin'), /vectorizer-ngrams\.bin: .*missing/);
      check(without('vectorizer-df.bin'), /vectorizer-df\.bin: .*missing/);
      check(
        { ...files, 'vectorizer.json': '{"format": "polarity-vec' },
        /vectorizer\.json: .*not valid JSON/,
      );
      check(
        { ...files, 'vectorizer-ngrams.bin': (files['vectorizer-ngrams.bin'] as Uint8Array).subarray(0, 5) },
        /vectorizer-ngrams\.bin: .*truncated/,
      );
    });
  });
});
