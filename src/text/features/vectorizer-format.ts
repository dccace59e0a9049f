/**
 * The vectorizer's file format, version 1: a JSON header (options, sizes, the words) and two little-endian
 * Int32 tables (each column's n-gram as (prefix column, last word), and TF-IDF's document frequencies),
 * either base64 in one JSON object or raw in files of their own. Reading checks every field and says which
 * file is wrong and how.
 */
import { ModelFormatError } from '../../errors.js';
import type { NgramVocabulary } from './ngram-vocabulary.js';
import { describe, isRecord, readOptions, type ResolvedVectorizerOptions } from './vectorizer-options.js';

export const VECTORIZER_FORMAT = 'polarity-vectorizer';
export const VECTORIZER_VERSION = 1;

/**
 * The JSON form of a vectorizer. The per-column arrays are little-endian Int32 blobs, base64-encoded here
 * and raw bytes in {@link vectorizerToFiles}, so that a trigram vocabulary of millions of n-grams stays
 * compact: 8 bytes per n-gram plus 4 for its df, the words themselves stored once.
 */
export interface VectorizerJSON {
  readonly format: typeof VECTORIZER_FORMAT;
  readonly version: typeof VECTORIZER_VERSION;
  readonly options: ResolvedVectorizerOptions;
  /** Number of training documents (the n of the idf). */
  readonly documents: number;
  /** Number of columns. */
  readonly size: number;
  /** Exact vocabulary: the words its n-grams are made of, sorted by UTF-16 code unit. */
  readonly words?: readonly string[];
  /**
   * Exact vocabulary: for column c, Int32 `[2c]` is the column of the n-gram without its last word (-1 for a
   * unigram; always a smaller column, since a prefix sorts first) and `[2c + 1]` the index of its last word.
   */
  readonly ngrams?: string;
  /** TF-IDF: Int32 document frequency of each column. */
  readonly df?: string;
}

/** What a vectorizer is made of, as written to and read from its files. */
export interface VectorizerState {
  readonly options: ResolvedVectorizerOptions;
  readonly size: number;
  readonly documents: number;
  readonly vocabulary: NgramVocabulary | null;
  readonly df: Int32Array | null;
}

/** The vectorizer as one JSON object, its tables base64-encoded; read back by {@link readVectorizerJSON}. */
export function vectorizerToJSON(state: VectorizerState): VectorizerJSON {
  const base64 = (a: Int32Array) => Buffer.from(int32ToBytes(a)).toString('base64');
  return {
    ...header(state),
    ...(state.vocabulary === null ? {} : { ngrams: base64(ngramTable(state.vocabulary)) }),
    ...(state.df === null ? {} : { df: base64(state.df) }),
  };
}

/**
 * The vectorizer as files for a model directory: `<prefix>.json` (options and words), and the raw
 * little-endian Int32 blobs `<prefix>-ngrams.bin` (exact vocabulary) and `<prefix>-df.bin` (TF-IDF).
 * Read back with {@link readVectorizerFiles}.
 */
export function vectorizerToFiles(
  state: VectorizerState,
  prefix: string,
): Record<string, Uint8Array | string> {
  const names = fileNames(prefix);
  const files: Record<string, Uint8Array | string> = { [names.json]: JSON.stringify(header(state)) };
  if (state.vocabulary !== null) files[names.ngrams] = int32ToBytes(ngramTable(state.vocabulary));
  if (state.df !== null) files[names.df] = int32ToBytes(state.df);
  return files;
}

/**
 * Reads what {@link vectorizerToJSON} wrote, checking every field.
 * @param source the file it came from, for error messages.
 * @throws ModelFormatError saying what is wrong.
 */
export function readVectorizerJSON(json: unknown, source?: string): VectorizerState {
  const fail = (message: string): never => {
    throw new ModelFormatError(`vectorizer: ${message}`, source);
  };
  if (!isRecord(json)) return fail(`expected a JSON object, got ${describe(json)}`);
  const blob = (key: 'ngrams' | 'df'): Uint8Array | undefined => {
    const value = json[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return fail(`"${key}" must be a base64 string, got ${describe(value)}`);
    return Buffer.from(value, 'base64');
  };
  return readState(json, blob('ngrams'), blob('df'), fail);
}

/**
 * Reads what {@link vectorizerToFiles} wrote (extra files in `files` are ignored).
 * @param source the model directory, for error messages.
 * @throws ModelFormatError naming the file and what is wrong with it.
 */
export function readVectorizerFiles(
  files: Readonly<Record<string, Uint8Array | string>>,
  prefix: string,
  source?: string,
): VectorizerState {
  const names = fileNames(prefix);
  const where = (name: string) => (source === undefined ? name : `${source}/${name}`);
  const failIn =
    (name: string) =>
    (message: string): never => {
      throw new ModelFormatError(`vectorizer: ${message}`, where(name));
    };
  const text = files[names.json];
  if (text === undefined) return failIn(names.json)('file is missing');
  let json: unknown;
  try {
    json = JSON.parse(typeof text === 'string' ? text : new TextDecoder().decode(text));
  } catch (error) {
    return failIn(names.json)(`not valid JSON (${(error as Error).message}); the file may be truncated`);
  }
  if (isRecord(json) && (json.ngrams !== undefined || json.df !== undefined)) {
    failIn(names.json)('holds "ngrams" or "df", which belong in their own files');
  }
  const bytes = (name: string): Uint8Array | undefined => {
    const data = files[name];
    if (typeof data === 'string') failIn(name)('expected binary data, got text');
    return data as Uint8Array | undefined;
  };
  const fail = failIn(names.json);
  const ngrams = bytes(names.ngrams);
  const df = bytes(names.df);
  return readState(json, ngrams, df, fail, (key) => failIn(key === 'ngrams' ? names.ngrams : names.df));
}

/** Validates a header and its blobs; shared by the JSON and the files reader. */
function readState(
  json: unknown,
  ngramBytes: Uint8Array | undefined,
  dfBytes: Uint8Array | undefined,
  fail: (message: string) => never,
  failFor: (key: 'ngrams' | 'df') => (message: string) => never = () => fail,
): VectorizerState {
  if (!isRecord(json)) return fail(`expected a JSON object, got ${describe(json)}`);
  if (json.format !== VECTORIZER_FORMAT) {
    fail(`expected format "${VECTORIZER_FORMAT}", got ${describe(json.format)}`);
  }
  if (json.version !== VECTORIZER_VERSION) {
    fail(`expected version ${VECTORIZER_VERSION}, got ${describe(json.version)}`);
  }
  const options = readOptions(json.options, fail);
  const documents = json.documents;
  if (!isCount(documents)) return fail(`"documents" must be an integer ≥ 0, got ${describe(documents)}`);
  const size = json.size;
  if (!isCount(size)) return fail(`"size" must be an integer ≥ 0, got ${describe(size)}`);
  let vocabulary: NgramVocabulary | null = null;
  if (options.hashBits !== null) {
    if (size !== 2 ** options.hashBits)
      fail(`"size" is ${size}, but hashBits ${options.hashBits} makes ${2 ** options.hashBits}`);
    if (json.words !== undefined || ngramBytes !== undefined)
      fail('a hashed vectorizer has no words or n-grams');
  } else {
    if (ngramBytes === undefined) return failFor('ngrams')('the n-gram table is missing');
    vocabulary = readVocabulary(json.words, ngramBytes, size, options.ngrams, fail, failFor('ngrams'));
  }
  let df: Int32Array | null = null;
  if (options.weighting === 'tfidf') {
    if (dfBytes === undefined)
      return failFor('df')('the document frequencies are missing (weighting is tfidf)');
    df = readDf(dfBytes, size, documents, options.hashBits === null, failFor('df'));
  } else if (dfBytes !== undefined) {
    fail(`document frequencies are present but weighting is ${options.weighting}`);
  }
  return { options, size, documents, vocabulary, df };
}

/** The header: everything but the two tables. */
function header(state: VectorizerState): VectorizerJSON {
  return {
    format: VECTORIZER_FORMAT,
    version: VECTORIZER_VERSION,
    options: { ...state.options },
    documents: state.documents,
    size: state.size,
    ...(state.vocabulary === null ? {} : { words: [...state.vocabulary.words] }),
  };
}

/** Column c's n-gram as Int32 `[2c]` (prefix column) and `[2c + 1]` (last word). */
function ngramTable({ parents, lastWords }: NgramVocabulary): Int32Array {
  const table = new Int32Array(2 * parents.length);
  for (let c = 0; c < parents.length; c++) {
    table[2 * c] = parents[c];
    table[2 * c + 1] = lastWords[c];
  }
  return table;
}

function readVocabulary(
  wordsValue: unknown,
  bytes: Uint8Array,
  size: number,
  maxN: number,
  fail: (message: string) => never,
  failTable: (message: string) => never,
): NgramVocabulary {
  if (!Array.isArray(wordsValue))
    return fail(`"words" must be an array of strings, got ${describe(wordsValue)}`);
  const words = wordsValue as unknown[];
  for (let i = 0; i < words.length; i++) {
    if (typeof words[i] !== 'string') fail(`words[${i}] must be a string, got ${describe(words[i])}`);
    if (i > 0 && compareStrings(words[i - 1] as string, words[i] as string) >= 0) {
      fail(`words must be sorted and unique, but words[${i - 1}] ≥ words[${i}]`);
    }
  }
  const table = bytesToInt32(bytes, 2 * size, 'n-gram table', failTable);
  const parents = new Int32Array(size);
  const lastWords = new Int32Array(size);
  const lengths = new Uint8Array(size);
  // Each column's children must come in increasing word order (the lookup's binary search relies on it, and
  // it rules out repeated n-grams); a unigram's word must not repeat.
  const lastChild = new Int32Array(size).fill(-1);
  const hasUnigram = new Uint8Array(words.length);
  for (let c = 0; c < size; c++) {
    const parent = table[2 * c];
    const word = table[2 * c + 1];
    if (parent < -1 || parent >= c) failTable(`column ${c}: prefix column ${parent} is not in [-1, ${c})`);
    if (word < 0 || word >= words.length)
      failTable(`column ${c}: word ${word} is not in [0, ${words.length})`);
    lengths[c] = parent < 0 ? 1 : lengths[parent] + 1;
    if (lengths[c] > maxN) failTable(`column ${c}: an n-gram of ${lengths[c]} tokens, but ngrams is ${maxN}`);
    if (parent < 0) {
      if (hasUnigram[word] === 1) failTable(`column ${c} repeats the unigram of an earlier column`);
      hasUnigram[word] = 1;
    } else {
      if (word <= lastChild[parent]) {
        failTable(`column ${c} repeats an earlier n-gram or is out of name order after its prefix`);
      }
      lastChild[parent] = word;
    }
    parents[c] = parent;
    lastWords[c] = word;
  }
  return { words: words as string[], parents, lastWords };
}

function readDf(
  bytes: Uint8Array,
  size: number,
  documents: number,
  exact: boolean,
  fail: (message: string) => never,
): Int32Array {
  const df = bytesToInt32(bytes, size, 'document frequencies', fail);
  const low = exact ? 1 : 0;
  for (let c = 0; c < size; c++) {
    if (df[c] < low || df[c] > documents)
      fail(`df of column ${c} is ${df[c]}, not in [${low}, ${documents}]`);
  }
  return df;
}

function fileNames(prefix: string): { json: string; ngrams: string; df: string } {
  return { json: `${prefix}.json`, ngrams: `${prefix}-ngrams.bin`, df: `${prefix}-df.bin` };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Little-endian bytes of an Int32Array (a copy). */
function int32ToBytes(a: Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  const bytes = new Uint8Array(a.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < a.length; i++) view.setInt32(4 * i, a[i], true);
  return bytes;
}

/** An Int32Array of `length` from little-endian bytes, which may be unaligned (a Buffer from the pool). */
function bytesToInt32(
  bytes: Uint8Array,
  length: number,
  what: string,
  fail: (message: string) => never,
): Int32Array {
  if (bytes.byteLength !== 4 * length) {
    fail(
      `${what}: expected ${4 * length} bytes (${length} Int32), got ${bytes.byteLength}; the file may be truncated`,
    );
  }
  const out = new Int32Array(length);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < length; i++) out[i] = view.getInt32(4 * i, true);
  }
  return out;
}

/**
 * UTF-16 code unit order (JavaScript's `<`). Python, and so scikit-learn, compares code points; the two agree
 * unless a word holds characters beyond U+FFFF.
 */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
