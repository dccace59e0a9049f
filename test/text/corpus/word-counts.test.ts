import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LabelWordCounts } from '../../../src/text/corpus/word-counts.js';

function counts(): LabelWordCounts {
  const words = new LabelWordCounts(['neg', 'pos']);
  // "the" is everywhere; "bad" in 8 of 10 negative reviews and 1 positive; "good" the other way round;
  // "plot" a little more often in negative ones; "zz" (one review) is too rare to rank.
  for (let i = 0; i < 10; i++) {
    words.add('neg', ['the', 'the', 'the', ...(i < 8 ? ['bad'] : []), ...(i < 5 ? ['plot'] : [])]);
    words.add('pos', [
      'the',
      ...(i < 1 ? ['bad'] : []),
      ...(i < 7 ? ['good'] : []),
      ...(i < 4 ? ['plot'] : []),
    ]);
  }
  words.add('pos', ['zz', 'the']);
  return words;
}

describe('LabelWordCounts', () => {
  it('counts reviews containing a word, not its occurrences', () => {
    const words = counts();
    assert.equal(words.reviews('neg'), 10);
    assert.equal(words.reviews('pos'), 11);
    assert.deepEqual(words.mostFrequent('neg', 3), [
      { word: 'the', reviews: 10, share: 1 },
      { word: 'bad', reviews: 8, share: 0.8 },
      { word: 'plot', reviews: 5, share: 0.5 },
    ]);
  });

  it('breaks ties in word order and returns at most n words', () => {
    const words = new LabelWordCounts(['a']);
    words.add('a', ['c', 'b', 'a']);
    assert.deepEqual(
      words.mostFrequent('a', 2).map((w) => w.word),
      ['a', 'b'],
    );
    assert.deepEqual(words.mostFrequent('a', 0), []);
  });

  it('ranks typical words by the z-score of their log odds ratio, favourable ones only', () => {
    const words = counts();
    const neg = words.mostTypical('neg', 5, { minReviews: 2 });
    assert.deepEqual(
      neg.map((w) => w.word),
      ['bad', 'plot'],
    );
    const bad = neg[0];
    assert.equal(bad.reviews, 8);
    assert.equal(bad.otherReviews, 1);
    // Haldane-corrected 2×2 table: 8.5 / 2.5 against 1.5 / 10.5.
    const expected = Math.log(8.5 / 2.5) - Math.log(1.5 / 10.5);
    assert.ok(Math.abs(bad.logOddsRatio - expected) < 1e-12, `${bad.logOddsRatio}`);
    const se = Math.sqrt(1 / 8.5 + 1 / 2.5 + 1 / 1.5 + 1 / 10.5);
    assert.ok(Math.abs(bad.z - expected / se) < 1e-12, `${bad.z}`);
    assert.ok(bad.z > neg[1].z, 'bad before plot');
    // "the" is in every review of both labels, so only the corrections tip it: last, just above 0.
    assert.deepEqual(
      words.mostTypical('pos', 5, { minReviews: 2 }).map((w) => w.word),
      ['good', 'the'],
    );
  });

  it('leaves out words in fewer than minReviews reviews', () => {
    const words = counts();
    const rare = (minReviews: number) =>
      words.mostTypical('pos', 10, { minReviews }).some((w) => w.word === 'zz');
    assert.equal(rare(1), true);
    assert.equal(rare(2), false);
    assert.deepEqual(
      words.mostTypical('neg', 10, { minReviews: 10 }).map((w) => w.word),
      [],
    );
  });

  it('rejects a label it was not given', () => {
    const words = counts();
    assert.throws(() => words.add('neutral', ['x']), /label "neutral" is not one of neg, pos/);
    assert.throws(() => words.mostFrequent('neutral', 1), RangeError);
  });
});
