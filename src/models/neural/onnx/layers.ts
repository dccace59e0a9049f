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
 */
export function conv1d(graph: OnnxGraphBuilder, layer: tf.layers.Layer, x: string): string {
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
  const left = padding === 'same' ? Math.floor((width - 1) / 2) : 0;
  const right = padding === 'same' ? width - 1 - left : 0;
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
