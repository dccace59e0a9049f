/**
 * A frequency-ranked word index with the semantics of Keras's `imdb.load_data`, so that numbers from the
 * Keras IMDB tutorials (`num_words=5000`, an `Embedding(5000, …)` layer) mean the same thing here.
 *
 * How Keras builds its ids (keras/datasets/imdb.py, read from the source):
 * - its word index ranks words by frequency starting at 1 ("the" is 1);
 * - `xs = [[start_char] + [w + index_from for w in x] for x in xs]`, so the most frequent word gets id
 *   1 + 3 = 4 and ids 0 (padding), 1 (start), 2 (out of vocabulary) and 3 (never used) are reserved;
 * - `xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]`, so ids at or above
 *   `num_words` become the OOV id: `num_words` is the size of the id space, reserved ids included, and
 *   only the top `num_words - index_from - 1` words keep their own id (4,996 of them for 5,000).
 *
 * We follow that exactly for `numWords`, `startChar`, `oovChar` and `indexFrom`. Where we differ, on
 * purpose:
 * - `skipTop` counts words: the `skipTop` most frequent words map to the OOV id, which is what Keras's
 *   documentation promises. Keras's code compares `skip_top` with the already shifted id instead, so Keras's
 *   `skip_top = k` skips only the top `max(0, k - index_from - 1)` words and also turns the start id into
 *   the OOV id whenever `k > start_char`; to reproduce a Keras run with `skip_top = k`, pass
 *   `skipTop: max(0, k - indexFrom - 1)`.
 * - Keras's arrays were made from a word index over all the data, and `load_data` never meets a word the
 *   index lacks. Fitted here on training texts, test and user texts hold such words. With
 *   `unknown: 'oov'` (the default) they map to the OOV id, like words ranked beyond `numWords`, so that
 *   predicting on raw text and evaluating on the test split see the same ids; `unknown: 'skip'` drops
 *   them, and words beyond `numWords` or within `skipTop` too, which is what Keras does with
 *   `oov_char=None` (and what most hand-written Keras "encode a new review" helpers do for unseen words).
 * - Ranking uses the total number of occurrences over the training texts (not the number of texts a word
 *   occurs in); ties are broken by comparing the words by UTF-16 code unit (JavaScript's `<`), which,
 *   unlike "first seen", does not depend on the order of the training files.
 */
import { ModelFormatError, OptionError } from '../../errors.js';
import { TOKENIZER_ID } from './tokenize.js';

/** Options of {@link Vocabulary.fit}; every field has the default shown. */
export interface VocabularyOptions {
  /**
   * Size of the id space, reserved ids included: ids are in `[0, numWords)`, which makes it the input
   * dimension of an embedding layer. Only the top `numWords - indexFrom - 1` words keep an id. `null`
   * keeps every word seen in training. Default 5000.
   */
  readonly numWords?: number | null;
  /** How many of the most frequent words to treat as unknown (they are often uninformative). Default 0. */
  readonly skipTop?: number;
  /** Id put before every encoded text, or `null` for none. Default 1. */
  readonly startChar?: number | null;
  /** Id of an unknown word when `unknown` is `'oov'`. Default 2. */
  readonly oovChar?: number;
  /** Word ids start at `indexFrom + 1`; ids 1…indexFrom are reserved. Default 3. */
  readonly indexFrom?: number;
  /** What `encode` does with an unknown word: emit `oovChar` (`'oov'`, the default) or drop it (`'skip'`). */
  readonly unknown?: 'oov' | 'skip';
  /** Which tokenizer made the tokens; recorded so that a saved model is re-encoded the same way. */
  readonly tokenizer?: string;
}

/** {@link VocabularyOptions} with every default filled in, as stored in a saved vocabulary. */
export interface ResolvedVocabularyOptions {
  readonly numWords: number | null;
  readonly skipTop: number;
  readonly startChar: number | null;
  readonly oovChar: number;
  readonly indexFrom: number;
  readonly unknown: 'oov' | 'skip';
  readonly tokenizer: string;
}

export const DEFAULT_VOCABULARY_OPTIONS: ResolvedVocabularyOptions = Object.freeze({
  numWords: 5000,
  skipTop: 0,
  startChar: 1,
  oovChar: 2,
  indexFrom: 3,
  unknown: 'oov',
  tokenizer: TOKENIZER_ID,
});

/** The JSON form of a vocabulary: its options and its ranked words, most frequent first. */
export interface VocabularyJSON {
  readonly format: typeof VOCABULARY_FORMAT;
  readonly version: typeof VOCABULARY_VERSION;
  readonly options: ResolvedVocabularyOptions;
  /** `words[i]` has id `indexFrom + 1 + i`. */
  readonly words: readonly string[];
  /** `counts[i]` is how often `words[i]` occurred in training; absent when not known. */
  readonly counts?: readonly number[];
}

export const VOCABULARY_FORMAT = 'polarity-vocabulary';
export const VOCABULARY_VERSION = 1;

/** Reserved ids render as these in {@link Vocabulary.decode}. */
export const PAD_TOKEN = '<pad>';
export const START_TOKEN = '<start>';
export const OOV_TOKEN = '<oov>';
export const UNUSED_TOKEN = '<unused>';

/** A frequency-ranked word index; see the module comment for the exact semantics. Immutable. */
export class Vocabulary {
  /** The options this vocabulary was made with, defaults filled in. */
  readonly options: ResolvedVocabularyOptions;
  /**
   * Words that own an id, most frequent first: `words[i]` has id `indexFrom + 1 + i`. The first `skipTop`
   * of them still encode as unknown.
   */
  readonly words: readonly string[];
  /** `counts[i]` is how often `words[i]` occurred in the training texts, when known. */
  readonly counts: readonly number[] | undefined;
  /** Ids are in `[0, size)`: the input dimension of an embedding layer. */
  readonly size: number;

  /** word → id, for the words that encode as themselves (not those within `skipTop`). */
  private readonly index: ReadonlyMap<string, number>;

  private constructor(
    options: ResolvedVocabularyOptions,
    words: readonly string[],
    counts?: readonly number[],
  ) {
    this.options = Object.freeze({ ...options });
    this.words = Object.freeze([...words]);
    this.counts = counts === undefined ? undefined : Object.freeze([...counts]);
    this.size = options.numWords ?? options.indexFrom + 1 + words.length;
    const index = new Map<string, number>();
    for (let i = options.skipTop; i < words.length; i++) index.set(words[i], options.indexFrom + 1 + i);
    this.index = index;
  }

  /**
   * Counts the words of tokenized training texts and keeps the most frequent ones.
   * @throws OptionError when an option is out of range.
   */
  static fit(tokenized: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
    const resolved = resolveOptions(options);
    const problem = checkOptions(resolved);
    if (problem !== undefined) throw new OptionError(`vocabulary: ${problem}`);
    const counts = new Map<string, number>();
    for (const tokens of tokenized) {
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    const ranked = [...counts].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0));
    const kept = resolved.numWords === null ? ranked : ranked.slice(0, capacity(resolved));
    return new Vocabulary(
      resolved,
      kept.map(([word]) => word),
      kept.map(([, count]) => count),
    );
  }

  /**
   * A vocabulary from an already ranked word list, most frequent first (for example Keras's
   * `imdb_word_index.json` sorted by value). Words beyond what `numWords` allows are dropped.
   * @throws OptionError when an option is out of range or a word is empty or repeated.
   */
  static fromRankedWords(words: Iterable<string>, options: VocabularyOptions = {}): Vocabulary {
    const resolved = resolveOptions(options);
    const list = [...words];
    const problem = checkOptions(resolved) ?? checkWords(list);
    if (problem !== undefined) throw new OptionError(`vocabulary: ${problem}`);
    return new Vocabulary(resolved, resolved.numWords === null ? list : list.slice(0, capacity(resolved)));
  }

  /**
   * Reads what {@link toJSON} wrote, checking every field, so that a damaged or foreign file fails here
   * with a clear message rather than later with wrong predictions.
   * @param source the file it came from, for the error message.
   * @throws ModelFormatError saying what is wrong.
   */
  static fromJSON(json: unknown, source?: string): Vocabulary {
    const fail = (message: string): never => {
      throw new ModelFormatError(`vocabulary: ${message}`, source);
    };
    if (!isRecord(json)) return fail(`expected a JSON object, got ${describe(json)}`);
    if (json.format !== VOCABULARY_FORMAT) {
      fail(`expected format "${VOCABULARY_FORMAT}", got ${describe(json.format)}`);
    }
    if (json.version !== VOCABULARY_VERSION) {
      fail(`expected version ${VOCABULARY_VERSION}, got ${describe(json.version)}`);
    }
    const options = readOptions(json.options, fail);
    const words = json.words;
    if (!Array.isArray(words)) return fail(`"words" must be an array of strings, got ${describe(words)}`);
    const problem = checkWords(words);
    if (problem !== undefined) fail(problem);
    if (options.numWords !== null && words.length > capacity(options)) {
      fail(
        `${words.length} words do not fit numWords ${options.numWords} with indexFrom ${options.indexFrom} ` +
          `(at most ${capacity(options)})`,
      );
    }
    let counts: number[] | undefined;
    if (json.counts !== undefined) {
      counts = readCounts(json.counts, words.length, fail);
    }
    return new Vocabulary(options, words as string[], counts);
  }

  /** The id that {@link encode} gives `word`, or `undefined` when it is unknown (OOV or skipped). */
  wordIndex(word: string): number | undefined {
    return this.index.get(word);
  }

  /** Whether `word` encodes as itself. */
  has(word: string): boolean {
    return this.index.has(word);
  }

  /**
   * Ids of a tokenized text: `startChar` first (unless it is `null`), then one id per token, unknown tokens
   * becoming `oovChar` or being dropped as the `unknown` option says.
   */
  encode(tokens: readonly string[]): number[] {
    const { startChar, oovChar } = this.options;
    const oov = this.options.unknown === 'oov';
    const ids: number[] = startChar === null ? [] : [startChar];
    for (const token of tokens) {
      const id = this.index.get(token);
      if (id !== undefined) ids.push(id);
      else if (oov) ids.push(oovChar);
    }
    return ids;
  }

  /**
   * Words of a list of ids, for reading what a model saw: reserved ids become `<pad>` (0), `<start>`,
   * `<oov>` or `<unused>` (also used for ids below `size` that no word owns, when training had fewer words
   * than `numWords` allows). Ids of `skipTop` words decode to the word, though `encode` never emits them.
   * @throws OptionError for an id that is not an integer in `[0, size)`.
   */
  decode(ids: Iterable<number>): string[] {
    const { startChar, oovChar, indexFrom } = this.options;
    const words: string[] = [];
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.size) {
        throw new OptionError(`vocabulary: id ${id} is not an integer in [0, ${this.size})`);
      }
      if (id === 0) words.push(PAD_TOKEN);
      else if (id === startChar) words.push(START_TOKEN);
      else if (id === oovChar) words.push(OOV_TOKEN);
      else if (id <= indexFrom) words.push(UNUSED_TOKEN);
      else words.push(this.words[id - indexFrom - 1] ?? UNUSED_TOKEN);
    }
    return words;
  }

  /** A plain object that `JSON.stringify` writes and {@link fromJSON} reads back into an equal vocabulary. */
  toJSON(): VocabularyJSON {
    const json: VocabularyJSON = {
      format: VOCABULARY_FORMAT,
      version: VOCABULARY_VERSION,
      options: { ...this.options },
      words: [...this.words],
    };
    return this.counts === undefined ? json : { ...json, counts: [...this.counts] };
  }
}

/** How many words can own an id. */
function capacity(options: ResolvedVocabularyOptions): number {
  return options.numWords === null ? Infinity : options.numWords - options.indexFrom - 1;
}

function resolveOptions(options: VocabularyOptions): ResolvedVocabularyOptions {
  const d = DEFAULT_VOCABULARY_OPTIONS;
  return {
    numWords: options.numWords === undefined ? d.numWords : options.numWords,
    skipTop: options.skipTop ?? d.skipTop,
    startChar: options.startChar === undefined ? d.startChar : options.startChar,
    oovChar: options.oovChar ?? d.oovChar,
    indexFrom: options.indexFrom ?? d.indexFrom,
    unknown: options.unknown ?? d.unknown,
    tokenizer: options.tokenizer ?? d.tokenizer,
  };
}

/** What is wrong with a set of options, or `undefined`. Shared by `fit` (OptionError) and `fromJSON`. */
function checkOptions(o: ResolvedVocabularyOptions): string | undefined {
  const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!isCount(o.indexFrom)) return `indexFrom must be an integer ≥ 0, got ${describe(o.indexFrom)}`;
  const reserved = `an integer in [1, indexFrom = ${o.indexFrom}]`;
  if (!isCount(o.oovChar) || o.oovChar < 1 || o.oovChar > o.indexFrom) {
    return `oovChar must be ${reserved}, got ${describe(o.oovChar)}`;
  }
  if (o.startChar !== null) {
    if (!isCount(o.startChar) || o.startChar < 1 || o.startChar > o.indexFrom) {
      return `startChar must be ${reserved} or null, got ${describe(o.startChar)}`;
    }
    if (o.startChar === o.oovChar) return `startChar and oovChar must differ, both are ${o.oovChar}`;
  }
  if (o.numWords !== null && (!isCount(o.numWords) || o.numWords < o.indexFrom + 1)) {
    return `numWords must be an integer ≥ indexFrom + 1 = ${o.indexFrom + 1} or null, got ${describe(o.numWords)}`;
  }
  if (!isCount(o.skipTop)) return `skipTop must be an integer ≥ 0, got ${describe(o.skipTop)}`;
  if (o.unknown !== 'oov' && o.unknown !== 'skip') {
    return `unknown must be "oov" or "skip", got ${describe(o.unknown)}`;
  }
  if (typeof o.tokenizer !== 'string' || o.tokenizer === '') {
    return `tokenizer must be a non-empty string, got ${describe(o.tokenizer)}`;
  }
  return undefined;
}

function checkWords(words: readonly unknown[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (typeof word !== 'string' || word === '') {
      return `words[${i}] must be a non-empty string, got ${describe(word)}`;
    }
    if (seen.has(word)) return `words[${i}] ${JSON.stringify(word)} occurs twice`;
    seen.add(word);
  }
  return undefined;
}

function readOptions(value: unknown, fail: (message: string) => never): ResolvedVocabularyOptions {
  if (!isRecord(value)) return fail(`"options" must be an object, got ${describe(value)}`);
  const keys = Object.keys(DEFAULT_VOCABULARY_OPTIONS);
  for (const key of keys) {
    if (!(key in value)) fail(`"options.${key}" is missing`);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(`"options.${key}" is not a vocabulary option`);
  }
  const options = value as unknown as ResolvedVocabularyOptions;
  const problem = checkOptions(options);
  if (problem !== undefined) fail(`options: ${problem}`);
  return {
    numWords: options.numWords,
    skipTop: options.skipTop,
    startChar: options.startChar,
    oovChar: options.oovChar,
    indexFrom: options.indexFrom,
    unknown: options.unknown,
    tokenizer: options.tokenizer,
  };
}

function readCounts(value: unknown, length: number, fail: (message: string) => never): number[] {
  if (!Array.isArray(value)) return fail(`"counts" must be an array of integers, got ${describe(value)}`);
  if (value.length !== length) fail(`"counts" has ${value.length} entries for ${length} words`);
  for (let i = 0; i < value.length; i++) {
    const count: unknown = value[i];
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      fail(`counts[${i}] must be an integer ≥ 0, got ${describe(count)}`);
    }
    if (i > 0 && (count as number) > (value[i - 1] as number)) {
      fail(`counts must not increase (words are ranked by count), but counts[${i}] > counts[${i - 1}]`);
    }
  }
  return value as number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a bad value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
