/**
 * N-grams for the bag-of-n-grams vectorizer: naming them, counting them, and hashing them (the hashing
 * trick, MurmurHash3 as scikit-learn's HashingVectorizer). Counting them without a string per occurrence
 * is ngram-trie.ts's job, and giving words integer ids word-table.ts's.
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

/** MurmurHash3's first multiplier; the n-gram trie mixes its slots with it too. */
export const C1 = 0xcc9e2d51;
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
