/**
 * Hashed word n-grams, as fastText feeds them to its input layer: every n-gram of 2 to `maxN`
 * consecutive tokens goes to one of `buckets` rows by a hash, so that the model needs no n-gram
 * vocabulary (IMDB's training split alone holds about 1.7 million distinct bigrams).
 *
 * The hash, in full (32-bit FNV-1a: Fowler–Noll–Vo, the variant that XORs each byte in before
 * multiplying by the prime 16777619, starting from 2166136261, all modulo 2^32):
 * - a token's hash is FNV-1a of its UTF-8 bytes (fastText hashes its words with the same function);
 * - the hash of an n-gram of two or more tokens is the FNV-1a state of its first token's hash,
 *   continued over the four little-endian bytes of each following token's hash;
 * - its bucket is that hash modulo `buckets`.
 * So an n-gram costs four multiplications per token beyond the first, from token hashes computed
 * once per token (once per distinct word when training from word ids). How fastText itself combines
 * word hashes is its own and not followed here. Tokens missing from the word vocabulary (rare
 * words) still take part in n-grams, as in fastText.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step: XOR the byte in, multiply by the prime, modulo 2^32. */
function fnvByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
}

/**
 * 32-bit FNV-1a of the UTF-8 bytes of `text`, as an unsigned integer, encoding on the fly rather
 * than allocating a buffer per token. A lone surrogate is hashed as U+FFFD, as `TextEncoder`
 * encodes it.
 */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = fnvByte(h, c);
      continue;
    }
    if (c < 0x800) {
      h = fnvByte(h, 0xc0 | (c >> 6));
      h = fnvByte(h, 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const codePoint = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        h = fnvByte(h, 0xf0 | (codePoint >> 18));
        h = fnvByte(h, 0x80 | ((codePoint >> 12) & 0x3f));
        h = fnvByte(h, 0x80 | ((codePoint >> 6) & 0x3f));
        h = fnvByte(h, 0x80 | (codePoint & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    h = fnvByte(h, 0xe0 | (c >> 12));
    h = fnvByte(h, 0x80 | ((c >> 6) & 0x3f));
    h = fnvByte(h, 0x80 | (c & 0x3f));
  }
  return h;
}

/** Extends an n-gram's hash by one more token, given that token's hash. */
export function extendNgramHash(ngramHash: number, tokenHash: number): number {
  let h = fnvByte(ngramHash, tokenHash & 0xff);
  h = fnvByte(h, (tokenHash >>> 8) & 0xff);
  h = fnvByte(h, (tokenHash >>> 16) & 0xff);
  return fnvByte(h, tokenHash >>> 24);
}

/** The bucket of one n-gram of two or more tokens, given as its tokens. */
export function ngramBucket(tokens: readonly string[], buckets: number): number {
  let h = fnv1a(tokens[0]);
  for (let i = 1; i < tokens.length; i++) h = extendNgramHash(h, fnv1a(tokens[i]));
  return h % buckets;
}

/**
 * Calls `visit(bucket, start, n)` for every n-gram of 2 to `maxN` tokens of a text given as its
 * token hashes, by start position and then by length ("a b", "a b c", "b c", …).
 */
export function forEachNgramBucket(
  hashes: ArrayLike<number>,
  maxN: number,
  buckets: number,
  visit: (bucket: number, start: number, n: number) => void,
): void {
  for (let start = 0; start + 1 < hashes.length; start++) {
    let h = hashes[start];
    const end = Math.min(hashes.length, start + maxN);
    for (let i = start + 1; i < end; i++) {
      h = extendNgramHash(h, hashes[i]);
      visit(h % buckets, start, i - start + 1);
    }
  }
}
