/**
 * The words of a text as it was written, each with the tokens the tokenizer makes of it, so that an
 * explanation can point at (and a page can tint) the very characters a user typed.
 *
 * A word is a run of non-space characters outside HTML tags. Tokens never span a space or a tag (both
 * separate tokens in {@link tokenize}), so tokenizing each word on its own gives exactly the tokens of
 * the whole text, in order; the tests check this on real reviews. A word may hold no token ("—"), one
 * ("film,") or several ("well-made" gives "well" and "made").
 */
import { HTML_TAG, tokenize } from '../text/sequences/tokenize.js';

/** One word of a text as written: where it is, and the tokens the model sees of it. */
export interface TextWord {
  /** Offset of the word's first character in the text (UTF-16 code units, as `String.slice` counts). */
  readonly start: number;
  /** Offset just past its last character. */
  readonly end: number;
  /** The tokens the tokenizer makes of it, in order; empty for punctuation alone. */
  readonly tokens: readonly string[];
}

const NON_SPACE = /\S+/g;

/** The words of `text` that hold at least one token, in order. */
export function textWords(text: string): TextWord[] {
  const words: TextWord[] = [];
  const addWords = (from: number, to: number) => {
    for (const match of text.slice(from, to).matchAll(NON_SPACE)) {
      const tokens = tokenize(match[0]);
      if (tokens.length === 0) continue;
      const start = from + match.index;
      words.push({ start, end: start + match[0].length, tokens });
    }
  };
  let from = 0;
  for (const tag of text.matchAll(HTML_TAG)) {
    addWords(from, tag.index);
    from = tag.index + tag[0].length;
  }
  addWords(from, text.length);
  return words;
}
