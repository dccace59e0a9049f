/**
 * A fastText model as one ONNX graph, raw text in:
 *
 *   text [N] ─ StringNormalizer ─ Tokenizer (com.microsoft) ─ LabelEncoder (token → word row; −1
 *     unknown, −2 padding) ─┬─ word rows ───────────────────────────────────────────────┐
 *                           └─ token hashes ─ n-gram hashes (FNV-1a in int64) ─ bucket rows
 *     ─ Gather of the input matrix's rows, summed ─ ÷ row count ─ MatMul (output matrix) ─ Softmax
 *
 * (models/onnx-graph.ts adds the label output, the metadata and the versions.)
 *
 * ONNX has no operator for our n-gram hash (word-ngrams.ts), but it needs none: a token's hash is
 * looked up (a vocabulary word) or computed from its characters (any other token), and an
 * n-gram's hash continues its first token's over the bytes of the others' with int64 `Mod`, `Mul`
 * and a XOR table (onnx-token-hashes.ts). So every n-gram lands in Polarity's bucket, for any
 * bucket count, except one that holds a token outside the vocabulary that is longer than 32
 * characters or has a character outside the Basic Multilingual Plane: the graph leaves that n-gram
 * out, where Polarity hashes it into its bucket. Such a token has no word row in either.
 */
import type { OnnxGraphBuilder, OnnxGraphPart } from '../onnx-graph.js';
import { apostropheVariants, ONNX_PAD } from '../onnx-tokenizer.js';
import { NGRAM_HASH_ID, type FastTextClassifier } from './fasttext-classifier.js';
import { OnnxFnv, PAD_ROW, tokenHashNodes } from './onnx-token-hashes.js';

/** Slice's "to the end". */
const TO_END = Number.MAX_SAFE_INTEGER;

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
 * The input matrix with two zero rows appended: indexes −1 and −2 (Gather counts negative indices
 * from the end) then stand for "no row", for unknown words, padding and left-out n-grams alike.
 */
function inputWithZeroRows(classifier: FastTextClassifier): Float32Array {
  const { input, dim } = classifier.weights;
  const out = new Float32Array(input.length + 2 * dim);
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

  const typedTokens = graph.tokensOf(text);
  const { keys, rows } = wordKeys(words);
  const ids = graph.node(
    'LabelEncoder',
    [typedTokens],
    'word_rows',
    {
      keys_strings: { strings: [...keys, ONNX_PAD] },
      values_int64s: { ints: [...rows, PAD_ROW] },
      default_int64: { int: -1 },
    },
    'ai.onnx.ml',
  );
  const matrix = graph.constant('input_matrix', {
    type: 'float',
    dims: [inputRows.size + 2, dim],
    data: inputWithZeroRows(classifier),
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
    const fnv = new OnnxFnv(graph);
    const { hash: tokenHash, hashed } = tokenHashNodes(graph, fnv, typedTokens, ids, words);
    const tokenBytes = [0, 1, 2, 3].map((k) => fnv.byte(tokenHash, k, `token_hash_byte${k}`));
    const buckets = graph.int64s('buckets', [inputRows.buckets]);
    const firstBucketRow = graph.int64s('first_bucket_row', [inputRows.words]);
    const noRow = graph.int64s('no_row', [-1]);
    const minusOne = graph.int64s('last', [-1]);
    const toEnd = graph.int64s('to_end', [TO_END]);
    /** Columns `from …` (to the end) of a [N, T] tensor. */
    const from = (tensor: string, start: number, local: string) =>
      graph.node('Slice', [tensor, graph.int64s(`${local}_start`, [start]), toEnd, axis1], local);
    /** Every column but the last. */
    const dropLast = (tensor: string, local: string) =>
      graph.node('Slice', [tensor, zero, minusOne, axis1], local);

    // Level n holds the hash of the n-gram starting at each position, from level n − 1's hash
    // continued by the bytes of the n-th token's hash (word-ngrams.ts's extendNgramHash).
    let hash = tokenHash;
    let present = hashed;
    for (let n = 2; n <= inputRows.ngrams; n++) {
      const level = `gram${n}`;
      hash = dropLast(hash, `${level}_prefix_hash`);
      for (let k = 0; k < 4; k++) {
        const byte = from(tokenBytes[k], n - 1, `${level}_byte${k}`);
        hash = fnv.step(hash, byte, `${level}_hash${k}`);
      }
      present = graph.node(
        'And',
        [dropLast(present, `${level}_prefix_hashed`), from(hashed, n - 1, `${level}_last_hashed`)],
        `${level}_hashed`,
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
