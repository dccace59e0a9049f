/**
 * Texts as word ids over one word list: what the n-gram counter needs, without a string per token.
 *
 * Tokenizing the training split into `string[][]` makes one string per token (5.8 M on IMDB) that the
 * main thread then holds while it builds features, and every garbage collection marks them all. A
 * {@link TokenIdCorpus} holds each distinct word once and the tokens as one Int32Array, so it can be
 * built in worker threads (see `parallel-tokenize.ts`) and moved to the main thread without copying.
 *
 * Word ids are given in order of first occurrence over the texts in order, so the corpus is the same
 * whichever thread tokenized which text.
 */
import { WordTable } from './word-table.js';
import {
  asciiTokenEnd,
  isAsciiMark,
  isAsciiWordChar,
  isLowerAsciiOnly,
  prepareForTokens,
  preparedTokens,
  preparedTokensWithPunctuation,
} from '../sequences/tokenize.js';

export interface TokenIdCorpus {
  /** The distinct words, by id. */
  readonly words: readonly string[];
  /** Every token's word id, text after text. */
  readonly ids: Int32Array;
  /** Text t's tokens are `ids[starts[t] .. starts[t + 1])`; `starts.length` is the number of texts + 1. */
  readonly starts: Int32Array;
}

/** The number of texts in a corpus. */
export function corpusSize(corpus: TokenIdCorpus): number {
  return corpus.starts.length - 1;
}

/** Whether training input is a corpus of word ids rather than token arrays. */
export function isTokenIdCorpus(
  input: readonly (readonly string[])[] | TokenIdCorpus,
): input is TokenIdCorpus {
  return !Array.isArray(input);
}

/** The tokens of text `t` as strings (for code paths that hash strings). */
export function corpusTokens(corpus: TokenIdCorpus, t: number): string[] {
  const out: string[] = [];
  for (let k = corpus.starts[t]; k < corpus.starts[t + 1]; k++) out.push(corpus.words[corpus.ids[k]]);
  return out;
}

/**
 * Tokenizes texts into word ids over words of its own, in order of first occurrence. A thread keeps one
 * builder for all the chunks of texts it takes; {@link mergeChunks} puts chunks from several builders
 * back in text order.
 */
export class TokenIdBuilder {
  private readonly table = new WordTable(1 << 14);
  private ids = new Int32Array(1 << 16);
  private length = 0;

  /** `punctuation`: tokens as `tokenizeWithPunctuation` makes them (marks too) rather than `tokenize`. */
  constructor(private readonly punctuation = false) {}

  /** The builder's words, by its own ids. */
  get words(): readonly string[] {
    return this.table.words;
  }

  /** Tokenizes `texts`; returns their ids and starts (relative to the chunk), as a {@link TokenIdChunk}. */
  add(texts: readonly string[], first: number): TokenIdChunk {
    const begin = this.length;
    const starts = new Int32Array(texts.length + 1);
    for (let t = 0; t < texts.length; t++) {
      const prepared = prepareForTokens(texts[t]);
      if (isLowerAsciiOnly(prepared)) this.addAscii(prepared);
      else {
        const tokens = this.punctuation ? preparedTokensWithPunctuation(prepared) : preparedTokens(prepared);
        this.reserve(tokens.length);
        for (const token of tokens) this.ids[this.length++] = this.table.idOrAdd(token);
      }
      starts[t + 1] = this.length - begin;
    }
    return { first, ids: this.ids.slice(begin, this.length), starts };
  }

  /**
   * The tokens of a prepared ASCII text, found by scanning its characters and looked up by position, so
   * that no string is made for a word already seen: the same ids as `tokenize`, at about half its cost
   * on IMDB (most of which was a string per token and the garbage collection that followed).
   */
  private addAscii(prepared: string): void {
    const n = prepared.length;
    const punctuation = this.punctuation;
    // A word and a separator take at least two characters; a mark is a token of one.
    this.reserve(punctuation ? n : (n + 1) >> 1);
    const ids = this.ids;
    const table = this.table;
    let length = this.length;
    let i = 0;
    while (i < n) {
      const code = prepared.charCodeAt(i);
      if (!isAsciiWordChar(code)) {
        if (punctuation && isAsciiMark(code)) ids[length++] = table.idOrAddSlice(prepared, i, i + 1);
        i++;
        continue;
      }
      const end = asciiTokenEnd(prepared, i);
      ids[length++] = table.idOrAddSlice(prepared, i, end);
      i = end;
    }
    this.length = length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.ids.length) return;
    const grown = new Int32Array(Math.max(2 * this.ids.length, this.length + extra));
    grown.set(this.ids.subarray(0, this.length));
    this.ids = grown;
  }
}

/** A run of consecutive texts tokenized by one builder, in that builder's word ids. */
export interface TokenIdChunk {
  /** Index of the chunk's first text. */
  readonly first: number;
  readonly ids: Int32Array<ArrayBuffer>;
  /** Relative to the chunk: text `first + t` is `ids[starts[t] .. starts[t + 1])`. */
  readonly starts: Int32Array<ArrayBuffer>;
}

/** The chunks one builder made, with its words. */
export interface BuilderOutput {
  readonly words: readonly string[];
  readonly chunks: readonly TokenIdChunk[];
}

/**
 * Joins chunks from several builders into one corpus of `count` texts, renumbering words in order of
 * first occurrence over the texts in order, so the result does not depend on how the texts were shared
 * out. Every text must be covered by exactly one chunk.
 */
export function mergeChunks(outputs: readonly BuilderOutput[], count: number): TokenIdCorpus {
  const located: { chunk: TokenIdChunk; builder: number }[] = [];
  outputs.forEach((output, builder) => output.chunks.forEach((chunk) => located.push({ chunk, builder })));
  located.sort((a, b) => a.chunk.first - b.chunk.first);
  let total = 0;
  let next = 0;
  for (const { chunk } of located) {
    if (chunk.first !== next) throw new Error(`token ids: text ${next} is missing or covered twice`);
    next += chunk.starts.length - 1;
    total += chunk.ids.length;
  }
  if (next !== count) throw new Error(`token ids: chunks cover ${next} texts, expected ${count}`);

  // Each builder's word ids map to global ones, looked up by string once per builder and word.
  const globalOf = outputs.map((output) => new Int32Array(output.words.length).fill(-1));
  const table = new WordTable(1 << 14);
  const words = table.words;
  const ids = new Int32Array(total);
  const starts = new Int32Array(count + 1);
  let o = 0;
  for (const { chunk, builder } of located) {
    const map = globalOf[builder];
    const local = outputs[builder].words;
    for (let k = 0; k < chunk.ids.length; k++) {
      const id = chunk.ids[k];
      let global = map[id];
      if (global < 0) global = map[id] = table.idOrAdd(local[id]);
      ids[o + k] = global;
    }
    for (let t = 1; t < chunk.starts.length; t++) starts[chunk.first + t] = o + chunk.starts[t];
    o += chunk.ids.length;
  }
  return { words: [...words], ids, starts };
}

/** Tokenizes texts into a corpus on this thread. */
export function tokenIds(texts: readonly string[], punctuation = false): TokenIdCorpus {
  const builder = new TokenIdBuilder(punctuation);
  const chunk = builder.add(texts, 0);
  return mergeChunks([{ words: builder.words, chunks: [chunk] }], texts.length);
}
