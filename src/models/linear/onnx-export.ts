/**
 * A linear model (nb, linear, nbsvm) as one ONNX graph, raw text in:
 *
 *   text [N] ─ StringNormalizer ─ Tokenizer (com.microsoft) ─ TfIdfVectorizer (the model's n-grams, TF)
 *     ─ weighting as the vectorizer's (binary: Min 1; sublinear: 1 + ln tf; tfidf: × idf; l2 norm)
 *     ─ Gemm (W·x + b) ─ probabilities as the model maps them (softmax; sigmoid or Platt, one score
 *       or one-vs-rest divided by the sum) ─ probabilities [N, labels]
 *
 * (models/onnx-graph.ts adds the label output, the metadata and the versions.) The TfIdfVectorizer's
 * output is dense, one float per n-gram column and text, so callers score in batches
 * (bench/onnx-parity.ts uses 64 texts).
 */
import { OptionError } from '../../errors.js';
import { idfOf } from '../../text/features/feature-rows.js';
import { NGRAM_SEPARATOR } from '../../text/features/ngrams.js';
import type { OnnxGraphBuilder, OnnxGraphPart } from '../onnx-graph.js';
import { apostropheVariants, onnxTokenizerNodes } from '../onnx-tokenizer.js';
import type { SparseLinearClassifier } from './linear-classifier.js';
import type { WeightMatrix } from './weights-file.js';

/** The n-gram pool of a TfIdfVectorizer: n-grams grouped by length, each with its column. */
function ngramPool(classifier: SparseLinearClassifier): {
  strings: string[];
  counts: number[];
  indexes: number[];
} {
  const { vectorizer } = classifier;
  const n = vectorizer.options.ngrams;
  const byLength: { tokens: string[]; column: number }[][] = Array.from({ length: n }, () => []);
  for (let column = 0; column < vectorizer.size; column++) {
    const name = vectorizer.featureName(column);
    if (name === undefined) throw new Error(`onnx export: column ${column} has no n-gram`);
    const tokens = name.split(NGRAM_SEPARATOR);
    for (const variant of apostropheVariants(tokens))
      byLength[tokens.length - 1].push({ tokens: variant, column });
  }
  const strings: string[] = [];
  const counts: number[] = [];
  const indexes: number[] = [];
  for (const group of byLength) {
    counts.push(strings.length);
    for (const { tokens, column } of group) {
      strings.push(...tokens);
      indexes.push(column);
    }
  }
  return { strings, counts, indexes };
}

/**
 * Softmax rows (naive Bayes's log-likelihoods) less their mean row, in double precision: the softmax
 * is the same, but the scores are log-odds of a few units rather than log-likelihoods of thousands,
 * so that the runtime's float32 sums lose no digits the probabilities need.
 */
function centredRows({ rows, cols, weights, bias }: WeightMatrix): {
  weights: Float32Array;
  bias: Float32Array;
} {
  const out = new Float32Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += weights[r * cols + c];
    mean /= rows;
    for (let r = 0; r < rows; r++) out[r * cols + c] = weights[r * cols + c] - mean;
  }
  let meanBias = 0;
  for (let r = 0; r < rows; r++) meanBias += bias[r];
  meanBias /= rows;
  return { weights: out, bias: bias.map((b) => b - meanBias) };
}

/** What the export records in metadata_props beyond what every export does. */
function linearMetadata(classifier: SparseLinearClassifier): Record<string, string> {
  return {
    'polarity.vectorizer': JSON.stringify(classifier.vectorizer.options),
    'polarity.probability': JSON.stringify(classifier.probability),
  };
}

/**
 * The linear model's part of an ONNX graph, from raw texts `text` (a graph-wide name) to its
 * probabilities, names in `graph`'s scope.
 */
export function linearOnnxGraph(
  classifier: SparseLinearClassifier,
  graph: OnnxGraphBuilder,
  text: string,
): OnnxGraphPart {
  const { vectorizer, weights, probability } = classifier;
  const options = vectorizer.options;
  if (options.hashBits !== null) {
    throw new OptionError(
      `ONNX export of a hashed vectorizer (hashBits ${options.hashBits}) is not supported yet: ` +
        'ONNX has no operator for its n-gram hash; train with an exact vocabulary (no --hash-bits)',
    );
  }
  const tokens = graph.name('tokens');
  graph.addNodes(onnxTokenizerNodes(text, tokens, graph.name('tokenize')));
  const pool = ngramPool(classifier);
  let x = graph.node('TfIdfVectorizer', [tokens], 'tf', {
    mode: { string: 'TF' },
    min_gram_length: { int: 1 },
    max_gram_length: { int: options.ngrams },
    max_skip_count: { int: 0 },
    ngram_counts: { ints: pool.counts },
    ngram_indexes: { ints: pool.indexes },
    pool_strings: { strings: pool.strings },
  });
  const one = graph.scalar('one', 1);
  if (options.weighting === 'binary') x = graph.node('Min', [x, one], 'binary');
  else if (options.sublinearTf) {
    const logTf = graph.node('Log', [x], 'log_tf');
    const onePlusLogTf = graph.node('Add', [logTf, one], 'one_plus_log_tf');
    const present = graph.node('Greater', [x, graph.scalar('zero', 0)], 'present');
    x = graph.node('Where', [present, onePlusLogTf, x], 'sublinear');
  }
  if (options.weighting === 'tfidf') {
    const df = vectorizer.documentFrequencies();
    if (df === undefined) throw new Error('onnx export: a tfidf vectorizer without document frequencies');
    const idf = graph.constant('idf', {
      type: 'float',
      dims: [vectorizer.size],
      data: idfOf(df, vectorizer.documents, options.smoothIdf),
    });
    x = graph.node('Mul', [x, idf], 'tfidf');
  }
  if (options.norm === 'l2') {
    const l2 = graph.node('ReduceL2', [x], 'l2', { axes: { ints: [1] }, keepdims: { int: 1 } });
    const l2Safe = graph.node('Max', [l2, graph.scalar('tiny', 1e-30)], 'l2_safe');
    x = graph.node('Div', [x, l2Safe], 'normalised');
  }
  const scoring = probability.type === 'softmax' ? centredRows(weights) : weights;
  const w = graph.constant('weights', {
    type: 'float',
    dims: [weights.rows, weights.cols],
    data: scoring.weights,
  });
  const b = graph.constant('bias', { type: 'float', dims: [weights.rows], data: scoring.bias });
  const scores = graph.node('Gemm', [x, w, b], 'scores', { transB: { int: 1 } });
  const metadata = linearMetadata(classifier);

  if (probability.type === 'softmax') {
    return {
      probabilities: graph.node('Softmax', [scores], 'probabilities', { axis: { int: 1 } }),
      metadata,
    };
  }
  let z = scores;
  if (probability.type === 'platt') {
    // P = 1 / (1 + exp(A·f + B)) = sigmoid(−A·f − B), per score.
    const a = graph.constant('platt_a', {
      type: 'float',
      dims: [weights.rows],
      data: probability.a.map((v) => -v),
    });
    const bb = graph.constant('platt_b', {
      type: 'float',
      dims: [weights.rows],
      data: probability.b.map((v) => -v),
    });
    z = graph.node('Add', [graph.node('Mul', [scores, a], 'platt_af'), bb], 'platt_z');
  }
  const squashed = graph.node('Sigmoid', [z], 'squashed');
  if (weights.rows === 1) {
    // One score for two labels: the second label's probability, the first's is its complement.
    const first = graph.node('Sub', [graph.scalar('one_p', 1), squashed], 'first');
    return {
      probabilities: graph.node('Concat', [first, squashed], 'probabilities', { axis: { int: 1 } }),
      metadata,
    };
  }
  // One-vs-rest: each sigmoid divided by their sum, as scikit-learn does.
  const sum = graph.node('ReduceSum', [squashed, graph.int64s('sum_axes', [1])], 'squashed_sum', {
    keepdims: { int: 1 },
  });
  const sumSafe = graph.node('Max', [sum, graph.scalar('tiny_sum', 1e-30)], 'squashed_sum_safe');
  return { probabilities: graph.node('Div', [squashed, sumSafe], 'probabilities'), metadata };
}
