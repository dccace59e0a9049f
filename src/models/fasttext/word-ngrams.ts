/**
 * Hashed word n-grams, as fastText feeds them to its input layer: every n-gram of 2 to `maxN`
 * consecutive tokens goes to one of `buckets` rows by a hash of its text, so that the model needs
 * no n-gram vocabulary (IMDB's training split alone holds about 1.7 million distinct bigrams).
 *
 * The hash is 32-bit FNV-1a (Fowler–Noll–Vo, the variant that XORs each byte before multiplying)
 * over the UTF-8 bytes of the n-gram's tokens joined by single spaces, so the bucket of "not good"
 * is `fnv1a("not good") mod buckets` — a definition any language can reproduce from the published
 * FNV constants. fastText hashes its words with the same function; how it then combines word
 * hashes into an n-gram hash is its own, and is not followed here. Tokens that are not in the
 * word vocabulary (rare words) still take part in n-grams, as in fastText.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;

/** One FNV-1a step: XOR the byte in, multiply by the prime, modulo 2^32. */
function fnvByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
}

/**
 * Continues an FNV-1a hash over the UTF-8 bytes of `text`, encoding on the fly rather than
 * allocating a buffer per token. A lone surrogate is hashed as U+FFFD, as `TextEncoder` encodes it.
 */
export function fnv1aContinue(hash: number, text: string): number {
  let h = hash;
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

/** 32-bit FNV-1a of the UTF-8 bytes of `text`, as an unsigned integer. */
export function fnv1a(text: string): number {
  return fnv1aContinue(FNV_OFFSET_BASIS, text);
}

/** The bucket of one n-gram given as its tokens: `fnv1a(tokens.join(' ')) mod buckets`. */
export function ngramBucket(tokens: readonly string[], buckets: number): number {
  let h = FNV_OFFSET_BASIS;
  tokens.forEach((token, i) => {
    if (i > 0) h = fnvByte(h, SPACE);
    h = fnv1aContinue(h, token);
  });
  return h % buckets;
}

/**
 * Calls `visit(bucket, start, n)` for every n-gram of 2 to `maxN` tokens, by start position and
 * then by length ("a b", "a b c", "b c", …). Each start's hash is extended one token at a time, so
 * the n-grams of a text cost one pass over its characters per order.
 */
export function forEachNgramBucket(
  tokens: readonly string[],
  maxN: number,
  buckets: number,
  visit: (bucket: number, start: number, n: number) => void,
): void {
  for (let start = 0; start + 1 < tokens.length; start++) {
    let h = fnv1a(tokens[start]);
    const end = Math.min(tokens.length, start + maxN);
    for (let i = start + 1; i < end; i++) {
      h = fnv1aContinue(fnvByte(h, SPACE), tokens[i]);
      visit(h % buckets, start, i - start + 1);
    }
  }
}
