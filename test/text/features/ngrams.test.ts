import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  hashNgram,
  murmurHash3,
  murmurHash3Words,
  ngramCount,
  ngrams,
} from '../../../src/text/features/ngrams.js';
import {
  NgramTrie,
  TRIE_ID,
  TRIE_PARENT,
  TRIE_PAYLOAD,
  TRIE_WORD,
} from '../../../src/text/features/ngram-trie.js';
import { WordTable } from '../../../src/text/features/word-table.js';
import { Random } from '../../../src/util/random.js';

/** Austin Appleby's MurmurHash3_x86_32, ported byte by byte, as the reference to check ours against. */
function referenceMurmur(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  let h = seed | 0;
  const blocks = Math.floor(bytes.length / 4);
  for (let i = 0; i < blocks; i++) {
    let k = bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
    k = Math.imul(rotl(Math.imul(k, c1), 15), c2);
    h = rotl(h ^ k, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = 4 * blocks;
  let k = 0;
  const rest = bytes.length & 3;
  if (rest >= 3) k ^= bytes[tail + 2] << 16;
  if (rest >= 2) k ^= bytes[tail + 1] << 8;
  if (rest >= 1) {
    k ^= bytes[tail];
    h ^= Math.imul(rotl(Math.imul(k, c1), 15), c2);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

describe('ngrams', () => {
  it('lists every n-gram of 1..N in scikit-learn order, unigrams first, repeats kept', () => {
    assert.deepEqual(ngrams(['not', 'very', 'good', 'not'], 2), [
      'not',
      'very',
      'good',
      'not',
      'not very',
      'very good',
      'good not',
    ]);
    assert.deepEqual(ngrams(['a', 'b', 'c'], 3), ['a', 'b', 'c', 'a b', 'b c', 'a b c']);
    assert.deepEqual(ngrams(['a', 'b', 'c'], 3, 2), ['a b', 'b c', 'a b c']);
  });

  it('gives no n-grams longer than the text', () => {
    assert.deepEqual(ngrams(['only'], 3), ['only']);
    assert.deepEqual(ngrams([], 2), []);
  });

  it('counts them without listing them', () => {
    assert.equal(ngramCount(4, 2), 4 + 3);
    assert.equal(ngramCount(4, 3), 4 + 3 + 2);
    assert.equal(ngramCount(1, 3), 1);
    assert.equal(ngramCount(0, 3), 0);
    for (let length = 0; length < 8; length++) {
      assert.equal(ngramCount(length, 3), ngrams(Array(length).fill('x'), 3).length);
    }
  });
});

describe('murmurHash3', () => {
  it('the byte-wise reference reproduces the published MurmurHash3_x86_32 test vectors', () => {
    const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
    assert.equal(referenceMurmur(new Uint8Array(0), 0), 0);
    assert.equal(referenceMurmur(new Uint8Array(0), 1), 0x514e28b7);
    assert.equal(referenceMurmur(new Uint8Array(0), 0xffffffff), 0x81f16f39);
    assert.equal(referenceMurmur(new Uint8Array([0, 0, 0, 0]), 0), 0x2362f9de);
    assert.equal(referenceMurmur(ascii('aaaa'), 0x9747b28c), 0x5a97808a);
    assert.equal(referenceMurmur(ascii('Hello, world!'), 0x9747b28c), 0x24884cba);
    assert.equal(
      referenceMurmur(ascii('The quick brown fox jumps over the lazy dog'), 0x9747b28c),
      0x2fa826cd,
    );
  });

  it('hashes the UTF-16LE bytes of a string, odd and even lengths, any seed', () => {
    const texts = ['', 'a', 'ab', 'abc', 'good', "don't", 'dvořák', 'café', '𝒜x', 'ｚ', 'a b c d e'];
    for (const seed of [0, 1, 42, 0x9747b28c, 0xffffffff]) {
      for (const text of texts) {
        const bytes = new Uint8Array(Buffer.from(text, 'utf16le'));
        assert.equal(murmurHash3(text, seed), referenceMurmur(bytes, seed), `${text} seed ${seed}`);
      }
    }
  });

  it('returns an unsigned 32-bit integer and depends on the seed', () => {
    const h = murmurHash3('movie');
    assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32);
    assert.notEqual(murmurHash3('movie', 1), h);
    assert.equal(murmurHash3('movie'), h);
  });

  it('hashes 32-bit words as their little-endian bytes', () => {
    const words = [1, 0xdeadbeef, 0x7fffffff, 0];
    const bytes = new Uint8Array(new Uint32Array(words).buffer);
    assert.equal(murmurHash3Words(words, 7), referenceMurmur(bytes, 7));
    assert.equal(murmurHash3Words([], 7), referenceMurmur(new Uint8Array(0), 7));
  });

  it('hashNgram is MurmurHash3 of the tokens’ hashes, all with the same seed', () => {
    const tokens = ['not', 'very', 'good'];
    for (const seed of [0, 5]) {
      const expected = murmurHash3Words(
        tokens.map((t) => murmurHash3(t, seed)),
        seed,
      );
      assert.equal(hashNgram(tokens, seed), expected);
    }
    assert.notEqual(hashNgram(['a', 'b']), hashNgram(['b', 'a']));
    assert.notEqual(hashNgram(['ab']), hashNgram(['a', 'b']));
  });
});

describe('NgramTrie', () => {
  it('numbers new (parent, word) pairs from 0 and finds them again', () => {
    const trie = new NgramTrie();
    assert.equal(trie.findOrAdd(-1, 7), 0);
    assert.equal(trie.findOrAdd(-1, 3), 1);
    assert.equal(trie.findOrAdd(0, 3), 2);
    assert.equal(trie.findOrAdd(-1, 7), 0);
    assert.equal(trie.size, 3);
    assert.equal(trie.find(0, 3), 2);
    assert.equal(trie.find(1, 7), -1);
    const entry = trie.entry(0, 3);
    assert.equal(trie.idAt(entry), 2);
    assert.equal(trie.table[entry + TRIE_PARENT], 0);
    assert.equal(trie.table[entry + TRIE_WORD], 3);
    assert.equal(trie.entry(5, 5), -1);
  });

  it('keeps every pair through growth and rehashing', () => {
    const trie = new NgramTrie(4);
    const random = new Random(3);
    const pairs = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const parent = random.int(300) - 1;
      const word = random.int(400);
      const key = `${parent},${word}`;
      const id = trie.findOrAdd(parent, word);
      const known = pairs.get(key);
      if (known === undefined) {
        assert.equal(id, pairs.size);
        pairs.set(key, id);
      } else {
        assert.equal(id, known);
      }
    }
    assert.equal(trie.size, pairs.size);
    for (const [key, id] of pairs) {
      const [parent, word] = key.split(',').map(Number);
      assert.equal(trie.find(parent, word), id);
    }
  });
});

describe('NgramTrie payload', () => {
  it('keeps payload words with each entry through growth, zero when added', () => {
    const trie = new NgramTrie(2, 3);
    assert.equal(trie.stride, 6);
    for (let i = 0; i < 5000; i++) {
      const entry = trie.entryOrAdd((i % 1000) % 7, i % 1000);
      trie.table[entry + TRIE_PAYLOAD] += 1;
      trie.table[entry + TRIE_PAYLOAD + 2] = i;
    }
    assert.equal(trie.size, 1000);
    let seen = 0;
    for (let offset = 0; offset < trie.table.length; offset += trie.stride) {
      if (trie.table[offset + TRIE_ID] === 0) continue;
      seen++;
      const word = trie.table[offset + TRIE_WORD];
      assert.equal(trie.table[offset + TRIE_PAYLOAD], 5, 'each key came 5 times');
      assert.equal(trie.table[offset + TRIE_PAYLOAD + 1], 0);
      assert.equal(trie.table[offset + TRIE_PAYLOAD + 2] % 1000, word);
    }
    assert.equal(seen, 1000);
    assert.equal(new NgramTrie(4, 1).stride, 4);
  });
});

describe('WordTable', () => {
  it('numbers words from 0 in order of first sight and finds them again', () => {
    const table = new WordTable(2);
    const words = ['the', 'movie', 'é', '𝒜', '', "don't", 'a'.repeat(40)];
    for (let round = 0; round < 2; round++) {
      words.forEach((word, i) => assert.equal(table.idOrAdd(word), i));
    }
    assert.equal(table.size, words.length);
    assert.deepEqual(table.words, words);
    words.forEach((word, i) => assert.equal(table.id(word), i));
    assert.equal(table.id('unseen'), -1);
    assert.equal(table.id('th'), -1);
    assert.equal(table.id('thee'), -1);
  });

  it('agrees with a Map on many words, through growth', () => {
    const random = new Random(5);
    const table = new WordTable(1);
    const map = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const word = random.int(20_000).toString(36);
      if (!map.has(word)) map.set(word, map.size);
      assert.equal(table.idOrAdd(word), map.get(word));
    }
    for (const [word, id] of map) assert.equal(table.id(word), id);
  });
});
