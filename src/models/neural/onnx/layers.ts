/**
 * TensorFlow.js layers as ONNX nodes (opset 17), in Keras's channels-last layout: a sequence is
 * `[N, T, C]` between layers, as in the TF.js model, and a convolution or pooling transposes to
 * ONNX's `[N, C, T]` and back around its own op. Dropout is the identity at inference: no node.
 */
import type * as tf from '../../../engine/tf.js';
import { OptionError } from '../../../errors.js';
import type { OnnxGraphBuilder } from '../../onnx-graph.js';

/** A layer's weights as float arrays with their shapes, in TF.js's order. */
export interface LayerWeight {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function layerWeights(layer: tf.layers.Layer): LayerWeight[] {
  return layer.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
}

/** The layer's configuration (TF.js's `getConfig`), read as plain values. */
export function layerConfig(layer: tf.layers.Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** `data` of shape [rows, cols] transposed to [cols, rows]. */
export function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** Keras's activation `name` on `x`; `linear` adds no node. */
export function activation(graph: OnnxGraphBuilder, x: string, name: unknown, local: string): string {
  switch (name) {
    case 'linear':
    case undefined:
    case null:
      return x;
    case 'relu':
      return graph.node('Relu', [x], local);
    case 'sigmoid':
      return graph.node('Sigmoid', [x], local);
    case 'tanh':
      return graph.node('Tanh', [x], local);
    case 'softmax':
      return graph.node('Softmax', [x], local, { axis: { int: -1 } });
    default:
      throw new OptionError(`ONNX export: activation "${String(name)}" is not supported`);
  }
}

/** Keras's activation `name` as a function of one number, for outputs worked out at export. */
function activationOf(name: unknown): (z: number) => number {
  switch (name) {
    case 'linear':
    case undefined:
    case null:
      return (z) => z;
    case 'relu':
      return (z) => Math.max(0, z);
    case 'sigmoid':
      return (z) => 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh;
    default:
      throw new OptionError(`ONNX export: activation "${String(name)}" is not supported here`);
  }
}

/** Embedding: the rows of its table for ids `[N, W]` (int64), `[N, W, E]`. */
export function embedding(graph: OnnxGraphBuilder, layer: tf.layers.Layer, ids: string): string {
  const [table] = layerWeights(layer);
  const weights = graph.constant(`${layer.name}_table`, {
    type: 'float',
    dims: table.shape,
    data: table.data,
  });
  return graph.node('Gather', [weights, ids], layer.name, { axis: { int: 0 } });
}

/** Dense on `[N, F]`: Gemm with its kernel `[F, units]` and bias, then its activation. */
export function dense(graph: OnnxGraphBuilder, layer: tf.layers.Layer, x: string): string {
  const [kernel, bias] = layerWeights(layer);
  const units = kernel.shape[1];
  const w = graph.constant(`${layer.name}_kernel`, { type: 'float', dims: kernel.shape, data: kernel.data });
  const b = graph.constant(`${layer.name}_bias`, {
    type: 'float',
    dims: [units],
    data: bias?.data ?? new Float32Array(units),
  });
  const z = graph.node('Gemm', [x, w, b], `${layer.name}_z`);
  return activation(graph, z, layerConfig(layer).activation, layer.name);
}

/**
 * The padding's share of a Dense over `maxLen` flattened positions of `dims` each, for every number
 * of positions cut off, `[maxLen + 1, units]` (summed in float64): row k holds the sum, over the
 * first k positions ("pre" padding) or over those from k on ("post"), of the padding id's embedding
 * times that position's block of the kernel.
 */
export function paddingShares(
  paddingEmbedding: Float32Array,
  kernel: Float32Array,
  maxLen: number,
  units: number,
  padding: 'pre' | 'post',
): Float64Array {
  const dims = paddingEmbedding.length;
  const shares = new Float64Array((maxLen + 1) * units);
  const addPosition = (into: number, from: number, position: number) => {
    for (let u = 0; u < units; u++) {
      let sum = shares[from * units + u];
      for (let e = 0; e < dims; e++) sum += paddingEmbedding[e] * kernel[(position * dims + e) * units + u];
      shares[into * units + u] = sum;
    }
  };
  if (padding === 'pre') for (let k = 1; k <= maxLen; k++) addPosition(k, k - 1, k - 1);
  else for (let k = maxLen - 1; k >= 0; k--) addPosition(k, k + 1, k);
  return shares;
}

/**
 * Dense over the flattened `[N, W, E]` embeddings of rows cropped to width W (front-end.ts), as the
 * same Dense over the full `[N, maxLen, E]` rows would compute it: the positions cut off hold the
 * padding id in every row, so their share of the product is the same for every row and depends only
 * on W (`paddingShares`, looked up); only the W positions kept are multiplied. With rows sorted by
 * length, a batch of short reviews skips most of the layer's work, as training's padding-aware
 * Dense does.
 */
export function croppedDense(
  graph: OnnxGraphBuilder,
  embeddingLayer: tf.layers.Layer,
  layer: tf.layers.Layer,
  embedded: string,
  width: string,
  sequence: { readonly maxLen: number; readonly padding: 'pre' | 'post' },
): string {
  const { maxLen, padding } = sequence;
  const [table] = layerWeights(embeddingLayer);
  const [kernel, bias] = layerWeights(layer);
  const dims = table.shape[1];
  const units = kernel.shape[1];
  if (kernel.shape[0] !== maxLen * dims) {
    throw new OptionError(
      `ONNX export: ${layer.name} takes ${kernel.shape[0]} inputs, not ${maxLen}×${dims}`,
    );
  }
  const name = (local: string) => `${layer.name}_${local}`;
  const shares = paddingShares(table.data.subarray(0, dims), kernel.data, maxLen, units, padding);
  const sharesTable = graph.constant(name('padding_shares'), {
    type: 'float',
    dims: [maxLen + 1, units],
    data: Float32Array.from(shares),
  });
  // The kept positions: the last W ("pre", after maxLen − W cut off) or the first W ("post").
  const maxLenScalar = graph.int64(name('max_len'), maxLen);
  const cut = padding === 'pre' ? graph.node('Sub', [maxLenScalar, width], name('cut')) : width;
  const [from, to] = padding === 'pre' ? [cut, maxLenScalar] : [graph.int64(name('zero'), 0), width];
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
    [w, row(from, name('first_row')), row(to, name('end_row')), graph.int64s(name('rows_axis'), [0])],
    name('kept_kernel'),
  );
  const product = graph.node('MatMul', [flatten(graph, embedded, name('flat')), keptKernel], name('kept'));
  const share = graph.node('Gather', [sharesTable, cut], name('padding'), { axis: { int: 0 } });
  const b = graph.constant(name('bias'), {
    type: 'float',
    dims: [units],
    data: bias?.data ?? new Float32Array(units),
  });
  const z = graph.node('Add', [graph.node('Add', [product, share], name('with_padding')), b], name('z'));
  return activation(graph, z, layerConfig(layer).activation, layer.name);
}

/** The tutorial cnn's layers after its embedding, as `croppedConvolution` needs them. */
export interface ConvolutionHead {
  readonly convolution: tf.layers.Layer;
  readonly pooling: tf.layers.Layer;
  readonly dense: tf.layers.Layer;
}

/** A "same" Conv1D's zero padding on each side, as TF pads it (the odd cell on the right). */
function samePadding(width: number): { left: number; right: number } {
  const left = Math.floor((width - 1) / 2);
  return { left, right: width - 1 - left };
}

/**
 * How the tutorial cnn's rows may be cropped (front-end.ts), or null when its layers are not the ones
 * `croppedConvolution` handles: "pre" padding, a "same" convolution of stride 1, and a max pooling
 * whose stride is its size, at least the convolution's left padding.
 */
export function convolutionCrop(
  head: ConvolutionHead,
  padding: 'pre' | 'post',
): { margin: number; step: number } | null {
  const conv = layerConfig(head.convolution);
  const pool = layerConfig(head.pooling);
  const width = single(conv.kernelSize, 'kernel size');
  const size = single(pool.poolSize, 'pool size');
  const plain =
    padding === 'pre' &&
    conv.padding === 'same' &&
    single(conv.strides ?? 1, 'stride') === 1 &&
    single(conv.dilationRate ?? 1, 'dilation') === 1 &&
    single(pool.strides ?? size, 'pool stride') === size &&
    (pool.padding ?? 'valid') === 'valid';
  const { left, right } = samePadding(width);
  return plain && left <= size ? { margin: right, step: size } : null;
}

/**
 * The tutorial cnn (Conv1D "same" → MaxPooling1D → Flatten → Dense) over rows cropped to width C
 * (front-end.ts, `convolutionCrop`), as over the full maxLen rows: the s = maxLen − C positions cut
 * off are a whole number of pooling windows of padding in every row, whose convolution windows
 * touch no text. The kept rows get the context the full row would give their first windows (the
 * padding id's embedding, or TF's zeros at the row's start) and a zero row on the right, and are
 * convolved without padding; each cut pooling window's output is a constant (the padding's windows,
 * TF's zeros in the first), and so is the Dense's share of them, precomputed for every s.
 */
export function croppedConvolution(
  graph: OnnxGraphBuilder,
  embeddingLayer: tf.layers.Layer,
  head: ConvolutionHead,
  embedded: string,
  width: string,
  maxLen: number,
): string {
  const [table] = layerWeights(embeddingLayer);
  const [kernel, bias] = layerWeights(head.convolution);
  const [span, dims, filters] = kernel.shape;
  const size = single(layerConfig(head.pooling).poolSize, 'pool size');
  const { left, right } = samePadding(span);
  const name = (local: string) => `${head.convolution.name}_${local}`;
  const paddingEmbedding = table.data.subarray(0, dims);

  // Convolution outputs of the positions that are padding in every row: at position p < left the
  // window starts in TF's zeros, from `left` on it holds only the padding id.
  const activate = activationOf(layerConfig(head.convolution).activation);
  const pooledWindows = Math.floor(maxLen / size);
  const windowOutput = (position: number, f: number) => {
    let z = bias?.data[f] ?? 0;
    for (let j = Math.max(0, left - position); j < span; j++)
      for (let e = 0; e < dims; e++) z += paddingEmbedding[e] * kernel.data[(j * dims + e) * filters + f];
    return activate(z);
  };
  const pooledPadding = new Float32Array(pooledWindows * filters);
  for (let w = 0; w < pooledWindows; w++)
    for (let f = 0; f < filters; f++) {
      let max = -Infinity;
      for (let p = w * size; p < (w + 1) * size; p++) max = Math.max(max, windowOutput(p, f));
      pooledPadding[w * filters + f] = max;
    }

  // The kept rows with their context: `left` rows of the padding id (none is needed at s = 0, where
  // TF pads with zeros), then a zero row per right padding.
  const maxLenScalar = graph.int64(name('max_len'), maxLen);
  const cut = graph.node('Sub', [maxLenScalar, width], name('cut'));
  const rowsShape = graph.node('Shape', [embedded], name('rows_shape'));
  const rows = graph.node(
    'Slice',
    [rowsShape, graph.int64s(name('n_from'), [0]), graph.int64s(name('n_to'), [1])],
    name('rows'),
  );
  const contextRows = (count: number, row: Float32Array, local: string) => {
    const shape = graph.node(
      'Concat',
      [rows, graph.int64s(`${local}_rest`, [count, dims])],
      `${local}_shape`,
      { axis: { int: 0 } },
    );
    const one = graph.constant(`${local}_row`, { type: 'float', dims: [1, 1, dims], data: row });
    return graph.node('Expand', [one, shape], local);
  };
  const parts: string[] = [];
  if (left > 0) {
    const isCut = graph.node(
      'Cast',
      [graph.node('Greater', [cut, graph.int64(name('zero'), 0)], name('is_cut'))],
      name('is_cut_float'),
      { to: { int: 1 } },
    );
    const before = contextRows(left, paddingEmbedding.slice(), name('left_context'));
    parts.push(graph.node('Mul', [before, isCut], name('left_rows')));
  }
  parts.push(embedded);
  if (right > 0) parts.push(contextRows(right, new Float32Array(dims), name('right_zeros')));
  const withContext = graph.node('Concat', parts, name('with_context'), { axis: { int: 1 } });
  const convolved = conv1d(graph, head.convolution, withContext, { left: 0, right: 0 });
  const pooled = maxPooling1d(graph, head.pooling, convolved);
  const flat = flatten(graph, pooled, name('flat'));

  // The Dense over the kept pooling windows, plus its share of those cut off.
  const [denseKernel, denseBias] = layerWeights(head.dense);
  const units = denseKernel.shape[1];
  const shares = new Float64Array((pooledWindows + 1) * units);
  for (let w = 1; w <= pooledWindows; w++)
    for (let u = 0; u < units; u++) {
      let sum = shares[(w - 1) * units + u];
      for (let f = 0; f < filters; f++)
        sum += pooledPadding[(w - 1) * filters + f] * denseKernel.data[((w - 1) * filters + f) * units + u];
      shares[w * units + u] = sum;
    }
  const windowsCut = graph.node('Div', [cut, graph.int64(name('pool_size'), size)], name('windows_cut'));
  const rowOf = (windows: string, local: string) =>
    graph.node(
      'Unsqueeze',
      [
        graph.node('Mul', [windows, graph.int64(`${local}_filters`, filters)], `${local}_scalar`),
        graph.int64s(`${local}_axes`, [0]),
      ],
      local,
    );
  const keptKernel = graph.node(
    'Slice',
    [
      graph.constant(name('dense_kernel'), {
        type: 'float',
        dims: denseKernel.shape,
        data: denseKernel.data,
      }),
      rowOf(windowsCut, name('first_row')),
      graph.int64s(name('end_row'), [pooledWindows * filters]),
      graph.int64s(name('rows_axis'), [0]),
    ],
    name('kept_kernel'),
  );
  const product = graph.node('MatMul', [flat, keptKernel], name('kept'));
  const sharesTable = graph.constant(name('padding_shares'), {
    type: 'float',
    dims: [pooledWindows + 1, units],
    data: Float32Array.from(shares),
  });
  const share = graph.node('Gather', [sharesTable, windowsCut], name('padding'), { axis: { int: 0 } });
  const b = graph.constant(name('dense_bias'), {
    type: 'float',
    dims: [units],
    data: denseBias?.data ?? new Float32Array(units),
  });
  const z = graph.node(
    'Add',
    [graph.node('Add', [product, share], name('with_padding')), b],
    `${head.dense.name}_z`,
  );
  return activation(graph, z, layerConfig(head.dense).activation, head.dense.name);
}

/** `[N, T, C]` ↔ `[N, C, T]`. */
function swapLast(graph: OnnxGraphBuilder, x: string, local: string): string {
  return graph.node('Transpose', [x], local, { perm: { ints: [0, 2, 1] } });
}

function single(value: unknown, what: string): number {
  const n = Array.isArray(value) ? (value as number[])[0] : value;
  if (typeof n !== 'number') throw new OptionError(`ONNX export: ${what} ${String(value)} is not supported`);
  return n;
}

/**
 * Conv1D on `[N, T, C]`: ONNX Conv on `[N, C, T]` with the kernel `[width, in, out]` laid out as
 * `[out, in, width]`; "same" padding as TF pads it (the odd cell on the right), then its activation.
 * `pads`, when given, replaces the layer's own padding.
 */
export function conv1d(
  graph: OnnxGraphBuilder,
  layer: tf.layers.Layer,
  x: string,
  pads?: { readonly left: number; readonly right: number },
): string {
  const config = layerConfig(layer);
  const [kernel, bias] = layerWeights(layer);
  const [width, inputs, outputs] = kernel.shape;
  const stride = single(config.strides ?? 1, 'stride');
  const dilation = single(config.dilationRate ?? 1, 'dilation');
  if (stride !== 1 || dilation !== 1) {
    throw new OptionError('ONNX export: only Conv1D with stride 1 and dilation 1 is supported');
  }
  const w = new Float32Array(width * inputs * outputs);
  for (let k = 0; k < width; k++)
    for (let i = 0; i < inputs; i++)
      for (let o = 0; o < outputs; o++)
        w[(o * inputs + i) * width + k] = kernel.data[(k * inputs + i) * outputs + o];
  const padding = config.padding;
  if (padding !== 'same' && padding !== 'valid') {
    throw new OptionError(`ONNX export: Conv1D padding "${String(padding)}" is not supported`);
  }
  const { left, right } = pads ?? (padding === 'same' ? samePadding(width) : { left: 0, right: 0 });
  const convolved = graph.node(
    'Conv',
    [
      swapLast(graph, x, `${layer.name}_in`),
      graph.constant(`${layer.name}_kernel`, { type: 'float', dims: [outputs, inputs, width], data: w }),
      graph.constant(`${layer.name}_bias`, {
        type: 'float',
        dims: [outputs],
        data: bias?.data ?? new Float32Array(outputs),
      }),
    ],
    `${layer.name}_conv`,
    { kernel_shape: { ints: [width] }, pads: { ints: [left, right] } },
  );
  const activated = activation(graph, convolved, config.activation, `${layer.name}_act`);
  return swapLast(graph, activated, layer.name);
}

/** MaxPooling1D on `[N, T, C]` ("valid": the last incomplete window is dropped, as in TF). */
export function maxPooling1d(graph: OnnxGraphBuilder, layer: tf.layers.Layer, x: string): string {
  const config = layerConfig(layer);
  const size = single(config.poolSize, 'pool size');
  const stride = single(config.strides ?? size, 'pool stride');
  if (config.padding !== undefined && config.padding !== 'valid') {
    throw new OptionError(`ONNX export: MaxPooling1D padding "${String(config.padding)}" is not supported`);
  }
  const pooled = graph.node('MaxPool', [swapLast(graph, x, `${layer.name}_in`)], `${layer.name}_pool`, {
    kernel_shape: { ints: [size] },
    strides: { ints: [stride] },
  });
  return swapLast(graph, pooled, layer.name);
}

/**
 * A convolution's global max over rows cropped to width W (front-end.ts, with a margin of at least
 * its width less one), as over the full maxLen rows: `pooled` `[N, filters]` is the max over the
 * cropped windows, and when W < maxLen the windows cut off all lie in every row's padding, so each
 * gave the padding window's output, a constant per filter, which joins the max.
 */
export function withPaddingWindows(
  graph: OnnxGraphBuilder,
  embeddingLayer: tf.layers.Layer,
  convolution: tf.layers.Layer,
  pooled: string,
  width: string,
  maxLen: number,
): string {
  const [table] = layerWeights(embeddingLayer);
  const [kernel, bias] = layerWeights(convolution);
  const [span, dims, filters] = kernel.shape;
  const z = new Float64Array(filters);
  for (let f = 0; f < filters; f++) {
    let sum = bias?.data[f] ?? 0;
    for (let j = 0; j < span; j++)
      for (let e = 0; e < dims; e++) sum += table.data[e] * kernel.data[(j * dims + e) * filters + f];
    z[f] = sum;
  }
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

/** GlobalMaxPooling1D on `[N, T, C]`: each channel's maximum over the whole row, `[N, C]`. */
export function globalMaxPooling1d(graph: OnnxGraphBuilder, x: string, local: string): string {
  return graph.node('ReduceMax', [x], local, { axes: { ints: [1] }, keepdims: { int: 0 } });
}

/** Flatten `[N, …]` to `[N, F]` in row-major order, as Keras's Flatten. */
export function flatten(graph: OnnxGraphBuilder, x: string, local: string): string {
  return graph.node('Flatten', [x], local, { axis: { int: 1 } });
}
