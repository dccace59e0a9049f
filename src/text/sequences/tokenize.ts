/**
 * The word tokenizer used for training and for prediction. It must be deterministic and identical on every
 * machine, because a saved model stores word ids, not words: if the same review tokenized differently at
 * predict time than at training time, the model would silently see other words.
 *
 * Steps, in order, and why:
 * 1. HTML tags (`<br />`, `<i>`, `</em>`, …) become a space. The IMDB reviews hold about 200,000 `<br />`
 *    tags; left in, they would make "br" one of the ten most frequent "words" (as it is in Keras's IMDB word
 *    index). A tag is `<`, an optional `/`, an ASCII letter, then anything but `<` or `>` up to `>`, so that
 *    "<3" or "a < b" are left alone.
 * 2. Character references (`&amp;`, `&#345;`, `&#x159;`, and the handful of named ones that occur in
 *    reviews) are decoded, so that "Dvo&#345;ák" is one word as it is on the web page.
 * 3. Lower-casing with `String.prototype.toLowerCase`, which follows the Unicode default case mapping and
 *    does not depend on the locale of the machine.
 * 4. NFC normalisation, so that "café" typed as `e` + U+0301 (as macOS often hands it over) and as the
 *    precomposed `é` are the same word. It only runs when the text holds a code point at or above U+0300:
 *    every code point below that is already in NFC, so plain ASCII and Latin-1 reviews pay nothing.
 * 5. Apostrophe look-alikes — ’ (U+2019), ‘ (U+2018), ´ (U+00B4) and the backtick — become `'`. In the IMDB
 *    reviews "it`s", "don´t" and "don’t" together occur about 1,300 times.
 * 6. A token is a run of Unicode letters and digits (`\p{L}`, `\p{N}`), which may also hold combining marks
 *    (`\p{M}`) after its first character; runs joined by a single apostrophe stay one token ("don't",
 *    "rock'n'roll"). Apostrophes at either end of a word, and all other punctuation, separate tokens and
 *    are dropped, so "'quoted'" gives "quoted" and "well-made" gives "well", "made".
 */

/**
 * Names the tokenizer's behaviour. A vocabulary records it so that a model saved with one tokenizer is not
 * silently used with another; bump it whenever `tokenize` would split any text differently.
 */
export const TOKENIZER_ID = 'polarity-words-v1';

/**
 * The same words, and every punctuation mark or symbol (Unicode categories P and S) but the apostrophe as a
 * token of its own: "great!!" gives "great", "!", "!". Document vectors (docvec) use it: the marks' n-grams
 * ("great !", "7 / 10") carry sentiment that words alone lose.
 */
export const PUNCTUATION_TOKENIZER_ID = 'polarity-words-punctuation-v1';

/** An HTML tag as step 1 removes it; global, so use it with `replace` or `matchAll`. */
export const HTML_TAG = /<\/?[A-Za-z][^<>]*>/g;
const CHAR_REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,6}));/g;
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};
const MAY_NEED_NFC = /[\u0300-\uffff]/;
const APOSTROPHE_LIKE = /[\u2019\u2018\u00b4`]/g;
const HAS_APOSTROPHE_LIKE = /[\u2019\u2018\u00b4`]/;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:'[\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;
const TOKEN_OR_MARK = new RegExp(`${TOKEN.source}|(?!')[\\p{P}\\p{S}]`, 'gu');

function decodeReference(match: string, decimal?: string, hex?: string, name?: string): string {
  if (name !== undefined) return NAMED_REFERENCES[name.toLowerCase()] ?? match;
  const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
  // Surrogates and values beyond Unicode are not characters; leave the reference as it was written.
  if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return match;
  return String.fromCodePoint(codePoint);
}

/**
 * Splits a text into lower-case word tokens (see the module comment for the exact rules). The result is a
 * fresh array; the empty string and text without letters or digits give `[]`.
 *
 * On this project's 2-core machine it handles about 30,000 IMDB-sized reviews (1,300 characters) a second.
 */
export function tokenize(text: string): string[] {
  return prepareForTokens(text).match(TOKEN) ?? [];
}

/**
 * Steps 1 to 5 of the module comment: the text whose tokens (step 6) are `tokenize`'s. Code that maps
 * tokens straight to ids scans this string itself (see {@link isLowerAsciiOnly}) rather than allocate a
 * string per token.
 */
export function prepareForTokens(text: string): string {
  let s = text;
  if (s.includes('<')) s = s.replace(HTML_TAG, ' ');
  if (s.includes('&')) s = s.replace(CHAR_REFERENCE, decodeReference);
  s = s.toLowerCase();
  if (MAY_NEED_NFC.test(s)) s = s.normalize('NFC');
  if (HAS_APOSTROPHE_LIKE.test(s)) s = s.replace(APOSTROPHE_LIKE, "'");
  return s;
}

/** The tokens of a prepared text, as `tokenize` returns them. */
export function preparedTokens(prepared: string): string[] {
  return prepared.match(TOKEN) ?? [];
}

/** {@link PUNCTUATION_TOKENIZER_ID}'s tokens: `tokenize`'s words and the marks between them, in order. */
export function tokenizeWithPunctuation(text: string): string[] {
  return preparedTokensWithPunctuation(prepareForTokens(text));
}

/** {@link tokenizeWithPunctuation} of a text that `prepareForTokens` has already prepared. */
export function preparedTokensWithPunctuation(prepared: string): string[] {
  return prepared.match(TOKEN_OR_MARK) ?? [];
}

/** The id of the tokenizer that keeps marks (`punctuation`) or words only. */
export function tokenizerIdOf(punctuation: boolean): string {
  return punctuation ? PUNCTUATION_TOKENIZER_ID : TOKENIZER_ID;
}

/** The tokenizer a saved vocabulary names, or undefined for one this Polarity does not have. */
export function tokenizerById(id: string): ((text: string) => string[]) | undefined {
  if (id === TOKENIZER_ID) return tokenize;
  if (id === PUNCTUATION_TOKENIZER_ID) return tokenizeWithPunctuation;
  return undefined;
}

// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose: every ASCII code
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Whether a prepared text is plain ASCII (about nine IMDB reviews in ten). In such a text, already
 * lower-cased, step 6's letters and digits are exactly `a`–`z` and `0`–`9` and there are no combining
 * marks, so {@link isAsciiWordChar} and {@link asciiTokenEnd} find the same tokens as the Unicode pattern.
 */
export function isLowerAsciiOnly(prepared: string): boolean {
  return !NON_ASCII.test(prepared);
}

/** A character code that can be part of a token in a lower-cased ASCII text. */
export function isAsciiWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

const APOSTROPHE = 39;

/**
 * A character code that {@link tokenizeWithPunctuation} makes a token of in a lower-cased ASCII text:
 * every printable character but letters, digits, the space and the apostrophe (each of them is in
 * Unicode's P or S category).
 */
export function isAsciiMark(code: number): boolean {
  return code > 32 && code < 127 && code !== APOSTROPHE && !isAsciiWordChar(code);
}

/**
 * In a lower-cased ASCII text, the end of the token that starts at `start` (where
 * `isAsciiWordChar` holds): a run of word characters, continued across each single apostrophe that is
 * followed by another word character.
 */
export function asciiTokenEnd(prepared: string, start: number): number {
  const n = prepared.length;
  let i = start + 1;
  for (;;) {
    while (i < n && isAsciiWordChar(prepared.charCodeAt(i))) i++;
    if (i + 1 < n && prepared.charCodeAt(i) === APOSTROPHE && isAsciiWordChar(prepared.charCodeAt(i + 1))) {
      i += 2;
      continue;
    }
    return i;
  }
}
