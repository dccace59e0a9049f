/**
 * Turning id sequences of different lengths into one rectangular batch, with the semantics of Keras's
 * `pad_sequences` (keras/utils/sequence_utils.py), and dropping over-long sequences the way Keras's
 * `imdb.load_data(maxlen=…)` does. Both are written so that a model trained from a Keras tutorial's
 * settings sees the same inputs here.
 */
import { OptionError } from '../../errors.js';

/** Options of {@link padSequences}; every field has the default shown. */
export interface PadOptions {
  /** Length of every row. Default: the length of the longest sequence (0 when there are none). */
  readonly maxLen?: number;
  /** Where padding goes when a sequence is shorter: before it (`'pre'`, the default, as in Keras) or after. */
  readonly padding?: 'pre' | 'post';
  /**
   * Which end of a longer sequence is cut off: the start (`'pre'`, the default, as in Keras, which keeps the
   * end of a review) or the end (`'post'`).
   */
  readonly truncating?: 'pre' | 'post';
  /** The padding id. Default 0, the id every vocabulary here reserves for padding. */
  readonly value?: number;
  /** Element type of the result; only `'int32'` (ids), which is what an embedding layer takes. */
  readonly dtype?: 'int32';
}

/** A row-major `[rows, maxLen]` matrix of ids, ready for `tf.tensor2d(data, shape, 'int32')`. */
export interface PaddedSequences {
  readonly data: Int32Array;
  readonly shape: [number, number];
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;
}

/**
 * Pads and truncates each sequence to `maxLen`, as Keras's `pad_sequences`: an empty sequence gives a row
 * of padding; `padding` and `truncating` are independent (a long sequence is cut, a short one padded).
 * @throws OptionError for an option out of range or an element that is not a 32-bit integer.
 */
export function padSequences(
  sequences: readonly (readonly number[])[],
  options: PadOptions = {},
): PaddedSequences {
  const { padding = 'pre', truncating = 'pre', value = 0, dtype = 'int32' } = options;
  if (padding !== 'pre' && padding !== 'post') {
    throw new OptionError(`padSequences: padding must be "pre" or "post", got ${String(padding)}`);
  }
  if (truncating !== 'pre' && truncating !== 'post') {
    throw new OptionError(`padSequences: truncating must be "pre" or "post", got ${String(truncating)}`);
  }
  if (dtype !== 'int32') throw new OptionError(`padSequences: dtype must be "int32", got ${String(dtype)}`);
  if (!isInt32(value)) throw new OptionError(`padSequences: value must be a 32-bit integer, got ${value}`);
  let maxLen = options.maxLen;
  if (maxLen === undefined) {
    maxLen = 0;
    for (const s of sequences) if (s.length > maxLen) maxLen = s.length;
  } else if (!Number.isSafeInteger(maxLen) || maxLen < 0) {
    throw new OptionError(`padSequences: maxLen must be an integer ≥ 0, got ${maxLen}`);
  }

  const rows = sequences.length;
  const data = new Int32Array(rows * maxLen);
  if (value !== 0) data.fill(value);
  for (let row = 0; row < rows; row++) {
    const s = sequences[row];
    const kept = Math.min(s.length, maxLen);
    const from = truncating === 'pre' ? s.length - kept : 0;
    const to = row * maxLen + (padding === 'pre' ? maxLen - kept : 0);
    for (let i = 0; i < kept; i++) {
      const id = s[from + i];
      if (!isInt32(id)) {
        throw new OptionError(`padSequences: sequences[${row}][${from + i}] is not a 32-bit integer: ${id}`);
      }
      data[to + i] = id;
    }
  }
  return { data, shape: [rows, maxLen] };
}

/** Options of {@link removeLongSequences}. */
export interface RemoveLongOptions {
  /**
   * Keep sequences exactly `maxLen` long too. Default `false`: Keras's `remove_long_seq` keeps only
   * `len(x) < maxlen`, although its documentation says "sequences longer than this will be filtered out".
   */
  readonly keepEqual?: boolean;
}

/**
 * Drops sequences that are too long, as Keras's `imdb.load_data(maxlen=…)` does (instead of truncating
 * them as {@link padSequences} would). In Keras the length counted includes the start id, so pass the
 * encoded sequences (start id included) to reproduce it. `indices` tells which inputs were kept, in order,
 * so that the caller can keep the matching labels.
 */
export function removeLongSequences<T extends { readonly length: number }>(
  sequences: readonly T[],
  maxLen: number,
  options: RemoveLongOptions = {},
): { sequences: T[]; indices: number[] } {
  if (!Number.isSafeInteger(maxLen) || maxLen < 0) {
    throw new OptionError(`removeLongSequences: maxLen must be an integer ≥ 0, got ${maxLen}`);
  }
  const limit = options.keepEqual === true ? maxLen + 1 : maxLen;
  const kept: T[] = [];
  const indices: number[] = [];
  sequences.forEach((s, i) => {
    if (s.length < limit) {
      kept.push(s);
      indices.push(i);
    }
  });
  return { sequences: kept, indices };
}
