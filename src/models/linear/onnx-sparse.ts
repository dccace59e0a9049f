/**
 * The scores `W·x + b` of a linear model as sparse ONNX operators, from the tokens `[N, T]` (padded
 * with ONNX_PAD): the n-grams of each text are looked up as Polarity's own transform does
 * (text/features/feature-rows.ts: a word table, then a trie of (prefix column, next word)), and only
 * the columns a text has are weighted and summed, so the work grows with the texts' lengths rather
 * than with the vocabulary (TfIdfVectorizer's output is dense, one float per column and text).
 *
 *   tokens ─ LabelEncoder (word → id; each apostrophe look-alike spelling → the same id;
 *       unknown, pad → -1)
 *     ─ Gather (id → unigram column) ─ for k = 2..n: key = column of the (k−1)-gram at i × (W + 1)
 *       + id of token i + k − 1, plus one; LabelEncoder (key → column of the k-gram, absent → -1)
 *     ─ Concat; key row × V + column of each n-gram found; Compress (found only); the distinct
 *       keys and their counts (onnx-distinct.ts: a hash table of positions, a sort for collisions)
 *     ─ the vectorizer's weighting of each distinct (row, column): 1 (binary), tf, 1 + ln tf,
 *       × idf (Gather), ÷ the row's l2 norm (ScatterND add of the squares per row)
 *     ─ Gather (the column's weights, one per score row) × value ─ ScatterND add per row ─ + bias
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

/** The weights as `[columns, rows]`, one Gather row per column. */
function transposed({ rows, cols, weights }: WeightMatrix): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = weights[r * cols + c];
  return out;
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
  let previous = graph.node('Gather', [unigramTable, idsPlus], 'columns_1', { axis: { int: 0 } });
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
  const row = graph.node(
    'Unsqueeze',
    [graph.node('Div', [distinct, size], 'distinct_row'), axis1],
    'distinct_row_2d',
  );
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
    const idfOfColumn = graph.node('Gather', [idf, column], 'idf_of_column', { axis: { int: 0 } });
    value = value === null ? idfOfColumn : graph.node('Mul', [value, idfOfColumn], 'tfidf');
  }
  const zeros = (local: string, shape: string): string =>
    graph.node('ConstantOfShape', [shape], local, {
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
      'ScatterND',
      [zeros('zeros_n', n), row, graph.node('Mul', [v, v], 'squares')],
      'row_squares',
      {
        reduction: { string: 'add' },
      },
    );
    const norm = graph.node(
      'Max',
      [graph.node('Sqrt', [squares], 'row_l2'), graph.scalar('tiny', 1e-30)],
      'row_l2_safe',
    );
    const rowNorm = graph.node(
      'Gather',
      [norm, graph.node('Squeeze', [row, axis1], 'distinct_row_1d')],
      'row_norm',
      { axis: { int: 0 } },
    );
    value = graph.node('Div', [v, rowNorm], 'normalised');
  }

  // Each distinct column's weights times its value, summed per text, plus the bias.
  const table = graph.constant('weights', {
    type: 'float',
    dims: [weights.cols, weights.rows],
    data: transposed(weights),
  });
  let contributions = graph.node('Gather', [table, column], 'column_weights', { axis: { int: 0 } });
  if (value !== null) {
    contributions = graph.node(
      'Mul',
      [contributions, graph.node('Unsqueeze', [value, axis1], 'value_2d')],
      'contributions',
    );
  }
  const scoresShape = graph.node('Concat', [n, graph.int64s('score_rows', [weights.rows])], 'scores_shape', {
    axis: { int: 0 },
  });
  const sums = graph.node('ScatterND', [zeros('zeros_scores', scoresShape), row, contributions], 'sums', {
    reduction: { string: 'add' },
  });
  const bias = graph.constant('bias', { type: 'float', dims: [weights.rows], data: weights.bias });
  return graph.node('Add', [sums, bias], 'scores');
}
