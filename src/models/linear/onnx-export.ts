/**
 * A linear model (nb, linear, nbsvm) as one ONNX graph, raw text in:
 *
 *   text [N] ─ StringNormalizer ─ Tokenizer (com.microsoft) ─ the scores W·x + b from each text's
 *     n-grams alone (onnx-sparse.ts: lookups, weighting, a sum per text)
 *     ─ probabilities as the model maps them (softmax; sigmoid or Platt, one score, or one-vs-rest
 *       normalised to sum to one) ─ probabilities [N, labels]
 *
 * (models/onnx-graph.ts adds the label output, the metadata and the versions.) Every setting of an
 * exact vocabulary takes the sparse path: count, binary and tf-idf weighting, sublinear tf, l2 norm,
 * any n-gram order, any number of labels. (Until 2026-12 the graph used TfIdfVectorizer, whose dense
 * output made scoring 6–27 times slower than Polarity's own on IMDB.)
 */
import { OptionError } from '../../errors.js';
import type { OnnxGraphBuilder, OnnxGraphPart } from '../onnx-graph.js';
import type { SparseLinearClassifier } from './linear-classifier.js';
import { sparseLinearScores } from './onnx-sparse.js';
import type { WeightMatrix } from './weights-file.js';

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
  const scores = sparseLinearScores(
    classifier,
    probability.type === 'softmax' ? { ...weights, ...centredRows(weights) } : weights,
    graph,
    graph.tokensOf(text),
  );
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
  if (weights.rows === 1) {
    const squashed = graph.node('Sigmoid', [z], 'squashed');
    // One score for two labels: the second label's probability, the first's is its complement.
    const first = graph.node('Sub', [graph.scalar('one_p', 1), squashed], 'first');
    return {
      probabilities: graph.node('Concat', [first, squashed], 'probabilities', { axis: { int: 1 } }),
      metadata,
    };
  }
  return { probabilities: oneVsRestProbabilities(graph, z, weights.rows), metadata };
}

/**
 * Below this, exp underflows to 0 in double precision (ln of half the smallest subnormal), so that
 * every sigmoid of scoresToProbabilities is 0 when every score is below it.
 */
const DOUBLE_EXP_UNDERFLOW = -745.1332191019412;

/**
 * One-vs-rest: each sigmoid σ(z_k) divided by their sum, as scikit-learn does, and as
 * scoresToProbabilities (probabilities.ts) does: 1/labels each when every sigmoid underflows to 0 in
 * double precision. In float32 the sigmoids underflow far sooner (z below about −104), so the graph
 * divides in log space instead: σ(z_k) / Σ σ(z_j) = softmax(log σ(z))_k, with
 * log σ(z) = min(z, 0) − ln(1 + e^−|z|), which is finite for every finite z.
 */
function oneVsRestProbabilities(graph: OnnxGraphBuilder, z: string, labels: number): string {
  const expNegAbs = graph.node(
    'Exp',
    [graph.node('Neg', [graph.node('Abs', [z], 'abs_z')], 'neg_abs_z')],
    'exp_neg_abs_z',
  );
  const log1p = graph.node(
    'Log',
    [graph.node('Add', [expNegAbs, graph.scalar('one_s', 1)], 'one_plus_exp')],
    'log1p_exp',
  );
  const logSigmoid = graph.node(
    'Sub',
    [graph.node('Min', [z, graph.scalar('zero_s', 0)], 'min_z_0'), log1p],
    'log_sigmoid',
  );
  const ratios = graph.node('Softmax', [logSigmoid], 'sigmoid_ratios', { axis: { int: 1 } });
  const best = graph.node('ReduceMax', [z], 'max_z', { axes: { ints: [1] }, keepdims: { int: 1 } });
  const underflow = graph.node(
    'Less',
    [best, graph.scalar('underflow', DOUBLE_EXP_UNDERFLOW)],
    'all_underflow',
  );
  return graph.node('Where', [underflow, graph.scalar('uniform', 1 / labels), ratios], 'probabilities');
}
