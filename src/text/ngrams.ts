/**
 * N-gram machinery for the bag-of-n-grams vectorizer: naming n-grams, hashing them (the hashing trick),
 * and {@link NgramTrie}, the integer table that lets the vectorizer count n-grams without building a
 * string per occurrence.
 *
 * Why a trie of integers: the IMDB training split has about 5.8 million tokens, which make about 1.7
 * million distinct bigrams and 4 million trigrams. Building the string "a b c" for every occurrence and
 * counting it in a `Map<string, number>` costs a string allocation plus a string hash per occurrence; a
 * trigram run then takes tens of seconds. Instead each distinct n-gram gets an integer id, and an n-gram
 * of order k is the pair (id of its first k-1 tokens, id of its last token): one integer hash-table
 * probe per occurrence, and strings only for the n-grams a model keeps.
 */

/** Joins the tokens of an n-gram in its name, as scikit-learn does: "not very good". */
export const NGRAM_SEPARATOR = ' ';

/**
 * All n-grams of orders `minN`..`maxN` of a token list, named by joining their tokens with a single space,
 * in scikit-learn's order: every unigram by position, then every bigram by position, and so on. An n-gram
 * that occurs twice is listed twice.
 */
export function ngrams(tokens: readonly string[], maxN: number, minN = 1): string[] {
  const out: string[] = [];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(NGRAM_SEPARATOR));
  }
  return out;
}

/** The number of n-grams of orders 1..`maxN` in a text of `length` tokens. */
export function ngramCount(length: number, maxN: number): number {
  let total = 0;
  for (let n = 1; n <= maxN; n++) total += Math.max(0, length - n + 1);
  return total;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * One 32-bit block step of MurmurHash3 x86_32: mixes the block `k` into the running hash `h`.
 * Exposed so that n-gram hashes can be formed incrementally, one token at a time.
 */
export function murmurBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The finalisation of MurmurHash3 x86_32 for input of `byteLength` bytes; returns an unsigned 32-bit value. */
export function murmurFinish(h: number, byteLength: number): number {
  h ^= byteLength;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 x86_32 (Austin Appleby's reference algorithm) of the UTF-16LE bytes of `text`, with `seed`.
 * Hashing UTF-16 code units, two per 32-bit block, avoids encoding the string to UTF-8 first; the result is
 * the same as the reference implementation run over `Buffer.from(text, 'utf16le')`. (scikit-learn's
 * HashingVectorizer hashes UTF-8 bytes, so its columns differ from ours.)
 */
export function murmurHash3(text: string, seed = 0): number {
  const length = text.length;
  let h = seed | 0;
  let i = 0;
  for (; i + 1 < length; i += 2) h = murmurBlock(h, text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
  if (i < length) {
    // A 2-byte tail: mixed like a block, without the final rotate-multiply-add of the hash.
    let k = Math.imul(text.charCodeAt(i), C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  return murmurFinish(h, length * 2);
}

/** MurmurHash3 x86_32 of a sequence of 32-bit words (their little-endian bytes), with `seed`. */
export function murmurHash3Words(words: ArrayLike<number>, seed = 0): number {
  let h = seed | 0;
  for (let i = 0; i < words.length; i++) h = murmurBlock(h, words[i] | 0);
  return murmurFinish(h, words.length * 4);
}

/**
 * The hash of an n-gram used by the hashing vectorizer: MurmurHash3 x86_32 (with `seed`) of the sequence of
 * its tokens' hashes `murmurHash3(token, seed)`. Hashing token hashes rather than the joined string lets the
 * vectorizer hash each token once and extend a bigram's hash to the trigram with one block step; a unigram's
 * hash is the one-word case, so it differs from `murmurHash3(token)`. Column = hash mod 2^bits.
 */
export function hashNgram(tokens: readonly string[], seed = 0): number {
  return murmurHash3Words(
    tokens.map((token) => murmurHash3(token, seed)),
    seed,
  );
}

const EMPTY = -1;
const MIN_CAPACITY_BITS = 10;
const MAX_LOAD = 0.5;

/**
 * A trie of n-grams over integer word ids, stored as an open-addressing hash table: node `id` is the n-gram
 * whose last word is `word(id)` and whose other words are the n-gram `parent(id)` (-1 for a unigram). Ids are
 * handed out in insertion order from 0, so a node's parent always has a smaller id. Keys sit interleaved in
 * one Int32Array so that checking a probe touches one cache line.
 */
export class NgramTrie {
  private slots: Int32Array;
  private mask: number;
  /** `keys[2 * id]` is the parent, `keys[2 * id + 1]` the word. */
  private keys: Int32Array;
  private count = 0;

  constructor(expectedNodes = 1 << MIN_CAPACITY_BITS) {
    const bits = Math.max(MIN_CAPACITY_BITS, Math.ceil(Math.log2(expectedNodes / MAX_LOAD)));
    this.slots = new Int32Array(1 << bits).fill(EMPTY);
    this.mask = (1 << bits) - 1;
    this.keys = new Int32Array(2 * Math.max(16, expectedNodes));
  }

  /** Number of nodes. */
  get size(): number {
    return this.count;
  }

  parent(id: number): number {
    return this.keys[2 * id];
  }

  word(id: number): number {
    return this.keys[2 * id + 1];
  }

  /** The id of the n-gram (parent, word), or -1 when it is not in the trie. */
  find(parent: number, word: number): number {
    const { slots, keys, mask } = this;
    let slot = slotHash(parent, word) & mask;
    for (;;) {
      const id = slots[slot];
      if (id === EMPTY) return EMPTY;
      if (keys[2 * id + 1] === word && keys[2 * id] === parent) return id;
      slot = (slot + 1) & mask;
    }
  }

  /** The id of the n-gram (parent, word), added with the next free id when it is new. */
  findOrAdd(parent: number, word: number): number {
    const { slots, keys, mask } = this;
    let slot = slotHash(parent, word) & mask;
    for (;;) {
      const id = slots[slot];
      if (id === EMPTY) break;
      if (keys[2 * id + 1] === word && keys[2 * id] === parent) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    if (2 * id + 2 > keys.length) this.growKeys();
    this.keys[2 * id] = parent;
    this.keys[2 * id + 1] = word;
    slots[slot] = id;
    if (this.count > MAX_LOAD * slots.length) this.rehash();
    return id;
  }

  private growKeys(): void {
    const keys = new Int32Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    const keys = this.keys;
    for (let id = 0; id < this.count; id++) {
      let slot = slotHash(keys[2 * id], keys[2 * id + 1]) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A well-mixed 32-bit hash of a (parent, word) pair of small integers, for the trie's slots. */
function slotHash(parent: number, word: number): number {
  let h = Math.imul(parent, C1) ^ word;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
