/**
 * Layers over rows cropped to a batch's longest (front-end.ts, `Crop`), computing what the same
 * layers compute over the full maxLen rows. Every position cut off holds the padding id in every
 * row, so whatever a layer makes of it is a constant, worked out here from the weights at export:
 *
 * - the mlp's Dense over the flattened embeddings (`croppedDense`): its share of the positions cut
 *   off, one row of a table per number cut;
 * - the tutorial cnn's Conv1D, MaxPooling1D and Dense (`croppedConvolution`): the pooled padding's
 *   share of the Dense the same way, the kept rows given the context their first windows had;
 * - cnn-global's Conv1D and global max (`withPaddingWindows`): the padding window's output joins
 *   the max whenever windows were cut off.
 *
 * With the texts sorted by length (onnx-classifier.ts), most batches then skip most of the work
 * that padding used to cost, as training's padding-aware layers do.
 */
import type * as tf from '../../../engine/tf.js';
import { OptionError } from '../../../errors.js';
import type { OnnxGraphBuilder } from '../../onnx-graph.js';
import type { Crop } from './front-end.js';
import {
  activation,
  activationOf,
  conv1d,
  flatten,
  layerConfig,
  layerWeights,
  maxPooling1d,
  samePadding,
  single,
} from './layers.js';

type Side = 'pre' | 'post';

/**
 * A Dense over `positions` positions of `dims` inputs each, of which `flat` `[N, kept · dims]` holds
 * the kept ones: the last `positions − cut` (padding "pre") or the first ("post"). A cut-off position
 * p's inputs are `cutInputs(p)`; their product with the kernel's rows for p, summed over the
 * positions cut off, is a table with a row per number cut (summed in float64), looked up by `cut`.
 */
function denseOverKept(
  graph: OnnxGraphBuilder,
  layer: tf.layers.Layer,
  flat: string,
  cut: string,
  shape: { readonly positions: number; readonly dims: number; readonly side: Side },
  cutInputs: (position: number) => ArrayLike<number>,
): string {
  const { positions, dims, side } = shape;
  const [kernel, bias] = layerWeights(layer);
  const units = kernel.shape[1];
  if (kernel.shape[0] !== positions * dims) {
    throw new OptionError(
      `ONNX export: ${layer.name} takes ${kernel.shape[0]} inputs, not ${positions}×${dims}`,
    );
  }
  const name = (local: string) => `${layer.name}_${local}`;
  // Row k: the share of the first k positions ("pre") or of the last k ("post").
  const shares = new Float64Array((positions + 1) * units);
  for (let k = 1; k <= positions; k++) {
    const position = side === 'pre' ? k - 1 : positions - k;
    const inputs = cutInputs(position);
    for (let u = 0; u < units; u++) {
      let sum = shares[(k - 1) * units + u];
      for (let d = 0; d < dims; d++) sum += inputs[d] * kernel.data[(position * dims + d) * units + u];
      shares[k * units + u] = sum;
    }
  }
  const sharesTable = graph.constant(name('padding_shares'), {
    type: 'float',
    dims: [positions + 1, units],
    data: Float32Array.from(shares),
  });

  // The kernel's rows of the kept positions (onnxruntime's Slice copies them, once per run).
  const positionsScalar = graph.int64(name('positions'), positions);
  const keptFrom = side === 'pre' ? cut : graph.int64(name('none_cut'), 0);
  const keptTo =
    side === 'pre' ? positionsScalar : graph.node('Sub', [positionsScalar, cut], name('kept_to'));
  const dimsScalar = graph.int64(name('dims'), dims);
  const row = (position: string, local: string) =>
    graph.node(
      'Unsqueeze',
      [graph.node('Mul', [position, dimsScalar], `${local}_scalar`), graph.int64s(`${local}_axes`, [0])],
      local,
    );
  const w = graph.constant(name('kernel'), { type: 'float', dims: kernel.shape, data: kernel.data });
  const keptKernel = graph.node(
    'Slice',
    [w, row(keptFrom, name('first_row')), row(keptTo, name('end_row')), graph.int64s(name('rows_axis'), [0])],
    name('kept_kernel'),
  );
  const product = graph.node('MatMul', [flat, keptKernel], name('kept'));
  const share = graph.node('Gather', [sharesTable, cut], name('padding'), { axis: { int: 0 } });
  const b = graph.constant(name('bias'), {
    type: 'float',
    dims: [units],
    data: bias?.data ?? new Float32Array(units),
  });
  const z = graph.node('Add', [graph.node('Add', [product, share], name('with_padding')), b], name('z'));
  return activation(graph, z, layerConfig(layer).activation, layer.name);
}

/** The padding id's embedding: row 0 of the embedding's table (read once per export: the table is large). */
export function paddingEmbedding(embeddingLayer: tf.layers.Layer): Float32Array {
  const [table] = layerWeights(embeddingLayer);
  return table.data.slice(0, table.shape[1]);
}

/** The mlp's Dense over the flattened `[N, W, E]` embeddings of cropped rows (crop: no margin, step 1). */
export function croppedDense(
  graph: OnnxGraphBuilder,
  padEmbedding: Float32Array,
  layer: tf.layers.Layer,
  embedded: string,
  width: string,
  sequence: { readonly maxLen: number; readonly padding: Side },
): string {
  const { maxLen, padding } = sequence;
  const cut = graph.node('Sub', [graph.int64(`${layer.name}_max_len`, maxLen), width], `${layer.name}_cut`);
  const flat = flatten(graph, embedded, `${layer.name}_flat`);
  const shape = { positions: maxLen, dims: padEmbedding.length, side: padding };
  return denseOverKept(graph, layer, flat, cut, shape, () => padEmbedding);
}

/** The tutorial cnn's layers after its embedding, as `croppedConvolution` needs them. */
export interface ConvolutionHead {
  readonly convolution: tf.layers.Layer;
  readonly pooling: tf.layers.Layer;
  readonly dense: tf.layers.Layer;
}

/**
 * How the tutorial cnn's rows may be cropped, or null when its layers are not the ones
 * `croppedConvolution` handles: "pre" padding, a "same" convolution of stride 1, and a max pooling
 * whose stride is its size, at least the convolution's left padding. The positions cut off are
 * whole pooling windows whose convolution windows reach no text (the right padding's margin).
 */
export function convolutionCrop(head: ConvolutionHead, padding: Side): Crop | null {
  const conv = layerConfig(head.convolution);
  const pool = layerConfig(head.pooling);
  const size = single(pool.poolSize, 'pool size');
  const { left, right } = samePadding(single(conv.kernelSize, 'kernel size'));
  const plain =
    padding === 'pre' &&
    conv.padding === 'same' &&
    single(conv.strides ?? 1, 'stride') === 1 &&
    single(conv.dilationRate ?? 1, 'dilation') === 1 &&
    single(pool.strides ?? size, 'pool stride') === size &&
    (pool.padding ?? 'valid') === 'valid';
  return plain && left <= size ? { margin: right, step: size } : null;
}

/**
 * A convolution's output before its activation, per filter, for a window over the padding id whose
 * first `firstTap` cells fall in TF's zeros before a row's start (summed in float64).
 */
function paddingWindowZ(
  kernel: { readonly shape: readonly number[]; readonly data: Float32Array },
  bias: Float32Array | undefined,
  padEmbedding: Float32Array,
  firstTap = 0,
): Float64Array {
  const [span, dims, filters] = kernel.shape;
  const z = Float64Array.from({ length: filters }, (_, f) => bias?.[f] ?? 0);
  for (let j = firstTap; j < span; j++)
    for (let e = 0; e < dims; e++)
      for (let f = 0; f < filters; f++) z[f] += padEmbedding[e] * kernel.data[(j * dims + e) * filters + f];
  return z;
}

/**
 * The pooled output of each pooling window of padding, `[windows, filters]`: the convolution over
 * the padding id, where the window's first cells fall in TF's zeros before the row's start.
 */
function pooledPadding(
  kernel: { readonly shape: readonly number[]; readonly data: Float32Array },
  bias: Float32Array | undefined,
  padEmbedding: Float32Array,
  options: {
    readonly left: number;
    readonly size: number;
    readonly windows: number;
    readonly activation: unknown;
  },
): Float32Array {
  const filters = kernel.shape[2];
  const { left, size, windows } = options;
  const activate = activationOf(options.activation);
  // Position p's output: the first `left - p` cells in TF's zeros; from `left` on, all the same.
  const outputs = Array.from({ length: left + 1 }, (_, p) =>
    Float64Array.from(paddingWindowZ(kernel, bias, padEmbedding, left - p), activate),
  );
  const pooled = new Float32Array(windows * filters);
  for (let w = 0; w < windows; w++)
    for (let f = 0; f < filters; f++) {
      let max = -Infinity;
      for (let p = w * size; p < (w + 1) * size; p++) max = Math.max(max, outputs[Math.min(p, left)][f]);
      pooled[w * filters + f] = max;
    }
  return pooled;
}

/**
 * The tutorial cnn (Conv1D "same", MaxPooling1D, Flatten, Dense) over rows cropped as
 * `convolutionCrop` says, `[N, W, E]`: the kept rows get `left` rows of context before them (the
 * padding id's embedding; TF's zeros when nothing was cut) and `right` zero rows after, are convolved
 * without padding and pooled, and the Dense adds its share of the pooled padding cut off.
 */
export function croppedConvolution(
  graph: OnnxGraphBuilder,
  padEmbedding: Float32Array,
  head: ConvolutionHead,
  embedded: string,
  width: string,
  maxLen: number,
): string {
  const [kernel, bias] = layerWeights(head.convolution);
  const [span, dims, filters] = kernel.shape;
  const size = single(layerConfig(head.pooling).poolSize, 'pool size');
  const { left, right } = samePadding(span);
  const name = (local: string) => `${head.convolution.name}_${local}`;

  const cut = graph.node('Sub', [graph.int64(name('max_len'), maxLen), width], name('cut'));
  const rows = graph.node(
    'Slice',
    [
      graph.node('Shape', [embedded], name('rows_shape')),
      graph.int64s(name('n_from'), [0]),
      graph.int64s(name('n_to'), [1]),
    ],
    name('rows'),
  );
  const contextRows = (count: number, row: Float32Array, local: string) => {
    const shape = graph.node(
      'Concat',
      [rows, graph.int64s(`${local}_rest`, [count, dims])],
      `${local}_shape`,
      {
        axis: { int: 0 },
      },
    );
    const one = graph.constant(`${local}_row`, { type: 'float', dims: [1, 1, dims], data: row });
    return graph.node('Expand', [one, shape], local);
  };
  const parts: string[] = [];
  if (left > 0) {
    const anyCut = graph.node('Greater', [cut, graph.int64(name('zero'), 0)], name('any_cut'));
    const scale = graph.node('Cast', [anyCut], name('any_cut_float'), { to: { int: 1 } });
    parts.push(
      graph.node('Mul', [contextRows(left, padEmbedding, name('left_context')), scale], name('left_rows')),
    );
  }
  parts.push(embedded);
  if (right > 0) parts.push(contextRows(right, new Float32Array(dims), name('right_zeros')));
  const withContext = graph.node('Concat', parts, name('with_context'), { axis: { int: 1 } });
  const convolved = conv1d(graph, head.convolution, withContext, { left: 0, right: 0 });
  const flat = flatten(graph, maxPooling1d(graph, head.pooling, convolved), name('flat'));

  const windows = Math.floor(maxLen / size);
  const padding = pooledPadding(kernel, bias?.data, padEmbedding, {
    left,
    size,
    windows,
    activation: layerConfig(head.convolution).activation,
  });
  const windowsCut = graph.node('Div', [cut, graph.int64(name('pool_size'), size)], name('windows_cut'));
  const shape = { positions: windows, dims: filters, side: 'pre' as const };
  return denseOverKept(graph, head.dense, flat, windowsCut, shape, (w) =>
    padding.subarray(w * filters, (w + 1) * filters),
  );
}

/**
 * A convolution's global max over rows cropped with a margin of at least its width less one: `pooled`
 * `[N, filters]` is the max over the cropped windows, and when W < maxLen the windows cut off all lie
 * in every row's padding, so each gave the padding window's output, which joins the max.
 */
export function withPaddingWindows(
  graph: OnnxGraphBuilder,
  padEmbedding: Float32Array,
  convolution: tf.layers.Layer,
  pooled: string,
  width: string,
  maxLen: number,
): string {
  const [kernel, bias] = layerWeights(convolution);
  const filters = kernel.shape[2];
  const z = paddingWindowZ(kernel, bias?.data, padEmbedding);
  const name = (local: string) => `${convolution.name}_${local}`;
  const paddingZ = graph.constant(name('padding_z'), {
    type: 'float',
    dims: [filters],
    data: Float32Array.from(z),
  });
  const paddingWindow = activation(
    graph,
    paddingZ,
    layerConfig(convolution).activation,
    name('padding_window'),
  );
  const cutOff = graph.node('Less', [width, graph.int64(name('max_len'), maxLen)], name('windows_cut_off'));
  const withPadding = graph.node('Max', [pooled, paddingWindow], name('with_padding_window'));
  return graph.node('Where', [cutOff, withPadding, pooled], name('max'));
}
