import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ModelFormatError, OptionError } from '../../../src/errors.js';
import { TOKENIZER_ID } from '../../../src/text/sequences/tokenize.js';
import { Vocabulary, type VocabularyOptions } from '../../../src/text/sequences/vocabulary.js';

// Counts: the 3, ant 2, cat 2, bird 1, dog 1. Ranked: the, ant, cat (tie with ant, broken by code unit),
// bird, dog (tie). With indexFrom 3: the 4, ant 5, cat 6, bird 7, dog 8.
const corpus: string[][] = [['the', 'cat', 'the', 'dog'], ['the', 'bird', 'cat'], ['ant', 'ant'], []];

function fit(options?: VocabularyOptions): Vocabulary {
  return Vocabulary.fit(corpus, options);
}

describe('Vocabulary.fit', () => {
  it('ranks by total count, breaking ties by code unit', () => {
    const v = fit();
    assert.deepEqual(v.words, ['the', 'ant', 'cat', 'bird', 'dog']);
    assert.deepEqual(v.counts, [3, 2, 2, 1, 1]);
    assert.equal(v.wordIndex('the'), 4);
    assert.equal(v.wordIndex('dog'), 8);
    assert.equal(v.wordIndex('zebra'), undefined);
    assert.equal(v.size, 5000);
  });

  it('uses total count, not the number of texts a word occurs in', () => {
    // "a" is in one text three times, "b" in two texts once each.
    const v = Vocabulary.fit([['a', 'a', 'a', 'b'], ['b']]);
    assert.deepEqual(v.words, ['a', 'b']);
  });

  it('breaks ties by UTF-16 code unit, not by first appearance or code point', () => {
    const v = Vocabulary.fit([['ｚ', 'b', 'é', 'Z', '𝒜', 'a']]);
    // Z (5A) < a (61) < b (62) < é (E9) < 𝒜 (D835 DC9C) < ｚ (FF5A)
    assert.deepEqual(v.words, ['Z', 'a', 'b', 'é', '𝒜', 'ｚ']);
    const reversed = Vocabulary.fit([['a', '𝒜', 'Z', 'é', 'b', 'ｚ']]);
    assert.deepEqual(reversed.words, v.words);
  });

  it('encodes with the start id first and unknown words as the OOV id', () => {
    const v = fit();
    assert.deepEqual(v.encode(['the', 'cat', 'zebra', 'dog']), [1, 4, 6, 2, 8]);
    assert.deepEqual(v.encode([]), [1]);
  });

  it('keeps exactly numWords - indexFrom - 1 words: every id is below numWords', () => {
    const seven = fit({ numWords: 7 });
    assert.equal(seven.size, 7);
    assert.deepEqual(seven.words, ['the', 'ant', 'cat']);
    assert.deepEqual(seven.encode(['cat', 'bird']), [1, 6, 2]);
    const eight = fit({ numWords: 8 });
    assert.deepEqual(eight.encode(['cat', 'bird', 'dog']), [1, 6, 7, 2]);
    const four = fit({ numWords: 4 });
    assert.deepEqual(four.words, []);
    assert.deepEqual(four.encode(['the']), [1, 2]);
  });

  it('matches Keras: id = rank + indexFrom when below numWords, else oovChar', () => {
    const ranked = fit({ numWords: null }).words;
    const tokens = ['dog', 'the', 'bird', 'ant', 'cat', 'the'];
    for (let numWords = 4; numWords <= 10; numWords++) {
      for (const indexFrom of [2, 3, 5]) {
        if (numWords < indexFrom + 1) continue;
        const keras = [1, ...tokens.map((t) => ranked.indexOf(t) + 1 + indexFrom)].map((w) =>
          w < numWords ? w : 2,
        );
        const v = fit({ numWords, indexFrom });
        assert.deepEqual(v.encode(tokens), keras, `numWords ${numWords}, indexFrom ${indexFrom}`);
      }
    }
  });

  it('numWords null keeps every word', () => {
    const v = fit({ numWords: null });
    assert.equal(v.words.length, 5);
    assert.equal(v.size, 9);
    assert.equal(v.options.numWords, null);
  });

  it('skipTop maps the most frequent words to the OOV id', () => {
    const v = fit({ skipTop: 2 });
    assert.deepEqual(v.encode(['the', 'ant', 'cat']), [1, 2, 2, 6]);
    assert.equal(v.wordIndex('the'), undefined);
    assert.equal(v.has('cat'), true);
    assert.deepEqual(v.words.slice(0, 2), ['the', 'ant']);
    assert.deepEqual(fit({ skipTop: 2, unknown: 'skip' }).encode(['the', 'ant', 'cat']), [1, 6]);
  });

  it('startChar null puts nothing first', () => {
    assert.deepEqual(fit({ startChar: null }).encode(['the', 'dog']), [4, 8]);
  });

  it("unknown: 'skip' drops unseen words and words beyond numWords", () => {
    const v = fit({ numWords: 7, unknown: 'skip' });
    assert.deepEqual(v.encode(['the', 'zebra', 'bird', 'cat']), [1, 4, 6]);
  });

  it('other reserved ids and indexFrom', () => {
    const v = fit({ startChar: 3, oovChar: 1, indexFrom: 4 });
    assert.deepEqual(v.encode(['the', 'zebra']), [3, 5, 1]);
  });

  it('decodes ids, reserved ones included', () => {
    const v = fit({ numWords: 12 });
    assert.deepEqual(v.decode([0, 1, 2, 3, 4, 8, 9, 11]), [
      '<pad>',
      '<start>',
      '<oov>',
      '<unused>',
      'the',
      'dog',
      '<unused>',
      '<unused>',
    ]);
    assert.deepEqual(v.decode(v.encode(['cat', 'bird', 'zebra'])), ['<start>', 'cat', 'bird', '<oov>']);
    assert.throws(() => v.decode([12]), OptionError);
    assert.throws(() => v.decode([-1]), OptionError);
    assert.throws(() => v.decode([1.5]), OptionError);
  });

  it('rejects bad options', () => {
    const bad: VocabularyOptions[] = [
      { numWords: 3 },
      { numWords: 10.5 },
      { skipTop: -1 },
      { startChar: 0 },
      { startChar: 4 },
      { oovChar: 1 },
      { oovChar: 0 },
      { indexFrom: 1 },
      { indexFrom: -1 },
      { unknown: 'drop' as 'skip' },
      { tokenizer: '' },
    ];
    for (const options of bad) {
      assert.throws(() => fit(options), OptionError, JSON.stringify(options));
    }
  });

  it('records the tokenizer', () => {
    assert.equal(fit().options.tokenizer, TOKENIZER_ID);
    assert.equal(fit({ tokenizer: 'chars-1' }).options.tokenizer, 'chars-1');
  });
});

describe('Vocabulary.fromRankedWords', () => {
  it('takes an external ranking and cuts it at numWords', () => {
    const v = Vocabulary.fromRankedWords(['the', 'and', 'a', 'of'], { numWords: 6 });
    assert.deepEqual(v.words, ['the', 'and']);
    assert.equal(v.counts, undefined);
    assert.deepEqual(v.encode(['a', 'and']), [1, 2, 5]);
  });

  it('rejects empty and repeated words', () => {
    assert.throws(() => Vocabulary.fromRankedWords(['a', '']), OptionError);
    assert.throws(() => Vocabulary.fromRankedWords(['a', 'b', 'a']), /occurs twice/);
  });
});

describe('Vocabulary JSON', () => {
  const roundTrip = (v: Vocabulary) => Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)) as unknown);

  it('round-trips and re-encodes identically', () => {
    for (const options of [
      {},
      { numWords: 7, skipTop: 1 },
      { numWords: null, startChar: null, unknown: 'skip' as const },
    ]) {
      const v = fit(options);
      const back = roundTrip(v);
      assert.deepEqual(back.toJSON(), v.toJSON());
      assert.equal(back.size, v.size);
      const text = ['the', 'ant', 'zebra', 'cat', 'bird', 'dog', 'the'];
      assert.deepEqual(back.encode(text), v.encode(text));
    }
  });

  it('round-trips without counts', () => {
    const v = Vocabulary.fromRankedWords(['x', 'y']);
    const json = JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
    assert.equal('counts' in json, false);
    assert.deepEqual(Vocabulary.fromJSON(json).words, ['x', 'y']);
  });

  it('writes the documented shape', () => {
    assert.deepEqual(fit({ numWords: 6 }).toJSON(), {
      format: 'polarity-vocabulary',
      version: 1,
      options: {
        numWords: 6,
        skipTop: 0,
        startChar: 1,
        oovChar: 2,
        indexFrom: 3,
        unknown: 'oov',
        tokenizer: TOKENIZER_ID,
      },
      words: ['the', 'ant'],
      counts: [3, 2],
    });
  });

  it('rejects damaged or foreign JSON with ModelFormatError saying what is wrong', () => {
    const good = fit({ numWords: 10 }).toJSON();
    const cases: [unknown, RegExp][] = [
      [null, /expected a JSON object/],
      [[], /expected a JSON object/],
      [{ ...good, format: 'keras' }, /expected format "polarity-vocabulary", got "keras"/],
      [{ ...good, version: 2 }, /expected version 1, got 2/],
      [{ ...good, options: undefined }, /"options" must be an object/],
      [{ ...good, options: { ...good.options, numWords: 'many' } }, /numWords must be .* got "many"/],
      [{ ...good, options: { ...good.options, oovChar: 7 } }, /oovChar must be/],
      [{ ...good, options: { ...good.options, skipTop: undefined } }, /skipTop/],
      [{ ...good, options: { ...good.options, extra: 1 } }, /"options.extra" is not a vocabulary option/],
      [{ ...good, options: { numWords: 10 } }, /"options.skipTop" is missing/],
      [{ ...good, words: 'the ant' }, /"words" must be an array/],
      [{ ...good, words: ['the', 7] }, /words\[1\] must be a non-empty string, got 7/],
      [{ ...good, words: ['the', 'the'] }, /words\[1\] "the" occurs twice/],
      [{ ...good, words: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, /7 words do not fit numWords 10/],
      [{ ...good, counts: [3] }, /"counts" has 1 entries for 5 words/],
      [{ ...good, counts: [3, 2, 2, 1, -1] }, /counts\[4\] must be an integer ≥ 0, got -1/],
      [{ ...good, counts: [3, 2, 2, 1, 1.5] }, /counts\[4\]/],
      [{ ...good, counts: [1, 2, 2, 1, 1] }, /must not increase/],
    ];
    for (const [json, message] of cases) {
      assert.throws(
        () => Vocabulary.fromJSON(json, 'model/vocabulary.json'),
        (error: unknown) =>
          error instanceof ModelFormatError &&
          error.message.startsWith('model/vocabulary.json: vocabulary: ') &&
          message.test(error.message),
        `${JSON.stringify(json)?.slice(0, 80)} should fail with ${message}`,
      );
    }
  });
});
