/**
 * The scores `W·x + b` of a linear model as sparse ONNX operators, from the tokens `[N, T]` (padded
 * with ONNX_PAD): the n-grams of each text are looked up as Polarity's own transform does
 * (text/features/feature-rows.ts: a word table, then a trie of (prefix column, next word)), and only
 * the columns a text has are weighted and summed, so the work grows with the texts' lengths rather
 * than with the vocabulary (TfIdfVectorizer's output is dense, one float per column and text).
 *
 *   tokens ─ LabelEncoder (word → id; each apostrophe look-alike spelling → the same id;
 *       unknown, pad → -1)
 *     ─ GatherElements (id → unigram column) ─ for k = 2..n: key = column of the (k−1)-gram at
 *       i × (W + 1) + id of token i + k − 1, plus one; LabelEncoder (key → column of the k-gram,
 *       absent → -1)
 *     ─ Concat; key row × V + column of each n-gram found; Compress (found only); the distinct
 *       keys and their counts (onnx-distinct.ts: a hash table of positions, a sort for collisions)
 *     ─ the vectorizer's weighting of each distinct (row, column): 1 (binary), tf, 1 + ln tf,
 *       × idf, ÷ the row's l2 norm (ScatterElements add of the squares per row)
 *     ─ per score row: its weight of each column (GatherElements) × value ─ ScatterElements add
 *       per text ─ side by side, + bias
 *
 * Lookups and sums are one-dimensional (onnx-lookup.ts says why).
 *
 * Every op is in opset 17 and ai.onnx.ml 3 (LabelEncoder 2, string → int64 and int64 → int64, both
 * run by onnxruntime's CPU provider); no StringConcat (opset 20) is needed, since n-grams are keyed by
 * integer arithmetic on ids instead of joined strings.
 */
import { idfOf } from '../../text/features/feature-rows.js';
import type { NgramVocabulary } from '../../text/features/ngram-vocabulary.js';
import type { OnnxGraphBuilder } from '../onnx-graph.js';
import { APOSTROPHES } from '../onnx-tokenizer.js';
import type { SparseLinearClassifier } from './linear-classifier.js';
import { distinctKeys } from './onnx-distinct.js';
import { gatherValues } from './onnx-lookup.js';
import type { WeightMatrix } from './weights-file.js';

/** What the graph's lookups hold, made from the vocabulary. */
interface SparseTables {
  /** Word spellings (apostrophe look-alikes included) and their word ids. */
  readonly spellings: string[];
  readonly spellingIds: number[];
  /** Column of each word's unigram at index id + 1 (index 0: an unknown word), -1 when none. */
  readonly unigram: number[];
  /** Multiplier of the prefix column in an n-gram key: words + 1. */
  readonly base: number;
  /** Per n-gram order 2..n (index order − 2): keys `prefix × base + word + 1` and their columns. */
  readonly levels: { keys: number[]; columns: number[] }[];
}

/** The spellings of a word the graph's tokenizer may give: each apostrophe look-alike in place of `'`. */
function spellingsOf(word: string): string[] {
  return word.includes("'") ? APOSTROPHES.map((a) => word.replaceAll("'", a)) : [word];
}

function sparseTables(vocabulary: NgramVocabulary, ngrams: number): SparseTables {
  const { words, parents, lastWords } = vocabulary;
  const spellings: string[] = [];
  const spellingIds: number[] = [];
  words.forEach((word, id) => {
    for (const spelling of spellingsOf(word)) {
      spellings.push(spelling);
      spellingIds.push(id);
    }
  });
  const base = words.length + 1;
  if (!Number.isSafeInteger(parents.length * base)) {
    throw new Error('onnx export: the vocabulary is too large for int64 n-gram keys');
  }
  const unigram = new Array<number>(base).fill(-1);
  const levels = Array.from({ length: Math.max(0, ngrams - 1) }, () => ({
    keys: [] as number[],
    columns: [] as number[],
  }));
  const order = new Int32Array(parents.length);
  const orderOf = (column: number): number => {
    if (order[column] === 0) order[column] = parents[column] < 0 ? 1 : orderOf(parents[column]) + 1;
    return order[column];
  };
  for (let c = 0; c < parents.length; c++) {
    if (parents[c] < 0) unigram[lastWords[c] + 1] = c;
    else {
      const level = levels[orderOf(c) - 2];
      level.keys.push(parents[c] * base + lastWords[c] + 1);
      level.columns.push(c);
    }
  }
  return { spellings, spellingIds, unigram, base, levels };
}

/**
 * The scores `[N, rows]` before the bias: for each score row, the weights of the distinct columns
 * (GatherElements from that row's weights, a 1-D constant each), times their values when weighted,
 * summed per text (ScatterElements add); the rows side by side. One-dimensional lookups and sums,
 * since onnxruntime's are several times faster than Gather and ScatterND over `[columns, rows]`
 * (onnx-lookup.ts).
 */
function weightedSums(
  graph: OnnxGraphBuilder,
  weights: WeightMatrix,
  distinct: { readonly text: string; readonly column: string; readonly value: string | null },
  zeros: string,
  axis1: string,
): string {
  const { rows, cols } = weights;
  const perRow = Array.from({ length: rows }, (_, r) => {
    const row = graph.constant(`weights_${r}`, {
      type: 'float',
      dims: [cols],
      data: weights.weights.subarray(r * cols, (r + 1) * cols),
    });
    const weight = gatherValues(graph, row, distinct.column, `row_${r}_weight`);
    const contribution =
      distinct.value === null ? weight : graph.node('Mul', [weight, distinct.value], `row_${r}_contribution`);
    const sums = graph.node('ScatterElements', [zeros, distinct.text, contribution], `row_${r}_sums`, {
      axis: { int: 0 },
      reduction: { string: 'add' },
    });
    return graph.node('Unsqueeze', [sums, axis1], `row_${r}_scores`);
  });
  return rows === 1 ? perRow[0] : graph.node('Concat', perRow, 'sums', { axis: { int: 1 } });
}

/**
 * Adds the nodes from `tokens` (`[N, T]`, a graph-wide name: the typed tokens that
 * `onnxTokenizerNodes` returns) to the scores `[N, rows]` of `weights` (the classifier's, or a
 * rewritten copy such as naive Bayes's centred rows); returns their name.
 */
export function sparseLinearScores(
  classifier: SparseLinearClassifier,
  weights: WeightMatrix,
  graph: OnnxGraphBuilder,
  tokens: string,
): string {
  const { vectorizer } = classifier;
  const options = vectorizer.options;
  const vocabulary = vectorizer.exactVocabulary();
  if (vocabulary === undefined) throw new Error('onnx export: the sparse graph needs an exact vocabulary');
  const tables = sparseTables(vocabulary, options.ngrams);
  const ml = 'ai.onnx.ml';

  // Word ids, plus one: 0 is a word the vocabulary lacks (or the pad).
  const ids = graph.node(
    'LabelEncoder',
    [tokens],
    'word_ids',
    {
      keys_strings: { strings: tables.spellings },
      values_int64s: { ints: tables.spellingIds },
      default_int64: { int: -1 },
    },
    ml,
  );
  const one = graph.int64s('one_i64', [1]);
  const idsPlus = graph.node('Add', [ids, one], 'word_ids_plus_one');
  const unigramTable = graph.constant('unigram_columns', {
    type: 'int64',
    dims: [tables.unigram.length],
    data: tables.unigram,
  });
  let previous = gatherValues(graph, unigramTable, idsPlus, 'columns_1', true);
  const columns = [previous];
  const axis1 = graph.int64s('axis_1', [1]);
  // Unigrams alone have no keys to build (an unused constant is a warning in onnxruntime).
  const base = tables.levels.length > 0 ? graph.int64s('key_base', [tables.base]) : '';
  tables.levels.forEach(({ keys, columns: values }, level) => {
    const k = level + 2;
    // The (k−1)-gram at i extended by token i + k − 1; an unknown prefix (-1) gives a negative key.
    const prefix = graph.node(
      'Slice',
      [previous, graph.int64s(`prefix_start_${k}`, [0]), graph.int64s(`prefix_end_${k}`, [-1]), axis1],
      `prefix_${k}`,
    );
    const next = graph.node(
      'Slice',
      [
        idsPlus,
        graph.int64s(`next_start_${k}`, [k - 1]),
        graph.int64s(`next_end_${k}`, [Number.MAX_SAFE_INTEGER]),
        axis1,
      ],
      `next_${k}`,
    );
    const key = graph.node(
      'Add',
      [graph.node('Mul', [prefix, base], `prefix_scaled_${k}`), next],
      `keys_${k}`,
    );
    previous = graph.node(
      'LabelEncoder',
      [key],
      `columns_${k}`,
      {
        keys_int64s: { ints: keys },
        values_int64s: { ints: values },
        default_int64: { int: -1 },
      },
      ml,
    );
    columns.push(previous);
  });
  const all =
    columns.length === 1 ? previous : graph.node('Concat', columns, 'columns', { axis: { int: 1 } });

  // One key per (text, column) found: row × V + column; sorted, each run is one feature of one text.
  const n = graph.node('Shape', [tokens], 'n', { start: { int: 0 }, end: { int: 1 } });
  const rowRange = graph.node(
    'Range',
    [
      graph.constant('zero_i64', { type: 'int64', dims: [], data: [0] }),
      graph.node('Squeeze', [n], 'n_scalar'),
      graph.constant('one_i64_scalar', { type: 'int64', dims: [], data: [1] }),
    ],
    'rows',
  );
  const size = graph.int64s('columns_size', [vectorizer.size]);
  const rowStart = graph.node(
    'Mul',
    [graph.node('Unsqueeze', [rowRange, axis1], 'rows_column'), size],
    'row_start',
  );
  const flat = graph.int64s('flat', [-1]);
  const found = graph.node(
    'Reshape',
    [graph.node('GreaterOrEqual', [all, graph.int64s('zero_i64_1', [0])], 'found_2d'), flat],
    'found',
  );
  const keys = graph.node('Reshape', [graph.node('Add', [rowStart, all], 'keys_2d'), flat], 'keys_flat');
  const kept = graph.node('Compress', [keys, found], 'keys_found', { axis: { int: 0 } });
  const { distinct, counts } = distinctKeys(graph, kept, options.weighting !== 'binary');
  const text = graph.node('Div', [distinct, size], 'distinct_text');
  const column = graph.node('Mod', [distinct, size], 'distinct_column');

  // The value of each distinct (text, column), as FeatureRows.weightRow computes it; null: 1.
  let value: string | null = null;
  if (options.weighting !== 'binary') {
    const tf = graph.node('Cast', [counts], 'tf', { to: { int: 1 } });
    value = options.sublinearTf
      ? graph.node('Add', [graph.node('Log', [tf], 'log_tf'), graph.scalar('one', 1)], 'sublinear_tf')
      : tf;
  }
  if (options.weighting === 'tfidf') {
    const df = vectorizer.documentFrequencies();
    if (df === undefined) throw new Error('onnx export: a tfidf vectorizer without document frequencies');
    const idf = graph.constant('idf', {
      type: 'float',
      dims: [vectorizer.size],
      data: idfOf(df, vectorizer.documents, options.smoothIdf),
    });
    const idfOfColumn = gatherValues(graph, idf, column, 'idf_of_column');
    value = value === null ? idfOfColumn : graph.node('Mul', [value, idfOfColumn], 'tfidf');
  }
  const zeroPerText = graph.node('ConstantOfShape', [n], 'zero_per_text', {
    value: { tensor: { type: 'float', dims: [1], data: [0] } },
  });
  if (options.norm === 'l2') {
    const v =
      value ??
      graph.node(
        'Expand',
        [graph.scalar('one_value', 1), graph.node('Shape', [distinct], 'distinct_shape')],
        'ones',
      );
    const squares = graph.node(
      'ScatterElements',
      [zeroPerText, text, graph.node('Mul', [v, v], 'squares')],
      'row_squares',
      { axis: { int: 0 }, reduction: { string: 'add' } },
    );
    const norm = graph.node(
      'Max',
      [graph.node('Sqrt', [squares], 'row_l2'), graph.scalar('tiny', 1e-30)],
      'row_l2_safe',
    );
    const rowNorm = gatherValues(graph, norm, text, 'row_norm');
    value = graph.node('Div', [v, rowNorm], 'normalised');
  }

  // Each distinct column's weights times its value, summed per text, plus the bias.
  const sums = weightedSums(graph, weights, { text, column, value }, zeroPerText, axis1);
  const bias = graph.constant('bias', { type: 'float', dims: [weights.rows], data: weights.bias });
  return graph.node('Add', [sums, bias], 'scores');
}
