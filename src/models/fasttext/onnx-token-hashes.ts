/**
 * The FNV-1a hashes of word-ngrams.ts as ONNX operators, for the fastText export: every token's hash,
 * so that the graph can continue them into n-gram hashes as Polarity does.
 *
 * ONNX has no hash of a string, so the graph gets a token's hash two ways:
 * - a word of the vocabulary: its hash, computed here, looked up by the word's row;
 * - any other token: split into characters (the `com.microsoft` Tokenizer with an empty separator),
 *   each character looked up in a table of its UTF-8 bytes (every Basic Multilingual Plane letter,
 *   digit and mark, and the apostrophes, the look-alikes as `'`, as `tokenize` writes them), and
 *   FNV-1a run over those bytes for the first {@link MAX_HASHED_CHARACTERS} characters, unrolled.
 *   Only the batch's unknown tokens go through this (NonZero, GatherND, ScatterND back), so its
 *   cost follows the few rare words of a batch, not all of its tokens.
 * A token neither way reaches — one longer than {@link MAX_HASHED_CHARACTERS} characters, or
 * with a character outside the Basic Multilingual Plane (U+10000 and above) — has no hash: the
 * caller leaves out the n-grams that hold it.
 *
 * FNV-1a's steps are exact in int64: XOR with a byte is `h − (h mod 256) + xor[(h mod 256)·256 + b]`
 * (a 256 × 256 table through Gather), and a 32-bit hash times the 25-bit prime fits in 63 bits
 * before `mod 2^32`.
 */
import type { OnnxGraphBuilder } from '../onnx-graph.js';
import { APOSTROPHES } from '../onnx-tokenizer.js';
import { fnv1a } from './word-ngrams.js';

/** Unknown tokens longer than this (in UTF-16 code units of the Basic Plane) get no hash in the graph. */
export const MAX_HASHED_CHARACTERS = 32;

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_TO_32 = 2 ** 32;
/** TensorProto data types, for Cast. */
const INT64 = 7;
const BOOL = 9;
const STRING = 8;
/** What the character split pads its rows with: no letter, digit, mark or apostrophe, so no token character. */
const CHAR_PAD = '#';

/** The word-row LabelEncoder's value for a padding token (−1 is an unknown token). */
export const PAD_ROW = -2;

/** The characters a token can hold that the graph hashes, and the UTF-8 bytes each is hashed as. */
function characterTable(): { keys: string[]; bytes: number[][] } {
  const keys: string[] = [];
  const bytes: number[][] = [];
  const encoder = new TextEncoder();
  const tokenCharacter = /^[\p{L}\p{N}\p{M}]$/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const character = String.fromCharCode(c);
    if (!tokenCharacter.test(character)) continue;
    keys.push(character);
    bytes.push([...encoder.encode(character)]);
  }
  // tokenize turns the look-alikes into "'" (step 5), and hashes the token so written.
  for (const apostrophe of APOSTROPHES) {
    keys.push(apostrophe);
    bytes.push([0x27]);
  }
  return { keys, bytes };
}

/** `a XOR b` for every pair of bytes, at index `a · 256 + b`. */
function xorTable(): number[] {
  const table = new Array<number>(256 * 256);
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) table[a * 256 + b] = a ^ b;
  return table;
}

/** FNV-1a's byte step on int64 tensors of any one shape, with its constants made once per graph scope. */
export class OnnxFnv {
  private readonly xor: string;
  private readonly byteSize: string;
  private readonly prime: string;
  private readonly modulus: string;

  constructor(private readonly graph: OnnxGraphBuilder) {
    this.xor = graph.constant('fnv_xor_table', { type: 'int64', dims: [256 * 256], data: xorTable() });
    this.byteSize = graph.int64s('fnv_256', [256]);
    this.prime = graph.int64s('fnv_prime', [FNV_PRIME]);
    this.modulus = graph.int64s('fnv_two_to_32', [TWO_TO_32]);
  }

  /** `((hash XOR byte) · prime) mod 2^32`, named `local`. */
  step(hash: string, byte: string, local: string): string {
    const g = this.graph;
    const low = g.node('Mod', [hash, this.byteSize], `${local}_low`);
    const index = g.node(
      'Add',
      [g.node('Mul', [low, this.byteSize], `${local}_low256`), byte],
      `${local}_xi`,
    );
    const lowXor = g.node('Gather', [this.xor, index], `${local}_xor`, { axis: { int: 0 } });
    const xored = g.node('Add', [g.node('Sub', [hash, low], `${local}_high`), lowXor], `${local}_xored`);
    return g.node('Mod', [g.node('Mul', [xored, this.prime], `${local}_times`), this.modulus], local);
  }

  /** Byte `k` (0 = lowest) of 32-bit hashes. */
  byte(hash: string, k: number, local: string): string {
    const g = this.graph;
    const shifted = g.node('Div', [hash, g.int64s(`${local}_shift`, [256 ** k])], `${local}_shifted`);
    return g.node('Mod', [shifted, this.byteSize], local);
  }
}

/**
 * Each token's hash `[N, T]` (int64), and whether it has one (bool): from `ids`, the word rows the
 * LabelEncoder gave `tokens` (−1 unknown, {@link PAD_ROW} padding), and the tokens themselves.
 */
export function tokenHashNodes(
  graph: OnnxGraphBuilder,
  fnv: OnnxFnv,
  tokens: string,
  ids: string,
  words: readonly string[],
): { hash: string; hashed: string } {
  const g = graph;
  const axis0 = { axis: { int: 0 } };
  const axis1 = { axis: { int: 1 } };
  // Words by row; the last two entries are what PAD_ROW (−2) and −1 index.
  const wordHashes = g.constant('word_hashes', {
    type: 'int64',
    dims: [words.length + 2],
    data: [...words.map(fnv1a), 0, 0],
  });
  const knownHash = g.node('Gather', [wordHashes, ids], 'known_hash', axis0);
  const minusOne = g.int64s('minus_one', [-1]);
  const unknown = g.node('Equal', [ids, minusOne], 'unknown');
  const where = g.node('Transpose', [g.node('NonZero', [unknown], 'unknown_at')], 'unknown_index', {
    perm: { ints: [1, 0] },
  });
  const unknownTokens = g.node('GatherND', [tokens, where], 'unknown_tokens');
  // One token more, so that the character split never sees an empty batch (its output then has
  // the wrong rank); its hash is sliced off again below.
  const spare = g.constant('spare_token', { type: 'string', dims: [1], data: ['a'] });
  const hashedTokens = g.node('Concat', [unknownTokens, spare], 'unknown_tokens_spare', axis0);
  const characters = g.node(
    'Tokenizer',
    [hashedTokens],
    'unknown_characters',
    {
      mark: { int: 0 },
      mincharnum: { int: 1 },
      pad_value: { string: CHAR_PAD },
      separators: { strings: [''] },
    },
    'com.microsoft',
  );
  const table = characterTable();
  // A type for onnx's shape inference (see the Cast in models/onnx-tokenizer.ts).
  const typedCharacters = g.node('Cast', [characters], 'typed_characters', { to: { int: STRING } });
  const characterIds = g.node(
    'LabelEncoder',
    [typedCharacters],
    'character_ids',
    {
      keys_strings: { strings: [...table.keys, CHAR_PAD] },
      values_int64s: { ints: [...table.keys.keys(), PAD_ROW] },
      default_int64: { int: -1 },
    },
    'ai.onnx.ml',
  );
  // Every row padded to at least MAX + 1 characters, so that column MAX exists and says whether
  // a token is longer than the graph hashes.
  const max = MAX_HASHED_CHARACTERS;
  const padded = g.node(
    'Pad',
    [characterIds, g.int64s('character_pads', [0, 0, 0, max + 1]), g.int64s('character_pad', [PAD_ROW])],
    'character_ids_padded',
  );
  const column = (p: number) =>
    g.node(
      'Gather',
      [padded, g.constant(`column${p}`, { type: 'int64', dims: [], data: [p] })],
      `character${p}`,
      axis1,
    );
  const tooLong = g.node('GreaterOrEqual', [column(max), minusOne], 'too_long');
  const unknownCharacter = g.node(
    'ReduceMax',
    [
      g.node('Cast', [g.node('Equal', [padded, minusOne], 'character_unknown')], 'character_unknown_int', {
        to: { int: INT64 },
      }),
    ],
    'has_unknown_character',
    { axes: { ints: [1] }, keepdims: { int: 0 } },
  );
  // The bytes of each character and how many; the last two entries for padding and unknown characters.
  const byTable = (local: string, values: number[]) =>
    g.constant(local, { type: 'int64', dims: [values.length + 2], data: [...values, 0, 0] });
  const byteTables = [0, 1, 2].map((k) =>
    byTable(
      `character_byte${k}`,
      table.bytes.map((b) => b[k] ?? 0),
    ),
  );
  const lengths = byTable(
    'character_length',
    table.bytes.map((b) => b.length),
  );
  const columns = Array.from({ length: max }, (_, p) => column(p));
  let hash = g.node(
    'Add',
    [
      g.node('Mul', [columns[0], g.int64s('zero_hash', [0])], 'hash_zero'),
      g.int64s('fnv_offset', [FNV_OFFSET_BASIS]),
    ],
    'hash_start',
  );
  columns.forEach((character, p) => {
    const length = g.node('Gather', [lengths, character], `c${p}_length`, axis0);
    for (let k = 0; k < 3; k++) {
      const byte = g.node('Gather', [byteTables[k], character], `c${p}_byte${k}`, axis0);
      const stepped = fnv.step(hash, byte, `c${p}_step${k}`);
      const has = g.node('Greater', [length, g.int64s(`c${p}_more${k}`, [k])], `c${p}_has${k}`);
      hash = g.node('Where', [has, stepped, hash], `c${p}_hash${k}`);
    }
  });
  // A token with an unknown character, or too long, has no hash; the spare token's row goes again.
  const unhashable = g.node(
    'Or',
    [tooLong, g.node('Cast', [unknownCharacter], 'unknown_character', { to: { int: BOOL } })],
    'unhashable',
  );
  const hashable = g.node('Cast', [g.node('Not', [unhashable], 'hashable')], 'hashable_int', {
    to: { int: INT64 },
  });
  const allButSpare = (tensor: string, local: string) =>
    g.node(
      'Slice',
      [tensor, g.int64s(`${local}_from`, [0]), minusOne, g.int64s(`${local}_axis`, [0])],
      local,
    );
  const unknownHash = allButSpare(hash, 'unknown_hash');
  const unknownHashable = allButSpare(hashable, 'unknown_hashable');
  const hashOut = g.node('ScatterND', [knownHash, where, unknownHash], 'token_hash');
  const zeros = g.node('Mul', [ids, g.int64s('zero_flag', [0])], 'no_flags');
  const unknownHashed = g.node(
    'Cast',
    [g.node('ScatterND', [zeros, where, unknownHashable], 'unknown_hashed_int')],
    'unknown_hashed',
    { to: { int: BOOL } },
  );
  const known = g.node('GreaterOrEqual', [ids, g.int64s('first_row', [0])], 'known_word');
  return { hash: hashOut, hashed: g.node('Or', [known, unknownHashed], 'hashed') };
}
