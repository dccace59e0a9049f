/**
 * A fastText model as one ONNX graph, raw text in:
 *
 *   text [N] ─ StringNormalizer ─ Tokenizer (com.microsoft) ─ LabelEncoder (token → word row, −1 if
 *     unknown) ─┬─ word rows ─────────────────────────────────────────────┐
 *               └─ token hashes (Gather) ─ n-gram hashes (FNV-1a, int64) ─ bucket rows
 *     ─ Gather of the input matrix's rows, summed ─ ÷ row count ─ MatMul (output matrix) ─ Softmax
 *
 * (models/onnx-graph.ts adds the label output, the metadata and the versions.)
 *
 * ONNX has no operator for our n-gram hash (word-ngrams.ts), but it needs none: an n-gram's hash is
 * computed from its tokens' hashes with XOR, multiplication and modulo, which int64 `Mod`, `Mul`
 * and a 256 × 256 XOR table (`Gather`) express exactly (a 32-bit hash times the 25-bit FNV prime
 * fits in int64). The graph holds each vocabulary word's hash, so every n-gram whose tokens are all
 * words of the model's vocabulary lands in the same bucket as in Polarity, for any bucket count.
 *
 * What differs: a token that is not in the vocabulary (never seen in training, or seen fewer than
 * `minCount` times) has no hash in the graph, so the graph leaves out every n-gram that contains
 * one, where Polarity hashes it into its bucket. Its word row is left out by both. Texts without
 * such n-grams score as in Polarity (bench/onnx-parity.ts measures how much the others move).
 */
import type { OnnxGraphBuilder, OnnxGraphPart } from '../onnx-graph.js';
import { apostropheVariants, onnxTokenizerNodes } from '../onnx-tokenizer.js';
import { NGRAM_HASH_ID, type FastTextClassifier } from './fasttext-classifier.js';
import { fnv1a } from './word-ngrams.js';

const FNV_PRIME = 0x01000193;
const TWO_TO_32 = 2 ** 32;
/** Slice's "to the end". */
const TO_END = Number.MAX_SAFE_INTEGER;

/** `a XOR b` for every pair of bytes, at index `a · 256 + b`. */
function xorTable(): number[] {
  const table = new Array<number>(256 * 256);
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) table[a * 256 + b] = a ^ b;
  return table;
}

/** The tokens the LabelEncoder knows (each word, and its spellings with apostrophe look-alikes) and their rows. */
function wordKeys(words: readonly string[]): { keys: string[]; rows: number[] } {
  const keys: string[] = [];
  const rows: number[] = [];
  words.forEach((word, row) => {
    for (const [variant] of apostropheVariants([word])) {
      keys.push(variant);
      rows.push(row);
    }
  });
  return { keys, rows };
}

/**
 * The input matrix with one zero row appended: index −1 (Gather counts negative indices from the
 * end) then stands for "no row", for unknown words and left-out n-grams alike.
 */
function inputWithZeroRow(classifier: FastTextClassifier): Float32Array {
  const { input, dim } = classifier.weights;
  const out = new Float32Array(input.length + dim);
  out.set(input);
  return out;
}

/** The output matrix transposed, `[dim, labels]`, for `hidden · outputᵀ`. */
function outputTransposed(classifier: FastTextClassifier): Float32Array {
  const { output, dim, labels } = classifier.weights;
  const out = new Float32Array(dim * labels);
  for (let k = 0; k < labels; k++) for (let d = 0; d < dim; d++) out[d * labels + k] = output[k * dim + d];
  return out;
}

/**
 * The fastText model's part of an ONNX graph, from raw texts `text` (a graph-wide name) to its
 * probabilities, names in `graph`'s scope.
 */
export function fastTextOnnxGraph(
  classifier: FastTextClassifier,
  graph: OnnxGraphBuilder,
  text: string,
): OnnxGraphPart {
  const { inputRows, weights } = classifier;
  const words = inputRows.vocabulary.words;
  const { dim } = weights;

  const tokens = graph.name('tokens');
  graph.addNodes(onnxTokenizerNodes(text, tokens, graph.name('tokenize')));
  // A Cast to the type they already have: onnx's shape inference knows no type for the
  // com.microsoft Tokenizer's output, and its LabelEncoder inference crashes (onnx 1.12, a segfault)
  // on an input without one; the Cast's output type follows from its attribute.
  const typedTokens = graph.node('Cast', [tokens], 'typed_tokens', { to: { int: 8 } });
  const { keys, rows } = wordKeys(words);
  const ids = graph.node(
    'LabelEncoder',
    [typedTokens],
    'word_rows',
    {
      keys_strings: { strings: keys },
      values_int64s: { ints: rows },
      default_int64: { int: -1 },
    },
    'ai.onnx.ml',
  );
  const matrix = graph.constant('input_matrix', {
    type: 'float',
    dims: [inputRows.size + 1, dim],
    data: inputWithZeroRow(classifier),
  });
  const axis1 = graph.int64s('axis_1', [1]);
  const zero = graph.int64s('zero', [0]);
  const known = graph.node('GreaterOrEqual', [ids, zero], 'known');

  /** The sum of the rows `rowIndexes` point at, and how many of them are real (`present`), per text. */
  const sumRows = (rowIndexes: string, present: string, local: string): [string, string] => {
    const vectors = graph.node('Gather', [matrix, rowIndexes], `${local}_vectors`, { axis: { int: 0 } });
    const sum = graph.node('ReduceSum', [vectors, axis1], `${local}_sum`, { keepdims: { int: 0 } });
    const ones = graph.node('Cast', [present], `${local}_present`, { to: { int: 1 } });
    const count = graph.node('ReduceSum', [ones, axis1], `${local}_count`, { keepdims: { int: 1 } });
    return [sum, count];
  };

  const sums: string[] = [];
  const counts: string[] = [];
  const [wordSum, wordCount] = sumRows(ids, known, 'words');
  sums.push(wordSum);
  counts.push(wordCount);

  if (inputRows.bucketRows > 0) {
    // Each word's hash and its four bytes (little-endian), the last entry for unknown tokens (−1).
    const hashes = words.map(fnv1a);
    const table = (local: string, values: number[]) =>
      graph.constant(local, { type: 'int64', dims: [values.length + 1], data: [...values, 0] });
    const tokenHash = graph.node('Gather', [table('word_hashes', hashes), ids], 'token_hashes', {
      axis: { int: 0 },
    });
    const tokenBytes = [0, 1, 2, 3].map((k) =>
      graph.node(
        'Gather',
        [
          table(
            `word_hash_byte${k}`,
            hashes.map((h) => (h >>> (8 * k)) & 0xff),
          ),
          ids,
        ],
        `token_hash_byte${k}`,
        { axis: { int: 0 } },
      ),
    );
    const xor = graph.constant('xor_table', { type: 'int64', dims: [256 * 256], data: xorTable() });
    const byteSize = graph.int64s('byte_size', [256]);
    const prime = graph.int64s('fnv_prime', [FNV_PRIME]);
    const modulus = graph.int64s('two_to_32', [TWO_TO_32]);
    const buckets = graph.int64s('buckets', [inputRows.buckets]);
    const firstBucketRow = graph.int64s('first_bucket_row', [inputRows.words]);
    const noRow = graph.int64s('no_row', [-1]);
    const minusOne = graph.int64s('minus_one', [-1]);
    const toEnd = graph.int64s('to_end', [TO_END]);

    /** One FNV-1a step over `hash` [N, M] and bytes [N, M]: XOR the byte in, times the prime, mod 2^32. */
    const fnvByte = (hash: string, byte: string, local: string): string => {
      const low = graph.node('Mod', [hash, byteSize], `${local}_low`);
      const index = graph.node(
        'Add',
        [graph.node('Mul', [low, byteSize], `${local}_low256`), byte],
        `${local}_xi`,
      );
      const lowXor = graph.node('Gather', [xor, index], `${local}_xor`, { axis: { int: 0 } });
      const xored = graph.node(
        'Add',
        [graph.node('Sub', [hash, low], `${local}_high`), lowXor],
        `${local}_xored`,
      );
      return graph.node('Mod', [graph.node('Mul', [xored, prime], `${local}_times`), modulus], local);
    };
    /** Columns `from …` (to the end) of a [N, T] tensor. */
    const from = (tensor: string, start: number, local: string) =>
      graph.node('Slice', [tensor, graph.int64s(`${local}_start`, [start]), toEnd, axis1], local);
    /** Every column but the last. */
    const dropLast = (tensor: string, local: string) =>
      graph.node('Slice', [tensor, zero, minusOne, axis1], local);

    // Level n holds the hash of the n-gram starting at each position, from level n − 1's hash
    // continued by the bytes of the n-th token's hash (word-ngrams.ts's extendNgramHash).
    let hash = tokenHash;
    let present = known;
    for (let n = 2; n <= inputRows.ngrams; n++) {
      const level = `gram${n}`;
      hash = dropLast(hash, `${level}_prefix_hash`);
      for (let k = 0; k < 4; k++) {
        const byte = from(tokenBytes[k], n - 1, `${level}_byte${k}`);
        hash = fnvByte(hash, byte, `${level}_hash${k}`);
      }
      present = graph.node(
        'And',
        [dropLast(present, `${level}_prefix_known`), from(known, n - 1, `${level}_last_known`)],
        `${level}_known`,
      );
      const bucketRow = graph.node(
        'Add',
        [graph.node('Mod', [hash, buckets], `${level}_bucket`), firstBucketRow],
        `${level}_bucket_row`,
      );
      const rowIndexes = graph.node('Where', [present, bucketRow, noRow], `${level}_rows`);
      const [sum, count] = sumRows(rowIndexes, present, level);
      sums.push(sum);
      counts.push(count);
    }
  }

  const total = sums.length === 1 ? sums[0] : graph.node('Sum', sums, 'row_sum');
  const count = counts.length === 1 ? counts[0] : graph.node('Sum', counts, 'row_count');
  // No rows at all: the sum is zero, and so is the mean, as averageRows leaves it.
  const divisor = graph.node('Max', [count, graph.scalar('one', 1)], 'divisor');
  const hidden = graph.node('Div', [total, divisor], 'hidden');
  const out = graph.constant('output_matrix', {
    type: 'float',
    dims: [dim, weights.labels],
    data: outputTransposed(classifier),
  });
  const logits = graph.node('MatMul', [hidden, out], 'logits');
  return {
    probabilities: graph.node('Softmax', [logits], 'probabilities', { axis: { int: 1 } }),
    metadata: {
      'polarity.ngram_hash': NGRAM_HASH_ID,
      'polarity.fasttext': JSON.stringify({
        dim,
        words: inputRows.words,
        ngrams: inputRows.ngrams,
        buckets: inputRows.buckets,
      }),
    },
  };
}
