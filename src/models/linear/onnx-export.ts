/**
 * A linear model (nb, linear, nbsvm) as one ONNX graph, raw text in:
 *
 *   text [N] ─ StringNormalizer ─ Tokenizer (com.microsoft) ─ TfIdfVectorizer (the model's n-grams, TF)
 *     ─ weighting as the vectorizer's (binary: Min 1; sublinear: 1 + ln tf; tfidf: × idf; l2 norm)
 *     ─ Gemm (W·x + b) ─ probabilities as the model maps them (softmax; sigmoid or Platt, one score
 *       or one-vs-rest divided by the sum) ─ probabilities [N, labels]
 *     ─ ArgMax ─ Gather from the labels ─ label [N]
 *
 * IR version 8 with opset 17 and com.microsoft 1, for broad support: onnxruntime reads opset 17
 * from 1.13 on (by its compatibility table; not run here), onnx 1.12 (Debian's python3-onnx) checks
 * it. Run here: onnxruntime-node 1.31.1 and Python onnxruntime 1.30.0. The TfIdfVectorizer's
 * output is dense, one float per n-gram column and text, so callers score in batches
 * (bench/onnx-parity.ts uses 64 texts).
 */
import { OptionError } from '../../errors.js';
import {
  encodeOnnxModel,
  ONNX_PRODUCER,
  type OnnxNode,
  type OnnxTensor,
} from '../../persist/onnx/onnx-proto.js';
import { idfOf } from '../../text/features/feature-rows.js';
import { NGRAM_SEPARATOR } from '../../text/features/ngrams.js';
import { apostropheVariants, onnxTokenizerNodes } from '../onnx-tokenizer.js';
import { POLARITY_VERSION } from '../../util/version.js';
import type { SparseLinearClassifier } from './linear-classifier.js';
import type { WeightMatrix } from './weights-file.js';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ONNX_MS_OPSET = 1;

type Named = OnnxTensor & { readonly name: string };

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

/** What the export records in the model's metadata_props. */
export function linearMetadata(classifier: SparseLinearClassifier): Record<string, string> {
  const { provenance } = classifier;
  return {
    'polarity.labels': JSON.stringify(classifier.labels),
    'polarity.version': POLARITY_VERSION,
    'polarity.kind': classifier.kind,
    'polarity.data_fingerprint': provenance.training.dataFingerprint ?? '',
    'polarity.options': JSON.stringify(provenance.options),
    'polarity.vectorizer': JSON.stringify(classifier.vectorizer.options),
    'polarity.probability': JSON.stringify(classifier.probability),
  };
}

/** The ONNX model's bytes (a `.onnx` file). */
export function exportLinearOnnx(classifier: SparseLinearClassifier): Uint8Array {
  const { vectorizer, weights, probability, labels } = classifier;
  const options = vectorizer.options;
  if (options.hashBits !== null) {
    throw new OptionError(
      `ONNX export of a hashed vectorizer (hashBits ${options.hashBits}) is not supported yet: ` +
        'ONNX has no operator for its n-gram hash; train with an exact vocabulary (no --hash-bits)',
    );
  }
  const nodes: OnnxNode[] = [...onnxTokenizerNodes('text', 'tokens')];
  const initializers: Named[] = [];
  const scalar = (name: string, value: number): string => {
    initializers.push({ name, type: 'float', dims: [], data: [value] });
    return name;
  };
  const pool = ngramPool(classifier);
  nodes.push({
    opType: 'TfIdfVectorizer',
    name: 'ngrams',
    inputs: ['tokens'],
    outputs: ['tf'],
    attributes: {
      mode: { string: 'TF' },
      min_gram_length: { int: 1 },
      max_gram_length: { int: options.ngrams },
      max_skip_count: { int: 0 },
      ngram_counts: { ints: pool.counts },
      ngram_indexes: { ints: pool.indexes },
      pool_strings: { strings: pool.strings },
    },
  });
  let x = 'tf';
  const step = (node: Omit<OnnxNode, 'outputs'>, output: string): void => {
    nodes.push({ ...node, outputs: [output] });
    x = output;
  };
  if (options.weighting === 'binary') step({ opType: 'Min', inputs: [x, scalar('one', 1)] }, 'binary');
  else if (options.sublinearTf) {
    nodes.push({ opType: 'Log', inputs: [x], outputs: ['log_tf'] });
    nodes.push({ opType: 'Add', inputs: ['log_tf', scalar('one', 1)], outputs: ['one_plus_log_tf'] });
    nodes.push({ opType: 'Greater', inputs: [x, scalar('zero', 0)], outputs: ['present'] });
    step({ opType: 'Where', inputs: ['present', 'one_plus_log_tf', x] }, 'sublinear');
  }
  if (options.weighting === 'tfidf') {
    const df = vectorizer.documentFrequencies();
    if (df === undefined) throw new Error('onnx export: a tfidf vectorizer without document frequencies');
    initializers.push({
      name: 'idf',
      type: 'float',
      dims: [vectorizer.size],
      data: idfOf(df, vectorizer.documents, options.smoothIdf),
    });
    step({ opType: 'Mul', inputs: [x, 'idf'] }, 'tfidf');
  }
  if (options.norm === 'l2') {
    nodes.push({
      opType: 'ReduceL2',
      inputs: [x],
      outputs: ['l2'],
      attributes: { axes: { ints: [1] }, keepdims: { int: 1 } },
    });
    nodes.push({ opType: 'Max', inputs: ['l2', scalar('tiny', 1e-30)], outputs: ['l2_safe'] });
    step({ opType: 'Div', inputs: [x, 'l2_safe'] }, 'normalised');
  }
  const scoring = probability.type === 'softmax' ? centredRows(weights) : weights;
  initializers.push(
    { name: 'weights', type: 'float', dims: [weights.rows, weights.cols], data: scoring.weights },
    { name: 'bias', type: 'float', dims: [weights.rows], data: scoring.bias },
  );
  nodes.push({
    opType: 'Gemm',
    inputs: [x, 'weights', 'bias'],
    outputs: ['scores'],
    attributes: { transB: { int: 1 } },
  });

  if (probability.type === 'softmax') {
    nodes.push({
      opType: 'Softmax',
      inputs: ['scores'],
      outputs: ['probabilities'],
      attributes: { axis: { int: 1 } },
    });
  } else {
    let z = 'scores';
    if (probability.type === 'platt') {
      // P = 1 / (1 + exp(A·f + B)) = sigmoid(−A·f − B), per score.
      initializers.push(
        { name: 'platt_a', type: 'float', dims: [weights.rows], data: probability.a.map((a) => -a) },
        { name: 'platt_b', type: 'float', dims: [weights.rows], data: probability.b.map((b) => -b) },
      );
      nodes.push({ opType: 'Mul', inputs: ['scores', 'platt_a'], outputs: ['platt_af'] });
      nodes.push({ opType: 'Add', inputs: ['platt_af', 'platt_b'], outputs: ['platt_z'] });
      z = 'platt_z';
    }
    nodes.push({ opType: 'Sigmoid', inputs: [z], outputs: ['squashed'] });
    if (weights.rows === 1) {
      // One score for two labels: the second label's probability, the first's is its complement.
      nodes.push({ opType: 'Sub', inputs: [scalar('one_p', 1), 'squashed'], outputs: ['first'] });
      nodes.push({
        opType: 'Concat',
        inputs: ['first', 'squashed'],
        outputs: ['probabilities'],
        attributes: { axis: { int: 1 } },
      });
    } else {
      // One-vs-rest: each sigmoid divided by their sum, as scikit-learn does.
      nodes.push({
        opType: 'ReduceSum',
        inputs: ['squashed', 'sum_axes'],
        outputs: ['squashed_sum'],
        attributes: { keepdims: { int: 1 } },
      });
      initializers.push({ name: 'sum_axes', type: 'int64', dims: [1], data: [1] });
      nodes.push({
        opType: 'Max',
        inputs: ['squashed_sum', scalar('tiny_sum', 1e-30)],
        outputs: ['squashed_sum_safe'],
      });
      nodes.push({ opType: 'Div', inputs: ['squashed', 'squashed_sum_safe'], outputs: ['probabilities'] });
    }
  }
  nodes.push({
    opType: 'ArgMax',
    inputs: ['probabilities'],
    outputs: ['best'],
    attributes: { axis: { int: 1 }, keepdims: { int: 0 } },
  });
  initializers.push({ name: 'labels', type: 'string', dims: [labels.length], data: [...labels] });
  nodes.push({
    opType: 'Gather',
    inputs: ['labels', 'best'],
    outputs: ['label'],
    attributes: { axis: { int: 0 } },
  });

  return encodeOnnxModel({
    irVersion: ONNX_IR_VERSION,
    opsets: [
      { domain: '', version: ONNX_OPSET },
      { domain: 'com.microsoft', version: ONNX_MS_OPSET },
    ],
    producerName: ONNX_PRODUCER,
    producerVersion: POLARITY_VERSION,
    doc: `Polarity ${classifier.kind} model: raw text in, probabilities of ${labels.join(', ')} out`,
    graph: {
      name: `polarity_${classifier.kind}`,
      nodes: nodes.map((node, i) => ({ name: node.name ?? `${node.opType.toLowerCase()}_${i}`, ...node })),
      inputs: [{ name: 'text', type: 'string', shape: ['N'], doc: 'raw texts, UTF-8' }],
      outputs: [
        {
          name: 'probabilities',
          type: 'float',
          shape: ['N', labels.length],
          doc: `probabilities of ${labels.join(', ')}`,
        },
        { name: 'label', type: 'string', shape: ['N'], doc: 'the most probable label' },
      ],
      initializers,
    },
    metadata: linearMetadata(classifier),
  });
}
