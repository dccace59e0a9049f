import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import {
  PUNCTUATION_TOKENIZER_ID,
  TOKENIZER_ID,
  tokenize,
  tokenizerById,
  tokenizeWithPunctuation,
} from '../../../src/text/sequences/tokenize.js';

describe('tokenize', () => {
  it('lower-cases and splits on punctuation and spaces', () => {
    assert.deepEqual(tokenize('This movie was GREAT, truly great!'), [
      'this',
      'movie',
      'was',
      'great',
      'truly',
      'great',
    ]);
    assert.deepEqual(tokenize('well-made... (really) "yes"?'), ['well', 'made', 'really', 'yes']);
  });

  it('gives nothing for empty text or text without letters', () => {
    assert.deepEqual(tokenize(''), []);
    assert.deepEqual(tokenize('   \n\t'), []);
    assert.deepEqual(tokenize('!?... --- :-)'), []);
  });

  it('replaces HTML tags with a space', () => {
    assert.deepEqual(tokenize('Good.<br /><br />Bad'), ['good', 'bad']);
    assert.deepEqual(tokenize('one<br/>two<BR>three'), ['one', 'two', 'three']);
    assert.deepEqual(tokenize('<i>italic</i> and <a href="x.html">link</a>'), ['italic', 'and', 'link']);
    assert.deepEqual(tokenize('<p class="a b">para</p>'), ['para']);
  });

  it('leaves text that only looks a little like a tag', () => {
    assert.deepEqual(tokenize('I <3 it'), ['i', '3', 'it']);
    assert.deepEqual(tokenize('a < b and c > d'), ['a', 'b', 'and', 'c', 'd']);
  });

  it('decodes character references', () => {
    // Only numeric references and the six common named ones are decoded; others stay as written.
    assert.deepEqual(tokenize('Dvo&#345;&aacute;k'), ['dvoř', 'aacute', 'k']);
    assert.deepEqual(tokenize('Dvo&#345;ák rock&amp;roll'), ['dvořák', 'rock', 'roll']);
    assert.deepEqual(tokenize('&#x159;e&quot;x&quot;'), ['ře', 'x']);
    assert.deepEqual(tokenize('it&apos;s'), ["it's"]);
    assert.deepEqual(tokenize('bad &#55296; &#9999999; ref'), ['bad', '55296', '9999999', 'ref']);
  });

  it('keeps apostrophes inside words and drops them at the ends', () => {
    assert.deepEqual(tokenize("Don't stop"), ["don't", 'stop']);
    assert.deepEqual(tokenize("rock'n'roll"), ["rock'n'roll"]);
    assert.deepEqual(tokenize("'quoted' words'"), ['quoted', 'words']);
    assert.deepEqual(tokenize("the actors' work"), ['the', 'actors', 'work']);
    assert.deepEqual(tokenize("a''b"), ['a', 'b']);
    assert.deepEqual(tokenize("''"), []);
  });

  it('treats typographic apostrophes, the acute accent and the backtick as apostrophes', () => {
    assert.deepEqual(tokenize('Don’t'), ["don't"]);
    assert.deepEqual(tokenize('it´s it`s it‘s'), ["it's", "it's", "it's"]);
    assert.deepEqual(tokenize('‘quoted’'), ['quoted']);
    assert.deepEqual(tokenize('`quoted´'), ['quoted']);
  });

  it('keeps Unicode letters and combining marks, and NFC-normalises', () => {
    assert.deepEqual(tokenize('Café NAÏVE façade'), ['café', 'naïve', 'façade']);
    const decomposed = 'cafe\u0301';
    assert.deepEqual(tokenize(decomposed), ['caf\u00e9']);
    assert.deepEqual(tokenize('Привет, мир'), ['привет', 'мир']);
    assert.deepEqual(tokenize('日本語 テスト'), ['日本語', 'テスト']);
    assert.deepEqual(tokenize('हिन्दी'), ['हिन्दी']);
    assert.deepEqual(tokenize('ÉCOLE Straße'), ['école', 'straße']);
  });

  it('keeps digits, alone and inside words', () => {
    assert.deepEqual(tokenize('7/10, 3.5 stars, 1950s, mp3'), ['7', '10', '3', '5', 'stars', '1950s', 'mp3']);
    assert.deepEqual(tokenize('½ ²'), ['½', '²']);
  });

  it('splits on underscores, control characters and C1 characters', () => {
    assert.deepEqual(tokenize('snake_case a\u0096b c\u0085d'), ['snake', 'case', 'a', 'b', 'c', 'd']);
  });

  it('is deterministic and does not mutate state between calls', () => {
    const text = 'The <b>same</b> text, twice: café don’t';
    assert.deepEqual(tokenize(text), tokenize(text));
    const first = tokenize(text);
    first.push('x');
    assert.notDeepEqual(tokenize(text), first);
  });
});

describe('tokenizeWithPunctuation', () => {
  it('keeps each punctuation mark and symbol as a token of its own, between the same words', () => {
    assert.deepEqual(tokenizeWithPunctuation('GREAT!! 7/10, (really) "yes"?'), [
      'great',
      '!',
      '!',
      '7',
      '/',
      '10',
      ',',
      '(',
      'really',
      ')',
      '"',
      'yes',
      '"',
      '?',
    ]);
    assert.deepEqual(tokenizeWithPunctuation('€5 — a «chef-d’œuvre» :)'), [
      '€',
      '5',
      '—',
      'a',
      '«',
      'chef',
      '-',
      "d'œuvre",
      '»',
      ':',
      ')',
    ]);
  });

  it('drops apostrophes outside words, tags, spaces and control characters, as tokenize does', () => {
    assert.deepEqual(tokenizeWithPunctuation("'quoted' it's<br />done\u0000\u200b."), [
      'quoted',
      "it's",
      'done',
      '.',
    ]);
  });

  it("gives tokenize's words in order once the marks are left out, and only single marks besides", () => {
    const mark = /^(?!')[\p{P}\p{S}]$/u;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.constantFrom(...[..."ab1 !?'.’<>/é\u0301€—🙂\u00a0-&;"]) }),
        ),
        (text) => {
          const tokens = tokenizeWithPunctuation(text);
          assert.deepEqual(
            tokens.filter((t) => !mark.test(t)),
            tokenize(text),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is found by its id, as tokenize is; an unknown id finds nothing', () => {
    assert.equal(tokenizerById(PUNCTUATION_TOKENIZER_ID), tokenizeWithPunctuation);
    assert.equal(tokenizerById(TOKENIZER_ID), tokenize);
    assert.equal(tokenizerById('polarity-words-v0'), undefined);
  });
});
